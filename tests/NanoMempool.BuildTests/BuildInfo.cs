// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Linq;
using System.Reflection;

namespace NanoMempool.BuildTests
{
    /// <summary>Paths baked in at build time by the csproj (AssemblyMetadata).</summary>
    internal static class BuildInfo
    {
        public static string NanoMscorlib => Get("NanoMscorlib");

        public static string RepositoryRoot => Get("RepositoryRoot");

        private static string Get(string key) =>
            typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException(key + " not set");
    }
}
