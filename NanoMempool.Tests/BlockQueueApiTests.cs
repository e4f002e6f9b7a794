// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;

namespace NanoMempool.Tests
{
    /// <summary>
    /// BlockQueue's single-context contract: bounds, FIFO order, full and empty results, refusal of a block that
    /// is not held, statistics, wrap-around and the invariants Q1-Q3 (see the INVARIANTS block in BlockQueue.cs).
    /// Each test builds its own queue.
    /// Data-row methods carry [DataRow] only: the launcher runs them in its data-row pass.
    /// </summary>
    [TestClass]
    public class BlockQueueApiTests
    {
        [DataRow(0)]
        [DataRow(-1)]
        [DataRow(BlockQueue.MaxCapacity + 1)]
        public void Constructor_CapacityOutOfRange_Throws(int capacity)
        {
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockQueue(capacity));
        }

        [TestMethod]
        public void TryEnqueue_NullBlock_Throws()
        {
            BlockQueue queue = new BlockQueue(2);
            Assert.ThrowsException(typeof(ArgumentNullException), () => queue.TryEnqueue(null));
            Assert.AreEqual(0, queue.Count);
        }

        [DataRow(1)]
        [DataRow(2)]
        [DataRow(5)]
        public void TryEnqueue_QueueFull_ReturnsFalseAndTheCallerKeepsTheBlock(int capacity)
        {
            // One block more than the queue holds, so the last enqueue has a block to be refused.
            BlockPool pool = new BlockPool(4, capacity + 1);
            BlockQueue queue = new BlockQueue(capacity);
            for (int i = 0; i < capacity; i++)
            {
                Assert.IsTrue(queue.TryEnqueue(pool.Alloc(0)));
                Assert.AreEqual(i + 1, queue.Count);
            }

            Block extra = pool.Alloc(0);
            Assert.IsFalse(queue.TryEnqueue(extra));
            Assert.AreEqual(capacity, queue.Count);
            Assert.AreEqual(1L, queue.Statistics.RejectedFull);
            Assert.AreEqual((long)capacity, queue.Statistics.Enqueued);
            Assert.AreEqual(capacity, queue.Statistics.HighWater);

            // The refused block is still the caller's: freeing it works once.
            pool.Free(extra);
            Assert.IsNull(PoolAssert.QueueProblem(queue));
        }

        [TestMethod]
        public void TryDequeue_Empty_ReturnsFalse()
        {
            BlockQueue queue = new BlockQueue(3);
            Block block;
            Assert.IsFalse(queue.TryDequeue(out block));
            Assert.IsNull(block);
            Assert.AreEqual(0L, queue.Statistics.Dequeued);
        }

        [TestMethod]
        public void TryDequeue_SeveralQueued_ReturnsThemInEnqueueOrder()
        {
            BlockPool pool = new BlockPool(4, 3);
            BlockQueue queue = new BlockQueue(3);
            Block a = pool.Alloc(0);
            Block b = pool.Alloc(0);
            Block c = pool.Alloc(0);
            queue.TryEnqueue(b);
            queue.TryEnqueue(c);
            queue.TryEnqueue(a);

            Block taken;
            Assert.IsTrue(queue.TryDequeue(out taken));
            Assert.AreSame(b, taken);
            Assert.IsTrue(queue.TryDequeue(out taken));
            Assert.AreSame(c, taken);
            Assert.IsTrue(queue.TryDequeue(out taken));
            Assert.AreSame(a, taken);
            Assert.IsFalse(queue.TryDequeue(out taken));
            Assert.AreEqual(3L, queue.Statistics.Dequeued);
        }

        [DataRow(1)]
        [DataRow(3)]
        [DataRow(7)]
        public void Queue_ManyLapsOfTheRing_KeepsFifoOrder(int capacity)
        {
            // Enough rounds to lap the ring many times, with fill levels from 1 to capacity, so that every slot
            // goes through every mark transition (Q2) with varying head/tail distances.
            BlockPool pool = new BlockPool(4, capacity);
            BlockQueue queue = new BlockQueue(capacity);
            Block[] order = new Block[capacity];
            long passed = 0;
            for (int round = 0; round < 200; round++)
            {
                int fill = 1 + (round % capacity);
                passed += fill;
                for (int i = 0; i < fill; i++)
                {
                    order[i] = pool.Alloc(0);
                    order[i].Buffer[0] = (byte)(round + i);
                    Assert.IsTrue(queue.TryEnqueue(order[i]));
                }

                Assert.IsNull(PoolAssert.QueueProblem(queue));
                for (int i = 0; i < fill; i++)
                {
                    Block taken;
                    Assert.IsTrue(queue.TryDequeue(out taken));
                    Assert.AreSame(order[i], taken);
                    Assert.AreEqual((byte)(round + i), taken.Buffer[0]);
                    pool.Free(taken);
                }
            }

            AssertQueue(queue, count: 0, enqueued: passed, dequeued: passed, context: "after 200 rounds");
            PoolAssert.AllHome(pool, "every block home");
        }

        [TestMethod]
        public void Dequeue_ZeroTimeout_Polls()
        {
            BlockPool pool = new BlockPool(4, 1);
            BlockQueue queue = new BlockQueue(1);
            Assert.IsNull(queue.Dequeue(0));
            Assert.AreEqual(1L, queue.Statistics.Timeouts);
            Assert.AreEqual(0L, queue.Statistics.Waits);

            Block block = pool.Alloc(0);
            queue.TryEnqueue(block);
            Assert.AreSame(block, queue.Dequeue(0));
            Assert.AreEqual(1L, queue.Statistics.Timeouts);
        }

        [TestMethod]
        public void Dequeue_BlockReady_ReturnsItWithoutWaiting()
        {
            BlockPool pool = new BlockPool(4, 1);
            BlockQueue queue = new BlockQueue(1);
            Block block = pool.Alloc(0);
            queue.TryEnqueue(block);
            Assert.AreSame(block, queue.Dequeue());
            Assert.AreEqual(0L, queue.Statistics.Waits);
        }

        [DataRow(-2)]
        [DataRow(-1000)]
        public void Dequeue_NegativeTimeoutOtherThanInfinite_Throws(int timeout)
        {
            BlockQueue queue = new BlockQueue(1);
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => queue.Dequeue(timeout));
        }

        [TestMethod]
        public void HighWater_AfterDequeues_KeepsThePeakUntilReset()
        {
            BlockPool pool = new BlockPool(4, 4);
            BlockQueue queue = new BlockQueue(4);
            for (int i = 0; i < 3; i++)
            {
                queue.TryEnqueue(pool.Alloc(0));
            }

            Block block;
            queue.TryDequeue(out block);
            queue.TryDequeue(out block);
            Assert.AreEqual(3, queue.Statistics.HighWater);
            Assert.AreEqual(1, queue.Count);

            queue.Statistics.ResetHighWater();
            Assert.AreEqual(0, queue.Statistics.HighWater);
            queue.TryEnqueue(pool.Alloc(0));
            Assert.AreEqual(2, queue.Statistics.HighWater);
        }

        [TestMethod]
        public void Dispose_LaterCalls_EnqueueAndDequeueThrowButTryDequeueDrains()
        {
            BlockPool pool = new BlockPool(4, 2);
            BlockQueue queue = new BlockQueue(2);
            Block left = pool.Alloc(0);
            Block other = pool.Alloc(0);
            queue.TryEnqueue(left);
            queue.Dispose();
            queue.Dispose();

            Assert.IsTrue(queue.IsDisposed);
            Assert.ThrowsException(typeof(ObjectDisposedException), () => queue.TryEnqueue(other));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => queue.Dequeue(0));

            Block drained;
            Assert.IsTrue(queue.TryDequeue(out drained));
            Assert.AreSame(left, drained);
            pool.Free(drained);
            pool.Free(other);
            PoolAssert.AllHome(pool, "every block home");
        }

        /// <summary>
        /// A freed block must not travel: queued, it would be free and queued at once, and could end up with two
        /// holders (the next allocation's and the consumer). TryEnqueue refuses it, and the queue and the pool are
        /// exactly as before.
        /// </summary>
        [TestMethod]
        public void TryEnqueue_FreedBlock_ThrowsInvalidOperationAndChangesNothing()
        {
            BlockPool pool = new BlockPool(4, 2);
            BlockQueue queue = new BlockQueue(2);
            Block queued = pool.Alloc(0);
            Block freed = pool.Alloc(0);
            Assert.IsTrue(queue.TryEnqueue(queued));
            pool.Free(freed);
            PoolSnapshot poolBefore = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => queue.TryEnqueue(freed));

            poolBefore.AssertUnchanged("TryEnqueue of a freed block");
            AssertQueue(queue, count: 1, enqueued: 1, dequeued: 0, context: "after the refused block");
            Assert.AreEqual(0L, queue.Statistics.RejectedFull, "a refused block is not a full queue");
            Assert.AreEqual(1, queue.Statistics.HighWater);

            // The freed block has one owner, the pool: the next allocation gets it, the queue gives only its own.
            Block reused;
            Assert.IsTrue(pool.TryAlloc(out reused));
            Assert.AreSame(freed, reused);
            Block taken;
            Assert.IsTrue(queue.TryDequeue(out taken));
            Assert.AreSame(queued, taken);
            Assert.IsFalse(queue.TryDequeue(out taken), "the freed block was never queued");
        }

        [TestMethod]
        public void TryEnqueue_RetiredBlock_ThrowsInvalidOperationAndChangesNothing()
        {
            BlockPool pool = new BlockPool(4, 2);
            BlockQueue queue = new BlockQueue(2);
            Block[] held = PoolAssert.TakeAll(pool);
            pool.Resize(1);
            pool.Free(held[0]);
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "the freed block was retired");
            PoolSnapshot poolBefore = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => queue.TryEnqueue(held[0]));

            poolBefore.AssertUnchanged("TryEnqueue of a retired block");
            AssertQueue(queue, count: 0, enqueued: 0, dequeued: 0, context: "after the refused block");
            pool.Free(held[1]);
        }

        /// <summary>A held block of a poisoning pool (held, with its fill to be checked) travels like any other.</summary>
        [TestMethod]
        public void TryEnqueue_HeldBlockOfAPoisoningPool_IsAccepted()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            BlockPool pool = new BlockPool(4, 2, options);
            BlockQueue queue = new BlockQueue(2);
            Block block;
            Assert.IsTrue(pool.TryAlloc(out block));

            Assert.IsTrue(queue.TryEnqueue(block));

            Assert.AreSame(block, queue.Dequeue(0));
            pool.Free(block);
            PoolAssert.AllHome(pool, "the block came home through the queue");
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations);
        }

        /// <summary>
        /// Enqueued and Dequeued count exactly the blocks that went in and came out, through every kind of call:
        /// not a refused (full) enqueue, a refused (freed) block, a poll or a TryDequeue that found nothing, nor a
        /// call after Dispose; and they keep counting exactly over many laps of the ring.
        /// </summary>
        [TestMethod]
        public void EnqueuedAndDequeued_EveryKindOfCall_CountExactlyTheBlocksThatPassed()
        {
            BlockPool pool = new BlockPool(4, 4);
            BlockQueue queue = new BlockQueue(2);
            Block a = pool.Alloc(0);
            Block b = pool.Alloc(0);
            Block c = pool.Alloc(0);
            Block freed = pool.Alloc(0);
            pool.Free(freed);

            Assert.IsTrue(queue.TryEnqueue(a));
            Assert.IsTrue(queue.TryEnqueue(b));
            Assert.IsFalse(queue.TryEnqueue(c), "full");
            Assert.ThrowsException(typeof(InvalidOperationException), () => queue.TryEnqueue(freed));
            AssertQueue(queue, count: 2, enqueued: 2, dequeued: 0, context: "two accepted, two refused");

            Block taken;
            Assert.IsTrue(queue.TryDequeue(out taken));
            Assert.AreSame(a, taken);
            Assert.AreSame(b, queue.Dequeue(0));
            Assert.IsNull(queue.Dequeue(0), "empty poll");
            Assert.IsFalse(queue.TryDequeue(out taken), "empty TryDequeue");
            AssertQueue(queue, count: 0, enqueued: 2, dequeued: 2, context: "both taken, two empty looks");

            const int Laps = 50;
            for (int i = 0; i < Laps; i++)
            {
                Assert.IsTrue(queue.TryEnqueue(c));
                Assert.AreSame(c, queue.Dequeue(0));
            }

            AssertQueue(queue, count: 0, enqueued: 2 + Laps, dequeued: 2 + Laps, context: "after the laps");

            Assert.IsTrue(queue.TryEnqueue(c));
            queue.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => queue.TryEnqueue(a));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => queue.Dequeue(0));
            Assert.IsTrue(queue.TryDequeue(out taken), "drained after Dispose");
            AssertQueue(queue, count: 0, enqueued: 3 + Laps, dequeued: 3 + Laps, context: "after Dispose and the drain");
        }

        /// <summary>Asserts a quiescent queue's count, its enqueued and dequeued statistics, and its invariants.</summary>
        private static void AssertQueue(BlockQueue queue, int count, long enqueued, long dequeued, string context)
        {
            Assert.AreEqual(count, queue.Count, context + ": Count");
            Assert.AreEqual(enqueued, queue.Statistics.Enqueued, context + ": Enqueued");
            Assert.AreEqual(dequeued, queue.Statistics.Dequeued, context + ": Dequeued");
            Assert.IsNull(PoolAssert.QueueProblem(queue), context + ": invariants");
        }
    }
}
