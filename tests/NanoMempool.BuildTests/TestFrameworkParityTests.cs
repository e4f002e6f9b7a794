// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NanoMempool.BuildTests
{
    /// <summary>
    /// The device test files compile against two copies of the nanoFramework.TestFramework API: the
    /// compile-only surface (build/surfaces, nano mscorlib) and the host implementation that runs them
    /// (tests/NanoMempool.Tests.Host/TestFramework). Both must declare exactly the same public members
    /// with the same parameter names, defaults and [CallerArgumentExpression]s, or a test could bind
    /// differently (or only compile) on one side.
    /// </summary>
    public class TestFrameworkParityTests
    {
        private static readonly SymbolDisplayFormat Format = new SymbolDisplayFormat(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType
                | SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeModifiers,
            parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
                | SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        [Fact]
        public void SurfaceAndHostImplementationDeclareTheSameApi()
        {
            var surface = PublicApi(
                Path.Combine(BuildInfo.RepositoryRoot, "build", "surfaces", "nanoFramework.TestFramework"),
                new[] { MetadataReference.CreateFromFile(BuildInfo.NanoMscorlib) });
            var host = PublicApi(
                Path.Combine(BuildInfo.RepositoryRoot, "tests", "NanoMempool.Tests.Host", "TestFramework"),
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });

            Assert.Contains("static void nanoFramework.TestFramework.Assert.AreEqual(int expected, int actual, [CallerArgumentExpression] string message = \"\")", surface);
            Assert.True(
                surface.SetEquals(host),
                "surface and host TestFramework differ."
                + " Only in the surface: " + string.Join("; ", surface.Except(host))
                + " Only in the host: " + string.Join("; ", host.Except(surface)));
        }

        private static HashSet<string> PublicApi(string folder, IEnumerable<MetadataReference> references)
        {
            var parse = new CSharpParseOptions(LanguageVersion.Latest);
            var trees = Directory.EnumerateFiles(folder, "*.cs").Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f));
            var compilation = CSharpCompilation.Create("Api", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var ns = compilation.GlobalNamespace.GetNamespaceMembers().Single(n => n.Name == "nanoFramework").GetNamespaceMembers().Single(n => n.Name == "TestFramework");
            var api = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in ns.GetTypeMembers().Where(t => t.DeclaredAccessibility == Accessibility.Public))
            {
                api.Add("type " + type.ToDisplayString(Format) + " : " + type.BaseType?.ToDisplayString(Format) + (type.IsSealed ? " sealed" : "") + (type.IsStatic ? " static" : ""));
                foreach (var member in type.GetMembers().Where(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsImplicitlyDeclared))
                {
                    var text = member.ToDisplayString(Format);
                    if (member is IMethodSymbol method)
                    {
                        foreach (var p in method.Parameters.Where(p => p.GetAttributes().Any()))
                        {
                            var attributes = "[" + string.Join(", ", p.GetAttributes().Select(a => a.AttributeClass!.Name.Replace("Attribute", ""))) + "] ";
                            var at = text.IndexOf(p.Type.ToDisplayString(Format) + " " + p.Name, StringComparison.Ordinal);
                            text = text.Insert(at, attributes);
                        }
                    }

                    api.Add(text);
                }
            }

            return api;
        }
    }
}
