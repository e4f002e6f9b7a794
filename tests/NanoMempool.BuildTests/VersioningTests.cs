// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace NanoMempool.BuildTests
{
    /// <summary>
    /// One version source: version.json, read by Nerdbank.GitVersioning in both routes, the
    /// Visual Studio one (NanoMempool.nfproj through packages.config) and the Linux one (build/pack), with the same
    /// package version and the same settings; nothing else states the library's version. The package tests
    /// (tests/NanoMempool.PackageTests) check the result in the built assembly and the .nupkg.
    /// </summary>
    public class VersioningTests
    {
        private const string NerdbankVersion = "3.10.94";
        private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

        private static string Root => BuildInfo.RepositoryRoot;

        [Fact]
        public void VersionJsonHoldsAMajorMinorVersion()
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "version.json")));
            Assert.Matches("^[0-9]+\\.[0-9]+$", json.RootElement.GetProperty("version").GetString());
        }

        [Fact]
        public void BothRoutesUseTheSameNerdbankGitVersioning()
        {
            var packagesConfig = XDocument.Load(Path.Combine(Root, "NanoMempool", "packages.config"));
            var nbgv = packagesConfig.Descendants("package").Single(p => (string)p.Attribute("id")! == "Nerdbank.GitVersioning");
            Assert.Equal(NerdbankVersion, (string)nbgv.Attribute("version")!);
            Assert.Equal("true", (string)nbgv.Attribute("developmentDependency")!);

            // nfproj: the package's .props first, its .targets last, both guarded, and the restore check.
            var nfproj = XDocument.Load(Path.Combine(Root, "NanoMempool", "NanoMempool.nfproj"));
            var folder = $"..\\packages\\Nerdbank.GitVersioning.{NerdbankVersion}\\build\\Nerdbank.GitVersioning";
            var imports = nfproj.Root!.Elements(Msb + "Import").Select(i => (string)i.Attribute("Project")!).ToList();
            Assert.Equal(folder + ".props", imports.First());
            Assert.Equal(folder + ".targets", imports.Last());
            var checks = nfproj.Descendants(Msb + "Target").Single(t => (string)t.Attribute("Name")! == "EnsureNuGetPackageBuildImports")
                .Elements(Msb + "Error").Select(e => (string)e.Attribute("Condition")!).ToList();
            Assert.Contains($"!Exists('{folder}.props')", checks);
            Assert.Contains($"!Exists('{folder}.targets')", checks);

            var pack = XDocument.Load(Path.Combine(Root, "build", "pack", "NanoMempool.Pack.csproj"));
            var reference = pack.Descendants("PackageReference").Single(p => (string)p.Attribute("Include")! == "Nerdbank.GitVersioning");
            Assert.Equal(NerdbankVersion, (string)reference.Attribute("Version")!);

            // Same generated attributes in both: version attributes, no ThisAssembly class.
            Assert.Equal("false", (string)nfproj.Descendants(Msb + "NBGV_EmitThisAssemblyClass").Single());
            Assert.Equal("false", (string)pack.Descendants("NBGV_EmitThisAssemblyClass").Single());
        }

        [Fact]
        public void NothingElseStatesTheLibraryVersion()
        {
            var assemblyInfo = File.ReadAllText(Path.Combine(Root, "NanoMempool", "Properties", "AssemblyInfo.cs"));
            Assert.DoesNotMatch("Assembly(File|Informational)?Version\\(", assemblyInfo);

            // Pure managed library: no native part, so the native version stays 0.0.0.0 (as nanoFramework.Json).
            Assert.Contains("[assembly: AssemblyNativeVersion(\"0.0.0.0\")]", assemblyInfo);

            var nuspec = File.ReadAllText(Path.Combine(Root, "NanoMempool.nuspec"));
            var tokens = Regex.Matches(nuspec, "\\$[A-Za-z]+\\$").Select(m => m.Value).Distinct().OrderBy(t => t).ToArray();
            Assert.Equal(new[] { "$commit$", "$releaseNotes$", "$version$" }, tokens);
            var doc = XDocument.Parse(nuspec);
            XNamespace ns = doc.Root!.Name.Namespace;
            Assert.Equal("$version$", (string)doc.Descendants(ns + "version").Single());
            Assert.Equal("$commit$", (string)doc.Descendants(ns + "repository").Single().Attribute("commit")!);
            Assert.Equal("$releaseNotes$", (string)doc.Descendants(ns + "releaseNotes").Single());
        }
    }
}
