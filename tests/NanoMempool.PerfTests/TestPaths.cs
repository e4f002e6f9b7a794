// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO;
using System.Linq;
using System.Reflection;

namespace NanoMempool.PerfTests
{
    /// <summary>Paths baked in at build time (see the csproj).</summary>
    internal static class TestPaths
    {
        internal static string RepoRoot => Metadata("RepoRoot");

        /// <summary>nanoFramework mscorlib 1.17.11 from the NuGet package folder.</summary>
        internal static string NanoMscorlib
        {
            get
            {
                string path = Metadata("NanoMscorlib");
                return File.Exists(path) ? path : NanoMempool.IlCost.CostAnalyzer.DefaultMscorlibPath();
            }
        }

        /// <summary>The Release nano compile of the library, built by the project reference.</summary>
        internal static string NanoDll => Path.Combine(RepoRoot, "build", "nano", "NanoMempool", "bin", "Release", "NanoMempool.dll");

        internal static string LibrarySources => Path.Combine(RepoRoot, "NanoMempool");

        private static string Metadata(string key)
        {
            return typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value;
        }
    }
}
