// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using NanoMempool;

namespace RamProbe
{
    /// <summary>
    /// Prints "pool BLOCKSIZE COUNT BYTES" and "queue CAPACITY BYTES" lines: the managed heap each construction takes,
    /// the smallest of three readings (another allocation in between can only add), then "done".
    /// </summary>
    public static class Program
    {
        private static readonly int[] s_blockSizes = { 1, 16, 17, 28, 29, 64, 65, 100, 1024 };
        private static readonly int[] s_blockCounts = { 1, 2, 3, 7, 24, 100 };
        private static readonly int[] s_queueCapacities = { 1, 2, 3, 4, 5, 6, 7, 8, 15, 20, 23, 100, 256 };

        private static object s_kept;

        public static void Main()
        {
            // The first construction of each type pays one-time costs (type setup): outside the measurement.
            s_kept = new BlockPool(64, 1);
            s_kept = new BlockQueue(1);
            s_kept = null;

            foreach (int size in s_blockSizes)
            {
                foreach (int count in s_blockCounts)
                {
                    Console.WriteLine("pool " + size + " " + count + " " + Cost(size, count));
                }
            }

            foreach (int capacity in s_queueCapacities)
            {
                Console.WriteLine("queue " + capacity + " " + Cost(0, capacity));
            }

            Console.WriteLine("done");
        }

        // blockSize 0: a BlockQueue(count); else a BlockPool(blockSize, count).
        private static long Cost(int blockSize, int count)
        {
            long least = long.MaxValue;
            for (int i = 0; i < 3; i++)
            {
                FreeBytes();
                long before = FreeBytes();
                s_kept = blockSize == 0 ? (object)new BlockQueue(count) : new BlockPool(blockSize, count);
                long after = FreeBytes();
                s_kept = null;
                if (before - after < least)
                {
                    least = before - after;
                }
            }

            return least;
        }

        private static long FreeBytes()
        {
            return nanoFramework.Runtime.Native.GC.Run(false);
        }
    }
}
