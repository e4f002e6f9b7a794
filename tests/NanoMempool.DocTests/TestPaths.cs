// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO;
using System.Linq;
using System.Reflection;

namespace NanoMempool.DocTests
{
    /// <summary>Paths baked in at build time (see the csproj).</summary>
    internal static class TestPaths
    {
        internal static string RepoRoot => Metadata("RepoRoot");

        /// <summary>nanoFramework mscorlib 1.17.11 from the NuGet package folder.</summary>
        internal static string NanoMscorlib => Metadata("NanoMscorlib");

        /// <summary>The Release nano compile of the library and its XML docs, built by the project reference.</summary>
        internal static string NanoDll => Path.Combine(RepoRoot, "build", "nano", "NanoMempool", "bin", "Release", "NanoMempool.dll");

        internal static string NanoXml => Path.ChangeExtension(NanoDll, ".xml");

        /// <summary>The compile-only surfaces of System.Device.Gpio and nanoFramework.Runtime.Events (Release).</summary>
        internal static string[] GpioSurfaces => new[]
        {
            Path.Combine(RepoRoot, "build", "surfaces", "System.Device.Gpio", "bin", "Release", "System.Device.Gpio.dll"),
            Path.Combine(RepoRoot, "build", "surfaces", "nanoFramework.Runtime.Events", "bin", "Release", "nanoFramework.Runtime.Events.dll"),
        };

        internal static string LibrarySources => Path.Combine(RepoRoot, "NanoMempool");

        private static string Metadata(string key)
        {
            return typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value;
        }
    }
}
