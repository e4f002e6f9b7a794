// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NanoConformance;
using Xunit;

namespace NanoMempool.DocTests
{
    /// <summary>
    /// The usage snippet of README.md and of docs/package-readme.md (the csharp block after the marker comment) is
    /// complete code: it compiles, as it is, against the library's nano build, nanoFramework mscorlib 1.17.11 and the
    /// System.Device.Gpio surface (C# 7.3, warnings are errors), uses nothing the 1.x runtime rejects, and builds its
    /// queue smaller than its pool, saying why.
    /// </summary>
    public class UsageSnippetTests
    {
        /// <summary>The HTML comment (invisible when rendered) that marks the snippet; the next csharp block is it.</summary>
        public const string Marker = "<!-- usage snippet:";

        [Theory]
        [InlineData("README.md")]
        [InlineData("docs/package-readme.md")]
        public void Snippet_CompilesAgainstTheLibrary_AndConforms(string file)
        {
            string snippet = Snippet(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, file)));
            byte[] image = Compile(snippet);
            using (PEReader pe = new PEReader(new MemoryStream(image)))
            {
                IReadOnlyList<Violation> violations = Checker.Check(pe, new[] { "NanoMempool", "System.Device.Gpio", "nanoFramework.Runtime.Events" });
                Assert.True(violations.Count == 0, file + ": the snippet uses what the 1.x runtime rejects:\n" + string.Join("\n", violations));
            }
        }

        [Theory]
        [InlineData("README.md")]
        [InlineData("docs/package-readme.md")]
        public void Snippet_DeclaresPoolQueueAndMissCounter_WithTheQueueSmallerThanThePool(string file)
        {
            string snippet = Snippet(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, file)));
            Match pool = Regex.Match(snippet, "BlockPool s_pool = new BlockPool\\((?<size>[0-9]+), (?<count>[0-9]+)\\);");
            Match queue = Regex.Match(snippet, "BlockQueue s_queue = new BlockQueue\\((?<capacity>[0-9]+)\\);");
            Assert.True(pool.Success, file + ": the snippet does not declare s_pool = new BlockPool(size, count)");
            Assert.True(queue.Success, file + ": the snippet does not declare s_queue = new BlockQueue(capacity)");
            Assert.Matches("static int s_missed;", snippet);
            Assert.True(
                int.Parse(queue.Groups["capacity"].Value) < int.Parse(pool.Groups["count"].Value),
                file + ": the snippet's queue must hold fewer blocks than its pool");
            Assert.Contains("The queue must hold FEWER blocks than", snippet, StringComparison.Ordinal);
            foreach (string call in new[] { "s_pool.TryAlloc(out block)", "block.Length = ", "s_queue.TryEnqueue(block)", "s_pool.Alloc()", "s_queue.Dequeue()", "sample.Length", "Dispose()" })
            {
                Assert.Contains(call, snippet, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void TheCheck_FailsOnASnippetThatDrifts()
        {
            string readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
            string snippet = Snippet(readme);

            // An undeclared field, a renamed member, a host-only API: each must fail the compile.
            foreach (string drifted in new[]
            {
                snippet.Replace("private static int s_missed;", string.Empty),
                snippet.Replace("s_pool.TryAlloc(out block)", "s_pool.TryAllocate(out block)"),
                snippet.Replace("Send(packet.Buffer, packet.Length);", "Send(packet.Buffer, packet.Length); System.Console.ReadLine();"),
            })
            {
                Assert.NotEqual(snippet, drifted);
                Assert.Throws<InvalidOperationException>(() => Compile(drifted));
            }

            // No marker, or no csharp block after it: the test says so instead of passing on nothing.
            Assert.Throws<InvalidOperationException>(() => Snippet(readme.Replace(Marker, "<!-- something else:")));
            Assert.Throws<InvalidOperationException>(() => Snippet(Marker + " x -->\nno code here\n"));
        }

        /// <summary>The first ```csharp block after the marker (exactly one marker).</summary>
        internal static string Snippet(string markdown)
        {
            int marker = markdown.IndexOf(Marker, StringComparison.Ordinal);
            if (marker < 0 || markdown.IndexOf(Marker, marker + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException("expected exactly one '" + Marker + "' comment");
            }

            Match block = new Regex("```csharp\\r?\\n(?<code>.*?)\\r?\\n```", RegexOptions.Singleline).Match(markdown, marker);
            if (!block.Success)
            {
                throw new InvalidOperationException("no ```csharp block after the '" + Marker + "' comment");
            }

            return block.Groups["code"].Value;
        }

        /// <summary>Compiles C# 7.3 against nano mscorlib, the nano NanoMempool.dll and the GPIO surfaces; throws with the errors.</summary>
        internal static byte[] Compile(string source)
        {
            List<MetadataReference> references = new List<MetadataReference>
            {
                MetadataReference.CreateFromFile(TestPaths.NanoMscorlib),
                MetadataReference.CreateFromFile(TestPaths.NanoDll),
            };
            references.AddRange(TestPaths.GpioSurfaces.Select(path => MetadataReference.CreateFromFile(path)));
            CSharpCompilation compilation = CSharpCompilation.Create(
                "Snippet",
                new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp7_3)) },
                references,
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, generalDiagnosticOption: ReportDiagnostic.Error));
            using (MemoryStream image = new MemoryStream())
            {
                var result = compilation.Emit(image);
                if (!result.Success)
                {
                    throw new InvalidOperationException("the snippet does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                }

                return image.ToArray();
            }
        }
    }
}
