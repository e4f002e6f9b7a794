// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO;
using System.Linq;
using System.Xml.Linq;
using NanoMempool.DocTests;
using Xunit;

namespace NanoMempool.PackageTests
{
    /// <summary>
    /// lib/NanoMempool.xml, what IntelliSense shows a package user: one summary per public type and member, nothing
    /// non-public (<see cref="DocXmlChecker"/>, checked against the library's sources compiled with the kit's mscorlib).
    /// </summary>
    [Collection(PackageCollection.Name)]
    public class PackedDocsTests
    {
        private readonly PackageFixture _package;

        public PackedDocsTests(PackageFixture package)
        {
            _package = package;
        }

        [SkippableFact]
        public void PackedXmlDocs_HaveOneSummaryPerPublicMember_AndNothingNonPublic()
        {
            _package.RequirePackage();
            var library = DocXmlChecker.CompileForSymbols(
                "NanoMempool", DocXmlChecker.LibrarySources(Path.Combine(_package.RepositoryRoot, "NanoMempool")),
                new[] { Path.Combine(_package.Kit!, "runtime", "mscorlib.dll") });
            var findings = DocXmlChecker.Check(XDocument.Load(Path.Combine(_package.ExtractedTo!, "lib", "NanoMempool.xml")), library);
            Assert.True(findings.Count == 0, findings.Count + " problems in the packed NanoMempool.xml:\n" + string.Join("\n", findings));
        }
    }
}
