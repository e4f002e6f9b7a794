// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Microsoft.Coyote.Specifications;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Systematic tests of the bulk operations (BlockPool.TryAlloc(Block[], int), Free(Block[], int)) and of the
    /// handler reserve (BlockPoolOptions.HandlerReserve) against the real, rewritten BlockPool: bulk callers race
    /// single TryAlloc/Free, Alloc(timeout) and Alloc() waiters and a Resize. Each run must end with 0 bugs and
    /// the usual end audit (ledger empty, Validate() clean, FreeCount == Capacity, statistics equal to
    /// the workers' counts). Self-contained: its own small runner (<see cref="Actor"/>) because the shared
    /// Worker holds one block at most and Scenario.Run makes pools without options; it reuses Ledger, Tally,
    /// Scenario.Audit and CoyoteRunner unchanged. See docs/concurrency/bulk.md, "Coyote: bulk and reserve".
    /// </summary>
    public sealed class BulkScenarioTests
    {
        private const int ShortTimeout = 20;

        private readonly ITestOutputHelper _output;

        public BulkScenarioTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// 3 blocks: a bulk caller (TryAlloc(into, 2) then Free(into, 2)), a bulk caller of all 3, a handler doing
        /// a single TryAlloc/Free and a thread doing Alloc(timeout). All or nothing: a false return leaves into[]
        /// untouched; a true one gives distinct held blocks nobody else holds (ledger). Two bulk callers never
        /// deadlock (they never wait, so neither waits holding part of a set).
        /// </summary>
        [SkippableFact]
        public void Bulk_RacesBulkSingleTryAllocAndTimedWaiter()
        {
            CoyoteRunner.DeepTierOnly();
            Check("bulk2-bulk3-single-timed", () => Run(3, 3, null, new Action<Actor>[]
            {
                a => { a.BulkCycle(2); },
                a => { a.BulkCycle(3); },
                a => { a.TryAllocFree(); },
                a => { a.AllocFree(ShortTimeout); },
            }));
        }

        /// <summary>
        /// 2 blocks: a bulk caller taking both, a thread in the untimed Alloc() (the blocks a bulk Free gives back
        /// go to it first; a lost wake-up is a deadlock Coyote reports), and the main thread shrinking to 1 and
        /// growing to 3 while they run. The audit then requires Capacity == target (3) with every block home.
        /// </summary>
        [SkippableFact]
        public void Bulk2_RacesResizeAndForeverWaiter()
        {
            CoyoteRunner.DeepTierOnly();
            Check("bulk2-resize-forever", () => Run(2, 3, Scenario.MaxCapacity(3), new Action<Actor>[]
            {
                a => { a.BulkCycle(2); },
                a => { a.AllocFree(Timeout.Infinite); },
            },
            pool =>
            {
                pool.Resize(1);
                pool.Resize(3);
            }));
        }

        /// <summary>
        /// HandlerReserve 1, 2 blocks, the main thread holding one: exactly one block is free at any time, the
        /// reserve. The handler-like worker's TryAlloc (single and bulk of 1) must fail every time, and a thread's
        /// Alloc(0) must succeed every time (it is the only taker, and it frees before it takes again).
        /// </summary>
        [SkippableFact]
        public void Reserve1_HandlerNeverTakesLastBlock_ThreadDoes()
        {
            CoyoteRunner.DeepTierOnly();
            Check("reserve1-last-block", () => Run(2, 2, Reserve(1), new Action<Actor>[]
            {
                a =>
                {
                    Specification.Assert(!a.TryAllocFree(), "RESERVE: a handler took the last free block.");
                    Specification.Assert(!a.BulkCycle(1), "RESERVE: a handler's bulk TryAlloc took the last free block.");
                },
                a =>
                {
                    for (int i = 0; i < 2; i++)
                    {
                        Specification.Assert(a.AllocFree(0), "RESERVE: a thread's Alloc(0) failed with the reserve block free.");
                    }
                },
            },
            null,
            true));
        }

        /// <summary>
        /// HandlerReserve 1, 3 blocks: a single handler, a bulk-2 handler and a thread (Alloc(0), Alloc(timeout))
        /// race. Handlers together never hold more than Capacity - HandlerReserve = 2 blocks (every handler pop
        /// leaves at least 1 free, and only handler pops raise the handlers' count).
        /// </summary>
        [SkippableFact]
        public void Reserve1_HandlersHoldAtMostCapacityMinusReserve()
        {
            CoyoteRunner.DeepTierOnly();
            Check("reserve1-handlers-bound", () => Run(3, 3, Reserve(1), new Action<Actor>[]
            {
                a => { a.TryAllocFree(); },
                a => { a.BulkCycle(2); },
                a => { a.AllocFree(0); a.AllocFree(ShortTimeout); },
            }));
        }

        private static BlockPoolOptions Reserve(int blocks)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.HandlerReserve = blocks;
            return options;
        }

        private void Check(string name, Action test)
        {
            CoyoteRunner.AssertNoBug(_output, name, test);
        }

        /// <summary>
        /// One iteration: a fresh pool, one controlled thread per body, the main action (if any) concurrently,
        /// join, audit. <paramref name="mainHoldsOne"/>: the main thread holds one block (Alloc(0)) from before
        /// the workers start until they have all ended.
        /// </summary>
        private static void Run(int capacity, int maxBlocks, BlockPoolOptions options, Action<Actor>[] bodies, Action<BlockPool> main = null, bool mainHoldsOne = false)
        {
            BlockPool pool = new BlockPool(8, capacity, options);
            Ledger ledger = new Ledger(maxBlocks);
            Shared shared = new Shared();
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
                Actor actor = new Actor(pool, ledger, shared, i + 1, options != null ? options.HandlerReserve : 0);
                Action<Actor> body = bodies[i];
                actors[i] = actor;
                threads[i] = new Thread(() => actor.Run(body));
            }

            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            main?.Invoke(pool);
            for (int i = 0; i < threads.Length; i++)
            {
                threads[i].Join();
                Specification.Assert(actors[i].Failure == null, "worker {0} failed: {1}", i + 1, actors[i].Failure?.ToString());
                total.Add(actors[i].Tally);
            }

            PoolScenarioTests.MainFree(pool, ledger, total, mine);
            if (options == null || options.HandlerReserve == 0)
            {
                Scenario.Audit(pool, ledger, total, true);
            }
            else
            {
                // Scenario.Audit's settle cycle uses TryAlloc, which (rightly) cannot take the reserve: audit
                // the same things here and settle with Alloc(0). No Resize runs in the reserve scenarios.
                AuditWithReserve(pool, ledger, total);
            }
        }

        private static void AuditWithReserve(BlockPool pool, Ledger ledger, Tally total)
        {
            using (CoyoteRunner.Quiescent())
            {
                AuditWithReserveQuiescent(pool, ledger, total);
            }
        }

        private static void AuditWithReserveQuiescent(BlockPool pool, Ledger ledger, Tally total)
        {
            Specification.Assert(ledger.HeldCount() == 0, "The ledger still shows {0} held blocks.", ledger.HeldCount());
            string violation = Scenario.Problem(pool);
            Specification.Assert(violation == null, "INVARIANT: {0}", violation);
            Specification.Assert(pool.FreeCount == pool.Capacity, "LOST BLOCK: FreeCount {0} != Capacity {1}.", pool.FreeCount, pool.Capacity);
            BlockPoolStatistics s = pool.Statistics;
            Specification.Assert(s.Allocations == total.Allocations, "STATS: Allocations {0} != counted {1}.", s.Allocations, total.Allocations);
            Specification.Assert(s.Frees == total.Frees, "STATS: Frees {0} != counted {1}.", s.Frees, total.Frees);
            Specification.Assert(s.FailedTryAllocs == total.FailedTryAllocs, "STATS: FailedTryAllocs {0} != counted {1}.", s.FailedTryAllocs, total.FailedTryAllocs);
            Specification.Assert(s.Timeouts == total.Timeouts, "STATS: Timeouts {0} != counted {1}.", s.Timeouts, total.Timeouts);
            Specification.Assert(
                s.Waits >= total.TimedOutWaits && s.Waits <= total.WaitingCalls,
                "STATS: Waits {0} outside [{1}, {2}].", s.Waits, total.TimedOutWaits, total.WaitingCalls);
            int capacity = pool.Capacity;
            Block[] all = new Block[capacity];
            for (int i = 0; i < capacity; i++)
            {
                all[i] = pool.Alloc(0);
                Specification.Assert(all[i] != null, "SETTLE: Alloc(0) failed with {0} blocks free.", capacity - i);
            }

            Block spare;
            Specification.Assert(!pool.TryAlloc(out spare), "SETTLE: TryAlloc succeeded on an empty pool.");
            pool.Free(all, capacity);
            Specification.Assert(Scenario.Problem(pool) == null && pool.FreeCount == capacity, "SETTLE: {0}", Scenario.Problem(pool));
        }

        /// <summary>State shared by the actors of one iteration (Interlocked only).</summary>
        internal sealed class Shared
        {
            internal int HandlerHeld;
        }

        /// <summary>
        /// One controlled thread: the pool calls of a scenario, each checked against the ledger and counted in
        /// a private Tally. Holds blocks only between a successful allocation and the free that follows it
        /// within the same call, so a scenario cannot deadlock by itself.
        /// </summary>
        internal sealed class Actor
        {
            private readonly BlockPool _pool;
            private readonly Ledger _ledger;
            private readonly Shared _shared;
            private readonly int _id;
            private readonly int _reserve;

            internal Actor(BlockPool pool, Ledger ledger, Shared shared, int id, int reserve)
            {
                _pool = pool;
                _ledger = ledger;
                _shared = shared;
                _id = id;
                _reserve = reserve;
            }

            internal Tally Tally { get; } = new Tally();

            internal Exception Failure { get; private set; }

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

            /// <summary>TryAlloc(into, count), then Free(into, count). Returns whether the blocks were taken.</summary>
            internal bool BulkCycle(int count)
            {
                Block[] into = new Block[count + 1];
                if (!_pool.TryAlloc(into, count))
                {
                    Tally.FailedTryAllocs++;
                    for (int i = 0; i < into.Length; i++)
                    {
                        Specification.Assert(into[i] == null, "ALL OR NOTHING: TryAlloc(into, {0}) returned false but into[{1}] is set.", count, i);
                    }

                    return false;
                }

                Specification.Assert(into[count] == null, "TryAlloc(into, {0}) wrote past count.", count);
                for (int i = 0; i < count; i++)
                {
                    // The ledger rejects a block given twice, within this set or to another holder.
                    _ledger.Acquire(_pool, into[i], _id);
                    Specification.Assert(BlockLink.IsHeld(_pool._links[into[i]._slot]), "TryAlloc(into, {0}): block {1} is not held.", count, into[i].Index);
                }

                Tally.Allocations += count;
                HandlerTook(count);
                HandlerGives(count);
                for (int i = 0; i < count; i++)
                {
                    _ledger.Release(into[i], _id);
                }

                _pool.Free(into, count);
                Tally.Frees += count;
                return true;
            }

            /// <summary>Handler-like single TryAlloc then Free. Returns whether a block was taken.</summary>
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
                HandlerTook(1);
                HandlerGives(1);
                _ledger.Release(block, _id);
                _pool.Free(block);
                Tally.Frees++;
                return true;
            }

            /// <summary>Thread-like Alloc(timeout) (-1 = Alloc()) then Free. Returns whether a block was taken.</summary>
            internal bool AllocFree(int millisecondsTimeout)
            {
                if (millisecondsTimeout != 0)
                {
                    Tally.WaitingCalls++;
                }

                Block block = millisecondsTimeout == Timeout.Infinite ? _pool.Alloc() : _pool.Alloc(millisecondsTimeout);
                if (block == null)
                {
                    Specification.Assert(millisecondsTimeout != Timeout.Infinite, "Alloc() returned null.");
                    Tally.Timeouts++;
                    if (millisecondsTimeout > 0)
                    {
                        Tally.TimedOutWaits++;
                    }

                    return false;
                }

                _ledger.Acquire(_pool, block, _id);
                Tally.Allocations++;
                _ledger.Release(block, _id);
                _pool.Free(block);
                Tally.Frees++;
                return true;
            }

            private void HandlerTook(int count)
            {
                int held = Interlocked.Add(ref _shared.HandlerHeld, count);
                if (_reserve > 0)
                {
                    Specification.Assert(
                        held <= _pool.Capacity - _reserve,
                        "RESERVE: handlers hold {0} blocks, more than Capacity {1} - HandlerReserve {2}.", held, _pool.Capacity, _reserve);
                }
            }

            private void HandlerGives(int count)
            {
                Interlocked.Add(ref _shared.HandlerHeld, -count);
            }
        }
    }
}
