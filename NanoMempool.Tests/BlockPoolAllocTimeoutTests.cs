// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>Alloc(ms) on an empty pool: returns null after (not before) the timeout, and forgets the wait.</summary>
    [TestClass]
    public class BlockPoolAllocTimeoutTests
    {
        /// <summary>
        /// How much later than asked a timed-out Alloc may return. Generous: the bound is there to catch a
        /// wait that is far too long (for example an untimed wait), not to measure the scheduler.
        /// </summary>
        private const int LateBoundMs = 2000;

        [DataRow(30)]
        [DataRow(200)]
        public void Alloc_TimeoutOnEmptyPool_ReturnsNullAfterTheTimeout(int millisecondsTimeout)
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);

            long start = PoolAssert.NowTicks();
            Block none = pool.Alloc(millisecondsTimeout);
            long elapsed = PoolAssert.ElapsedMs(start);

            Assert.IsNull(none);
            // One millisecond of slack: DateTime may count whole milliseconds, so a wait of exactly the
            // timeout can read as one less.
            Assert.IsTrue(elapsed >= millisecondsTimeout - 1, "returned after " + elapsed + " ms, asked " + millisecondsTimeout);
            Assert.IsTrue(elapsed < millisecondsTimeout + LateBoundMs, "returned after " + elapsed + " ms, asked " + millisecondsTimeout);
            Assert.AreEqual(1L, pool.Statistics.Waits);
            Assert.AreEqual(1L, pool.Statistics.Timeouts);
            Assert.AreEqual(1L, pool.Statistics.Allocations);
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "after the timeout");
            Assert.IsNotNull(held);
        }

        [TestMethod]
        public void Alloc_TimedOut_LaterFreeGoesToTheFreeListNotToTheGoneWaiter()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            Assert.IsNull(pool.Alloc(20));

            pool.Free(held);

            // If the timed-out waiter's record were still registered, the block would vanish into it.
            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "after the free");
            Block again;
            Assert.IsTrue(pool.TryAlloc(out again));
            Assert.AreSame(held, again);
        }

        [TestMethod]
        public void Alloc_SeveralTimeoutsInARow_EachCountedAndNothingLost()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block[] held = PoolAssert.TakeAll(pool);

            for (int i = 0; i < 5; i++)
            {
                Assert.IsNull(pool.Alloc(5), "timeout " + i);
            }

            Assert.AreEqual(5L, pool.Statistics.Waits);
            Assert.AreEqual(5L, pool.Statistics.Timeouts);
            PoolAssert.Counts(pool, capacity: 2, free: 0, context: "after the timeouts");

            pool.Free(held[0]);
            pool.Free(held[1]);
            PoolAssert.Counts(pool, capacity: 2, free: 2, context: "after freeing both");
        }

        [TestMethod]
        public void Alloc_WaitingThread_IsWokenByFreeLongBeforeItsTimeout()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");

            pool.Free(held);

            Block got = waiter.AssertGotBlock("waiter");
            Assert.AreSame(held, got, "the freed block went to the waiter");
            Assert.IsTrue(waiter.ElapsedMs < PoolAssert.WakeTimeoutMs, "woken by the free, not by its timeout");
            Assert.AreEqual(1L, pool.Statistics.Waits);
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
            Assert.AreEqual(2L, pool.Statistics.Allocations);
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "the waiter holds the block");
            pool.Free(got);
            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "all home");
        }
    }
}
