// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// Construction cost: <c>new BlockPool(size, n)</c> against allocating the same n buffers in a plain
    /// byte[][] (the baseline). Allocated(BlockPool) - Allocated(baseline) is the pool's bookkeeping beyond
    /// bare buffers; docs/performance.md divides it by n.
    /// </summary>
    public class ConstructionBenchmarks
    {
        [Params(64, 4096)]
        public int BlockSize { get; set; }

        [Params(16, 256)]
        public int Blocks { get; set; }

        [Benchmark(Description = "new BlockPool(size, n)")]
        public BlockPool Construct()
        {
            return new BlockPool(BlockSize, Blocks);
        }

        [Benchmark(Baseline = true, Description = "n buffers in a byte[][] (baseline)")]
        public byte[][] BuffersOnly()
        {
            byte[][] buffers = new byte[Blocks][];
            for (int i = 0; i < buffers.Length; i++)
            {
                buffers[i] = new byte[BlockSize];
            }

            return buffers;
        }
    }
}
