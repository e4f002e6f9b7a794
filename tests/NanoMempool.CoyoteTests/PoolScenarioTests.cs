// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using Microsoft.Coyote.Random;
using Microsoft.Coyote.Rewriting;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// The scenarios mirroring the Promela model's configurations, and Dispose with waiters.
    /// Systematic tests of the real BlockPool (the rewritten NanoMempool.dll): each scenario runs
    /// thousands of Coyote-chosen interleavings and must end with 0 bugs. A bug is any ownership-ledger
    /// violation, any failed audit (lost block, broken invariant, statistics off), any unexpected exception,
    /// or a deadlock (every controlled thread blocked: a lost wake-up or a missed Dispose).
    /// </summary>
    public sealed class PoolScenarioTests
    {
        /// <summary>Iterations per scenario in CI (the task asks for at least 10,000).</summary>
        internal const uint Iterations = 10000;

        /// <summary>A positive timeout; see docs/concurrency/README.md for how Coyote treats it.</summary>
        private const int ShortTimeout = 20;

        private readonly ITestOutputHelper _output;

        public PoolScenarioTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void AssembliesAreRewritten()
        {
            Assert.True(RewritingEngine.IsAssemblyRewritten(typeof(BlockPool).Assembly), "NanoMempool.dll is not rewritten");
            Assert.True(RewritingEngine.IsAssemblyRewritten(typeof(PoolScenarioTests).Assembly), "the test assembly is not rewritten");
        }

        /// <summary>Model configuration 2 x 1: a handler (TryAlloc/Free) and a waiting allocator, 1 block.</summary>
        [SkippableFact]
        public void Model_2x1_HandlerAndWaiter()
        {
            CoyoteRunner.DeepTierOnly();
            Check(_output, "model-2x1", () => Scenario.Run(1, 1, new Action<Worker>[]
            {
                Handler(2),
                Waiter(2, ShortTimeout),
            }));
        }

        /// <summary>Model configuration 3 x 2: a handler and two waiting allocators with timeouts, 2 blocks.</summary>
        [Fact]
        public void Model_3x2_HandlerAndTwoTimedWaiters()
        {
            Check(_output, "model-3x2-timed", () => Scenario.Run(2, 2, new Action<Worker>[]
            {
                Handler(2),
                Waiter(2, ShortTimeout),
                Waiter(2, ShortTimeout),
            }));
        }

        /// <summary>
        /// 3 x 2 with untimed Alloc(): a lost wake-up cannot hide behind a timeout here, it leaves a thread
        /// asleep forever and Coyote reports a deadlock. The handler keeps a block across a scheduling
        /// point so that both waiters really wait.
        /// </summary>
        [SkippableFact]
        public void Model_3x2_HandlerAndTwoForeverWaiters()
        {
            CoyoteRunner.DeepTierOnly();
            Check(_output, "model-3x2-forever", () => Scenario.Run(2, 2, new Action<Worker>[]
            {
                Handler(3),
                Waiter(2, -1),
                Waiter(2, -1),
            }));
        }

        /// <summary>
        /// Dispose with waiters: the main thread holds the only block while two threads wait in Alloc()
        /// and a handler polls; it disposes the pool, then frees its block. Every waiter must wake (with
        /// a block or ObjectDisposedException); a waiter left asleep is a deadlock.
        /// </summary>
        [SkippableFact]
        public void Dispose_WithWaiters()
        {
            CoyoteRunner.DeepTierOnly();
            Check(_output, "dispose-with-waiters", () => Scenario.Run(1, 1, new Action<Worker>[]
            {
                w => { if (w.AllocOrDisposed(-1)) { w.FreeHeld(false); } },
                w => { if (w.AllocOrDisposed(ShortTimeout)) { w.FreeHeld(true); } },
                w => { if (w.TryAllocOrDisposed()) { w.FreeHeld(false); } },
            },
            (pool, ledger, tally) =>
            {
                Block mine = MainAlloc(pool, ledger, tally);
                pool.Dispose();
                MainFree(pool, ledger, tally, mine);
            }));
        }

        /// <summary>The main thread polls for a block (Alloc(0)), counted like a worker's call.</summary>
        internal static Block MainAlloc(BlockPool pool, Ledger ledger, Tally tally)
        {
            Block mine = pool.Alloc(0);
            if (mine == null)
            {
                tally.Timeouts++;
                return null;
            }

            ledger.Acquire(pool, mine, 99);
            tally.Allocations++;
            return mine;
        }

        internal static void MainFree(BlockPool pool, Ledger ledger, Tally tally, Block mine)
        {
            if (mine != null)
            {
                ledger.Release(mine, 99);
                pool.Free(mine);
                tally.Frees++;
            }
        }

        /// <summary>Handler-like: TryAlloc, and if it got a block, Free it (never waits).</summary>
        internal static Action<Worker> Handler(int rounds)
        {
            return w =>
            {
                for (int i = 0; i < rounds; i++)
                {
                    if (w.TryAlloc())
                    {
                        w.FreeHeld(i % 2 == 1);
                    }
                }
            };
        }

        /// <summary>Thread-like: Alloc(timeout) (-1 = Alloc()), and if it got a block, Free it.</summary>
        internal static Action<Worker> Waiter(int rounds, int timeout)
        {
            return w =>
            {
                for (int i = 0; i < rounds; i++)
                {
                    if (w.Alloc(timeout))
                    {
                        w.FreeHeld(i % 2 == 1);
                    }
                }
            };
        }

        /// <param name="moves">Moves this worker makes.</param>
        /// <param name="resizer">Only the resizer calls Resize (to 1..5 blocks, growing and shrinking in any order).</param>
        internal static Action<Worker> Mixed(int moves, bool resizer)
        {
            return w =>
            {
                Generator random = Generator.Create();
                for (int i = 0; i < moves; i++)
                {
                    int move = random.NextInteger(8);
                    if (w.Held != null && move < 4)
                    {
                        // Hold at most one block: give it back before asking for another.
                        w.FreeHeld(random.NextBoolean());
                    }

                    switch (move)
                    {
                        case 0: w.TryAlloc(); break;
                        case 1: w.Alloc(0); break;
                        case 2: w.Alloc(ShortTimeout); break;
                        case 3: w.Alloc(-1); break;
                        case 4: w.FreeHeld(false); break;
                        case 5: w.FreeHeld(true); break;
                        case 6:
                            if (resizer)
                            {
                                w.Pool.Resize(1 + random.NextInteger(5));
                            }
                            else
                            {
                                w.FreeHeld(false);
                                w.Alloc(-1);
                            }

                            break;
                        default:
                            BlockPoolStatistics s = w.Pool.Statistics;
                            long sum = s.Allocations + s.Frees + s.FailedTryAllocs + s.Waits + s.Timeouts + s.PeakInUse + s.LowestFreeCount + w.Pool.FreeCount;
                            Microsoft.Coyote.Specifications.Specification.Assert(sum >= 0, "statistics read went negative");
                            break;
                    }
                }
            };
        }

        internal static void Check(ITestOutputHelper output, string name, Action test)
        {
            CoyoteRunner.Result result = CoyoteRunner.Run(output, name, Iterations, test);
            Assert.True(result.Bugs == 0, name + ": Coyote found a bug: " + result.FirstBug + "\nTrace:\n" + result.Trace);
            Assert.True(result.Iterations >= Math.Min(Iterations, 1), name + ": no iteration ran");
        }
    }
}
