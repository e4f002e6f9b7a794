// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;

namespace NanoMempool.Tests
{
    /// <summary>
    /// BlockQueue's waiting side: Dequeue timeouts, wake-ups by producers on threads and in timer callbacks
    /// (the nanoFramework stand-in for an interrupt handler), wake-up of several sleepers (Q5), Dispose, and an
    /// exactly-once delivery run with producers in two contexts. Test methods run with no instance, so the
    /// results of helper threads are kept in static fields; every wait has a timeout.
    /// </summary>
    [TestClass]
    public class BlockQueueWaitingTests
    {
        /// <summary>Longest any test waits for an event that should come at once (a failure, not a delay).</summary>
        private const int Patience = 5000;

        private static BlockQueue s_queue;
        private static BlockPool s_pool;
        private static Block[] s_results;
        private static Type[] s_errors;
        private static AutoResetEvent[] s_done;
        private static int s_produced;
        private static int s_toProduce;
        private static int s_inCallback;

        [TestMethod]
        public void Dequeue_NothingArrives_ReturnsNullAfterTheTimeout()
        {
            BlockQueue queue = new BlockQueue(2);
            DateTime start = DateTime.UtcNow;
            Block block = queue.Dequeue(100);
            TimeSpan elapsed = DateTime.UtcNow - start;

            Assert.IsNull(block);
            Assert.IsTrue(elapsed.Ticks >= 100 * TimeSpan.TicksPerMillisecond, "returned after " + elapsed.Ticks + " ticks");
            Assert.IsTrue(elapsed.Ticks < Patience * TimeSpan.TicksPerMillisecond);
            Assert.AreEqual(1L, queue.Statistics.Waits);
            Assert.AreEqual(1L, queue.Statistics.Timeouts);
        }

        [TestMethod]
        public void Dequeue_AThreadEnqueues_Wakes()
        {
            Start(consumers: 1, capacity: 2);
            StartConsumer(index: 0, timeout: Timeout.Infinite);
            try
            {
                AwaitSleepers(count: 1);
                Block block = s_pool.Alloc(0);
                Assert.IsTrue(s_queue.TryEnqueue(block));
                Assert.IsTrue(s_done[0].WaitOne(Patience, false), "the sleeping Dequeue did not wake");
                Assert.IsNull(s_errors[0]);
                Assert.AreSame(block, s_results[0]);
                Assert.AreEqual(0L, s_queue.Statistics.Timeouts);
            }
            finally
            {
                // If the test failed, this releases the untimed Dequeue (with ObjectDisposedException).
                s_queue.Dispose();
            }
        }

        [TestMethod]
        public void Dequeue_ATimerCallbackEnqueues_Wakes()
        {
            Start(consumers: 1, capacity: 2);
            s_toProduce = 1;
            s_produced = 0;

            // The callback allocates and enqueues exactly as an interrupt handler would: never waiting.
            using (Timer timer = new Timer(ProduceInCallback, null, 50, Timeout.Infinite))
            {
                DateTime start = DateTime.UtcNow;
                Block block = s_queue.Dequeue(Patience);
                TimeSpan elapsed = DateTime.UtcNow - start;
                Assert.IsNotNull(block);

                // Woken by the enqueue, not found by the last look after the timeout.
                Assert.IsTrue(elapsed.Ticks < (Patience / 2) * TimeSpan.TicksPerMillisecond, "woke after " + elapsed.Ticks + " ticks");
                Assert.AreEqual((byte)1, block.Buffer[0]);
                s_pool.Free(block);
            }

            Assert.AreEqual(1L, s_queue.Statistics.Waits);
            PoolAssert.AllHome(s_pool, "every block home");
        }

        [TestMethod]
        public void Dequeue_TwoSleepersAndTwoBlocksBackToBack_BothWake()
        {
            // One AutoResetEvent holds one Set(); the second sleeper wakes only if the first passes it on
            // (the hand-on side of the wake-up argument, Q5).
            Start(consumers: 2, capacity: 2);
            StartConsumer(index: 0, timeout: Patience);
            StartConsumer(index: 1, timeout: Patience);
            AwaitSleepers(count: 2);

            Block a = s_pool.Alloc(0);
            Block b = s_pool.Alloc(0);
            Assert.IsTrue(s_queue.TryEnqueue(a));
            Assert.IsTrue(s_queue.TryEnqueue(b));

            Assert.IsTrue(s_done[0].WaitOne(Patience, false), "sleeper 0 did not wake");
            Assert.IsTrue(s_done[1].WaitOne(Patience, false), "sleeper 1 did not wake");
            Assert.IsNull(s_errors[0]);
            Assert.IsNull(s_errors[1]);
            Assert.IsTrue((s_results[0] == a && s_results[1] == b) || (s_results[0] == b && s_results[1] == a));
        }

        [TestMethod]
        public void Dispose_ThreeSleepers_AllWakeWithObjectDisposed()
        {
            Start(consumers: 3, capacity: 1);
            // Finite (but longer than the test's own patience) so that a failure leaves no thread behind.
            StartConsumer(index: 0, timeout: 2 * Patience);
            StartConsumer(index: 1, timeout: 2 * Patience);
            StartConsumer(index: 2, timeout: 2 * Patience);
            AwaitSleepers(count: 3);

            s_queue.Dispose();
            for (int i = 0; i < 3; i++)
            {
                Assert.IsTrue(s_done[i].WaitOne(Patience, false), "sleeper " + i + " did not wake on Dispose");
                Assert.IsNull(s_results[i]);
                Assert.AreEqual(typeof(ObjectDisposedException), s_errors[i]);
            }
        }

        [TestMethod]
        public void Dispose_RightAfterAnEnqueue_StillWakesEverySleeper()
        {
            // The enqueue's Set() may wake a sleeper that takes the block instead of seeing Dispose: it must
            // still pass the wake-up on, or the other sleepers would wait out their timeouts.
            Start(consumers: 3, capacity: 2);
            for (int i = 0; i < 3; i++)
            {
                StartConsumer(index: i, timeout: 2 * Patience);
            }

            AwaitSleepers(count: 3);
            Block block = s_pool.Alloc(0);
            s_queue.TryEnqueue(block);
            s_queue.Dispose();

            int blocks = 0;
            for (int i = 0; i < 3; i++)
            {
                Assert.IsTrue(s_done[i].WaitOne(Patience, false), "sleeper " + i + " did not wake");
                if (s_results[i] != null)
                {
                    Assert.AreSame(block, s_results[i]);
                    blocks++;
                }
                else
                {
                    Assert.AreEqual(typeof(ObjectDisposedException), s_errors[i]);
                }
            }

            // Either a sleeper took the block, or it is still there for the owner to drain.
            Block left;
            Assert.AreEqual(1, blocks + (s_queue.TryDequeue(out left) ? 1 : 0));
        }

        [TestMethod]
        public void Queue_CallbackAndThreadProducers_DeliverEveryBlockExactlyOnce()
        {
            // A small queue and pool so that both "full" and "pool empty" happen often; the producers retry
            // until each has delivered its share, the consumer frees what it takes.
            const int PerProducer = 300;
            Start(consumers: 0, capacity: 3);
            s_pool = new BlockPool(4, 4);
            s_toProduce = PerProducer;
            s_produced = 0;
            int[] seen = new int[2 * PerProducer];

            Thread producer = new Thread(ProduceOnThread);
            producer.Start();
            using (Timer timer = new Timer(ProduceInCallback, null, 0, 1))
            {
                for (int received = 0; received < 2 * PerProducer; received++)
                {
                    Block block = s_queue.Dequeue(Patience);
                    Assert.IsNotNull(block, "only " + received + " blocks arrived");
                    int tag = (block.Buffer[1] << 8) | block.Buffer[2];
                    int source = block.Buffer[0] == 1 ? 0 : PerProducer;
                    seen[source + tag]++;
                    s_pool.Free(block);
                }
            }

            Assert.IsTrue(producer.Join(Patience));
            for (int i = 0; i < seen.Length; i++)
            {
                Assert.AreEqual(1, seen[i], "block tag " + i);
            }

            Assert.AreEqual(0, s_queue.Count);
            Assert.AreEqual(s_queue.Statistics.Enqueued, s_queue.Statistics.Dequeued);
            Assert.IsNull(PoolAssert.QueueProblem(s_queue));
            PoolAssert.AllHome(s_pool, "every block home");
        }

        private static void Start(int consumers, int capacity)
        {
            s_queue = new BlockQueue(capacity);
            s_pool = new BlockPool(4, capacity);
            s_results = new Block[consumers];
            s_errors = new Type[consumers];
            s_done = new AutoResetEvent[consumers];
            for (int i = 0; i < consumers; i++)
            {
                s_done[i] = new AutoResetEvent(false);
            }
        }

        private static void StartConsumer(int index, int timeout)
        {
            // The thread keeps this test's objects: if a failed test leaves it behind, it cannot disturb the next.
            BlockQueue queue = s_queue;
            Block[] results = s_results;
            Type[] errors = s_errors;
            AutoResetEvent done = s_done[index];
            Thread thread = new Thread(() =>
            {
                try
                {
                    results[index] = queue.Dequeue(timeout);
                }
                catch (Exception e)
                {
                    errors[index] = e.GetType();
                }

                done.Set();
            });
            thread.Start();
        }

        /// <summary>Waits (bounded) until the queue's statistics show that many Dequeue calls waiting.</summary>
        private static void AwaitSleepers(int count)
        {
            for (int i = 0; i < Patience && s_queue.Statistics.Waits < count; i++)
            {
                Thread.Sleep(1);
            }

            Assert.AreEqual((long)count, s_queue.Statistics.Waits);
        }

        /// <summary>Timer callback: one TryAlloc + TryEnqueue per tick, never waiting; tag = source 1 + number.</summary>
        private static void ProduceInCallback(object state)
        {
            // nanoFramework runs timer callbacks one at a time; a host timer may overlap them. Skipping a tick
            // that overlaps keeps the numbering single-writer on both.
            if (Interlocked.CompareExchange(ref s_inCallback, 1, 0) != 0)
            {
                return;
            }

            int next = s_produced;
            Block block;
            if (next < s_toProduce && s_pool.TryAlloc(out block))
            {
                block.Buffer[0] = 1;
                block.Buffer[1] = (byte)(next >> 8);
                block.Buffer[2] = (byte)next;
                if (s_queue.TryEnqueue(block))
                {
                    s_produced = next + 1;
                }
                else
                {
                    s_pool.Free(block);
                }
            }

            Interlocked.Exchange(ref s_inCallback, 0);
        }

        /// <summary>Thread producer: waits for blocks with Alloc, retries a full queue; tag = source 2 + number.</summary>
        private static void ProduceOnThread()
        {
            for (int next = 0; next < s_toProduce; next++)
            {
                Block block = s_pool.Alloc(Patience);
                if (block == null)
                {
                    return;
                }

                block.Buffer[0] = 2;
                block.Buffer[1] = (byte)(next >> 8);
                block.Buffer[2] = (byte)next;
                int tries = 0;
                while (!s_queue.TryEnqueue(block) && tries++ < Patience)
                {
                    Thread.Sleep(1);
                }
            }
        }
    }
}
