// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Every statistic counts exactly what its documentation says, and nothing else (the low-water statistics
    /// have their own tests, BlockPoolLowWaterTests).
    /// </summary>
    [TestClass]
    public class BlockPoolStatisticsTests
    {
        [TestMethod]
        public void AllocationsAndFrees_EveryKindOfCall_CountedOnce()
        {
            BlockPool pool = new BlockPool(4, 4);
            Block a;
            Assert.IsTrue(pool.TryAlloc(out a));
            Block b = pool.Alloc();
            Block c = pool.Alloc(0);
            Block d = pool.Alloc(10);
            Assert.AreEqual(4L, pool.Statistics.Allocations);
            Assert.AreEqual(0L, pool.Statistics.Frees);

            pool.Free(a);
            b.Dispose();
            using (c)
            {
            }

            Assert.AreEqual(4L, pool.Statistics.Allocations);
            Assert.AreEqual(3L, pool.Statistics.Frees);
            pool.Free(d);
            Assert.AreEqual(4L, pool.Statistics.Frees);
            Assert.AreEqual(0L, pool.Statistics.FailedTryAllocs);
            Assert.AreEqual(0L, pool.Statistics.Waits);
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
        }

        [TestMethod]
        public void FailedTryAllocs_CountsOnlyFailedTryAllocs()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held;
            Assert.IsTrue(pool.TryAlloc(out held));
            Block none;

            for (int i = 0; i < 3; i++)
            {
                Assert.IsFalse(pool.TryAlloc(out none));
            }

            Assert.AreEqual(3L, pool.Statistics.FailedTryAllocs);
            Assert.AreEqual(1L, pool.Statistics.Allocations);
            Assert.IsNull(pool.Alloc(0));
            Assert.AreEqual(3L, pool.Statistics.FailedTryAllocs, "a failed Alloc(0) is not a failed TryAlloc");
        }

        [TestMethod]
        public void WaitsAndTimeouts_PollTimedOutWaitAndServedWait_CountedAsDocumented()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);

            Assert.IsNull(pool.Alloc(0));
            Assert.AreEqual(0L, pool.Statistics.Waits, "a poll does not wait");
            Assert.AreEqual(1L, pool.Statistics.Timeouts, "a failed poll is a timeout");

            Assert.IsNull(pool.Alloc(10));
            Assert.AreEqual(1L, pool.Statistics.Waits, "a timed-out wait is a wait");
            Assert.AreEqual(2L, pool.Statistics.Timeouts);

            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 2, context: "waiter");
            pool.Free(held);
            Block got = waiter.AssertGotBlock("waiter");
            Assert.AreEqual(2L, pool.Statistics.Waits, "a served wait is a wait");
            Assert.AreEqual(2L, pool.Statistics.Timeouts, "a served wait is not a timeout");
            pool.Free(got);
        }

        [TestMethod]
        public void Statistics_HandOffToAWaiter_CountsAnAllocationAndThePoolFullyInUse()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block[] held = PoolAssert.TakeAll(pool);
            pool.Statistics.ResetLowestFreeCount();
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");

            pool.Free(held[0]);
            Block got = waiter.AssertGotBlock("waiter");

            Assert.AreEqual(3L, pool.Statistics.Allocations);
            Assert.AreEqual(1L, pool.Statistics.Frees);
            Assert.AreEqual(2, pool.Statistics.PeakInUse);
            Assert.AreEqual(0, pool.Statistics.LowestFreeCount);
            pool.Free(got);
            pool.Free(held[1]);
            Assert.AreEqual(3L, pool.Statistics.Frees);
        }

        /// <summary>
        /// The peak describes the pool, not the moment of the hand-off: a waiter that collects its block
        /// after other blocks came home must not report more blocks in use than there ever were since
        /// ResetLowestFreeCount.
        /// </summary>
        [TestMethod]
        public void Statistics_WaiterCollectsAfterOtherBlocksCameHome_WatermarksStayTrue()
        {
            BlockPool pool = new BlockPool(4, 3);
            Block[] held = PoolAssert.TakeAll(pool);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");

            // Hand block 0 over, then bring the others home before the waiter (a green thread on the
            // device) gets to run, and restart the peak: from now on at most one block is in use.
            pool.Free(held[0]);
            pool.Free(held[1]);
            pool.Free(held[2]);
            pool.Statistics.ResetLowestFreeCount();

            Block got = waiter.AssertGotBlock("waiter");

            Assert.AreSame(held[0], got);
            Assert.AreEqual(1, pool.Statistics.PeakInUse, "peak in use since the reset");
            pool.Free(got);
        }
    }
}
