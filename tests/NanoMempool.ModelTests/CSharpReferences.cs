// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// Checks the "C#:" references of a Promela model against the library's sources, both ways. The rules (also at the
    /// top of each model):
    /// <list type="bullet">
    /// <item>Every "C#:" in a model is a reference: <c>C#: Type.Member: quote</c>, or <c>C#: Type.Member</c> alone (the
    /// member named, nothing quoted; what follows is prose). Several members may share one quote:
    /// <c>C#: A.M, B.N: quote</c> (each must contain it; a comma continues the list only before another Type.Member). Type is the simple name of a class, struct or interface declared in NanoMempool/*.cs, in any file
    /// (partial declarations count together, nested types by their own name); Member is the name of one of its
    /// members: a method (every overload counts), constructor (named like its type), property, indexer
    /// (<c>this</c>), field, constant or event.</item>
    /// <item>The quote runs from after "Member: " to the first of: the end of the line, "*/", or two spaces in a row
    /// (what follows is the model's commentary). "..." in a quote stands for code left out: it splits the quote into
    /// pieces.</item>
    /// <item>A quote matches when its pieces, read as C# tokens (so spacing and line breaks do not matter, and the
    /// C#'s comments are skipped), occur in one declaration of the member as runs of consecutive tokens, in the
    /// quote's order, each after the previous one. Every token of the quote must match, except braces, which are
    /// left out on both sides (layout: the models write "if (x) return;" for the C#'s "if (x) { return; }"); nothing
    /// else is abbreviated except through "...".</item>
    /// <item>The other way: every member of NanoMempool/*.cs that carries a "// Model: model/FILE [Tag.step]" comment
    /// is named by at least one reference in model/FILE.</item>
    /// </list>
    /// </summary>
    internal static class CSharpReferences
    {
        private static readonly Regex ModelTag = new Regex(@"//\s*Model:\s*model/(?<file>[a-z]+\.pml)");
        private static readonly Regex Target = new Regex(@"\G(?<type>[A-Za-z_][A-Za-z0-9_]*)\.(?<member>[A-Za-z_][A-Za-z0-9_]*)");

        /// <summary>The members of the library: their tokens, and which models their "// Model:" tags name.</summary>
        internal sealed class Library
        {
            /// <summary>"Type.Member" -> the tokens of each declaration (overloads, partial declarations).</summary>
            internal readonly Dictionary<string, List<string[]>> Members = new Dictionary<string, List<string[]>>();

            /// <summary>model file name -> the members ("Type.Member") whose code carries a "// Model:" tag for it.</summary>
            internal readonly Dictionary<string, SortedSet<string>> Tagged = new Dictionary<string, SortedSet<string>>();

            internal static Library Read(string folder)
            {
                return Parse(Directory.GetFiles(folder, "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText));
            }

            internal static Library Parse(IEnumerable<string> sources)
            {
                Library library = new Library();
                CSharpParseOptions options = new CSharpParseOptions(LanguageVersion.CSharp7_3);
                foreach (string source in sources)
                {
                    SyntaxNode root = CSharpSyntaxTree.ParseText(source, options).GetRoot();
                    foreach (TypeDeclarationSyntax type in root.DescendantNodes().OfType<TypeDeclarationSyntax>())
                    {
                        foreach (MemberDeclarationSyntax member in type.Members)
                        {
                            foreach (string name in NamesOf(member))
                            {
                                library.Add(type.Identifier.Text + "." + name, member);
                            }
                        }
                    }
                }

                return library;
            }

            private void Add(string key, MemberDeclarationSyntax member)
            {
                List<string[]> declarations;
                if (!Members.TryGetValue(key, out declarations))
                {
                    declarations = new List<string[]>();
                    Members.Add(key, declarations);
                }

                declarations.Add(Significant(member.DescendantTokens()));
                foreach (SyntaxTrivia trivia in member.DescendantTrivia())
                {
                    if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
                    {
                        Match tag = ModelTag.Match(trivia.ToString());
                        if (tag.Success)
                        {
                            SortedSet<string> members;
                            if (!Tagged.TryGetValue(tag.Groups["file"].Value, out members))
                            {
                                members = new SortedSet<string>(StringComparer.Ordinal);
                                Tagged.Add(tag.Groups["file"].Value, members);
                            }

                            members.Add(key);
                        }
                    }
                }
            }

            private static IEnumerable<string> NamesOf(MemberDeclarationSyntax member)
            {
                switch (member)
                {
                    case MethodDeclarationSyntax method:
                        return new[] { method.Identifier.Text };
                    case ConstructorDeclarationSyntax constructor:
                        return new[] { constructor.Identifier.Text };
                    case PropertyDeclarationSyntax property:
                        return new[] { property.Identifier.Text };
                    case IndexerDeclarationSyntax _:
                        return new[] { "this" };
                    case EventDeclarationSyntax e:
                        return new[] { e.Identifier.Text };
                    case BaseFieldDeclarationSyntax field:
                        return field.Declaration.Variables.Select(v => v.Identifier.Text);
                    default:
                        return Enumerable.Empty<string>();
                }
            }
        }

        /// <summary>One "C#:" of a model.</summary>
        internal sealed class Reference
        {
            internal int Line;
            internal string Text;
            internal string[] Targets;

            /// <summary>The quoted code, or null for a reference that only names its members.</summary>
            internal string Quote;

            /// <summary>Why the reference could not be read, or null.</summary>
            internal string Malformed;
        }

        /// <summary>Every "C#:" of a model, in order.</summary>
        internal static List<Reference> ReadModel(string modelText)
        {
            List<Reference> references = new List<Reference>();
            string[] lines = modelText.Replace("\r\n", "\n").Split('\n');
            for (int n = 0; n < lines.Length; n++)
            {
                string line = lines[n];
                int at = 0;
                while ((at = line.IndexOf("C#:", at, StringComparison.Ordinal)) >= 0)
                {
                    at += 3;
                    references.Add(Read(line, at, n + 1));
                }
            }

            return references;
        }

        private static Reference Read(string line, int at, int lineNumber)
        {
            Reference reference = new Reference { Line = lineNumber, Text = line.Substring(at - 3).Trim() };
            int i = at;
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            List<string> targets = new List<string>();
            while (true)
            {
                Match target = Target.Match(line, i);
                if (!target.Success)
                {
                    reference.Malformed = "\"C#:\" must be followed by Type.Member (\"C#: Type.Member: code\" or \"C#: Type.Member\")";
                    return reference;
                }

                targets.Add(target.Value);
                i += target.Length;
                if (i + 1 < line.Length && line[i] == ',' && line[i + 1] == ' ' && Target.Match(line, i + 2).Success)
                {
                    i += 2;
                    continue;
                }

                break;
            }

            reference.Targets = targets.ToArray();
            if (i < line.Length && line[i] == ':')
            {
                int start = i + 1;
                int end = line.Length;
                int close = line.IndexOf("*/", start, StringComparison.Ordinal);
                if (close >= 0)
                {
                    end = close;
                }

                int gap = line.IndexOf("  ", start + 1, StringComparison.Ordinal);
                if (gap >= 0 && gap < end)
                {
                    end = gap;
                }

                reference.Quote = line.Substring(start, end - start).Trim();
                if (reference.Quote.Length == 0)
                {
                    reference.Malformed = "\"" + string.Join(", ", targets) + ":\" is followed by no code";
                }
            }

            return reference;
        }

        /// <summary>
        /// Every problem of model <paramref name="modelName"/> (e.g. "nanomempool.pml") against the library, one line
        /// each, "model/FILE:LINE: ..." for a reference, "NanoMempool/: ..." for a member no reference names.
        /// </summary>
        internal static List<string> Check(string modelName, string modelText, Library library)
        {
            List<string> problems = new List<string>();
            List<Reference> references = ReadModel(modelText);
            HashSet<string> named = new HashSet<string>(StringComparer.Ordinal);
            foreach (Reference reference in references)
            {
                string where = "model/" + modelName + ":" + reference.Line + ": ";
                if (reference.Malformed != null)
                {
                    problems.Add(where + reference.Malformed + ": " + reference.Text);
                    continue;
                }

                foreach (string target in reference.Targets)
                {
                    named.Add(target);
                    List<string[]> declarations;
                    if (!library.Members.TryGetValue(target, out declarations))
                    {
                        problems.Add(where + target + " is not a member of any type in NanoMempool/*.cs: " + reference.Text);
                        continue;
                    }

                    if (reference.Quote == null)
                    {
                        continue;
                    }

                    if (Tokens(reference.Quote.Replace("...", " ")).Length == 0)
                    {
                        problems.Add(where + "the quote after " + target + " has no code to compare (braces and \"...\" alone are not compared): " + reference.Text);
                        continue;
                    }

                    // Matched by any declaration (overload); else reported from the declaration that matched most of
                    // it (the shortest rest: the same whatever order the files are read in).
                    string missing = null;
                    foreach (string[] declaration in declarations)
                    {
                        string rest = FirstMissingPiece(reference.Quote, declaration);
                        if (rest == null)
                        {
                            missing = null;
                            break;
                        }

                        if (missing == null || rest.Length < missing.Length)
                        {
                            missing = rest;
                        }
                    }

                    if (missing != null)
                    {
                        problems.Add(where + target + " does not contain the quoted code"
                            + (missing == reference.Quote ? "" : " (from \"" + missing + "\" on)") + ": " + reference.Quote);
                    }
                }
            }

            SortedSet<string> tagged;
            if (library.Tagged.TryGetValue(modelName, out tagged))
            {
                foreach (string member in tagged)
                {
                    if (!named.Contains(member))
                    {
                        problems.Add("NanoMempool/: " + member + " carries a \"// Model: model/" + modelName
                            + "\" tag, but no \"C#:\" reference in model/" + modelName + " names it");
                    }
                }
            }

            return problems;
        }

        /// <summary>The tokens of a piece of C# that a quote is compared on (<see cref="Significant"/>).</summary>
        internal static string[] Tokens(string code)
        {
            return Significant(SyntaxFactory.ParseTokens(code));
        }

        /// <summary>
        /// The texts of the tokens, without the parser's empty ones (end of file, the omitted size in "Waiter[]") and
        /// with the operators made of '>' and '=' cut into single characters (the parser joins "> >" into a shift
        /// where the lexer, which reads the quotes, does not), and without braces: whether a single statement stands in braces is layout, and the
        /// models quote the C# compactly ("if (x) return;" for the C#'s "if (x) { return; }").
        /// </summary>
        private static string[] Significant(IEnumerable<SyntaxToken> tokens)
        {
            return tokens
                .Where(t => t.Span.Length > 0 && !t.IsKind(SyntaxKind.OpenBraceToken) && !t.IsKind(SyntaxKind.CloseBraceToken))
                .SelectMany(t => t.Text.Trim('>', '=').Length == 0 ? t.Text.Select(c => c.ToString()) : new[] { t.Text })
                .ToArray();
        }

        /// <summary>
        /// Null if every piece of the quote occurs in the declaration's tokens, in order; else the quote from the first
        /// piece that does not.
        /// </summary>
        private static string FirstMissingPiece(string quote, string[] declaration)
        {
            string[] pieces = quote.Split(new[] { "..." }, StringSplitOptions.None);
            int from = 0;
            int consumed = 0;
            foreach (string piece in pieces)
            {
                string[] tokens = Tokens(piece);
                if (tokens.Length > 0)
                {
                    int found = IndexOf(declaration, tokens, from);
                    if (found < 0)
                    {
                        return quote.Substring(consumed).Trim();
                    }

                    from = found + tokens.Length;
                }

                consumed += piece.Length + 3;
            }

            return null;
        }

        private static int IndexOf(string[] haystack, string[] needle, int from)
        {
            for (int i = from; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                {
                    j++;
                }

                if (j == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
