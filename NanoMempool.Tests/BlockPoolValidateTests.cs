// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// The on-demand integrity audit, Validate: true and no problem for a consistent pool, false and a sentence
    /// naming the inconsistency (never an exception) for a corrupted one. The corruptions are made from inside,
    /// through the pool's per-block links (tests see internals).
    /// </summary>
    [TestClass]
    public class BlockPoolValidateTests
    {
        [TestMethod]
        public void Validate_ConsistentPool_ReturnsTrueAndNoProblem()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block a;
            pool.TryAlloc(out a);

            string problem;
            Assert.IsTrue(pool.Validate(out problem));
            Assert.IsNull(problem);
        }

        [TestMethod]
        public void Validate_ShrinkPendingAndPoisoning_ReturnsTrue()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            BlockPool pool = new BlockPool(8, 3, options);
            Block[] held = PoolAssert.TakeAll(pool);
            pool.Resize(1);
            pool.Free(held[0]);

            string problem;
            Assert.IsTrue(pool.Validate(out problem), problem);
            Assert.IsNull(problem);
        }

        /// <summary>
        /// Threads asleep in Alloc and in the bulk Alloc are a quiescent state too: the empty list with its waiters
        /// flag, and the alert a bulk waiter needs, are consistent, and the audit says so.
        /// </summary>
        [TestMethod]
        public void Validate_ThreadsWaitingInAllocAndBulkAlloc_ReturnsTrue()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block[] held = PoolAssert.TakeAll(pool);
            AllocThread single = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "single");
            BulkAllocThread bulk = BulkAllocThread.StartWaiting(pool, count: 2, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: true, waitsSoFar: 2, context: "bulk");

            string problem;
            bool valid = pool.Validate(out problem);

            pool.Free(held[0]);
            Block got = single.AssertGotBlock("single");
            pool.Free(held[1]);
            pool.Free(got);
            bulk.AssertGotSet("bulk");
            Assert.IsNull(problem, "with two threads waiting");
            Assert.IsTrue(valid);
            PoolAssert.AllHome(pool, "after both waiters");
        }

        /// <summary>
        /// A shrink while a thread waits in the bulk Alloc leaves free blocks beside the surplus (nothing is retired
        /// while a bulk caller waits: its demand comes first). That is a documented, consistent state: no alarm.
        /// </summary>
        [TestMethod]
        public void Validate_BulkWaiterAsleepThroughAShrink_ReturnsTrue()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block[] held = new Block[2];
            Assert.IsTrue(pool.TryAlloc(held, 2));
            BulkAllocThread bulk = BulkAllocThread.StartWaiting(pool, count: 3, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: true, waitsSoFar: 1, context: "bulk");

            pool.Resize(3);
            string problem;
            bool valid = pool.Validate(out problem);
            int capacity = pool.Capacity;
            int free = pool.FreeCount;

            pool.Free(held, 2);
            bulk.AssertGotSet("bulk");
            Assert.AreEqual(4, capacity, "nothing retired while the bulk caller waited");
            Assert.AreEqual(2, free);
            Assert.IsNull(problem, "a bulk waiter asleep through a shrink");
            Assert.IsTrue(valid);
            PoolAssert.Counts(pool, capacity: 3, free: 3, context: "the shrink settled when the bulk caller left");
        }

        /// <summary>
        /// A waiter record whose thread has ended (it left without settling it) is what Validate reports as a block
        /// that can never come back: Waiting, the next freed block would be handed to it; Claimed, it holds one.
        /// </summary>
        [TestMethod]
        public void OrphanedRecord_OfAThreadThatEnded_IsFound_AndALiveOneIsNot()
        {
            WaiterQueue queue = new WaiterQueue();
            Waiter mine;
            int word;
            lock (queue)
            {
                queue.Register(1, out mine, out word);
            }

            Assert.IsNull(queue.OrphanedRecord(), "the registering thread is alive");

            Waiter left = null;
            Thread gone = new Thread(() =>
            {
                int leftWord;
                lock (queue)
                {
                    queue.Register(1, out left, out leftWord);
                }
            });
            gone.Start();
            Assert.IsTrue(gone.Join(PoolAssert.PromptMs));
            Assert.AreSame(left, queue.OrphanedRecord(), "a Waiting record of an ended thread");

            Assert.IsTrue(WaiterQueue.Withdraw(mine, word));
            Assert.AreSame(left, queue.OrphanedRecord());
        }

        [TestMethod]
        public void Validate_FreeListPointingToItself_ReportsInsteadOfThrowing()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block top;
            pool.TryAlloc(out top);
            pool.Free(top);

            // The top block (depth 3) now names itself as the next block: a cycle.
            int slot = top.Index + 1;
            pool._links[slot] = BlockLink.Make(3, slot);

            string problem;
            Assert.IsFalse(pool.Validate(out problem));
            Assert.IsNotNull(problem);
            Assert.IsTrue(problem.IndexOf("free list") >= 0, problem);
        }

        [TestMethod]
        public void Validate_BlockNeitherHeldNorFree_NamesItLost()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block a;
            pool.TryAlloc(out a);

            // A block in transit with no waiter to receive it: it vanished from every place the pool knows.
            pool._links[a.Index + 1] = BlockLink.Owned;

            string problem;
            Assert.IsFalse(pool.Validate(out problem));
            Assert.IsTrue(problem.IndexOf("lost") >= 0, problem);
        }
    }
}
