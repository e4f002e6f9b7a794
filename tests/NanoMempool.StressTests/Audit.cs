// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;

namespace NanoMempool.StressTests
{
    /// <summary>The end-of-run audit, once every context has stopped and given back every block.</summary>
    internal static class Audit
    {
        /// <summary>BlockPool.Validate's finding: null when the pool is consistent.</summary>
        internal static string Problem(BlockPool pool)
        {
            string problem;
            return pool.Validate(out problem) ? null : problem ?? "Validate returned false without a problem.";
        }

        /// <summary>
        /// Every block is home and every count adds up: the ledger shows no violation and no holder, Validate is
        /// clean, FreeCount == Capacity, the statistics equal the contexts' own counts, and the pool owns exactly
        /// <paramref name="target"/> blocks (the capacity last asked for: the constructor's block count or the last
        /// Resize), before and after one more single-threaded cycle of every free block. Fixed pools only (with a
        /// backing allocator the reserve is a bound, not an exact count: see <see cref="AllHomeWithReserve"/>).
        /// </summary>
        internal static void AllHomeAndCounted(BlockPool pool, OwnershipLedger ledger, Counts total, int target)
        {
            AllHome(pool, ledger, total, target);
            Assert.Equal(target, pool.Capacity);
            Settle(pool);
            Assert.Equal(target, pool.Capacity);
            Assert.Equal(target, pool.FreeCount);
        }

        /// <summary>
        /// The same with a backing allocator: the reserve's size is <paramref name="target"/>, and with every block
        /// home the pool keeps at most that many (I7; a fill the allocator refused may leave it short).
        /// </summary>
        internal static void AllHomeWithReserve(BlockPool pool, OwnershipLedger ledger, Counts total, int target)
        {
            AllHome(pool, ledger, total, target);
            Assert.InRange(pool.Capacity, 0, target);
            int capacity = pool.Capacity;
            Settle(pool);
            Assert.Equal(capacity, pool.Capacity);
            Assert.Equal(capacity, pool.FreeCount);
        }

        private static void AllHome(BlockPool pool, OwnershipLedger ledger, Counts total, int target)
        {
            Assert.True(ledger.Violations == 0, ledger.Violations + " ownership violations; first: " + ledger.FirstViolation);
            Assert.Equal(0, ledger.HeldCount());
            Assert.Null(Problem(pool));
            Assert.Equal(pool.Capacity, pool.FreeCount);
            Assert.Equal(target, pool.ReserveSize);
            Assert.Equal(0, pool.CopyHeldBlocks(new Block[pool.Capacity + 1]));

            BlockPoolStatistics s = pool.Statistics;
            Assert.Equal(total.Allocations, s.Allocations);
            Assert.Equal(total.Frees, s.Frees);
            Assert.Equal(s.Allocations, s.Frees);
            Assert.Equal(total.FailedTryAllocs, s.FailedTryAllocs);
            Assert.Equal(total.Timeouts, s.Timeouts);
            Assert.InRange(s.Waits, total.TimedOutWaits, total.WaitingCalls);
            Assert.InRange(s.LowestFreeCount, 0, pool.Capacity);
        }

        /// <summary>One more single-threaded cycle of every free block; Validate must stay clean.</summary>
        private static void Settle(BlockPool pool)
        {
            Block[] all = new Block[pool.FreeCount];
            for (int i = 0; i < all.Length; i++)
            {
                Assert.True(pool.TryAlloc(out all[i]));
            }

            foreach (Block block in all)
            {
                pool.Free(block);
            }

            Assert.Null(Problem(pool));
            Assert.Equal(pool.Statistics.Allocations, pool.Statistics.Frees);
        }
    }
}
