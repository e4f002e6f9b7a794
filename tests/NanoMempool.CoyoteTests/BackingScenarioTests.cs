// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Microsoft.Coyote.Specifications;
using Xunit;
using Xunit.Abstractions;
using Seeded = NanoMempool.Mutant.NoTrim;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Systematic tests of the backing allocator (BlockPoolOptions.BackingAllocator, BlockPool.Backing.cs) against
    /// the real, rewritten BlockPool: threads in Alloc(timeout) and Alloc() (allocator first, then the reserve, then
    /// waiting in slices), handlers in TryAlloc/Free (never the allocator), frees that refill the reserve or trim it
    /// (I7), and a Resize of the reserve or a Dispose racing them. Every run ends with the usual audit (ledger empty,
    /// Validate() clean, which with an allocator includes I7 and "allocator buffers - given back ==
    /// Capacity", statistics equal to the workers' counts) and with the allocator's own count: its outstanding
    /// buffers equal Capacity, and FreeCount &lt;= ReserveSize. Reuses Ledger, Tally, Scenario.Audit and CoyoteRunner
    /// unchanged; the actors are those of <see cref="BulkScenarioTests"/>. See docs/concurrency/backing-allocator.md.
    /// </summary>
    /// <remarks>
    /// With an allocator every wait is a slice (BackingRetryMilliseconds), and the test event turns every timed
    /// wait into a choice, so a lost wake-up here would show as a late allocation, not as a deadlock: the spin
    /// model checks that property (INV_WAKE with -DBACKING). Deadlocks of locks and of Collect's untimed wait are
    /// still reported.
    /// </remarks>
    public sealed class BackingScenarioTests
    {
        private const int ShortTimeout = 20;

        private readonly ITestOutputHelper _output;

        public BackingScenarioTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// Reserve 2, an allocator with room for one more buffer that may also refuse at any call (a Coyote choice):
        /// a handler (TryAlloc/Free), a thread in Alloc(timeout) and a thread in Alloc(). Blocks from the
        /// allocator refill the reserve when it is short and go back when it is full; nothing is lost, the reserve
        /// never ends above its size, and TryAlloc never calls the allocator (checked inside Allocate).
        /// </summary>
        [SkippableFact]
        public void Backing_HandlerAndTwoThreads()
        {
            CoyoteRunner.DeepTierOnly();
            Check("backing-handler-two-threads", () => Run(2, 3, true, new Action<BulkScenarioTests.Actor>[]
            {
                a => { a.TryAllocFree(); },
                a => { a.AllocFree(ShortTimeout); },
                a => { a.AllocFree(Timeout.Infinite); },
            },
            new[] { true, false, false },
            null));
        }

        /// <summary>
        /// Reserve 2, an allocator that refuses only when 5 buffers are out (more than can ever be out at once here,
        /// counting buffers on their way back): a handler and a thread in Alloc() race the main thread's Resize(1)
        /// (trim) and Resize(2) (fill from the allocator). Besides the audit, the reserve must end full: every block
        /// that went back left a full reserve behind, and every Resize filled it (refill first, end to end). Before
        /// TrimReserve's REFILL RE-CHECK this failed within about 50 schedules: a trim that had read the limit 1
        /// popped after Resize(2) had found the reserve full.
        /// </summary>
        [SkippableFact]
        public void Backing_ResizeRacesHandlerAndThread_ReserveEndsFull()
        {
            CoyoteRunner.DeepTierOnly();
            Check("backing-resize", () => Run(2, 5, false, new Action<BulkScenarioTests.Actor>[]
            {
                a => { a.TryAllocFree(); },
                a => { a.AllocFree(Timeout.Infinite); },
            },
            new[] { true, false },
            pool =>
            {
                pool.Resize(1);
                pool.Resize(2);
            },
            true));
        }

        /// <summary>
        /// Reserve 1, an allocator with room for two more buffers (may refuse): a thread in Alloc() and a handler
        /// race the main thread's Dispose. Every thread ends with a block or
        /// ObjectDisposedException; afterwards everything has gone back to the allocator (ReserveSize 0, Capacity
        /// 0, outstanding 0) and the statistics still add up.
        /// </summary>
        [SkippableFact]
        public void Backing_DisposeRacesThreadsAndHandler()
        {
            CoyoteRunner.DeepTierOnly();
            Check("backing-dispose", () => Run(1, 3, true, new Action<BulkScenarioTests.Actor>[]
            {
                a => { a.AllocFree(Timeout.Infinite); },
                a => { a.TryAllocFree(); },
            },
            new[] { false, true },
            pool => pool.Dispose()));
        }

        /// <summary>
        /// The seeded bug (Mutant/make-mutant.fsx): Release no longer trims after a push. A thread takes a block
        /// from the allocator while the reserve is full and frees it; the block stays, the reserve ends above its
        /// size (I7), and the allocator never gets the buffer back. Coyote must report it (the same scenario on the
        /// real pool is <see cref="Control_NoTrimScenarioOnRealPool_IsClean"/>).
        /// </summary>
        [Fact]
        public void SeededBug_NoTrimAfterPush_IsFound()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "backing-seeded-bug-mutant", CoyoteRunner.UntilBugBudget, () =>
            {
                MutantAllocator allocator = new MutantAllocator(2);
                Seeded.BlockPoolOptions options = new Seeded.BlockPoolOptions();
                options.BackingAllocator = allocator;
                Seeded.BlockPool pool = new Seeded.BlockPool(8, 1, options);
                Thread handler = new Thread(() =>
                {
                    Seeded.Block block;
                    if (pool.TryAlloc(out block))
                    {
                        pool.Free(block);
                    }
                });
                handler.Start();
                Seeded.Block mine = pool.Alloc(0);
                Specification.Assert(mine != null, "scenario: the allocator had a buffer");
                pool.Free(mine);
                handler.Join();
                Specification.Assert(
                    pool.FreeCount <= pool.ReserveSize,
                    "I7: the reserve holds {0} free blocks, more than its size {1}.", pool.FreeCount, pool.ReserveSize);
                Specification.Assert(allocator.Outstanding == pool.Capacity, "ALLOCATOR: {0} buffers out, Capacity {1}.", allocator.Outstanding, pool.Capacity);
            });
            Assert.True(result.Bugs > 0, "Coyote did not find the seeded bug in " + result.Iterations + " schedules.");
            Assert.Contains("I7", result.FirstBug);
        }

        /// <summary>The seeded-bug scenario on the real pool: clean.</summary>
        [Fact]
        public void Control_NoTrimScenarioOnRealPool_IsClean()
        {
            CoyoteRunner.Result result = CoyoteRunner.Run(_output, "backing-seeded-bug-control", 2000, () =>
            {
                BudgetAllocator allocator = new BudgetAllocator(2, null);
                BlockPoolOptions options = new BlockPoolOptions();
                options.BackingAllocator = allocator;
                BlockPool pool = new BlockPool(8, 1, options);
                Thread handler = new Thread(() =>
                {
                    Block block;
                    if (pool.TryAlloc(out block))
                    {
                        pool.Free(block);
                    }
                });
                handler.Start();
                Block mine = pool.Alloc(0);
                Specification.Assert(mine != null, "scenario: the allocator had a buffer");
                pool.Free(mine);
                handler.Join();
                Specification.Assert(
                    pool.FreeCount <= pool.ReserveSize,
                    "I7: the reserve holds {0} free blocks, more than its size {1}.", pool.FreeCount, pool.ReserveSize);
                Specification.Assert(allocator.Outstanding == pool.Capacity, "ALLOCATOR: {0} buffers out, Capacity {1}.", allocator.Outstanding, pool.Capacity);
                Specification.Assert(Scenario.Problem(pool) == null, "INVARIANT: {0}", Scenario.Problem(pool));
            });
            Assert.True(result.Bugs == 0, "control: " + result.FirstBug + "\nTrace:\n" + result.Trace);
        }

        private void Check(string name, Action test)
        {
            CoyoteRunner.AssertNoBug(_output, name, test);
        }

        /// <summary>
        /// One iteration: a pool with a reserve of <paramref name="reserve"/> over a fresh <see cref="BudgetAllocator"/>
        /// (at most <paramref name="budget"/> buffers out; <paramref name="flaky"/>: it may also refuse at any call),
        /// one controlled thread per body (<paramref name="handlers"/> marks the handler-like ones, which must never
        /// reach the allocator), the main action concurrently, join, audit.
        /// </summary>
        private static void Run(int reserve, int budget, bool flaky, Action<BulkScenarioTests.Actor>[] bodies, bool[] handlers, Action<BlockPool> main, bool reserveEndsFull = false)
        {
            HandlerThreads handlerThreads = new HandlerThreads(bodies.Length);
            BudgetAllocator allocator = new BudgetAllocator(budget, handlerThreads);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            BlockPool pool = new BlockPool(8, reserve, options);
            allocator.Flaky = flaky;    // after the constructor, which throws if the reserve cannot be had
            Ledger ledger = new Ledger(8);
            BulkScenarioTests.Shared shared = new BulkScenarioTests.Shared();
            Tally total = new Tally();

            BulkScenarioTests.Actor[] actors = new BulkScenarioTests.Actor[bodies.Length];
            Thread[] threads = new Thread[bodies.Length];
            for (int i = 0; i < bodies.Length; i++)
            {
                BulkScenarioTests.Actor actor = new BulkScenarioTests.Actor(pool, ledger, shared, i + 1, 0);
                Action<BulkScenarioTests.Actor> body = bodies[i];
                int slot = i;
                bool handler = handlers[i];
                actors[i] = actor;
                threads[i] = new Thread(() =>
                {
                    if (handler)
                    {
                        handlerThreads.Enter(slot);
                    }

                    actor.Run(body);
                    if (handler)
                    {
                        handlerThreads.Leave(slot);
                    }
                });
            }

            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            main?.Invoke(pool);
            for (int i = 0; i < threads.Length; i++)
            {
                threads[i].Join();
                if (actors[i].Failure is ObjectDisposedException && pool.IsDisposed)
                {
                    // Alloc or TryAlloc after (or during) Dispose: the documented outcome; the actor held nothing.
                    total.Disposed++;
                }
                else
                {
                    Specification.Assert(actors[i].Failure == null, "worker {0} failed: {1}", i + 1, actors[i].Failure?.ToString());
                }

                total.Add(actors[i].Tally);
            }

            // The end-of-run checks, every actor finished: without scheduling points (nothing left to interleave).
            using (CoyoteRunner.Quiescent())
            {
                Specification.Assert(
                    pool.FreeCount <= pool.ReserveSize,
                    "I7: the reserve holds {0} free blocks, more than its size {1}.", pool.FreeCount, pool.ReserveSize);
                Specification.Assert(
                    allocator.Outstanding == pool.Capacity,
                    "ALLOCATOR: {0} buffers out, but Capacity (live blocks) is {1}.", allocator.Outstanding, pool.Capacity);
                if (pool.IsDisposed)
                {
                    Specification.Assert(
                        pool.ReserveSize == 0 && pool.Capacity == 0,
                        "DISPOSE: ReserveSize {0}, Capacity {1}: not everything went back.", pool.ReserveSize, pool.Capacity);
                }

                if (reserveEndsFull)
                {
                    // Every block is home and the allocator refused only at its budget, which is above the reserve.
                    Specification.Assert(
                        pool.FreeCount == pool.ReserveSize,
                        "REFILL: every block is home but the reserve holds {0} of its {1} blocks (the allocator had buffers).",
                        pool.FreeCount, pool.ReserveSize);
                }

                // Ledger empty, Validate (I7 and the allocator statistics included), FreeCount == Capacity,
                // statistics; then a settle cycle (TryAlloc and Free of every free block) when not disposed.
                Scenario.Audit(pool, ledger, total, true);
                Specification.Assert(
                    allocator.Outstanding == pool.Capacity,
                    "ALLOCATOR after settle: {0} buffers out, Capacity {1}.", allocator.Outstanding, pool.Capacity);
            }
        }

        /// <summary>The budget allocator for the mutant's own IBlockAllocator (the mutant is a separate namespace).</summary>
        internal sealed class MutantAllocator : NanoMempool.Mutant.NoTrim.IBlockAllocator
        {
            private readonly int _budget;
            private int _outstanding;

            internal MutantAllocator(int budget)
            {
                _budget = budget;
            }

            internal int Outstanding => Interlocked.CompareExchange(ref _outstanding, 0, 0);

            public byte[] Allocate(int blockSize)
            {
                if (Interlocked.Increment(ref _outstanding) > _budget)
                {
                    Interlocked.Decrement(ref _outstanding);
                    return null;
                }

                return new byte[blockSize];
            }

            public void Release(byte[] buffer)
            {
                Interlocked.Decrement(ref _outstanding);
            }
        }

        /// <summary>The managed thread ids of the handler-like actors while they run (Interlocked only).</summary>
        internal sealed class HandlerThreads
        {
            private readonly int[] _ids;

            internal HandlerThreads(int count)
            {
                _ids = new int[count];
            }

            internal void Enter(int slot)
            {
                Interlocked.Exchange(ref _ids[slot], Environment.CurrentManagedThreadId);
            }

            internal void Leave(int slot)
            {
                Interlocked.Exchange(ref _ids[slot], 0);
            }

            internal bool Contains(int id)
            {
                for (int i = 0; i < _ids.Length; i++)
                {
                    if (Interlocked.CompareExchange(ref _ids[i], 0, 0) == id)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>
        /// A test allocator: at most <c>budget</c> buffers out at once (an interlocked reservation), optionally
        /// (<see cref="Flaky"/>) refusing at any call (a Coyote-controlled choice), never called from a handler
        /// (asserted).
        /// </summary>
        internal sealed class BudgetAllocator : IBlockAllocator
        {
            private readonly int _budget;
            private readonly HandlerThreads _handlers;
            private int _outstanding;

            internal BudgetAllocator(int budget, HandlerThreads handlers)
            {
                _budget = budget;
                _handlers = handlers;
            }

            /// <summary>Set by the test thread before the workers start: may refuse at any call (a Coyote choice).</summary>
            internal bool Flaky;

            internal int Outstanding => Interlocked.CompareExchange(ref _outstanding, 0, 0);

            public byte[] Allocate(int blockSize)
            {
                Specification.Assert(
                    _handlers == null || !_handlers.Contains(Environment.CurrentManagedThreadId),
                    "CONTEXT: a handler (TryAlloc/Free) called the allocator's Allocate.");
                if (Flaky && Microsoft.Coyote.Random.Generator.Create().NextBoolean())
                {
                    return null;
                }

                if (Interlocked.Increment(ref _outstanding) > _budget)
                {
                    Interlocked.Decrement(ref _outstanding);
                    return null;
                }

                return new byte[blockSize];
            }

            public void Release(byte[] buffer)
            {
                Specification.Assert(buffer != null, "ALLOCATOR: Release(null).");
                int left = Interlocked.Decrement(ref _outstanding);
                Specification.Assert(left >= 0, "ALLOCATOR: more buffers given back than handed out.");
            }
        }
    }
}
