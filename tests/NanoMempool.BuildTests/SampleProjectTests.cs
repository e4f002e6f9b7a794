// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace NanoMempool.BuildTests
{
    /// <summary>
    /// Each sample's .nfproj (samples/esp32-irq, samples/esp32-spi-fifo) references its packages as nanoFramework's own samples do: fully qualified
    /// (name, version, culture, public key token), with the version packages.config restores; and, where the nanoCLR
    /// kit is present, those are the assemblies the kit holds (same name, major.minor and token; nanoCLR binds by
    /// major.minor).
    /// </summary>
    public class SampleProjectTests
    {
        private const string NanoFrameworkToken = "c07d481e9758c731";
        private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";
        private static readonly Regex s_qualified = new Regex(
            "^(?<name>[^,]+), Version=(?<version>[0-9]+\\.[0-9]+\\.[0-9]+)\\.0, Culture=neutral, PublicKeyToken=(?<token>[0-9a-f]{16})$");

        [Theory]
        [InlineData("esp32-irq", "Esp32Irq.nfproj")]
        [InlineData("esp32-spi-fifo", "Esp32SpiFifo.nfproj")]
        public void EveryReferenceIsFullyQualifiedWithThePackagesConfigVersion(string sample, string nfproj)
        {
            var packages = Packages(sample);
            var references = References(sample, nfproj);
            Assert.Equal(packages.Count, references.Count);
            foreach (var r in references)
            {
                Assert.Equal(NanoFrameworkToken, r.Token);
                var hint = Regex.Match(r.HintPath, "^\\.\\.\\\\\\.\\.\\\\packages\\\\(?<folder>[^\\\\]+)\\\\lib\\\\(?<file>[^\\\\]+)\\.dll$");
                Assert.True(hint.Success, r.Name + ": unexpected HintPath " + r.HintPath);
                Assert.Equal(r.Name, hint.Groups["file"].Value);
                var package = packages.SingleOrDefault(p => hint.Groups["folder"].Value == p.Key + "." + p.Value);
                Assert.True(package.Key != null, r.Name + ": " + hint.Groups["folder"].Value + " is not a package of packages.config");
                Assert.Equal(package.Value, r.Version);
            }

            Assert.Equal("1.1.62", packages["nanoFramework.System.Device.Gpio"]);
            Assert.Equal("1.17.11", packages["nanoFramework.CoreLibrary"]);
        }

        [SkippableTheory]
        [InlineData("esp32-irq", "Esp32Irq.nfproj")]
        [InlineData("esp32-spi-fifo", "Esp32SpiFifo.nfproj")]
        public void ReferencesMatchTheAssembliesOfTheNanoclrKit(string sample, string nfproj)
        {
            var kit = KitFolder();
            Skip.If(kit == null, "no nanoCLR kit: set NANOCLR_KIT");

            foreach (var r in References(sample, nfproj).Where(r => r.Name != "mscorlib"))
            {
                var dll = Path.Combine(kit, "refs", r.Name + ".dll");
                Assert.True(File.Exists(dll), "the kit has no " + r.Name);
                using var pe = new PEReader(File.OpenRead(dll));
                var name = pe.GetMetadataReader().GetAssemblyDefinition().GetAssemblyName();
                var version = Version.Parse(r.Version);
                Assert.Equal((version.Major, version.Minor), (name.Version!.Major, name.Version.Minor));
                Assert.Equal(r.Token, Convert.ToHexStringLower(name.GetPublicKeyToken()!));
            }
        }

        private static string Folder(string sample) => Path.Combine(BuildInfo.RepositoryRoot, "samples", sample);

        private static Dictionary<string, string> Packages(string sample) =>
            XDocument.Load(Path.Combine(Folder(sample), "packages.config")).Descendants("package")
                .ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!);

        private static List<(string Name, string Version, string Token, string HintPath)> References(string sample, string nfproj) =>
            XDocument.Load(Path.Combine(Folder(sample), nfproj)).Descendants(Msb + "Reference").Select(r =>
            {
                var include = (string)r.Attribute("Include")!;
                var m = s_qualified.Match(include);
                Assert.True(m.Success, "not a fully qualified reference: " + include);
                return (m.Groups["name"].Value, m.Groups["version"].Value, m.Groups["token"].Value, (string)r.Element(Msb + "HintPath")!);
            }).ToList();

        private static string? KitFolder()
        {
            var kit = Environment.GetEnvironmentVariable("NANOCLR_KIT");
            if (string.IsNullOrEmpty(kit))
            {
                kit = Path.GetFullPath(Path.Combine(BuildInfo.RepositoryRoot, "..", "shared", "nanoclr"));
            }

            return Directory.Exists(Path.Combine(kit, "refs")) ? kit : null;
        }
    }
}
