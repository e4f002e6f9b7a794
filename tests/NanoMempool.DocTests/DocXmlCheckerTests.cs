// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NanoMempool.DocTests
{
    /// <summary>
    /// <see cref="DocXmlChecker"/> on planted code compiled here with its XML docs: it finds each kind of problem, on
    /// exactly the planted members, and nothing in clean code.
    /// </summary>
    public class DocXmlCheckerTests
    {
        private const string Planted = @"
namespace Planted
{
    /// <summary>First part.</summary>
    public partial class TwoSummaries { }

    /// <summary>Second part, with an invariant only maintainers need.</summary>
    public partial class TwoSummaries { }

    /// <summary>An internal helper.</summary>
    internal static class InternalType
    {
        /// <summary>Internal too.</summary>
        public static void InsideInternal() { }
    }

    /// <summary>A clean public type.</summary>
    public sealed class Clean
    {
        /// <summary>Private state, documented by mistake.</summary>
        private int _state;

        /// <summary>An internal member.</summary>
        internal void InternalMember() { }

        /// <summary>Protected in a sealed type: no user can see it.</summary>
        protected void ProtectedInSealed() { }

        /// <summary>Any context, never waits.</summary>
        public int Value { get { return _state; } }

        /// <summary>Threads only.</summary>
        /// <param name=""x"">A number.</param>
        public void Use(int x) { _state = x; }
    }

    /// <summary>A public base type.</summary>
    public class Base
    {
        /// <summary>Visible to derived types.</summary>
        protected void ForDerived() { }

        public void Undocumented() { }

        public int UndocumentedProperty { get; set; }

        /// <summary>   </summary>
        public event System.EventHandler EmptySummary;

        /// <remarks>Remarks, but no summary.</remarks>
        public Base() { EmptySummary = null; }
    }

    /// <summary>Kinds.</summary>
    public enum Kind
    {
        /// <summary>One.</summary>
        One,
        Two,
    }
}";

        private const string CleanSource = @"
namespace Planted
{
    /// <summary>Clean.</summary>
    public sealed class Clean
    {
        // Maintainer notes live in comments like this one, not in the XML.
        private int _state;

        /// <summary>Any context, never waits.</summary>
        public int Value { get { return _state; } }

        /// <summary>Threads only.</summary>
        public Clean() { _state = 1; }
    }

    /// <summary>Kinds.</summary>
    public enum Kind
    {
        /// <summary>One.</summary>
        One,
    }
}";

        [Fact]
        public void FindsASecondSummary_ForAPartialType()
        {
            List<string> findings = Check(Planted);
            Assert.Equal(
                new[] { "second summary: T:Planted.TwoSummaries has 2 <summary> elements in 1 <member> entries (IntelliSense shows one; partial declarations each add theirs)" },
                Of(findings, DocXmlChecker.SecondSummary));
        }

        [Fact]
        public void FindsEveryNonPublicMember_PrivateInternalAndInsideInternal()
        {
            List<string> findings = Check(Planted);
            Assert.Equal(
                new[]
                {
                    "non-public member: F:Planted.Clean._state is private, not visible to users, yet in the shipped docs",
                    "non-public member: M:Planted.Clean.InternalMember is internal, not visible to users, yet in the shipped docs",
                    "non-public member: M:Planted.Clean.ProtectedInSealed is protected in a sealed type, not visible to users, yet in the shipped docs",
                    "non-public member: M:Planted.InternalType.InsideInternal is in the internal InternalType, not visible to users, yet in the shipped docs",
                    "non-public member: T:Planted.InternalType is internal, not visible to users, yet in the shipped docs",
                },
                Of(findings, DocXmlChecker.NonPublic).OrderBy(f => f, StringComparer.Ordinal));
        }

        [Fact]
        public void FindsEveryPublicMemberWithoutASummary()
        {
            List<string> findings = Check(Planted);
            Assert.Equal(
                new[]
                {
                    "no summary: E:Planted.Base.EmptySummary is public and has no <summary>",
                    "no summary: F:Planted.Kind.Two is public and has no <summary>",
                    "no summary: M:Planted.Base.#ctor is public and has no <summary>",
                    "no summary: M:Planted.Base.Undocumented is public and has no <summary>",
                    "no summary: P:Planted.Base.UndocumentedProperty is public and has no <summary>",
                },
                Of(findings, DocXmlChecker.NoSummary));

            // Protected members of an unsealed public type are visible (and documented here).
            Assert.DoesNotContain(findings, f => f.Contains("ForDerived", StringComparison.Ordinal));
        }

        [Fact]
        public void FindsNothing_InCleanCode()
        {
            Assert.Empty(Check(CleanSource));
        }

        [Fact]
        public void FindsAnEntryForAMemberThatDoesNotExist()
        {
            Compilation compilation = DocXmlChecker.CompileForSymbols("Planted", new[] { CleanSource }, new[] { TestPaths.NanoMscorlib });
            XDocument docs = Docs(compilation);
            docs.Root.Element("members").Add(new XElement("member", new XAttribute("name", "M:Planted.Clean.Gone"), new XElement("summary", "Stale.")));
            Assert.Equal(
                new[] { "unknown member: M:Planted.Clean.Gone is documented but declares nothing in the compilation" },
                DocXmlChecker.Check(docs, compilation));
        }

        private static List<string> Check(string source)
        {
            Compilation compilation = DocXmlChecker.CompileForSymbols("Planted", new[] { source }, new[] { TestPaths.NanoMscorlib });
            return DocXmlChecker.Check(Docs(compilation), compilation);
        }

        private static XDocument Docs(Compilation compilation)
        {
            using (MemoryStream image = new MemoryStream())
            using (MemoryStream xml = new MemoryStream())
            {
                var result = compilation.Emit(image, xmlDocumentationStream: xml);
                Assert.True(result.Success, string.Join("\n", result.Diagnostics));
                xml.Position = 0;
                return XDocument.Load(xml);
            }
        }

        private static string[] Of(IEnumerable<string> findings, string kind)
        {
            return findings.Where(f => f.StartsWith(kind + ": ", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        }
    }
}
