// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// The blocking bulk Alloc(Block[], int, ...) (issue 6, item 5): all or nothing, and never holding part of
    /// the set while it waits, so two bulk callers cannot deadlock.
    /// </summary>
    [TestClass]
    public class BlockPoolBulkWaitingTests
    {
        [TestMethod]
        public static void BulkAlloc_SetFree_ReturnsAtOnceWithDistinctTaggedBlocks()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block[] into = new Block[3];
            Assert.IsTrue(pool.Alloc(into, 3, 0, 7));
            Assert.IsTrue(into[0] != into[1] && into[1] != into[2] && into[0] != into[2]);
            for (int i = 0; i < 3; i++)
            {
                Assert.AreEqual(7, into[i].OwnerTag);
            }

            Assert.AreEqual(0L, pool.Statistics.Waits, "no wait was needed");
            PoolAssert.Counts(pool, 4, 1, "after taking 3 of 4");
        }

        [TestMethod]
        public static void BulkAlloc_Poll_NotEnough_TakesNothing()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block held;
            pool.TryAlloc(out held);
            Block[] into = new Block[3];
            Assert.IsFalse(pool.Alloc(into, 3, 0));
            Assert.IsNull(into[0], "into is untouched on failure");
            Assert.AreEqual(1L, pool.Statistics.Timeouts);
            PoolAssert.Counts(pool, 3, 2, "the two free blocks are still free");
        }

        [TestMethod]
        public static void BulkAlloc_TimesOut_HavingHeldNothing()
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
            PoolAssert.Counts(pool, 3, 2, "nothing was taken");
        }

        [TestMethod]
        public static void BulkAlloc_WhileWaiting_LeavesTheFreeBlocksFree()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block a;
            Block b;
            pool.TryAlloc(out a);
            pool.TryAlloc(out b);
            BulkAllocThread waiter = BulkAllocThread.StartWaiting(pool, 3, PoolAssert.WakeTimeoutMs, false, 1, "bulk 3");

            Assert.AreEqual(1, pool.FreeCount, "the waiter holds no part of its set");
            Block other;
            Assert.IsTrue(pool.TryAlloc(out other), "a handler can still take the free block");
            pool.Free(other);
            pool.Free(a);
            Assert.IsFalse(waiter.Finished(50), "two of three free: still waiting");
            pool.Free(b);

            waiter.AssertGotSet("bulk 3");
            PoolAssert.Counts(pool, 3, 0, "the waiter holds all three");
            pool.Free(waiter.Blocks, 3);
            PoolAssert.Counts(pool, 3, 3, "all home");
        }

        [TestMethod]
        public static void BulkAlloc_TwoBulkCallersWithOverlappingSets_BothComplete()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block[] all = new Block[4];
            pool.TryAlloc(all, 4);
            BulkAllocThread first = BulkAllocThread.StartWaiting(pool, 3, PoolAssert.WakeTimeoutMs, true, 1, "first");
            BulkAllocThread second = BulkAllocThread.StartWaiting(pool, 3, PoolAssert.WakeTimeoutMs, true, 2, "second");

            // Give them back one at a time: with a hold-and-wait design each caller could end up holding
            // two of the four and wait for a third forever.
            for (int i = 0; i < 4; i++)
            {
                pool.Free(all[i]);
                Thread.Sleep(10);
            }

            first.AssertGotSet("first");
            second.AssertGotSet("second");
            PoolAssert.Counts(pool, 4, 4, "both freed their sets");
        }

        [TestMethod]
        public static void BulkAlloc_TwoWaitersOneBulkFree_BothServed()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block[] all = new Block[4];
            pool.TryAlloc(all, 4);
            BulkAllocThread first = BulkAllocThread.StartWaiting(pool, 2, PoolAssert.WakeTimeoutMs, false, 1, "first");
            BulkAllocThread second = BulkAllocThread.StartWaiting(pool, 2, PoolAssert.WakeTimeoutMs, false, 2, "second");

            pool.Free(all, 4);

            first.AssertGotSet("first");
            second.AssertGotSet("second");
            PoolAssert.Counts(pool, 4, 0, "two sets of two are held");
        }

        [TestMethod]
        public static void BulkAlloc_SingleWaitersAreServedFirst()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block[] both = new Block[2];
            pool.TryAlloc(both, 2);
            BulkAllocThread bulk = BulkAllocThread.StartWaiting(pool, 2, PoolAssert.WakeTimeoutMs, false, 1, "bulk");
            AllocThread single = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, 2, "single");

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
            BulkAllocThread waiter = BulkAllocThread.StartWaiting(pool, 3, PoolAssert.WakeTimeoutMs, false, 1, "bulk 3");

            pool.Resize(2);

            Assert.IsTrue(waiter.Finished(PoolAssert.PromptMs), "Resize woke the waiter");
            PoolAssert.IsExactly(typeof(InvalidOperationException), waiter.Error, "set larger than the pool");
            Assert.IsNull(waiter.Blocks[0]);
            pool.Free(held);
            PoolAssert.Counts(pool, 2, 2, "nothing lost");
        }

        [TestMethod]
        public static void BulkAlloc_DisposedWhileWaiting_Throws()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block held;
            pool.TryAlloc(out held);
            BulkAllocThread waiter = BulkAllocThread.StartWaiting(pool, 2, Timeout.Infinite, false, 1, "bulk 2");

            pool.Dispose();

            Assert.IsTrue(waiter.Finished(PoolAssert.PromptMs), "Dispose woke the waiter");
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
            PoolAssert.Counts(pool, 2, 2, "nothing taken");
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
            pool.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc(new Block[2], 1, 0));
        }
    }
}
