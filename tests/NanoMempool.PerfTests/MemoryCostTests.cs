// Licensed under the MIT License. See LICENSE in the repository root.

using NanoMempool.Benchmarks;
using Xunit;

namespace NanoMempool.PerfTests
{
    /// <summary>
    /// Host memory of a pool beyond its buffers (exact, from GC.GetAllocatedBytesForCurrentThread). The bounds
    /// are today's figures plus a margin (docs/performance.md): a new per-block object or array pushes the
    /// per-block figure over, a new per-pool structure the fixed one.
    /// </summary>
    public class MemoryCostTests
    {
        [Fact]
        public void BookkeepingPerBlockStaysSmallAndConstant()
        {
            MemoryCost.Row small = MemoryCost.Measure(64, 4096);
            MemoryCost.Row large = MemoryCost.Measure(4096, 4096);

            // Per block: Block object + byte[] header + one _blocks slot. Independent of the block size.
            Assert.InRange(small.BookkeepingPerBlock, 32.0, 128.0);
            Assert.InRange(large.BookkeepingPerBlock - small.BookkeepingPerBlock, -1.0, 1.0);
        }

        [Fact]
        public void FixedCostOfAPoolIsBounded()
        {
            MemoryCost.Row one = MemoryCost.Measure(64, 1);
            MemoryCost.Row many = MemoryCost.Measure(64, 4096);
            double fixedBytes = one.BookkeepingBytes - many.BookkeepingPerBlock;
            Assert.InRange(fixedBytes, 1.0, 2048.0);
        }
    }
}
