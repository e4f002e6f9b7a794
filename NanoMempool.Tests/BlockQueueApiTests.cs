// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;

namespace NanoMempool.Tests
{
    /// <summary>
    /// BlockQueue's single-context contract: bounds, FIFO order, full and empty results, statistics, wrap-around
    /// and the invariants Q1-Q3 (see the INVARIANTS block in BlockQueue.cs). Each test builds its own queue.
    /// Data-row methods carry [DataRow] only: the launcher runs them in its data-row pass.
    /// </summary>
    [TestClass]
    public class BlockQueueApiTests
    {
        [DataRow(0)]
        [DataRow(-1)]
        [DataRow(65535)]
        public void Constructor_Throws_ForCapacityOutOfRange(int capacity)
        {
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockQueue(capacity));
        }

        [TestMethod]
        public void TryEnqueue_Throws_ForNullBlock()
        {
            BlockQueue queue = new BlockQueue(2);
            Assert.ThrowsException(typeof(ArgumentNullException), () => queue.TryEnqueue(null));
            Assert.AreEqual(0, queue.Count);
        }

        [DataRow(1)]
        [DataRow(2)]
        [DataRow(5)]
        public void TryEnqueue_AcceptsCapacityBlocks_ThenReturnsFalse(int capacity)
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
            Assert.IsNull(queue.CheckInvariants());
        }

        [TestMethod]
        public void TryDequeue_ReturnsFalse_WhenEmpty()
        {
            BlockQueue queue = new BlockQueue(3);
            Block block;
            Assert.IsFalse(queue.TryDequeue(out block));
            Assert.IsNull(block);
            Assert.AreEqual(0L, queue.Statistics.Dequeued);
        }

        [TestMethod]
        public void TryDequeue_ReturnsBlocks_InEnqueueOrder()
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
        public void Queue_KeepsFifoOrder_OverManyLaps(int capacity)
        {
            // Enough rounds to lap the ring many times, with fill levels from 1 to capacity, so that every slot
            // goes through every mark transition (Q2) with varying head/tail distances.
            BlockPool pool = new BlockPool(4, capacity);
            BlockQueue queue = new BlockQueue(capacity);
            Block[] order = new Block[capacity];
            for (int round = 0; round < 200; round++)
            {
                int fill = 1 + (round % capacity);
                for (int i = 0; i < fill; i++)
                {
                    order[i] = pool.Alloc(0);
                    order[i].Buffer[0] = (byte)(round + i);
                    Assert.IsTrue(queue.TryEnqueue(order[i]));
                }

                Assert.IsNull(queue.CheckInvariants());
                for (int i = 0; i < fill; i++)
                {
                    Block taken;
                    Assert.IsTrue(queue.TryDequeue(out taken));
                    Assert.AreSame(order[i], taken);
                    Assert.AreEqual((byte)(round + i), taken.Buffer[0]);
                    pool.Free(taken);
                }
            }

            Assert.AreEqual(0, queue.Count);
            Assert.AreEqual(queue.Statistics.Enqueued, queue.Statistics.Dequeued);
            Assert.IsNull(queue.CheckInvariants());
            Assert.IsTrue(pool.IsSaturated);
        }

        [TestMethod]
        public void Dequeue_Polls_WithZeroTimeout()
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
        public void Dequeue_ReturnsReadyBlock_WithoutWaiting()
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
        public void Dequeue_Throws_ForNegativeTimeoutOtherThanInfinite(int timeout)
        {
            BlockQueue queue = new BlockQueue(1);
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => queue.Dequeue(timeout));
        }

        [TestMethod]
        public void Statistics_HighWater_KeepsPeak_UntilReset()
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
        public void Dispose_MakesEnqueueAndDequeueThrow_ButTryDequeueDrains()
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
            Assert.IsTrue(pool.IsSaturated);
        }
    }
}
