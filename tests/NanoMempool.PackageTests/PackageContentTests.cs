// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace NanoMempool.PackageTests
{
    /// <summary>The .nupkg made by ./pack.sh: nanoFramework layout, metadata from the version source and the repository.</summary>
    [Collection(PackageCollection.Name)]
    public class PackageContentTests
    {
        private readonly PackageFixture _package;

        public PackageContentTests(PackageFixture package)
        {
            _package = package;
        }

        private XNamespace Ns => _package.Nuspec!.Root!.Name.Namespace;

        [SkippableFact]
        public void HoldsTheNanoFrameworkLayout()
        {
            _package.RequirePackage();
            foreach (var file in new[] { "lib/NanoMempool.dll", "lib/NanoMempool.pe", "lib/NanoMempool.pdbx", "lib/NanoMempool.xml", "lib/NanoMempool.pdb", "docs/README.md", "LICENSE", "images/icon.png", "NanoMempool.nuspec" })
            {
                Assert.Contains(file, _package.Entries);
            }

            // lib/ is flat (no target framework folder), and holds the library only.
            Assert.All(_package.Entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)), e => Assert.Matches("^lib/NanoMempool\\.(dll|pe|pdbx|pdb|xml)$", e));
            Assert.True(new FileInfo(Path.Combine(_package.ExtractedTo!, "lib", "NanoMempool.pe")).Length > 1000, "lib/NanoMempool.pe is (nearly) empty");
            Assert.Equal(
                File.ReadAllBytes(Path.Combine(_package.RepositoryRoot, "LICENSE")),
                File.ReadAllBytes(Path.Combine(_package.ExtractedTo!, "LICENSE")));
        }

        [SkippableFact]
        public void VersionIsTheOneComputedFromVersionJson()
        {
            _package.RequirePackage();
            var version = Metadata("version");
            Assert.Equal(_package.Expected!.Package, version);

            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_package.RepositoryRoot, "version.json")));
            Assert.StartsWith(json.RootElement.GetProperty("version").GetString() + ".", version, StringComparison.Ordinal);
            Assert.EndsWith(Path.DirectorySeparatorChar + "NanoMempool." + version + ".nupkg", _package.PackagePath, StringComparison.Ordinal);
        }

        [SkippableFact]
        public void MetadataNamesTheLicenseReadmeRepositoryAndDependency()
        {
            _package.RequirePackage();
            Assert.Equal("NanoMempool", Metadata("id"));
            var license = _package.Nuspec!.Descendants(Ns + "license").Single();
            Assert.Equal(("file", "LICENSE"), ((string)license.Attribute("type")!, license.Value));
            Assert.Equal("docs/README.md", Metadata("readme").Replace('\\', '/'));
            Assert.StartsWith("https://", Metadata("projectUrl"), StringComparison.Ordinal);

            var repository = _package.Nuspec.Descendants(Ns + "repository").Single();
            Assert.Equal("git", (string)repository.Attribute("type")!);
            Assert.Equal(Metadata("projectUrl") + ".git", (string)repository.Attribute("url")!);
            var head = ProcessRunner.Run(_package.RepositoryRoot, TimeSpan.FromMinutes(1), "git", "rev-parse", "HEAD");
            Assert.Equal(0, head.ExitCode);
            Assert.Equal(head.Output.Trim(), (string)repository.Attribute("commit")!);
            Assert.Equal(_package.Expected!.Commit, (string)repository.Attribute("commit")!);

            var tags = Metadata("tags").Split(' ');
            Assert.Contains("nanoFramework", tags);
            Assert.Contains("esp32", tags);

            // Exactly one dependency, no framework group: nanoFramework.CoreLibrary 1.17.11 (NuGet: >= 1.17.11).
            var dependency = Assert.Single(_package.Nuspec.Descendants(Ns + "dependency"));
            Assert.Equal(("nanoFramework.CoreLibrary", "1.17.11"), ((string)dependency.Attribute("id")!, (string)dependency.Attribute("version")!));
            Assert.Empty(_package.Nuspec.Descendants(Ns + "group"));
            Assert.DoesNotContain("$", _package.Nuspec.ToString(), StringComparison.Ordinal);
        }

        [SkippableFact]
        public void ReadmeIsForPackageUsersWithAbsoluteLinksToFilesOfThisRepository()
        {
            _package.RequirePackage();
            var readme = File.ReadAllText(Path.Combine(_package.ExtractedTo!, "docs", "README.md"));
            foreach (var section in new[] { "## Requirements", "## Install", "## Use", "## Guarantees" })
            {
                Assert.Contains(section, readme, StringComparison.Ordinal);
            }

            Assert.Contains("1.17", readme, StringComparison.Ordinal);
            Assert.Contains("2.0", readme, StringComparison.Ordinal);
            Assert.Contains("s_pool.TryAlloc(out block)", readme, StringComparison.Ordinal);

            // No relative links (they break on nuget.org); every absolute one points to a file of this repository, or
            // to its issues.
            Assert.DoesNotMatch("\\]\\((?!https://)", readme);
            var prefix = Metadata("projectUrl") + "/blob/main/";
            var links = Regex.Matches(readme, "https://\\S+").Select(m => m.Value.TrimEnd('.', ')', ',')).ToList();
            Assert.NotEmpty(links);
            Assert.Contains(Metadata("projectUrl") + "/issues", links);
            Assert.Contains(prefix + "CHANGELOG.md", links);
            Assert.Contains(prefix + "CONTRIBUTING.md", links);
            foreach (var link in links.Where(l => l != Metadata("projectUrl") + "/issues"))
            {
                Assert.StartsWith(prefix, link, StringComparison.Ordinal);
                var file = link.Substring(prefix.Length).Split('#')[0];
                Assert.True(File.Exists(Path.Combine(_package.RepositoryRoot, file)), "the package readme links to a missing file: " + link);
            }
        }

        private string Metadata(string name) => (string)_package.Nuspec!.Descendants(Ns + name).Single();
    }
}
