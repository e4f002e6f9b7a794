// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NanoMempool.PerfTests
{
    /// <summary>Compiles C# 7.3 sources in memory against nanoFramework's mscorlib alone (like the nano build).</summary>
    internal static class NanoCompiler
    {
        internal static byte[] Compile(string assemblyName, IEnumerable<string> sources)
        {
            CSharpParseOptions parse = new CSharpParseOptions(LanguageVersion.CSharp7_3);
            List<SyntaxTree> trees = sources.Select(text => CSharpSyntaxTree.ParseText(text, parse)).ToList();
            CSharpCompilation compilation = CSharpCompilation.Create(
                assemblyName,
                trees,
                new[] { MetadataReference.CreateFromFile(TestPaths.NanoMscorlib) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
            using (MemoryStream image = new MemoryStream())
            {
                var result = compilation.Emit(image);
                if (!result.Success)
                {
                    throw new InvalidOperationException("Compile failed:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                }

                return image.ToArray();
            }
        }

        /// <summary>Every NanoMempool/**/*.cs, with optional text replacements (for mutation tests).</summary>
        internal static byte[] CompileLibrary(Func<string, string, string> mutate)
        {
            IEnumerable<string> sources = Directory
                .EnumerateFiles(TestPaths.LibrarySources, "*.cs", SearchOption.AllDirectories)
                .Where(path => !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .OrderBy(path => path, StringComparer.Ordinal)
                .Select(path => mutate(Path.GetFileName(path), File.ReadAllText(path)));
            return Compile("NanoMempool", sources);
        }
    }
}
