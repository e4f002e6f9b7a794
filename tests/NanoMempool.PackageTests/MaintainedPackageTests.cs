// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace NanoMempool.PackageTests
{
    /// <summary>
    /// What a maintained library's package carries beside the library: an icon, release notes taken from
    /// CHANGELOG.md, and a symbols package (.snupkg) whose .pdb belongs to the packed dll.
    /// </summary>
    [Collection(PackageCollection.Name)]
    public class MaintainedPackageTests
    {
        private readonly PackageFixture _package;

        public MaintainedPackageTests(PackageFixture package)
        {
            _package = package;
        }

        private XNamespace Ns => _package.Nuspec!.Root!.Name.Namespace;

        [SkippableFact]
        public void IconIsTheRepositorysPng_128By128()
        {
            _package.RequirePackage();
            Assert.Equal("images/icon.png", Metadata("icon").Replace('\\', '/'));
            var packed = File.ReadAllBytes(Path.Combine(_package.ExtractedTo!, "images", "icon.png"));
            Assert.Equal(File.ReadAllBytes(Path.Combine(_package.RepositoryRoot, "assets", "icon.png")), packed);

            // PNG signature, then the IHDR chunk: width and height (big-endian) at bytes 16 and 20.
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, packed.Take(8).ToArray());
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(packed, 12, 4));
            Assert.Equal((128, 128), (BinaryPrimitives.ReadInt32BigEndian(packed.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(packed.AsSpan(20))));
            Assert.True(packed.Length < 1024 * 1024, "nuget.org takes icons up to 1 MB");
        }

        [SkippableFact]
        public void ReleaseNotesAreTheChangelogSectionOfTheVersion()
        {
            _package.RequirePackage();
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_package.RepositoryRoot, "version.json")));
            var majorMinor = json.RootElement.GetProperty("version").GetString()!;
            var changelog = File.ReadAllText(Path.Combine(_package.RepositoryRoot, "CHANGELOG.md")).Replace("\r\n", "\n");

            // The section under "## <major.minor>", up to the next "## " heading.
            var lines = changelog.Split('\n').ToList();
            var start = lines.IndexOf("## " + majorMinor);
            Assert.True(start >= 0, "CHANGELOG.md has no '## " + majorMinor + "' section");
            var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
            var section = string.Join("\n", lines.Skip(start + 1).Take((end < 0 ? lines.Count : end) - start - 1)).Trim();
            Assert.NotEmpty(section);

            Assert.Equal(section, Metadata("releaseNotes").Replace("\r\n", "\n"));
            Assert.Contains("BlockPool", section, StringComparison.Ordinal);
        }

        [SkippableFact]
        public void SymbolsPackageHoldsThePortablePdbOfThePackedDll()
        {
            _package.RequirePackage();
            Assert.True(_package.SymbolsPath != null, "./pack.sh printed no .snupkg path:\n" + _package.PackRun);
            Assert.Equal(Path.ChangeExtension(_package.PackagePath, ".snupkg"), _package.SymbolsPath);

            using var zip = ZipFile.OpenRead(_package.SymbolsPath!);
            var entries = zip.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal)
                && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml").OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "NanoMempool.nuspec", "lib/NanoMempool.pdb" }, entries);

            // Same id and version as the package, and a symbols package type.
            XDocument nuspec;
            using (var stream = zip.GetEntry("NanoMempool.nuspec")!.Open())
            {
                nuspec = XDocument.Load(stream);
            }

            XNamespace ns = nuspec.Root!.Name.Namespace;
            Assert.Equal(Metadata("id"), (string)nuspec.Descendants(ns + "id").Single());
            Assert.Equal(Metadata("version"), (string)nuspec.Descendants(ns + "version").Single());
            Assert.Equal("SymbolsPackage", (string)nuspec.Descendants(ns + "packageType").Single().Attribute("name")!);

            // The .pdb is portable (what nuget.org's symbol server takes), is the one in lib/, and belongs to the
            // packed dll: its id matches the dll's CodeView debug directory entry.
            byte[] pdb;
            using (var stream = zip.GetEntry("lib/NanoMempool.pdb")!.Open())
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                pdb = copy.ToArray();
            }

            Assert.Equal(File.ReadAllBytes(Path.Combine(_package.ExtractedTo!, "lib", "NanoMempool.pdb")), pdb);
            using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
            var pdbId = new BlobContentId(provider.GetMetadataReader().DebugMetadataHeader!.Id);

            using var pe = new PEReader(File.OpenRead(Path.Combine(_package.ExtractedTo!, "lib", "NanoMempool.dll")));
            var codeView = pe.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.CodeView);
            var data = pe.ReadCodeViewDebugDirectoryData(codeView);
            Assert.Equal(pdbId.Guid, data.Guid);
            Assert.Equal("NanoMempool.pdb", Path.GetFileName(data.Path));
        }

        private string Metadata(string name) => (string)_package.Nuspec!.Descendants(Ns + name).Single();
    }
}
