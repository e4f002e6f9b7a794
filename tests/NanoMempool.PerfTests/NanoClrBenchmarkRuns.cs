// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;

namespace NanoMempool.PerfTests
{
    /// <summary>
    /// The dry runs of the two nanoCLR benchmarks, one after the other: both build the library through
    /// benchmarks/NanoMempool.DeviceBenchmarks/Library, whose obj/ two builds at once would share.
    /// </summary>
    [CollectionDefinition(Name)]
    public class NanoClrBenchmarkRuns
    {
        /// <summary>The collection's name.</summary>
        public const string Name = "nanoCLR benchmark dry runs";
    }
}
