// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Microsoft.Coyote.Specifications;
using Xunit;
using Xunit.Abstractions;
using Seeded = NanoMempool.Mutant.BulkRecheck;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Systematic tests of the blocking bulk allocation (BlockPool.Alloc(Block[] into, int count[, int timeout])) against
    /// the real, rewritten BlockPool: bulk callers whose sets overlap race each other, a handler's single TryAlloc/Free,
    /// a thread in the single-block Alloc(), a Resize that shrinks the pool below a waiting set, and Dispose. A lost
    /// wake-up (or a deadlock between bulk callers) leaves an untimed caller asleep: Coyote reports the deadlock. Each
    /// run ends with the usual audit (ledger empty, Validate() clean, FreeCount == Capacity == target,
    /// statistics equal to the workers' counts). Self-contained runner in the style of <see cref="BulkScenarioTests"/>;
    /// reuses Ledger, Tally, Scenario.Audit and CoyoteRunner unchanged. See docs/concurrency/bulk.md, "Coyote: the
    /// blocking bulk Alloc".
    /// </summary>
    public sealed class BulkWaitScenarioTests
    {
        private const int ShortTimeout = 20;

        private readonly ITestOutputHelper _output;

        public BulkWaitScenarioTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// 3 blocks: two untimed bulk callers of 2 (their sets overlap: they cannot both hold at once), a handler doing
        /// a single TryAlloc/Free, and a thread in the untimed single-block Alloc(). Every caller must return (a
        /// lost wake-up or a deadlock between the bulk callers is reported by Coyote); the bulk calls are all or
        /// nothing (distinct held blocks nobody else holds: the ledger).
        /// </summary>
        [SkippableFact]
        public void TwoBulkCallers_OverlappingSets_HandlerAndSingleWaiter()
        {
            CoyoteRunner.DeepTierOnly();
            Check("bulkwait-overlap-handler-single", () => Run(3, 3, new Action<Actor>[]
            {
                a => { Specification.Assert(a.BulkAllocFree(2, Timeout.Infinite) == Outcome.Taken, "Alloc(into, 2) returned without the set."); },
                a => { Specification.Assert(a.BulkAllocFree(2, Timeout.Infinite) == Outcome.Taken, "Alloc(into, 2) returned without the set."); },
                a => { a.TryAllocFree(); },
                a => { a.AllocFree(Timeout.Infinite); },
            }));
        }

        /// <summary>
        /// 2 blocks: a timed bulk caller of 2 (Alloc(into, 2, timeout): its timeout races the freers' claims, and a
        /// lost claim is collected), an untimed bulk caller of 2 (the same set) and a handler doing single
        /// TryAlloc/Free twice. The untimed one must get its set; the timed one its set or false, into[] untouched.
        /// </summary>
        [SkippableFact]
        public void TimedAndUntimedBulkCallers_SameSet_Handler()
        {
            CoyoteRunner.DeepTierOnly();
            Check("bulkwait-timed-same-set", () => Run(2, 2, new Action<Actor>[]
            {
                a => { Specification.Assert(a.BulkAllocFree(2, Timeout.Infinite) == Outcome.Taken, "Alloc(into, 2) returned without the set."); },
                a => { a.BulkAllocFree(2, ShortTimeout); },
                a => { a.TryAllocFree(); a.TryAllocFree(); },
            }));
        }

        /// <summary>
        /// 2 blocks, the main thread holding one: an untimed bulk caller of 2 (it can never have its set), and the
        /// main thread shrinking the pool to 1 and then freeing its block, at any point. Exactly two outcomes are
        /// right: InvalidOperationException if the caller got into the waiting loop (Statistics.Waits == 1: the
        /// shrink came during the wait), ArgumentOutOfRangeException if the call checked the capacity after the
        /// shrink (Waits == 0). Either way it holds nothing, and the audit requires every block home and
        /// Capacity == target == 1. The run must see the first outcome (the shrink during a wait) at least once.
        /// </summary>
        [Fact]
        public void BulkWaiter_ResizeShrinksBelowItsSet_Throws()
        {
            Counts seen = new Counts();
            Check("bulkwait-resize-shrink", () => Run(2, 2, new Action<Actor>[]
            {
                a =>
                {
                    Outcome outcome = a.BulkAllocFree(2, Timeout.Infinite);
                    Specification.Assert(outcome == Outcome.Shrunk || outcome == Outcome.OutOfRange, "Alloc(into, 2) ended with {0} beside the shrink.", outcome);
                    a.Shrunk = outcome == Outcome.Shrunk;
                },
            },
            (pool, actors) =>
            {
                pool.Resize(1);
            },
            true,
            (pool, actors) =>
            {
                Specification.Assert(
                    actors[0].Shrunk == (pool.Statistics.Waits == 1),
                    "Alloc(into, 2): InvalidOperationException {0}, but Statistics.Waits {1}.", actors[0].Shrunk, pool.Statistics.Waits);
                seen.Add(actors[0].Shrunk);
            }));
            seen.Report(_output, "bulkwait-resize-shrink: shrink during the wait (InvalidOperationException)");
        }

        /// <summary>
        /// 2 blocks, the main thread holding one: an untimed and a timed bulk caller of 2, and the main thread disposing
        /// the pool and then freeing its block, at any point. The untimed caller ends with ObjectDisposedException, or
        /// (if its first take came after the free) with the set, which it frees again; the timed one likewise, or
        /// false. Nobody sleeps on, nothing is lost. The run must see Dispose wake a sleeping bulk caller (the
        /// Disposed outcome of its record) at least once.
        /// </summary>
        [SkippableFact]
        public void BulkWaiters_Dispose_WakesThem()
        {
            CoyoteRunner.DeepTierOnly();
            Counts seen = new Counts();
            Check("bulkwait-dispose", () => Run(2, 2, new Action<Actor>[]
            {
                a =>
                {
                    Outcome outcome = a.BulkAllocFree(2, Timeout.Infinite);
                    Specification.Assert(outcome == Outcome.Disposed || outcome == Outcome.Taken, "the untimed Alloc(into, 2) ended with {0} beside Dispose.", outcome);
                },
                a => { a.BulkAllocFree(2, ShortTimeout); },
            },
            (pool, actors) =>
            {
                pool.Dispose();
            },
            true,
            (pool, actors) =>
            {
                seen.Add(actors[0].WokenByDispose || actors[1].WokenByDispose);
            }));
            seen.Report(_output, "bulkwait-dispose: Dispose woke a sleeping bulk caller");
        }

        /// <summary>
        /// Coyote must find a seeded bug in the blocking bulk Alloc: the mutant (Mutant/make-mutant.fsx) sleeps right
        /// after registering, without re-reading FreeCount. One of 2 blocks is held by the main thread; a thread calls
        /// the untimed Alloc(into, 2); the main thread frees its block. If the free lands between the thread's failed
        /// take and its registration, nobody wakes the thread: it sleeps forever beside its whole set (a deadlock).
        /// </summary>
        [Fact]
        public void SeededBug_BulkNoRecheck_Mutant_IsFoundAsDeadlock()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "bulkwait-seeded-bug-mutant", CoyoteRunner.UntilBugBudget, () =>
            {
                Seeded.BlockPool pool = new Seeded.BlockPool(8, 2);
                Seeded.Block held = pool.Alloc(0);
                Thread waiter = new Thread(() =>
                {
                    Seeded.Block[] into = new Seeded.Block[2];
                    pool.Alloc(into, 2, Timeout.Infinite);
                    pool.Free(into, 2);
                });
                waiter.Start();
                pool.Free(held);
                waiter.Join();
                Specification.Assert(pool.FreeCount == 2, "block lost");
            });
            Assert.True(result.Bugs > 0, "Coyote did not find the seeded bug in " + result.Iterations + " schedules.");
            Assert.Contains("Deadlock", result.FirstBug);
        }

        /// <summary>The same scenario on the real pool: clean (so the mutant's failure is the seeded bug).</summary>
        [Fact]
        public void Control_BulkNoRecheckScenarioOnRealPool_IsClean()
        {
            CoyoteRunner.Result result = CoyoteRunner.Run(_output, "bulkwait-seeded-bug-control", 2000, () =>
            {
                BlockPool pool = new BlockPool(8, 2);
                Block held = pool.Alloc(0);
                Thread waiter = new Thread(() =>
                {
                    Block[] into = new Block[2];
                    pool.Alloc(into, 2, Timeout.Infinite);
                    pool.Free(into, 2);
                });
                waiter.Start();
                pool.Free(held);
                waiter.Join();
                Specification.Assert(pool.FreeCount == 2, "block lost");
                Specification.Assert(Scenario.Problem(pool) == null, "INVARIANT: {0}", Scenario.Problem(pool));
            });
            Assert.True(result.Bugs == 0, "control: " + result.FirstBug);
        }

        private void Check(string name, Action test)
        {
            CoyoteRunner.AssertNoBug(_output, name, test);
        }

        /// <summary>
        /// One iteration: a fresh pool, one controlled thread per body, the main action (if any) concurrently, join,
        /// the main thread's block (if any) freed, audit. <paramref name="mainHoldsOne"/>: the main thread holds one
        /// block (Alloc(0)) from before the workers start until after its action.
        /// </summary>
        private static void Run(int capacity, int maxBlocks, Action<Actor>[] bodies, Action<BlockPool, Actor[]> main = null, bool mainHoldsOne = false, Action<BlockPool, Actor[]> after = null)
        {
            BlockPool pool = new BlockPool(8, capacity);
            Ledger ledger = new Ledger(maxBlocks);
            Tally total = new Tally();
            Block mine = null;
            if (mainHoldsOne)
            {
                mine = PoolScenarioTests.MainAlloc(pool, ledger, total);
                Specification.Assert(mine != null, "scenario error: the main thread got no block");
            }

            Actor[] actors = new Actor[bodies.Length];
            Thread[] threads = new Thread[bodies.Length];
            for (int i = 0; i < bodies.Length; i++)
            {
                Actor actor = new Actor(pool, ledger, i + 1);
                Action<Actor> body = bodies[i];
                actors[i] = actor;
                threads[i] = new Thread(() => actor.Run(body));
            }

            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            main?.Invoke(pool, actors);
            PoolScenarioTests.MainFree(pool, ledger, total, mine);
            for (int i = 0; i < threads.Length; i++)
            {
                // A caller asleep forever (a lost wake-up) never joins: Coyote reports the deadlock.
                threads[i].Join();
                Specification.Assert(actors[i].Failure == null, "worker {0} failed: {1}", i + 1, actors[i].Failure?.ToString());
                total.Add(actors[i].Tally);
            }

            after?.Invoke(pool, actors);
            Scenario.Audit(pool, ledger, total, true);
        }

        internal enum Outcome
        {
            Taken,
            TimedOut,
            Shrunk,
            Disposed,
            OutOfRange,
        }

        /// <summary>
        /// How many iterations saw a situation, across the iterations of one run (the harness is not rewritten for
        /// memory accesses, and Coyote runs the iterations one after another in this process).
        /// </summary>
        internal sealed class Counts
        {
            private int _yes;
            private int _all;

            internal void Add(bool yes)
            {
                Interlocked.Increment(ref _all);
                if (yes)
                {
                    Interlocked.Increment(ref _yes);
                }
            }

            /// <summary>Prints the count; with at least 1,000 iterations, requires the situation seen at least once.</summary>
            internal void Report(ITestOutputHelper output, string what)
            {
                string line = what + ": " + _yes + " of " + _all + " iterations";
                output.WriteLine(line);
                Console.WriteLine(line);
                if (_all >= 1000)
                {
                    Assert.True(_yes > 0, "not reached: " + line);
                }
            }
        }

        /// <summary>
        /// One controlled thread: pool calls checked against the ledger and counted in a private Tally. Holds blocks
        /// only between a successful allocation and the free that follows it within the same call.
        /// </summary>
        internal sealed class Actor
        {
            private readonly BlockPool _pool;
            private readonly Ledger _ledger;
            private readonly int _id;

            internal Actor(BlockPool pool, Ledger ledger, int id)
            {
                _pool = pool;
                _ledger = ledger;
                _id = id;
            }

            internal Tally Tally { get; } = new Tally();

            internal Exception Failure { get; private set; }

            /// <summary>Set by the scenario body: its bulk call ended with InvalidOperationException.</summary>
            internal bool Shrunk { get; set; }

            /// <summary>
            /// An ObjectDisposedException of a bulk call came from a record's Disposed outcome (thrown by
            /// WaiterQueue.ThrowIfDisposedOutcome, which a bulk call reaches only from its wait): Dispose woke it. The
            /// helper's own frame is named, since a Release build may inline the waiting method into Alloc.
            /// </summary>
            internal bool WokenByDispose { get; private set; }

            internal void Run(Action<Actor> body)
            {
                try
                {
                    body(this);
                }
                catch (Exception e)
                {
                    Failure = e;
                }
            }

            /// <summary>
            /// The blocking Alloc(into, count, timeout) (Timeout.Infinite: the two-argument overload), then, with the
            /// set, Free(into, count). InvalidOperationException (a Resize shrank the pool below the set) and
            /// ObjectDisposedException are outcomes, not failures; into[] must be untouched by every failed call.
            /// </summary>
            internal Outcome BulkAllocFree(int count, int millisecondsTimeout)
            {
                Block[] into = new Block[count + 1];
                Tally.WaitingCalls++;
                bool taken;
                try
                {
                    if (millisecondsTimeout == Timeout.Infinite)
                    {
                        _pool.Alloc(into, count, Timeout.Infinite);
                        taken = true;
                    }
                    else
                    {
                        taken = _pool.Alloc(into, count, millisecondsTimeout);
                    }
                }
                catch (ObjectDisposedException e)
                {
                    AssertUntouched(into, count, "ObjectDisposedException");
                    Tally.Disposed++;
                    WokenByDispose |= e.StackTrace != null && e.StackTrace.Contains("ThrowIfDisposedOutcome");
                    return Outcome.Disposed;
                }
                catch (ArgumentOutOfRangeException)
                {
                    // The call checked the set size against the capacity after a shrink below it.
                    AssertUntouched(into, count, "ArgumentOutOfRangeException");
                    return Outcome.OutOfRange;
                }
                catch (InvalidOperationException)
                {
                    // (after ObjectDisposedException, which derives from it)
                    AssertUntouched(into, count, "InvalidOperationException");
                    return Outcome.Shrunk;
                }

                if (!taken)
                {
                    Specification.Assert(millisecondsTimeout != Timeout.Infinite, "the untimed Alloc(into, {0}) returned false.", count);
                    AssertUntouched(into, count, "false");
                    Tally.Timeouts++;
                    Tally.TimedOutWaits++;   // a call that returns false with a positive timeout has waited
                    return Outcome.TimedOut;
                }

                Specification.Assert(into[count] == null, "Alloc(into, {0}) wrote past count.", count);
                for (int i = 0; i < count; i++)
                {
                    // The ledger rejects a block given twice, within this set or to another holder.
                    _ledger.Acquire(_pool, into[i], _id);
                    Specification.Assert(BlockLink.IsHeld(_pool._links[into[i]._slot]), "Alloc(into, {0}): block {1} is not held.", count, into[i].Index);
                }

                Tally.Allocations += count;
                for (int i = 0; i < count; i++)
                {
                    _ledger.Release(into[i], _id);
                }

                _pool.Free(into, count);
                Tally.Frees += count;
                return Outcome.Taken;
            }

            /// <summary>Handler-like single TryAlloc then Free (after Dispose: ObjectDisposedException, counted).</summary>
            internal bool TryAllocFree()
            {
                Block block;
                if (!_pool.TryAlloc(out block))
                {
                    Tally.FailedTryAllocs++;
                    return false;
                }

                _ledger.Acquire(_pool, block, _id);
                Tally.Allocations++;
                _ledger.Release(block, _id);
                _pool.Free(block);
                Tally.Frees++;
                return true;
            }

            /// <summary>Thread-like Alloc(timeout) (-1 = Alloc()) then Free.</summary>
            internal bool AllocFree(int millisecondsTimeout)
            {
                Tally.WaitingCalls++;
                Block block = millisecondsTimeout == Timeout.Infinite ? _pool.Alloc() : _pool.Alloc(millisecondsTimeout);
                if (block == null)
                {
                    Specification.Assert(millisecondsTimeout != Timeout.Infinite, "Alloc() returned null.");
                    Tally.Timeouts++;
                    Tally.TimedOutWaits++;
                    return false;
                }

                _ledger.Acquire(_pool, block, _id);
                Tally.Allocations++;
                _ledger.Release(block, _id);
                _pool.Free(block);
                Tally.Frees++;
                return true;
            }

            private static void AssertUntouched(Block[] into, int count, string how)
            {
                for (int i = 0; i < into.Length; i++)
                {
                    Specification.Assert(into[i] == null, "ALL OR NOTHING: Alloc(into, {0}) ended with {1} but into[{2}] is set.", count, how, i);
                }
            }
        }
    }
}
