// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// The blocking bulk Alloc(Block[], int, int): all or nothing, and never holding part of the set while it
    /// waits, so two bulk callers cannot deadlock.
    /// </summary>
    [TestClass]
    public class BlockPoolBulkWaitingTests
    {
        [TestMethod]
        public static void BulkAlloc_SetFree_ReturnsAtOnceWithDistinctBlocks()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block[] into = new Block[3];
            Assert.IsTrue(pool.Alloc(into, 3, 0));
            Assert.IsTrue(into[0] != into[1] && into[1] != into[2] && into[0] != into[2]);

            Assert.AreEqual(0L, pool.Statistics.Waits, "no wait was needed");
            PoolAssert.Counts(pool, capacity: 4, free: 1, context: "after taking 3 of 4");
        }

        [TestMethod]
        public static void BulkAlloc_PollWithoutEnoughFree_TakesNothing()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block held;
            pool.TryAlloc(out held);
            Block[] into = new Block[3];
            Assert.IsFalse(pool.Alloc(into, 3, 0));
            Assert.IsNull(into[0], "into is untouched on failure");
            Assert.AreEqual(1L, pool.Statistics.Timeouts);
            PoolAssert.Counts(pool, capacity: 3, free: 2, context: "the two free blocks are still free");
        }

        [TestMethod]
        public static void BulkAlloc_NotEnoughUntilTheTimeout_ReturnsFalseHavingHeldNothing()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block held;
            pool.TryAlloc(out held);
            Block[] into = new Block[3];
            long start = PoolAssert.NowTicks();
            Assert.IsFalse(pool.Alloc(into, 3, 100));
            Assert.IsTrue(PoolAssert.ElapsedMs(start) >= 90, "it waited for its timeout");
            Assert.IsNull(into[0]);
            Assert.AreEqual(1L, pool.Statistics.Waits);
            Assert.AreEqual(1L, pool.Statistics.Timeouts);
            PoolAssert.Counts(pool, capacity: 3, free: 2, context: "nothing was taken");
        }

        [TestMethod]
        public static void BulkAlloc_WhileWaiting_LeavesTheFreeBlocksFree()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block a;
            Block b;
            pool.TryAlloc(out a);
            pool.TryAlloc(out b);
            BulkAllocThread waiter = BulkAllocThread.StartWaiting(pool, count: 3, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: false, waitsSoFar: 1, context: "bulk 3");

            Assert.AreEqual(1, pool.FreeCount, "the waiter holds no part of its set");
            Block other;
            Assert.IsTrue(pool.TryAlloc(out other), "a handler can still take the free block");
            pool.Free(other);
            pool.Free(a);
            Assert.IsFalse(waiter.Finished(50), "two of three free: still waiting");
            pool.Free(b);

            waiter.AssertGotSet("bulk 3");
            PoolAssert.Counts(pool, capacity: 3, free: 0, context: "the waiter holds all three");
            pool.Free(waiter.Blocks, 3);
            PoolAssert.Counts(pool, capacity: 3, free: 3, context: "all home");
        }

        [TestMethod]
        public static void BulkAlloc_TwoBulkCallersWithOverlappingSets_BothComplete()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block[] all = new Block[4];
            pool.TryAlloc(all, 4);
            BulkAllocThread first = BulkAllocThread.StartWaiting(pool, count: 3, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: true, waitsSoFar: 1, context: "first");
            BulkAllocThread second = BulkAllocThread.StartWaiting(pool, count: 3, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: true, waitsSoFar: 2, context: "second");

            // Give them back one at a time: with a hold-and-wait design each caller could end up holding
            // two of the four and wait for a third forever.
            for (int i = 0; i < 4; i++)
            {
                pool.Free(all[i]);
                Thread.Sleep(10);
            }

            first.AssertGotSet("first");
            second.AssertGotSet("second");
            PoolAssert.Counts(pool, capacity: 4, free: 4, context: "both freed their sets");
        }

        [TestMethod]
        public static void BulkAlloc_TwoWaitersOneBulkFree_BothServed()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block[] all = new Block[4];
            pool.TryAlloc(all, 4);
            BulkAllocThread first = BulkAllocThread.StartWaiting(pool, count: 2, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: false, waitsSoFar: 1, context: "first");
            BulkAllocThread second = BulkAllocThread.StartWaiting(pool, count: 2, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: false, waitsSoFar: 2, context: "second");

            pool.Free(all, 4);

            first.AssertGotSet("first");
            second.AssertGotSet("second");
            PoolAssert.Counts(pool, capacity: 4, free: 0, context: "two sets of two are held");
        }

        [TestMethod]
        public static void BulkAlloc_SingleWaiterAlsoWaiting_IsServedFirst()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block[] both = new Block[2];
            pool.TryAlloc(both, 2);
            BulkAllocThread bulk = BulkAllocThread.StartWaiting(pool, count: 2, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: false, waitsSoFar: 1, context: "bulk");
            AllocThread single = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 2, context: "single");

            pool.Free(both[0]);
            Block handed = single.AssertGotBlock("the freed block goes to the single waiter");
            Assert.IsTrue(handed == both[0]);
            pool.Free(both[1]);
            Assert.IsFalse(bulk.Finished(50), "one of two free: the bulk caller still waits");
            pool.Free(handed);

            bulk.AssertGotSet("bulk");
        }

        [TestMethod]
        public static void BulkAlloc_ShrunkBelowTheSetWhileWaiting_Throws()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block held;
            pool.TryAlloc(out held);
            BulkAllocThread waiter = BulkAllocThread.StartWaiting(pool, count: 3, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: false, waitsSoFar: 1, context: "bulk 3");

            pool.Resize(2);

            Assert.IsTrue(waiter.Finished(PoolAssert.PromptMs), "Resize woke the waiter");
            PoolAssert.IsExactly(typeof(InvalidOperationException), waiter.Error, "set larger than the pool");
            Assert.IsNull(waiter.Blocks[0]);
            pool.Free(held);
            PoolAssert.Counts(pool, capacity: 2, free: 2, context: "nothing lost");
        }

        [TestMethod]
        public static void BulkAlloc_DisposedWhileWaiting_Throws()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block held;
            pool.TryAlloc(out held);
            BulkAllocThread waiter = BulkAllocThread.StartWaiting(pool, count: 2, millisecondsTimeout: Timeout.Infinite, freeAtOnce: false, waitsSoFar: 1, context: "bulk 2");

            pool.Dispose();

            if (!waiter.Finished(PoolAssert.PromptMs))
            {
                // Rescue the untimed waiter (the whole set free wakes it) so that the run can go on, then fail.
                pool.Free(held);
                Assert.IsTrue(false, "Dispose did not wake the bulk waiter");
            }

            PoolAssert.IsExactly(typeof(ObjectDisposedException), waiter.Error, "disposed");
            pool.Free(held);
            Assert.AreEqual(2, pool.FreeCount);
        }

        [TestMethod]
        public static void BulkAlloc_BadArguments_ThrowAndChangeNothing()
        {
            BlockPool pool = new BlockPool(8, 2);
            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.Alloc(null, 1, 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Alloc(new Block[2], 0, 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Alloc(new Block[2], 3, 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Alloc(new Block[3], 3, 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Alloc(new Block[2], 2, -2));
            PoolAssert.Counts(pool, capacity: 2, free: 2, context: "nothing taken");
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
            pool.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc(new Block[2], 1, 0));
        }
    }
}
