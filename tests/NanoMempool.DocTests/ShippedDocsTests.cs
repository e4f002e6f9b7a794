// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Generic;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NanoMempool.DocTests
{
    /// <summary>
    /// The library's XML docs, as the nano build writes them (the same sources and compiler the package's are made
    /// with; tests/NanoMempool.PackageTests checks the packed file the same way): one summary per public type and
    /// member, and nothing that users cannot call.
    /// </summary>
    public class ShippedDocsTests
    {
        [Fact]
        public void NanoBuildXml_HasOneSummaryPerPublicMember_AndNothingNonPublic()
        {
            Compilation library = DocXmlChecker.CompileForSymbols(
                "NanoMempool", DocXmlChecker.LibrarySources(TestPaths.LibrarySources), new[] { TestPaths.NanoMscorlib });
            List<string> findings = DocXmlChecker.Check(XDocument.Load(TestPaths.NanoXml), library);
            Assert.True(findings.Count == 0, findings.Count + " problems in " + TestPaths.NanoXml + ":\n" + string.Join("\n", findings));
        }
    }
}
