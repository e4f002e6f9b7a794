// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// The models' "C#:" references (the statement each model step stands for) against NanoMempool/*.cs, both ways
    /// (rules: <see cref="CSharpReferences"/> and the top of each model): every reference names a member that exists,
    /// in any file, and contains the quoted code; every member with a "// Model:" tag for a model is named by that
    /// model. The planted cases show that each kind of error is reported and that moving a member to another file, or
    /// re-spacing and re-commenting its code, is not one. No spin run: reads the files only.
    /// </summary>
    public sealed class CSharpReferenceTests
    {
        private const string Source = @"
namespace NanoMempool
{
    public sealed partial class Pool
    {
        private int _word;

        /// <summary>Doc.</summary>
        public Pool(int size)
        {
            _word = size;
        }

        private void Raise()
        {
            int word = _word;
            while (true)
            {
                // Model: model/m.pml [Alert.raise]
                if (System.Threading.Interlocked.CompareExchange(ref _word, word | 1, word) == word)
                {
                    return;
                }

                word = _word;
            }
        }

        private int Count(int keep) { return _word - keep; }

        private int Count() { return _word; }
    }
}
";

        private const string Model = @"
/* C#: Pool.Raise: int word = _word;  (commentary) */
/* [Alert.raise] C#: Pool.Raise: if (System.Threading.Interlocked.CompareExchange(ref _word, word | 1, word) == word) */
/* C#: Pool.Raise: while (true) { ... word = _word; */
/* C#: Pool.Count: return _word;   C#: Pool.Count: return _word - keep; */
/* C#: Pool.Pool, Pool._word: _word */
/* C#: Pool.Count (both overloads) */
";

        public static IEnumerable<object[]> Models()
        {
            yield return new object[] { "nanomempool.pml" };
            yield return new object[] { "blockqueue.pml" };
        }

        [Theory]
        [MemberData(nameof(Models))]
        public void EveryCSharpReference_IsInTheLibrary_AndEveryTaggedMemberIsReferenced(string model)
        {
            string modelPath = SpinRunner.FindModel(model);
            CSharpReferences.Library library = CSharpReferences.Library.Read(LibraryFolder(modelPath));
            string text = File.ReadAllText(modelPath);

            List<CSharpReferences.Reference> references = CSharpReferences.ReadModel(text);
            Assert.True(references.Count(r => r.Quote != null) >= 20, "model/" + model + ": fewer than 20 quoting \"C#:\" references");
            Assert.True(library.Tagged.ContainsKey(model), "no \"// Model: model/" + model + "\" tag in NanoMempool/*.cs");

            List<string> problems = CSharpReferences.Check(model, text, library);
            Assert.True(problems.Count == 0, problems.Count + " problem(s) with the \"C#:\" references of model/" + model + ":\n" + string.Join("\n", problems));
        }

        [Fact]
        public void Planted_CleanModel_HasNoProblem()
        {
            Assert.Empty(Check(Model, Source));
            Assert.Equal(7, CSharpReferences.ReadModel(Model).Count);
        }

        [Fact]
        public void Planted_UnknownMember_IsReported()
        {
            List<string> problems = Check(Model + "/* C#: Pool.Lower: int word = _word; */\n", Source);
            Assert.Equal("model/m.pml:8: Pool.Lower is not a member of any type in NanoMempool/*.cs: C#: Pool.Lower: int word = _word; */", Assert.Single(problems));
        }

        [Fact]
        public void Planted_UnknownType_IsReported()
        {
            List<string> problems = Check(Model + "/* C#: Pol.Raise */\n", Source);
            Assert.Contains("Pol.Raise is not a member", Assert.Single(problems));
        }

        [Fact]
        public void Planted_QuoteNotInTheMember_IsReported()
        {
            // One token differs (a stale statement), and a statement of another member.
            List<string> problems = Check(Model + "/* C#: Pool.Raise: int word = _word + 1; */\n/* C#: Pool.Raise: return _word - keep; */\n", Source);
            Assert.Equal(2, problems.Count);
            Assert.Equal("model/m.pml:8: Pool.Raise does not contain the quoted code: int word = _word + 1;", problems[0]);
            Assert.Equal("model/m.pml:9: Pool.Raise does not contain the quoted code: return _word - keep;", problems[1]);
        }

        [Fact]
        public void Planted_PiecesOutOfOrder_AreReported()
        {
            List<string> problems = Check(Model + "/* C#: Pool.Raise: word = _word; ... int word = _word; */\n", Source);
            Assert.Equal("model/m.pml:8: Pool.Raise does not contain the quoted code (from \"int word = _word;\" on): word = _word; ... int word = _word;", Assert.Single(problems));
        }

        [Fact]
        public void Planted_OneOfSeveralMembersWithoutTheQuote_IsReported()
        {
            List<string> problems = Check(Model + "/* C#: Pool.Raise, Pool.Count: int word = _word; */\n", Source);
            Assert.StartsWith("model/m.pml:8: Pool.Count does not contain the quoted code", Assert.Single(problems));
        }

        [Fact]
        public void Planted_MalformedReferences_AreReported()
        {
            List<string> problems = Check(Model + "/* C#: word = _word; */\n/* the C#: prose */\n/* C#: Pool.Raise: */\n", Source);
            Assert.Equal(3, problems.Count);
            Assert.StartsWith("model/m.pml:8: \"C#:\" must be followed by Type.Member", problems[0]);
            Assert.StartsWith("model/m.pml:9: \"C#:\" must be followed by Type.Member", problems[1]);
            Assert.StartsWith("model/m.pml:10: \"Pool.Raise:\" is followed by no code", problems[2]);
        }

        [Fact]
        public void Planted_TaggedMemberNamedByNoReference_IsReported()
        {
            string model = string.Join("\n", Model.Split('\n').Where(line => !line.Contains("Pool.Raise")));
            Assert.Equal(
                "NanoMempool/: Pool.Raise carries a \"// Model: model/m.pml\" tag, but no \"C#:\" reference in model/m.pml names it",
                Assert.Single(Check(model, Source)));
        }

        [Fact]
        public void Planted_CommentedOutCode_DoesNotCount()
        {
            string source = Source.Replace("int word = _word;", "int word = 0; // int word = _word;");
            Assert.Contains(Check(Model, source), p => p.StartsWith("model/m.pml:2: Pool.Raise does not contain the quoted code"));
        }

        [Fact]
        public void Planted_RespacedRecommentedCode_StillMatches()
        {
            string source = Source
                .Replace("if (System.Threading.Interlocked.CompareExchange(ref _word, word | 1, word) == word)", "if (System.Threading.Interlocked.CompareExchange(\n ref _word, /* the alert */ word|1,\n word)==word)")
                .Replace("// Model: model/m.pml [Alert.raise]", "// Model: model/m.pml [Alert.raise] (moved)");
            Assert.Empty(Check(Model, source));
        }

        /// <summary>
        /// Moving a member to a file of its own (a partial declaration) changes nothing in what the real model's check
        /// reports; removing it is reported.
        /// </summary>
        [Fact]
        public void Planted_MemberMovedToAnotherFile_StillMatchesTheRealModel()
        {
            string modelPath = SpinRunner.FindModel("nanomempool.pml");
            List<string> sources = Directory.GetFiles(LibraryFolder(modelPath), "*.cs").Select(File.ReadAllText).ToList();
            int index = sources.FindIndex(s => s.Contains("void RaiseAlert()"));
            Assert.True(index >= 0, "BlockPool.RaiseAlert not found");
            SyntaxNode root = CSharpSyntaxTree.ParseText(sources[index]).GetRoot();
            MethodDeclarationSyntax method = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "RaiseAlert");
            sources[index] = root.RemoveNode(method, SyntaxRemoveOptions.KeepNoTrivia).ToFullString();
            sources.Add("namespace NanoMempool\n{\n    using System.Threading;\n\n    public sealed partial class BlockPool\n    {\n" + method.ToFullString() + "    }\n}\n");

            // The same problems as before the move (none, while the model is in step with the C#).
            string model = File.ReadAllText(modelPath);
            List<string> before = CSharpReferences.Check("nanomempool.pml", model, CSharpReferences.Library.Read(LibraryFolder(modelPath)));
            CSharpReferences.Library moved = CSharpReferences.Library.Parse(sources);
            Assert.Equal(string.Join("\n", before), string.Join("\n", CSharpReferences.Check("nanomempool.pml", model, moved)));

            // Without the new file the member is gone, and the model says so.
            sources.RemoveAt(sources.Count - 1);
            Assert.Contains(
                CSharpReferences.Check("nanomempool.pml", model, CSharpReferences.Library.Parse(sources)),
                p => p.Contains("BlockPool.RaiseAlert is not a member"));
        }

        private static List<string> Check(string model, string source)
        {
            return CSharpReferences.Check("m.pml", model, CSharpReferences.Library.Parse(new[] { source }));
        }

        private static string LibraryFolder(string modelPath)
        {
            string folder = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(modelPath)), "NanoMempool");
            Assert.True(Directory.Exists(folder), "NanoMempool/ not found beside model/: " + folder);
            return folder;
        }
    }
}
