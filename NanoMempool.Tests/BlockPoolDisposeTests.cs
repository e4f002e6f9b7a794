// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Dispose wakes every waiting Alloc with ObjectDisposedException; later Alloc/TryAlloc/Resize throw it;
    /// a block still held may be freed afterwards and goes back on the free list (as documented on Free).
    /// </summary>
    [TestClass]
    public class BlockPoolDisposeTests
    {
        [TestMethod]
        public void Dispose_TwoWaitingThreads_BothWakeWithObjectDisposed()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            AllocThread first = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "first");
            AllocThread second = AllocThread.StartWaiting(pool, AllocThread.Parameterless, waitsSoFar: 2, context: "second");

            pool.Dispose();

            bool firstDone = first.Finished(PoolAssert.PromptMs);
            bool secondDone = second.Finished(PoolAssert.PromptMs);
            if (!secondDone)
            {
                // Rescue the untimed waiter (a hand-off would reach it) so the run can go on, then fail.
                pool.Free(held);
                Assert.IsTrue(false, "Dispose did not wake the Alloc() waiter");
            }

            Assert.IsTrue(firstDone, "Dispose did not wake the Alloc(ms) waiter");
            PoolAssert.IsExactly(typeof(ObjectDisposedException), first.Error, "first waiter");
            PoolAssert.IsExactly(typeof(ObjectDisposedException), second.Error, "second waiter");
            Assert.IsNull(first.Result);
            Assert.IsNull(second.Result);
            Assert.IsTrue(first.ElapsedMs < PoolAssert.WakeTimeoutMs, "woken by Dispose, not by its timeout");
            Assert.IsTrue(pool.IsDisposed);
            Assert.AreEqual(0L, pool.Statistics.Timeouts, "a disposed wait is not a timeout");
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "the block is still held");

            // The held block can still come home; no (disposed) waiter takes it.
            pool.Free(held);
            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "held block freed after Dispose");
        }

        [TestMethod]
        public void Dispose_LaterAllocationsAndResize_ThrowObjectDisposedAndChangeNothing()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block held = pool.Alloc(0);
            pool.Dispose();
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Block block;
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.TryAlloc(out block));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc());
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc(0));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc(50));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc(Timeout.Infinite));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Resize(4));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Resize(1));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.TryAlloc(new Block[1], 1));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc(new Block[1], 1, 0));

            before.AssertUnchanged("calls after Dispose");
            Assert.AreEqual(4, pool.BlockSize, "BlockSize still readable");
            Assert.IsNotNull(held);
        }

        [TestMethod]
        public void Dispose_ThenFreeOfAHeldBlock_PutsItBackOnTheFreeList()
        {
            BlockPool pool = new BlockPool(4, 3);
            Block a = pool.Alloc(0);
            Block b = pool.Alloc(0);
            pool.Dispose();

            pool.Free(a);
            b.Dispose();

            PoolAssert.Counts(pool, capacity: 3, free: 3, context: "both held blocks freed after Dispose");
            Assert.AreEqual(2L, pool.Statistics.Frees);
            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(a));
        }

        [TestMethod]
        public void Dispose_UsingBlockEndingAfterDispose_FreesSafely()
        {
            BlockPool pool = new BlockPool(4, 1);

            using (Block block = pool.Alloc(0))
            {
                pool.Dispose();
                block.Buffer[0] = 1;
            }

            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "the using block freed after Dispose");
        }

        [TestMethod]
        public void Dispose_Twice_DoesNothing()
        {
            BlockPool pool = new BlockPool(4, 2);
            pool.Dispose();
            PoolSnapshot before = PoolSnapshot.Take(pool);

            pool.Dispose();

            before.AssertUnchanged("second Dispose");
            Assert.IsTrue(pool.IsDisposed);
        }

        [TestMethod]
        public void Dispose_NoWaiters_CountsAndStatisticsStayReadable()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block held = pool.Alloc(0);
            PoolSnapshot before = PoolSnapshot.Take(pool);

            pool.Dispose();

            Assert.IsTrue(pool.IsDisposed);
            Assert.AreEqual(2, pool.Capacity);
            Assert.AreEqual(1, pool.FreeCount);
            Assert.AreEqual(1L, pool.Statistics.Allocations);
            PoolAssert.Valid(pool);
            Assert.IsNotNull(before);
            Assert.IsNotNull(held);
        }
    }
}
