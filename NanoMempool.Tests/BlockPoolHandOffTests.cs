// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Free while threads wait in Alloc: the block goes straight to the longest-waiting thread (FIFO), is
    /// never free for TryAlloc in between, and nothing is lost.
    /// </summary>
    [TestClass]
    public class BlockPoolHandOffTests
    {
        /// <summary>
        /// Waiters register one by one (each is proven asleep before the next starts), then every held block
        /// is freed in a burst, faster than any waiter can run: block k must reach waiter k. 6 waiters also make
        /// the pool's waiter records grow several times (they start at none and double as needed).
        /// </summary>
        [DataRow(3)]
        [DataRow(6)]
        public void Free_SeveralWaitingThreads_BlocksGoInArrivalOrder(int waiterCount)
        {
            BlockPool pool = new BlockPool(4, waiterCount);
            Block[] held = PoolAssert.TakeAll(pool);
            AllocThread[] waiters = new AllocThread[waiterCount];
            for (int i = 0; i < waiterCount; i++)
            {
                waiters[i] = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: i + 1, context: "waiter " + i);
            }

            for (int i = 0; i < waiterCount; i++)
            {
                pool.Free(held[i]);
            }

            for (int i = 0; i < waiterCount; i++)
            {
                Block got = waiters[i].AssertGotBlock("waiter " + i);
                Assert.AreSame(held[i], got, "waiter " + i + " got block " + got.Index + ", expected " + held[i].Index);
            }

            Assert.AreEqual((long)waiterCount, pool.Statistics.Waits);
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
            PoolAssert.Counts(pool, capacity: waiterCount, free: 0, context: "every waiter holds a block");
        }

        [TestMethod]
        public void Free_ThreeWaitingThreads_ReleasedOneAtATimeInOrder()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            AllocThread first = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "first");
            AllocThread second = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 2, context: "second");
            AllocThread third = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 3, context: "third");

            pool.Free(held);
            Assert.AreSame(held, first.AssertGotBlock("first"));
            Assert.IsFalse(second.Finished(0), "second woke before its turn");
            Assert.IsFalse(third.Finished(0), "third woke before its turn");

            pool.Free(first.Result);
            Assert.AreSame(held, second.AssertGotBlock("second"));
            Assert.IsFalse(third.Finished(0), "third woke before its turn");

            pool.Free(second.Result);
            Assert.AreSame(held, third.AssertGotBlock("third"));

            pool.Free(third.Result);
            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "all home");
            Assert.AreEqual(4L, pool.Statistics.Allocations);
            Assert.AreEqual(4L, pool.Statistics.Frees);
        }

        [TestMethod]
        public void Free_WhileAThreadWaits_BlockIsNeverFreeForTryAlloc()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");

            pool.Free(held);

            // The block was handed over inside Free: a handler running right after the Free finds nothing.
            Block stolen;
            Assert.IsFalse(pool.TryAlloc(out stolen), "TryAlloc took a block promised to a waiting thread");
            Assert.AreEqual(0, pool.FreeCount);
            Assert.AreSame(held, waiter.AssertGotBlock("waiter"));
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "waiter holds the block");
        }

        [TestMethod]
        public void AllocParameterless_WaitingThread_IsWokenByFree()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            AllocThread waiter = AllocThread.StartWaiting(pool, AllocThread.Parameterless, waitsSoFar: 1, context: "Alloc()");

            pool.Free(held);

            if (!waiter.Finished(PoolAssert.PromptMs))
            {
                // Rescue the thread so the run can go on (Dispose wakes it), then fail.
                pool.Dispose();
                Assert.IsTrue(false, "Alloc() was not woken by Free");
            }

            Assert.AreSame(held, waiter.AssertGotBlock("Alloc()"));
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
        }

        [TestMethod]
        public void Free_WaiterServedThenMoreFrees_GoToTheFreeList()
        {
            BlockPool pool = new BlockPool(4, 3);
            Block[] held = PoolAssert.TakeAll(pool);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");

            pool.Free(held[0]);
            pool.Free(held[1]);
            pool.Free(held[2]);

            Assert.AreSame(held[0], waiter.AssertGotBlock("waiter"));
            PoolAssert.Counts(pool, capacity: 3, free: 2, context: "one block with the waiter, two free");
            PoolAssert.DrainsInOrder(pool, new int[] { held[2].Index, held[1].Index }, "the later frees");
        }
    }
}
