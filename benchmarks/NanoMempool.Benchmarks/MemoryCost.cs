// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// Host measurement of a pool's memory: bytes allocated by <c>new BlockPool(size, n)</c> on this thread
    /// (GC.GetAllocatedBytesForCurrentThread, exact), minus the n * size bytes of payload. Run with
    /// <c>-- --memory</c>; the PerfTests check the per-block figure.
    /// </summary>
    public static class MemoryCost
    {
        /// <summary>One measurement.</summary>
        public sealed class Row
        {
            public int BlockSize;
            public int Blocks;
            public long AllocatedBytes;
            public long BookkeepingBytes;
            public double BookkeepingPerBlock;
            public double ConstructMicroseconds;
        }

        /// <summary>Measures one pool shape: allocated bytes (exact) and the median construction time of 9 runs.</summary>
        public static Row Measure(int blockSize, int blocks)
        {
            // Warm up: JIT and first-use allocations (type handles, statics) must not be counted.
            new BlockPool(blockSize, blocks).Dispose();

            long before = GC.GetAllocatedBytesForCurrentThread();
            BlockPool pool = new BlockPool(blockSize, blocks);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(pool);

            double[] times = new double[9];
            for (int i = 0; i < times.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                BlockPool timed = new BlockPool(blockSize, blocks);
                long end = Stopwatch.GetTimestamp();
                GC.KeepAlive(timed);
                times[i] = (end - start) * 1e6 / Stopwatch.Frequency;
            }

            Array.Sort(times);
            Row row = new Row();
            row.BlockSize = blockSize;
            row.Blocks = blocks;
            row.AllocatedBytes = allocated;
            row.BookkeepingBytes = allocated - ((long)blocks * blockSize);
            row.BookkeepingPerBlock = (double)row.BookkeepingBytes / blocks;
            row.ConstructMicroseconds = times[times.Length / 2];
            return row;
        }

        /// <summary>The table printed by <c>--memory</c> (Markdown).</summary>
        public static string Table()
        {
            StringBuilder text = new StringBuilder();
            text.AppendLine("| block size | blocks | allocated by ctor (B) | beyond n*size (B) | per block (B) | ctor median (us) |");
            text.AppendLine("|---:|---:|---:|---:|---:|---:|");
            int[] sizes = { 64, 4096 };
            int[] counts = { 1, 16, 256, 4096 };
            foreach (int size in sizes)
            {
                foreach (int count in counts)
                {
                    Row row = Measure(size, count);
                    text.AppendLine(string.Format(
                        CultureInfo.InvariantCulture,
                        "| {0} | {1} | {2} | {3} | {4:F1} | {5:F1} |",
                        row.BlockSize,
                        row.Blocks,
                        row.AllocatedBytes,
                        row.BookkeepingBytes,
                        row.BookkeepingPerBlock,
                        row.ConstructMicroseconds));
                }
            }

            return text.ToString();
        }
    }
}
