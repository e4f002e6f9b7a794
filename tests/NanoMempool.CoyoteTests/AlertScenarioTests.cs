// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Microsoft.Coyote.Specifications;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// The alert protocol (INVARIANTS I6 and I9 in BlockPool.FreeList.cs: the alert bit in the free-list word tells a push to
    /// run AfterAlertedPush; RaiseAlert always changes the word, ClearAlertIfIdle clears only by a CAS against a word
    /// read before it found every condition false) and demand first (I4: a freed block goes to a waiting thread
    /// before a pending shrink may retire it), against the real, rewritten BlockPool. Each scenario is also the
    /// control of a seeded bug in <see cref="SeededBugTests"/>: the same body on a mutant must fail.
    /// </summary>
    public sealed class AlertScenarioTests
    {
        private readonly ITestOutputHelper _output;

        public AlertScenarioTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// 3 blocks, the main thread holding m and a freer thread holding f: a bulk caller waits for 2 blocks
        /// (Alloc(into, 2), untimed: it raises the alert on arrival and clears it on leaving) while the main thread
        /// shrinks the pool to 2 (raises the alert; the retire that settles the shrink clears it) and then frees m,
        /// and the freer frees f. Raises and clears of the alert race each other and the pushes. The bulk caller must
        /// get its set (a lost wake-up is a deadlock); at the end every block is home, Validate() is clean (among
        /// others: no free block while capacity > target, the alert set while a condition needs it) and
        /// Capacity == FreeCount == 2. The bulk caller must have slept in some schedules.
        /// </summary>
        [Fact]
        public void Alert_ShrinkRacesFreesAndBulkWaiter()
        {
            BulkWaitScenarioTests.Counts waited = new BulkWaitScenarioTests.Counts();
            PoolScenarioTests.Check(_output, "alert-shrink-bulk-frees", () =>
            {
                BlockPool pool = new BlockPool(8, 3);
                Ledger ledger = new Ledger(3);
                Block m = pool.Alloc(0);
                Block f = pool.Alloc(0);
                ledger.Acquire(pool, m, 1);
                ledger.Acquire(pool, f, 2);
                Exception failure = null;
                Thread bulk = new Thread(() =>
                {
                    try
                    {
                        Block[] set = new Block[2];
                        Specification.Assert(pool.Alloc(set, 2, Timeout.Infinite), "the untimed Alloc(into, 2) returned false");
                        ledger.Acquire(pool, set[0], 3);
                        ledger.Acquire(pool, set[1], 3);
                        ledger.Release(set[0], 3);
                        ledger.Release(set[1], 3);
                        pool.Free(set, 2);
                    }
                    catch (Exception e)
                    {
                        failure = e;
                    }
                });
                Thread freer = new Thread(() =>
                {
                    ledger.Release(f, 2);
                    pool.Free(f);
                });
                bulk.Start();
                freer.Start();
                pool.Resize(2);
                ledger.Release(m, 1);
                pool.Free(m);
                bulk.Join();
                freer.Join();
                Specification.Assert(failure == null, "the bulk caller failed: {0}", failure?.ToString());
                AuditSettled(pool, 2);
                Specification.Assert(pool.Statistics.Allocations == 4, "STATS: Allocations {0}, expected 4", pool.Statistics.Allocations);
                waited.Add(pool.Statistics.Waits == 1);
            });
            waited.Report(_output, "alert-shrink-bulk-frees: the bulk caller slept");
        }

        /// <summary>
        /// Demand first: 2 blocks, both held by the main thread; a thread waits in the untimed Alloc() while the main
        /// thread shrinks the pool to 1 (a retirement is pending) and frees one block. If the thread was already
        /// registered as waiting when that free began (its registration CAS had set the waiters flag), the freed block
        /// is its own: Alloc() returns that very block before any other free (the main thread joins it first).
        /// Otherwise the block may be retired, and the second free serves the thread. Every block then comes home,
        /// Validate() is clean, Capacity == FreeCount == 1. Both cases must occur.
        /// </summary>
        [Fact]
        public void DemandFirst_ShrinkPending_FreedBlockGoesToTheWaiter()
        {
            BulkWaitScenarioTests.Counts waiting = new BulkWaitScenarioTests.Counts();
            PoolScenarioTests.Check(_output, "demand-first-shrink", () =>
            {
                BlockPool pool = new BlockPool(8, 2);
                Block a = pool.Alloc(0);
                Block b = pool.Alloc(0);
                Block got = null;
                Thread waiter = new Thread(() => { got = pool.Alloc(); });
                waiter.Start();
                pool.Resize(1);
                // A harness read (no scheduling point): the only waiter's record stays Waiting once the flag is set,
                // because nothing is pushed before the free below and an untimed wait never withdraws.
                bool registered = (Scenario.WordOf(pool) & FreeListWord.WaitersBit) != 0;
                pool.Free(a);
                if (registered)
                {
                    waiter.Join();
                    Specification.Assert(got == a, "DEMAND FIRST: the thread waited when block 0 was freed, but Alloc() returned {0}.", got == null ? "null" : "block " + got.Index);
                    pool.Free(b);
                }
                else
                {
                    pool.Free(b);
                    waiter.Join();
                }

                Specification.Assert(got != null, "Alloc() returned null");
                Specification.Assert(BlockLink.IsHeld(pool._links[got._slot]), "the block Alloc() returned is not held");
                pool.Free(got);
                AuditSettled(pool, 1);
                waiting.Add(registered);
            });
            waiting.Report(_output, "demand-first-shrink: the thread was registered when the block was freed");
        }

        /// <summary>
        /// A shrink with a block on its way home: 2 blocks, the main thread holding b and a thread holding a. The
        /// thread frees a while the main thread calls Resize(1). Whichever comes first, a is retired before the thread
        /// and Resize have both returned (the push either precedes the alert raise, and Resize's own retire loop
        /// finds it, or it carries the alert and retires it itself): with b still held, Capacity == 1, nothing free,
        /// Validate() clean. Then b comes home and the pool settles at 1.
        /// </summary>
        [Fact]
        public void Shrink_FreeRacingResize_RetiresBeforeEitherReturns()
        {
            PoolScenarioTests.Check(_output, "shrink-free-while-held", () =>
            {
                BlockPool pool = new BlockPool(8, 2);
                Block a = pool.Alloc(0);
                Block b = pool.Alloc(0);
                Thread freer = new Thread(() => pool.Free(a));
                freer.Start();
                pool.Resize(1);
                freer.Join();
                string problem = Scenario.Problem(pool);
                Specification.Assert(problem == null, "INVARIANT with one block held: {0}", problem);
                Specification.Assert(
                    pool.Capacity == 1 && pool.FreeCount == 0,
                    "RETIRE: with one block held, Capacity {0} and FreeCount {1}; expected 1 and 0.", pool.Capacity, pool.FreeCount);
                pool.Free(b);
                AuditSettled(pool, 1);
            });
        }

        /// <summary>Every block home: Validate() clean, Capacity == FreeCount == target, allocations == frees.</summary>
        internal static void AuditSettled(BlockPool pool, int target)
        {
            string problem = Scenario.Problem(pool);
            Specification.Assert(problem == null, "INVARIANT: {0}", problem);
            Specification.Assert(
                pool.Capacity == target && pool.FreeCount == target && Scenario.TargetOf(pool) == target,
                "RESIZE: every block home, but Capacity {0}, FreeCount {1}, target {2}; expected {3}.", pool.Capacity, pool.FreeCount, Scenario.TargetOf(pool), target);
            BlockPoolStatistics s = pool.Statistics;
            Specification.Assert(s.Allocations == s.Frees, "STATS: Allocations {0} != Frees {1} with every block home.", s.Allocations, s.Frees);
        }
    }
}
