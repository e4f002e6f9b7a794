// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// The low-water statistics, which say how close the pool came to running dry: LowestFreeCount and its
    /// reset, PeakInUse derived from it, and FailedTryAllocs for the times a handler found nothing. A plain pool
    /// records the low on its fast path only when an allocation may set a new record, a pool with
    /// per-allocation options on every allocation: each test runs on both kinds (withOptions).
    /// </summary>
    [TestClass]
    public class BlockPoolLowWaterTests
    {
        /// <summary>A pool of 8-byte blocks, plain or with owner tracking (a per-allocation option).</summary>
        private static BlockPool NewPool(int blocks, bool withOptions)
        {
            if (!withOptions)
            {
                return new BlockPool(8, blocks);
            }

            BlockPoolOptions options = new BlockPoolOptions();
            options.OwnerTracking = true;
            return new BlockPool(8, blocks, options);
        }

        [DataRow(false)]
        [DataRow(true)]
        public void LowestFreeCount_NewPool_IsTheBlockCount(bool withOptions)
        {
            BlockPool pool = NewPool(blocks: 4, withOptions);

            Assert.AreEqual(4, pool.Statistics.LowestFreeCount);
            Assert.AreEqual(0, pool.Statistics.PeakInUse);
        }

        [DataRow(false)]
        [DataRow(true)]
        public void LowestFreeCount_AllocationsAndFrees_KeepsTheFewestFree(bool withOptions)
        {
            BlockPool pool = NewPool(blocks: 4, withOptions);
            Block a = pool.Alloc(0);
            Block b = pool.Alloc(0);
            Assert.AreEqual(2, pool.Statistics.LowestFreeCount, "two taken");

            pool.Free(b);
            b = pool.Alloc(0);
            Assert.AreEqual(2, pool.Statistics.LowestFreeCount, "taken again: no new low");

            Block c = pool.Alloc(0);
            Assert.AreEqual(1, pool.Statistics.LowestFreeCount, "three taken");
            Assert.AreEqual(3, pool.Statistics.PeakInUse);

            pool.Free(a);
            pool.Free(b);
            pool.Free(c);
            Assert.AreEqual(1, pool.Statistics.LowestFreeCount, "the low stays after the frees");
            Assert.AreEqual(3, pool.Statistics.PeakInUse, "the peak stays after the frees");
        }

        [DataRow(false)]
        [DataRow(true)]
        public void LowestFreeCount_EveryKindOfAllocation_RecordsTheLow(bool withOptions)
        {
            BlockPool pool = NewPool(blocks: 6, withOptions);
            Block single;
            Assert.IsTrue(pool.TryAlloc(out single));
            Assert.AreEqual(5, pool.Statistics.LowestFreeCount, "TryAlloc");

            Assert.IsNotNull(pool.Alloc(0));
            Assert.AreEqual(4, pool.Statistics.LowestFreeCount, "Alloc");

            Assert.IsTrue(pool.TryAlloc(new Block[2], 2));
            Assert.AreEqual(2, pool.Statistics.LowestFreeCount, "bulk TryAlloc");

            Assert.IsTrue(pool.Alloc(new Block[2], 2, 0));
            Assert.AreEqual(0, pool.Statistics.LowestFreeCount, "bulk Alloc");
            Assert.AreEqual(6, pool.Statistics.PeakInUse);
        }

        /// <summary>
        /// After a reset the record restarts from the free count now, and the next allocation that goes below it
        /// is recorded: in a plain pool that takes the fast path's watch to be reset with the record.
        /// </summary>
        [DataRow(false)]
        [DataRow(true)]
        public void ResetLowestFreeCount_BlocksHeld_RestartsFromTheFreeCountNow(bool withOptions)
        {
            BlockPool pool = NewPool(blocks: 4, withOptions);
            Block a = pool.Alloc(0);
            Block b = pool.Alloc(0);
            Block c = pool.Alloc(0);
            pool.Free(b);
            pool.Free(c);

            pool.Statistics.ResetLowestFreeCount();

            Assert.AreEqual(3, pool.Statistics.LowestFreeCount, "restarted from the 3 free now");
            Assert.AreEqual(1, pool.Statistics.PeakInUse, "one block held now");
            Block d = pool.Alloc(0);
            Assert.AreEqual(2, pool.Statistics.LowestFreeCount, "the first allocation after the reset sets a new low");
            Assert.AreEqual(2, pool.Statistics.PeakInUse);

            pool.Free(a);
            pool.Free(d);
            pool.Statistics.ResetLowestFreeCount();
            Assert.AreEqual(4, pool.Statistics.LowestFreeCount, "reset with every block home");
            Assert.AreEqual(0, pool.Statistics.PeakInUse, "nothing in use");
        }

        [DataRow(false)]
        [DataRow(true)]
        public void FailedTryAllocs_EmptyPool_CountsEveryFailedTryAlloc(bool withOptions)
        {
            BlockPool pool = NewPool(blocks: 1, withOptions);
            Block held;
            Assert.IsTrue(pool.TryAlloc(out held));
            Assert.AreEqual(0L, pool.Statistics.FailedTryAllocs, "a success is no failure");

            Block none;
            Assert.IsFalse(pool.TryAlloc(out none));
            Assert.IsFalse(pool.TryAlloc(out none));
            Assert.IsFalse(pool.TryAlloc(new Block[1], 1));

            Assert.AreEqual(3L, pool.Statistics.FailedTryAllocs, "two single and one bulk TryAlloc found nothing");
            Assert.AreEqual(0, pool.Statistics.LowestFreeCount, "the pool ran dry");
            Assert.AreEqual(1, pool.Statistics.PeakInUse);

            Assert.IsNull(pool.Alloc(0));
            Assert.AreEqual(3L, pool.Statistics.FailedTryAllocs, "a failed Alloc(0) is a timeout, not a failed TryAlloc");
            pool.Free(held);
            Assert.IsTrue(pool.TryAlloc(out held));
            Assert.AreEqual(3L, pool.Statistics.FailedTryAllocs);
        }

        /// <summary>PeakInUse is Capacity - LowestFreeCount: after a Resize, a reset makes it exact again.</summary>
        [TestMethod]
        public void PeakInUse_ResetAfterAGrowingResize_CountsTheHeldBlocks()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.MaxCapacity = 4;
            BlockPool pool = new BlockPool(8, 2, options);
            Block[] held = PoolAssert.TakeAll(pool);
            pool.Resize(4);

            pool.Statistics.ResetLowestFreeCount();

            Assert.AreEqual(2, pool.Statistics.LowestFreeCount, "the two new blocks are free");
            Assert.AreEqual(2, pool.Statistics.PeakInUse, "the two old blocks are held");
            pool.Free(held[0]);
            pool.Free(held[1]);
        }
    }
}
