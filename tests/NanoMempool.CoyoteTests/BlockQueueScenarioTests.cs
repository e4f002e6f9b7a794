// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Microsoft.Coyote.Specifications;
using Xunit;
using Xunit.Abstractions;
using Seeded = NanoMempool.Mutant.QueuePassOn;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Systematic tests of the real BlockQueue (the rewritten, event-patched NanoMempool.dll): producers
    /// (TryEnqueue, dropping the block when full), consumers (Dequeue(timeout), Dequeue(), TryDequeue) and
    /// Dispose with waiting consumers, each scenario over 10,000 Coyote-chosen schedules with 0 bugs. A bug is
    /// a failed audit (a block taken twice, lost, or taken although never enqueued; Validate not
    /// null; statistics that do not add up), an unexpected exception, or a deadlock (every controlled thread
    /// blocked: a consumer asleep beside a ready block, or not woken by Dispose).
    /// The blocks come from a pool (TryEnqueue accepts only held blocks); the audit frees them all and requires
    /// the pool's Validate() clean with every block home.
    /// </summary>
    public sealed class BlockQueueScenarioTests
    {
        private const uint Iterations = 10000;

        /// <summary>A positive timeout; the event shim makes its expiry an explored choice.</summary>
        private const int ShortTimeout = 20;

        private readonly ITestOutputHelper _output;

        public BlockQueueScenarioTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// Capacity 2, two producers publish one block each, two threads wait in Dequeue() (no timeout) once:
        /// both Sets may merge into one; the thread that wakes must pass the Set on. A lost wake-up leaves a
        /// thread asleep forever beside a ready block: Coyote reports the deadlock.
        /// </summary>
        [SkippableFact]
        public void Queue_C2_TwoProducers_TwoForeverSleepers()
        {
            CoyoteRunner.DeepTierOnly();
            PoolScenarioTests.Check(_output, "queue-c2-two-sleepers", () =>
            {
                QueueRun run = new QueueRun(2, 2, 1);
                run.Go(
                    new Action<QueueRun, int>[] { Producer, Producer },
                    new Action<QueueRun, int>[] { (r, id) => r.Dequeue(id, -1), (r, id) => r.Dequeue(id, -1) },
                    null,
                    false);
                Specification.Assert(run.Taken == 2, "two blocks enqueued, two Dequeue() calls, {0} taken", run.Taken);
            });
        }

        /// <summary>
        /// Capacity 2, two producers of two blocks each (drops when full; positions go around the ring up
        /// to twice), one consumer in Dequeue(timeout), one alternating TryDequeue and Dequeue(timeout).
        /// The main thread disposes the queue once both producers are done (as an application shuts down):
        /// under the event shim a timed wait may behave as an untimed one, and with drops nobody knows how
        /// many blocks will come, so Dispose ends the waits. Lost wake-ups are the business of the scenario
        /// above; this one checks ownership, FIFO hand-over, statistics and wrap-around under races.
        /// </summary>
        [SkippableFact]
        public void Queue_C2_Drops_TimedAndPollingConsumers()
        {
            CoyoteRunner.DeepTierOnly();
            PoolScenarioTests.Check(_output, "queue-c2-drops", () =>
            {
                QueueRun run = new QueueRun(2, 2, 2);
                run.Go(
                    new Action<QueueRun, int>[] { Producer, Producer },
                    new Action<QueueRun, int>[]
                    {
                        (r, id) => { for (int i = 0; i < 3 && r.Dequeue(id, ShortTimeout) != QueueRun.Disposed; i++) { } },
                        (r, id) => { for (int i = 0; i < 3 && (i % 2 == 0 ? r.TryDequeue(id) : r.Dequeue(id, ShortTimeout)) != QueueRun.Disposed; i++) { } },
                    },
                    null,
                    true);
            });
        }

        /// <summary>
        /// Dispose with waiting consumers (capacity 1): one thread loops in Dequeue(), one in Dequeue(timeout), until
        /// ObjectDisposedException; a producer publishes; the main thread disposes while they run. Every
        /// waiter must wake; blocks left are drained with TryDequeue (which works after Dispose).
        /// </summary>
        [SkippableFact]
        public void Queue_Dispose_WithWaiters()
        {
            CoyoteRunner.DeepTierOnly();
            PoolScenarioTests.Check(_output, "queue-dispose-with-waiters", () =>
            {
                QueueRun run = new QueueRun(1, 1, 2);
                run.Go(
                    new Action<QueueRun, int>[] { Producer },
                    new Action<QueueRun, int>[]
                    {
                        (r, id) => { while (r.Dequeue(id, -1) != QueueRun.Disposed) { } },
                        (r, id) => { while (r.Dequeue(id, ShortTimeout) != QueueRun.Disposed) { } },
                    },
                    r => r.Queue.Dispose(),
                    false);
            });
        }

        /// <summary>
        /// A freed block must not travel: capacity 1, a pool of 2 blocks. One thread frees its block a and then hands
        /// it to TryEnqueue anyway, which must throw InvalidOperationException and change nothing; meanwhile a producer
        /// enqueues its held block b and a consumer waits in Dequeue(). The consumer must get b (had a been queued, the
        /// one slot would have held it, or b would have been rejected), the queue's counts must show exactly one
        /// enqueue and one dequeue and no rejection, a must still be free, and every block comes home.
        /// </summary>
        [SkippableFact]
        public void Queue_EnqueueOfAFreedBlock_ThrowsAndChangesNothing()
        {
            CoyoteRunner.DeepTierOnly();
            PoolScenarioTests.Check(_output, "queue-enqueue-freed", () =>
            {
                BlockPool pool = new BlockPool(1, 2);
                BlockQueue queue = new BlockQueue(1);
                Block a = pool.Alloc(0);
                Block b = pool.Alloc(0);
                Exception staleOutcome = null;
                bool staleAccepted = false;
                Block got = null;
                Thread stale = new Thread(() =>
                {
                    pool.Free(a);
                    try
                    {
                        staleAccepted = queue.TryEnqueue(a);
                    }
                    catch (Exception e)
                    {
                        staleOutcome = e;
                    }
                });
                Thread producer = new Thread(() => Specification.Assert(queue.TryEnqueue(b), "the held block was rejected: the queue was full"));
                Thread consumer = new Thread(() => { got = queue.Dequeue(); });
                consumer.Start();
                stale.Start();
                producer.Start();
                stale.Join();
                producer.Join();
                consumer.Join();

                Specification.Assert(
                    !staleAccepted && staleOutcome is InvalidOperationException,
                    "TryEnqueue of a freed block: accepted {0}, exception {1}", staleAccepted, staleOutcome?.GetType().Name ?? "none");
                Specification.Assert(got == b, "the consumer got {0}, not the held block", got == null ? "null" : "block " + got.Index);
                Specification.Assert(queue.Count == 0 && Scenario.QueueProblem(queue) == null, "QUEUE: Count {0}, {1}", queue.Count, Scenario.QueueProblem(queue));
                BlockQueueStatistics s = queue.Statistics;
                Specification.Assert(
                    s.Enqueued == 1 && s.Dequeued == 1 && s.RejectedFull == 0,
                    "STATS: Enqueued {0}, Dequeued {1}, RejectedFull {2}; expected 1, 1, 0", s.Enqueued, s.Dequeued, s.RejectedFull);
                Specification.Assert(pool.FreeCount == 1 && !BlockLink.IsHeld(pool._links[a._slot]), "the freed block is not free: FreeCount {0}", pool.FreeCount);
                pool.Free(got);
                Specification.Assert(pool.FreeCount == 2 && Scenario.Problem(pool) == null, "POOL: FreeCount {0}, {1}", pool.FreeCount, Scenario.Problem(pool));
            });
        }

        /// <summary>Producer: TryEnqueue each of its blocks once; a full queue drops it.</summary>
        private static void Producer(QueueRun run, int id)
        {
            for (int i = 0; i < run.PerProducer; i++)
            {
                run.Enqueue(id, i);
            }
        }

        /// <summary>
        /// SEEDED BUG: the mutant's Dequeue passes its Set on only after Dispose, not when another block is
        /// ready (Mutant/make-mutant.fsx). The scenario of Queue_C2_TwoProducers_TwoForeverSleepers, on the
        /// mutant. Coyote finds it if a schedule lets both publishes Set before either sleeper wakes.
        /// </summary>
        [Fact]
        public void SeededBug_QueueDroppedPassOn_IsFoundAsDeadlock()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "queue-seeded-bug-mutant", CoyoteRunner.UntilBugBudget, () =>
            {
                Seeded.BlockQueue queue = new Seeded.BlockQueue(2);
                Seeded.BlockPool pool = new Seeded.BlockPool(1, 2);
                Seeded.Block a = pool.Alloc(0);
                Seeded.Block b = pool.Alloc(0);
                Thread p1 = new Thread(() => Specification.Assert(queue.TryEnqueue(a), "a: full"));
                Thread p2 = new Thread(() => Specification.Assert(queue.TryEnqueue(b), "b: full"));
                Thread c1 = new Thread(() => queue.Dequeue());
                Thread c2 = new Thread(() => queue.Dequeue());
                c1.Start();
                c2.Start();
                p1.Start();
                p2.Start();
                p1.Join();
                p2.Join();
                c1.Join();
                c2.Join();
                Specification.Assert(queue.Count == 0, "blocks left");
            });
            Assert.True(result.Bugs > 0, "Coyote did not find the seeded queue bug in " + result.Iterations + " schedules.");
            Assert.Contains("Deadlock", result.FirstBug);
        }
    }

    /// <summary>
    /// One iteration of a queue scenario: a fresh queue, producers with their own blocks, consumers, an
    /// ownership ledger (per block: enqueued? taken how often?) and the end-of-run audit.
    /// </summary>
    internal sealed class QueueRun
    {
        internal const int Got = 1;
        internal const int Empty = 2;
        internal const int Disposed = 3;

        private readonly Block[] _blocks;
        private readonly int[] _enqueued;   // 0 not yet / dropped, 1 being enqueued or enqueued
        private readonly int[] _taken;      // times a consumer (or the final drain) took the block
        private int _enqueueCount;
        private int _rejected;
        private int _takeCount;
        private int _timeouts;
        private int _waitingCalls;

        internal QueueRun(int capacity, int producers, int perProducer)
        {
            Queue = new BlockQueue(capacity);
            PerProducer = perProducer;
            _blocks = new Block[producers * perProducer];
            _enqueued = new int[_blocks.Length];
            _taken = new int[_blocks.Length];
            Pool = new BlockPool(1, _blocks.Length);
            for (int i = 0; i < _blocks.Length; i++)
            {
                // A fresh pool hands out its blocks in index order.
                _blocks[i] = Pool.Alloc(0);
            }
        }

        /// <summary>The pool the blocks come from; every block is held from construction to the audit.</summary>
        internal BlockPool Pool { get; }

        internal BlockQueue Queue { get; }

        internal int PerProducer { get; }

        internal int Taken => Volatile.Read(ref _takeCount);

        internal void Enqueue(int producer, int i)
        {
            int index = producer * PerProducer + i;
            Interlocked.Exchange(ref _enqueued[index], 1);
            bool ok;
            try
            {
                ok = Queue.TryEnqueue(_blocks[index]);
            }
            catch (ObjectDisposedException)
            {
                ok = false;
                Interlocked.Exchange(ref _enqueued[index], 0);
                return;
            }

            if (ok)
            {
                Interlocked.Increment(ref _enqueueCount);
            }
            else
            {
                // Full: the producer still holds the block (it would free it and count a drop).
                Interlocked.Exchange(ref _enqueued[index], 0);
                Interlocked.Increment(ref _rejected);
            }
        }

        internal int TryDequeue(int consumer)
        {
            Block block;
            if (Queue.TryDequeue(out block))
            {
                Took(block);
                return Got;
            }

            Specification.Assert(block == null, "TryDequeue returned false with a block");
            return Empty;
        }

        internal int Dequeue(int consumer, int timeout)
        {
            Block block;
            try
            {
                Interlocked.Increment(ref _waitingCalls);
                block = timeout < 0 ? Queue.Dequeue() : Queue.Dequeue(timeout);
            }
            catch (ObjectDisposedException)
            {
                return Disposed;
            }

            if (block == null)
            {
                Specification.Assert(timeout >= 0, "Dequeue() returned null");
                Interlocked.Increment(ref _timeouts);
                return Empty;
            }

            Took(block);
            return Got;
        }

        private void Took(Block block)
        {
            Specification.Assert(block != null && block.Index >= 0 && block.Index < _blocks.Length && _blocks[block.Index] == block, "a block that is not ours");
            Specification.Assert(Volatile.Read(ref _enqueued[block.Index]) == 1, "OWNERSHIP: block {0} taken but never enqueued (or dropped)", block.Index);
            int times = Interlocked.Increment(ref _taken[block.Index]);
            Specification.Assert(times == 1, "OWNERSHIP: block {0} taken {1} times", block.Index, times);
            Interlocked.Increment(ref _takeCount);
        }

        /// <summary>
        /// Starts producers and consumers, runs <paramref name="main"/> beside them, joins all, audits. With
        /// <paramref name="disposeAfterProducers"/> the main thread joins the producers first, then disposes.
        /// </summary>
        internal void Go(Action<QueueRun, int>[] producers, Action<QueueRun, int>[] consumers, Action<QueueRun> main, bool disposeAfterProducers)
        {
            Exception[] failures = new Exception[producers.Length + consumers.Length];
            Thread[] threads = new Thread[failures.Length];
            for (int i = 0; i < threads.Length; i++)
            {
                int slot = i;
                Action<QueueRun, int> body = i < producers.Length ? producers[i] : consumers[i - producers.Length];
                int id = i < producers.Length ? i : i - producers.Length;
                threads[i] = new Thread(() =>
                {
                    try
                    {
                        body(this, id);
                    }
                    catch (Exception e)
                    {
                        failures[slot] = e;
                    }
                });
            }

            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            main?.Invoke(this);
            if (disposeAfterProducers)
            {
                for (int i = 0; i < producers.Length; i++)
                {
                    threads[i].Join();
                }

                Queue.Dispose();
            }

            for (int i = 0; i < threads.Length; i++)
            {
                // A consumer asleep forever (a lost wake-up) never joins: Coyote reports the deadlock.
                threads[i].Join();
                Specification.Assert(failures[i] == null, "thread {0} failed: {1}", i, failures[i]?.ToString());
            }

            using (CoyoteRunner.Quiescent())
            {
                Audit();
            }
        }

        /// <summary>
        /// Quiescent audit: Validate finds nothing; every enqueued block was taken exactly once or is still
        /// in the queue (drained here with TryDequeue), no other block was taken; statistics add up. Runs after the
        /// joins, without scheduling points (<see cref="CoyoteRunner.Quiescent"/>).
        /// </summary>
        private void Audit()
        {
            string violation = Scenario.QueueProblem(Queue);
            Specification.Assert(violation == null, "INVARIANT: {0}", violation);
            int inQueue = Queue.Count;
            Specification.Assert(inQueue == _enqueueCount - _takeCount, "Count {0} != enqueued {1} - taken {2}", inQueue, _enqueueCount, _takeCount);
            Block block;
            while (Queue.TryDequeue(out block))
            {
                Took(block);
            }

            Specification.Assert(Queue.Count == 0 && Scenario.QueueProblem(Queue) == null, "after the drain: Count {0}, {1}", Queue.Count, Scenario.QueueProblem(Queue));
            for (int i = 0; i < _blocks.Length; i++)
            {
                Specification.Assert(
                    _taken[i] == _enqueued[i],
                    "LOST OR EXTRA BLOCK: block {0} enqueued {1}, taken {2} times", i, _enqueued[i], _taken[i]);
            }

            BlockQueueStatistics s = Queue.Statistics;
            Specification.Assert(s.Enqueued == _enqueueCount, "STATS: Enqueued {0} != counted {1}", s.Enqueued, _enqueueCount);
            Specification.Assert(s.Dequeued == _takeCount, "STATS: Dequeued {0} != counted {1}", s.Dequeued, _takeCount);
            Specification.Assert(s.RejectedFull == _rejected, "STATS: RejectedFull {0} != counted {1}", s.RejectedFull, _rejected);
            Specification.Assert(s.Timeouts == _timeouts, "STATS: Timeouts {0} != counted {1}", s.Timeouts, _timeouts);
            Specification.Assert(s.Waits <= _waitingCalls, "STATS: Waits {0} > waiting calls {1}", s.Waits, _waitingCalls);
            Specification.Assert(s.HighWater >= 0 && s.HighWater <= Queue.Capacity, "STATS: HighWater {0}", s.HighWater);

            // Every block went back to its holder (or was never sent): all of them come home to the pool.
            for (int i = 0; i < _blocks.Length; i++)
            {
                Pool.Free(_blocks[i]);
            }

            Specification.Assert(Pool.FreeCount == _blocks.Length, "POOL: {0} of {1} blocks home", Pool.FreeCount, _blocks.Length);
            Specification.Assert(Scenario.Problem(Pool) == null, "POOL: {0}", Scenario.Problem(Pool));
        }
    }
}
