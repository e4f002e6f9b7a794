// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace NanoMempool.BuildTests
{
    /// <summary>
    /// The device-side files (opened in Visual Studio / VS Code, never built on Linux) must agree with the sources
    /// and with each other. A mismatch here means a user who opens nf.sln gets a project that does not build or a
    /// package that does not restore.
    /// </summary>
    public class ProjectConsistencyTests
    {
        private const string CoreLibraryVersion = "1.17.11";
        private const string TestFrameworkVersion = "3.0.77";
        private const string NanoProjectTypeGuid = "{11A8DD76-328B-46DF-9F39-F559912D0360}";
        private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

        private static string Root => BuildInfo.RepositoryRoot;

        [Theory]
        [InlineData("NanoMempool", "NanoMempool.nfproj")]
        [InlineData("NanoMempool.Tests", "NanoMempool.Tests.nfproj")]
        [InlineData("samples/esp32-irq", "Esp32Irq.nfproj")]
        [InlineData("samples/esp32-spi-fifo", "Esp32SpiFifo.nfproj")]
        public void EveryCsFileIsListedInTheNfprojAndEveryListedFileExists(string folder, string nfproj)
        {
            // A sample's project holds the files of its own folder; its host/ simulation is another project.
            var dir = Path.Combine(Root, folder);
            var depth = folder.StartsWith("samples/", StringComparison.Ordinal) ? SearchOption.TopDirectoryOnly : SearchOption.AllDirectories;
            var onDisk = Directory.EnumerateFiles(dir, "*.cs", depth)
                .Select(p => Path.GetRelativePath(dir, p).Replace('/', '\\'))
                .Where(p => !p.StartsWith("bin\\", StringComparison.Ordinal) && !p.StartsWith("obj\\", StringComparison.Ordinal))
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToList();
            var listed = Load(Path.Combine(dir, nfproj)).Descendants(Msb + "Compile")
                .Select(e => (string)e.Attribute("Include")!)
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToList();

            var missing = onDisk.Except(listed).ToList();
            var stale = listed.Except(onDisk).ToList();
            Assert.True(
                missing.Count == 0 && stale.Count == 0,
                $"{folder}/{nfproj} is out of date (run: dotnet run build/sync-nfproj.cs)."
                + (missing.Count == 0 ? "" : " Add: " + string.Join(" ", missing.Select(m => $"<Compile Include=\"{m}\" />")))
                + (stale.Count == 0 ? "" : " Remove (file does not exist): " + string.Join(", ", stale)));
            Assert.Equal(listed.Count, listed.Distinct().Count());
        }

        [Fact]
        public void LibraryProjectFollowsTheNanoClassLibraryConventions()
        {
            var doc = Load(Path.Combine(Root, "NanoMempool", "NanoMempool.nfproj"));
            Assert.Equal("NanoMempool", Property(doc, "AssemblyName"));
            Assert.Equal("Library", Property(doc, "OutputType"));
            Assert.Equal("v1.0", Property(doc, "TargetFrameworkVersion"));
            Assert.Equal(NanoProjectTypeGuid + ";{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}", Property(doc, "ProjectTypeGuids"));
            Assert.Equal("bin\\$(Configuration)\\NanoMempool.xml", Property(doc, "DocumentationFile"));
            Assert.Contains("Properties\\AssemblyInfo.cs", doc.Descendants(Msb + "Compile").Select(e => (string)e.Attribute("Include")!));
            AssertImportsProjectSystem(doc);
            Assert.Equal(
                new[] { "mscorlib" },
                References(doc).Select(r => r.Name).ToArray());
            Assert.Equal($"..\\packages\\nanoFramework.CoreLibrary.{CoreLibraryVersion}\\lib\\mscorlib.dll", References(doc).Single().HintPath);
        }

        [Fact]
        public void TestProjectFollowsTheNanoUnitTestConventions()
        {
            var doc = Load(Path.Combine(Root, "NanoMempool.Tests", "NanoMempool.Tests.nfproj"));
            Assert.Equal("NFUnitTest", Property(doc, "AssemblyName"));
            Assert.Equal("true", Property(doc, "IsTestProject"));
            Assert.Equal("$(MSBuildProjectDirectory)\\nano.runsettings", Property(doc, "RunSettingsFilePath"));
            Assert.True(File.Exists(Path.Combine(Root, "NanoMempool.Tests", "nano.runsettings")));
            Assert.Contains("TestContainer", doc.Descendants(Msb + "ProjectCapability").Select(e => (string)e.Attribute("Include")!));
            AssertImportsProjectSystem(doc);

            var refs = References(doc).ToDictionary(r => r.Name, r => r.HintPath);
            Assert.Equal($"..\\packages\\nanoFramework.CoreLibrary.{CoreLibraryVersion}\\lib\\mscorlib.dll", refs["mscorlib"]);
            Assert.Equal($"..\\packages\\nanoFramework.TestFramework.{TestFrameworkVersion}\\lib\\nanoFramework.TestFramework.dll", refs["nanoFramework.TestFramework"]);
            Assert.Equal($"..\\packages\\nanoFramework.TestFramework.{TestFrameworkVersion}\\lib\\nanoFramework.UnitTestLauncher.exe", refs["nanoFramework.UnitTestLauncher"]);
            Assert.Equal(
                "..\\NanoMempool\\NanoMempool.nfproj",
                (string)doc.Descendants(Msb + "ProjectReference").Single().Attribute("Include")!);

            // The library grants its internals to NFUnitTest by public key (SigningTests checks the key).
            var assemblyInfo = File.ReadAllText(Path.Combine(Root, "NanoMempool", "Properties", "AssemblyInfo.cs"));
            Assert.Contains("[assembly: InternalsVisibleTo(\"NFUnitTest, PublicKey=", assemblyInfo);
        }

        [Fact]
        public void PackageVersionsAgreeAcrossPackagesConfigNuspecAndTheLinuxBuild()
        {
            var lib = Packages(Path.Combine(Root, "NanoMempool", "packages.config"));
            var tests = Packages(Path.Combine(Root, "NanoMempool.Tests", "packages.config"));
            Assert.Equal(CoreLibraryVersion, lib["nanoFramework.CoreLibrary"].Version);
            Assert.Equal(CoreLibraryVersion, tests["nanoFramework.CoreLibrary"].Version);
            Assert.Equal(TestFrameworkVersion, tests["nanoFramework.TestFramework"].Version);
            Assert.Equal("true", tests["nanoFramework.TestFramework"].DevelopmentDependency);
            Assert.All(lib.Values.Concat(tests.Values), p => Assert.Equal("netnano1.0", p.TargetFramework));

            // The package's dependencies are exactly the library's non-development packages, same versions.
            var nuspec = XDocument.Load(Path.Combine(Root, "NanoMempool.nuspec"));
            XNamespace ns = nuspec.Root!.Name.Namespace;
            var deps = nuspec.Descendants(ns + "dependency").ToDictionary(d => (string)d.Attribute("id")!, d => (string)d.Attribute("version")!);
            var runtimePackages = lib.Where(p => p.Value.DevelopmentDependency != "true").ToDictionary(p => p.Key, p => p.Value.Version);
            Assert.Equal(runtimePackages.OrderBy(p => p.Key), deps.OrderBy(p => p.Key));
            Assert.Equal("$version$", (string)nuspec.Descendants(ns + "version").Single());

            // Every packed file comes from the Release output of the library's assembly name, flat under lib\.
            var files = nuspec.Descendants(ns + "file").Select(f => ((string)f.Attribute("src")!, (string)f.Attribute("target")!)).ToList();
            foreach (var ext in new[] { "dll", "pdb", "pdbx", "pe", "xml" })
            {
                Assert.Contains(($"NanoMempool\\bin\\Release\\NanoMempool.{ext}", $"lib\\NanoMempool.{ext}"), files);
            }

            foreach (var (src, _) in files.Where(f => !f.Item1.Contains("\\bin\\", StringComparison.Ordinal)))
            {
                Assert.True(File.Exists(Path.Combine(Root, src.Replace('\\', '/'))), "nuspec packs a missing file: " + src);
            }

            // The Linux nano compile uses the same mscorlib.
            var props = XDocument.Load(Path.Combine(Root, "build", "NanoCompile.props"));
            Assert.Equal(
                CoreLibraryVersion,
                (string)props.Descendants("PackageReference").Single(p => (string)p.Attribute("Include")! == "nanoFramework.CoreLibrary").Attribute("Version")!);
        }

        [Fact]
        public void SolutionListsEveryNfprojWithTheNanoProjectType()
        {
            var sln = File.ReadAllText(Path.Combine(Root, "nf.sln"));
            var projects = Regex.Matches(sln, "^Project\\(\"(?<type>[^\"]+)\"\\) = \"(?<name>[^\"]+)\", \"(?<path>[^\"]+)\", \"(?<guid>[^\"]+)\"", RegexOptions.Multiline)
                .ToDictionary(m => m.Groups["path"].Value, m => (Type: m.Groups["type"].Value, Guid: m.Groups["guid"].Value));

            foreach (var path in new[] { "NanoMempool\\NanoMempool.nfproj", "NanoMempool.Tests\\NanoMempool.Tests.nfproj", "samples\\esp32-irq\\Esp32Irq.nfproj", "samples\\esp32-spi-fifo\\Esp32SpiFifo.nfproj" })
            {
                Assert.True(projects.ContainsKey(path), "nf.sln does not list " + path);
                Assert.Equal(NanoProjectTypeGuid, projects[path].Type);
                var projectGuid = Property(Load(Path.Combine(Root, path.Replace('\\', '/'))), "ProjectGuid");
                Assert.Equal(projectGuid, projects[path].Guid, ignoreCase: true);
                Assert.Contains(projectGuid + ".Release|Any CPU.Build.0", sln, StringComparison.OrdinalIgnoreCase);
            }
        }

        private static XDocument Load(string path) => XDocument.Load(path);

        private static string Property(XDocument doc, string name) =>
            (string)doc.Descendants(Msb + "PropertyGroup").Elements(Msb + name).Single();

        private static void AssertImportsProjectSystem(XDocument doc)
        {
            Assert.Equal("$(MSBuildExtensionsPath)\\nanoFramework\\v1.0\\", Property(doc, "NanoFrameworkProjectSystemPath"));
            var imports = doc.Root!.Elements(Msb + "Import").Select(i => (string)i.Attribute("Project")!).ToList();
            Assert.Equal(
                new[] { "NFProjectSystem.Default.props", "NFProjectSystem.props", "NFProjectSystem.CSharp.targets" },
                imports.Where(i => i.StartsWith("$(NanoFrameworkProjectSystemPath)", StringComparison.Ordinal))
                    .Select(i => i.Substring("$(NanoFrameworkProjectSystemPath)".Length)).ToArray());
            Assert.NotNull(doc.Root.Element(Msb + "ProjectExtensions")?.Element(Msb + "ProjectCapabilities")?.Element(Msb + "ProjectConfigurationsDeclaredAsItems"));
        }

        private static IEnumerable<(string Name, string HintPath)> References(XDocument doc) =>
            doc.Descendants(Msb + "Reference").Select(r => (((string)r.Attribute("Include")!).Split(',')[0].Trim(), (string)r.Element(Msb + "HintPath")!));

        private static Dictionary<string, (string Version, string TargetFramework, string? DevelopmentDependency)> Packages(string path) =>
            XDocument.Load(path).Descendants("package").ToDictionary(
                p => (string)p.Attribute("id")!,
                p => ((string)p.Attribute("version")!, (string)p.Attribute("targetFramework")!, (string?)p.Attribute("developmentDependency")));
    }
}
