// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using NanoMempool;

namespace PackageConsumer
{
    /// <summary>
    /// What a package user does first: take a block without waiting, wait for a block that another thread frees,
    /// free everything, and say so. Any failure throws, which run-nf-app.sh reports as exit status 3.
    /// </summary>
    public static class Program
    {
        private static BlockPool s_pool;
        private static Block s_lent;

        /// <summary>Entry point, run by nanoCLR.</summary>
        public static void Main()
        {
            s_pool = new BlockPool(32, 2);

            Block kept;
            if (!s_pool.TryAlloc(out kept) || !s_pool.TryAlloc(out s_lent))
            {
                throw new InvalidOperationException("TryAlloc failed on a fresh pool of 2 blocks");
            }

            // The pool is empty now: Alloc(int) must wait until the other thread frees s_lent.
            Thread freer = new Thread(FreeOnceMainWaits);
            freer.Start();
            Block waited = s_pool.Alloc(10000);
            if (waited == null)
            {
                throw new InvalidOperationException("Alloc(10000) timed out although a block was freed");
            }

            freer.Join();
            waited.Dispose();
            s_pool.Free(kept);
            if (s_pool.FreeCount != s_pool.Capacity)
            {
                throw new InvalidOperationException("blocks missing after freeing all");
            }

            Console.WriteLine("NanoMempool " + typeof(BlockPool).Assembly.GetName().Version.ToString()
                + ": TryAlloc took a block, Alloc waited " + s_pool.Statistics.Waits.ToString()
                + " time(s) for one freed by another thread, "
                + s_pool.FreeCount.ToString() + "/" + s_pool.Capacity.ToString() + " blocks free at the end");
        }

        // Waits (bounded) until the main thread is counted as waiting, then frees the block it waits for.
        private static void FreeOnceMainWaits()
        {
            for (int i = 0; i < 500 && s_pool.Statistics.Waits == 0; i++)
            {
                Thread.Sleep(10);
            }

            s_pool.Free(s_lent);
        }
    }
}
