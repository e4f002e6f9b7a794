// Licensed under the MIT License. See LICENSE in the repository root.

using System.Reflection;
using Xunit;

namespace NanoMempool.StressTests
{
    /// <summary>The end-of-run audit, once every context has stopped and given back every block.</summary>
    internal static class Audit
    {
        // CheckInvariants is internal and NanoMempool.StressTests is not among the host build's
        // InternalsVisibleTo names (build/host is not ours to edit), so it is called by reflection.
        private static readonly MethodInfo CheckInvariantsMethod =
            typeof(BlockPool).GetMethod("CheckInvariants", BindingFlags.NonPublic | BindingFlags.Instance);

        private static readonly FieldInfo SizesField =
            typeof(BlockPool).GetField("_sizes", BindingFlags.NonPublic | BindingFlags.Instance);

        private static readonly MethodInfo TargetMethod =
            typeof(BlockPool).Assembly.GetType("NanoMempool.PoolSizes").GetMethod("Target", BindingFlags.NonPublic | BindingFlags.Static);

        /// <summary>The capacity last asked for (the target half of the pool's capacity+target word).</summary>
        internal static int TargetOf(BlockPool pool)
        {
            return (int)TargetMethod.Invoke(null, new object[] { SizesField.GetValue(pool) });
        }

        internal static string CheckInvariants(BlockPool pool)
        {
            Assert.NotNull(CheckInvariantsMethod);
            return (string)CheckInvariantsMethod.Invoke(pool, null);
        }

        internal static void AllHomeAndCounted(BlockPool pool, OwnershipLedger ledger, Counts total)
        {
            Assert.True(ledger.Violations == 0, ledger.Violations + " ownership violations; first: " + ledger.FirstViolation);
            Assert.Equal(0, ledger.HeldCount());
            Assert.Null(CheckInvariants(pool));
            Assert.Equal(pool.Capacity, pool.FreeCount);
            Assert.True(pool.IsSaturated);

            BlockPoolStatistics s = pool.Statistics;
            Assert.Equal(total.Allocations, s.Allocations);
            Assert.Equal(total.Frees, s.Frees);
            Assert.Equal(s.Allocations, s.Frees);
            Assert.Equal(total.FailedTryAllocs, s.FailedTryAllocs);
            Assert.Equal(total.Timeouts, s.Timeouts);
            Assert.InRange(s.Waits, total.TimedOutWaits, total.WaitingCalls);
            Assert.InRange(s.LowestFreeCount, 0, pool.Capacity);

            // With every block home, the pool owns exactly its target (I6), and one more single-threaded
            // cycle of every free block changes nothing.
            int target = TargetOf(pool);
            Assert.Equal(target, pool.Capacity);
            Block[] all = new Block[pool.FreeCount];
            for (int i = 0; i < all.Length; i++)
            {
                Assert.True(pool.TryAlloc(out all[i]));
            }

            foreach (Block block in all)
            {
                pool.Free(block);
            }

            Assert.Null(CheckInvariants(pool));
            Assert.Equal(target, pool.Capacity);
            Assert.Equal(target, pool.FreeCount);
            Assert.Equal(pool.Statistics.Allocations, pool.Statistics.Frees);
        }
    }
}
