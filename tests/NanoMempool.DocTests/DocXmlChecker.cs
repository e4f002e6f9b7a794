// Licensed under the MIT License. See LICENSE in the repository root.
#nullable disable

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NanoMempool.DocTests
{
    /// <summary>
    /// Checks an XML documentation file (what IntelliSense shows) against the compilation it came from: every
    /// documented member is visible outside the assembly (public, or protected in an unsealed public type), no member
    /// has more than one &lt;summary&gt; or more than one entry (partial types repeat theirs), and every visible type
    /// and member has a non-empty summary. Each finding is one line, starting with the kind of problem.
    /// Also linked into tests/NanoMempool.PackageTests, which checks the packed NanoMempool.xml with it.
    /// </summary>
    public static class DocXmlChecker
    {
        public const string SecondSummary = "second summary";
        public const string NonPublic = "non-public member";
        public const string NoSummary = "no summary";
        public const string Unknown = "unknown member";

        /// <summary>The findings, one line each (empty when the file is clean).</summary>
        public static List<string> Check(XDocument docs, Compilation compilation)
        {
            List<string> findings = new List<string>();
            Dictionary<string, ISymbol> visible = VisibleSymbols(compilation);
            List<XElement> members = docs.Descendants("member").ToList();

            foreach (IGrouping<string, XElement> entries in members.GroupBy(m => (string)m.Attribute("name")))
            {
                string id = entries.Key;
                int summaries = entries.Sum(m => m.Elements("summary").Count());
                if (entries.Count() > 1 || summaries > 1)
                {
                    findings.Add(SecondSummary + ": " + id + " has " + summaries + " <summary> elements in " + entries.Count()
                        + " <member> entries (IntelliSense shows one; partial declarations each add theirs)");
                }

                if (!visible.ContainsKey(id))
                {
                    ISymbol symbol = DocumentationCommentId.GetFirstSymbolForDeclarationId(id, compilation);
                    findings.Add(symbol == null
                        ? Unknown + ": " + id + " is documented but declares nothing in the compilation"
                        : NonPublic + ": " + id + " is " + Describe(symbol) + ", not visible to users, yet in the shipped docs");
                }
            }

            Dictionary<string, XElement> byId = members.GroupBy(m => (string)m.Attribute("name")).ToDictionary(g => g.Key, g => g.First());
            foreach (KeyValuePair<string, ISymbol> entry in visible.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                XElement member;
                bool has = byId.TryGetValue(entry.Key, out member)
                    && member.Elements("summary").Any(s => s.Value.Trim().Length > 0 || s.HasElements);
                if (!has)
                {
                    findings.Add(NoSummary + ": " + entry.Key + " is public and has no <summary>");
                }
            }

            return findings;
        }

        /// <summary>The documentation IDs of every type and member a user of the assembly can see.</summary>
        public static Dictionary<string, ISymbol> VisibleSymbols(Compilation compilation)
        {
            Dictionary<string, ISymbol> visible = new Dictionary<string, ISymbol>(StringComparer.Ordinal);
            Stack<INamespaceOrTypeSymbol> pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(compilation.Assembly.GlobalNamespace);
            while (pending.Count > 0)
            {
                INamespaceOrTypeSymbol container = pending.Pop();
                foreach (ISymbol member in container.GetMembers())
                {
                    if (member is INamespaceSymbol ns)
                    {
                        pending.Push(ns);
                        continue;
                    }

                    if (member.IsImplicitlyDeclared || !IsVisible(member))
                    {
                        continue;
                    }

                    if (member is IMethodSymbol method && method.MethodKind != MethodKind.Ordinary && method.MethodKind != MethodKind.Constructor
                        && method.MethodKind != MethodKind.StaticConstructor && method.MethodKind != MethodKind.UserDefinedOperator
                        && method.MethodKind != MethodKind.Conversion)
                    {
                        continue;   // property and event accessors: documented on the property or event
                    }

                    visible[member.GetDocumentationCommentId()] = member;
                    if (member is INamedTypeSymbol type)
                    {
                        pending.Push(type);
                    }
                }
            }

            return visible;
        }

        /// <summary>Compiles the given sources (C# 7.3) against the given references, for their symbols only.</summary>
        public static Compilation CompileForSymbols(string assemblyName, IEnumerable<string> sources, IEnumerable<string> references)
        {
            return CSharpCompilation.Create(
                assemblyName,
                sources.Select(text => CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.CSharp7_3, DocumentationMode.Diagnose))),
                references.Select(path => MetadataReference.CreateFromFile(path)),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        }

        /// <summary>The library's own sources (NanoMempool/**/*.cs), in a stable order.</summary>
        public static IEnumerable<string> LibrarySources(string folder)
        {
            return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(path => !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                    && !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .OrderBy(path => path, StringComparer.Ordinal)
                .Select(File.ReadAllText);
        }

        private static bool IsVisible(ISymbol symbol)
        {
            for (ISymbol s = symbol; s != null && !(s is INamespaceSymbol); s = s.ContainingSymbol)
            {
                switch (s.DeclaredAccessibility)
                {
                    case Accessibility.Public:
                        break;
                    case Accessibility.Protected:
                    case Accessibility.ProtectedOrInternal:
                        if (s.ContainingType == null || s.ContainingType.IsSealed)
                        {
                            return false;
                        }

                        break;
                    default:
                        return false;
                }
            }

            return true;
        }

        private static string Describe(ISymbol symbol)
        {
            for (ISymbol s = symbol; s != null && !(s is INamespaceSymbol); s = s.ContainingSymbol)
            {
                if (s.DeclaredAccessibility != Accessibility.Public && !(s.DeclaredAccessibility == Accessibility.Protected || s.DeclaredAccessibility == Accessibility.ProtectedOrInternal))
                {
                    string access = s.DeclaredAccessibility.ToString().ToLowerInvariant().Replace("protectedandinternal", "private protected");
                    return SymbolEqualityComparer.Default.Equals(s, symbol) ? access : "in the " + access + " " + s.Name;
                }
            }

            return "protected in a sealed type";
        }
    }
}
