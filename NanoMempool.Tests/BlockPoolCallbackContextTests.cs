// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// TryAlloc and Free from a System.Threading.Timer callback, our stand-in for an interrupt handler
    /// (nanoFramework runs timer callbacks one at a time on one system thread). The same body runs on the
    /// test thread and in a callback, as Zephyr's irq_offload tests do.
    /// </summary>
    [TestClass]
    public class BlockPoolCallbackContextTests
    {
        // Callback results: static, because test methods run without an instance.
        private static BlockPool s_pool;
        private static Exception s_callbackError;
        private static int s_takenInCallback;
        private static ManualResetEvent s_callbackDone;

        [TestMethod]
        public void Free_FromTimerCallback_WakesABlockedAlloc()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            FreeWhenWaiting job = new FreeWhenWaiting(pool, held, Thread.CurrentThread);

            long start = PoolAssert.NowTicks();
            Block got;

            // The callback runs every 10 ms and frees the block once this thread sleeps inside Alloc.
            using (Timer timer = new Timer(FreeWhenWaiting.Tick, job, 10, 10))
            {
                got = pool.Alloc(PoolAssert.WakeTimeoutMs);
                Assert.IsTrue(job.Done.WaitOne(PoolAssert.PromptMs, false), "the timer callback did not free the block");
            }

            long elapsed = PoolAssert.ElapsedMs(start);
            Assert.IsNull(job.Error, "Free threw in the callback");
            Assert.AreSame(held, got, "the block freed in the callback went to the waiting thread");
            Assert.IsTrue(elapsed < PoolAssert.WakeTimeoutMs, "woken by the callback, not by the timeout");
            Assert.AreEqual(1L, pool.Statistics.Waits);
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "the thread holds the block");
            pool.Free(got);
        }

        [TestMethod]
        public void TakeAllThenFreeAll_OnTheTestThread_Works()
        {
            BlockPool pool = new BlockPool(8, 5);

            int taken = TakeAllThenFreeAll(pool);

            Assert.AreEqual(5, taken);
            AssertAfterTakeAllThenFreeAll(pool);
        }

        [TestMethod]
        public void TakeAllThenFreeAll_InATimerCallback_Works()
        {
            BlockPool pool = new BlockPool(8, 5);
            s_pool = pool;
            s_callbackError = null;
            s_takenInCallback = -1;
            s_callbackDone = new ManualResetEvent(false);

            using (Timer timer = new Timer(RunTakeAllThenFreeAll, null, 10, Timeout.Infinite))
            {
                Assert.IsTrue(s_callbackDone.WaitOne(PoolAssert.PromptMs, false), "the timer callback did not run");
            }

            Assert.IsNull(s_callbackError, "the pool threw in the callback");
            Assert.AreEqual(5, s_takenInCallback);
            AssertAfterTakeAllThenFreeAll(pool);
        }

        /// <summary>Shared body: takes every block with TryAlloc, fails one more, frees them all.</summary>
        private static int TakeAllThenFreeAll(BlockPool pool)
        {
            Block[] blocks = new Block[pool.Capacity];
            int taken = 0;
            while (taken < blocks.Length && pool.TryAlloc(out blocks[taken]))
            {
                blocks[taken].Buffer[0] = (byte)taken;
                taken++;
            }

            Block extra;
            if (pool.TryAlloc(out extra))
            {
                throw new InvalidOperationException("TryAlloc succeeded on an empty pool");
            }

            for (int i = taken - 1; i >= 0; i--)
            {
                blocks[i].Dispose();
            }

            return taken;
        }

        private static void AssertAfterTakeAllThenFreeAll(BlockPool pool)
        {
            PoolAssert.Counts(pool, capacity: 5, free: 5, context: "after the body");
            Assert.AreEqual(5L, pool.Statistics.Allocations);
            Assert.AreEqual(5L, pool.Statistics.Frees);
            Assert.AreEqual(1L, pool.Statistics.FailedTryAllocs);
            Assert.AreEqual(5, pool.Statistics.PeakInUse);
            Assert.AreEqual(0, pool.Statistics.LowestFreeCount);
        }

        private static void RunTakeAllThenFreeAll(object state)
        {
            try
            {
                s_takenInCallback = TakeAllThenFreeAll(s_pool);
            }
            catch (Exception e)
            {
                s_callbackError = e;
            }

            s_callbackDone.Set();
        }

        /// <summary>
        /// One timer job: frees a block once the given thread sleeps in Alloc (wait counted, thread
        /// blocked), exactly once. Its own state object, so a late tick of a disposed timer touches nothing
        /// that a later test uses.
        /// </summary>
        private sealed class FreeWhenWaiting
        {
            internal readonly ManualResetEvent Done = new ManualResetEvent(false);
            internal Exception Error;
            private readonly BlockPool _pool;
            private readonly Block _block;
            private readonly Thread _allocThread;
            private int _fired;

            internal FreeWhenWaiting(BlockPool pool, Block block, Thread allocThread)
            {
                _pool = pool;
                _block = block;
                _allocThread = allocThread;
            }

            internal static void Tick(object state)
            {
                FreeWhenWaiting job = (FreeWhenWaiting)state;
                if (job._pool.Statistics.Waits < 1 || (job._allocThread.ThreadState & ThreadState.WaitSleepJoin) == 0)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref job._fired, 1, 0) != 0)
                {
                    return;
                }

                try
                {
                    job._pool.Free(job._block);
                }
                catch (Exception e)
                {
                    job.Error = e;
                }

                job.Done.Set();
            }
        }
    }
}
