// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using Microsoft.Coyote.Random;
using Microsoft.Coyote.Rewriting;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Systematic tests of the real BlockPool (the rewritten NanoMempool.dll): each scenario runs
    /// thousands of Coyote-chosen interleavings and must end with 0 bugs. A bug is any ownership-ledger
    /// violation, any failed audit (lost block, broken invariant, statistics off), any unexpected exception,
    /// or a deadlock (every controlled thread blocked: a lost wake-up or a missed Dispose).
    /// </summary>
    public sealed class PoolScenarioTests
    {
        /// <summary>Iterations per scenario in CI (the task asks for at least 10,000).</summary>
        internal const uint Iterations = 10000;

        /// <summary>A positive timeout; see docs/concurrency-systematic.md for how Coyote treats it.</summary>
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
        [Fact]
        public void Model_2x1_HandlerAndWaiter()
        {
            Check("model-2x1", () => Scenario.Run(1, 1, new Action<Worker>[]
            {
                Handler(2),
                Waiter(2, ShortTimeout),
            }));
        }

        /// <summary>Model configuration 3 x 2: a handler and two waiting allocators with timeouts, 2 blocks.</summary>
        [Fact]
        public void Model_3x2_HandlerAndTwoTimedWaiters()
        {
            Check("model-3x2-timed", () => Scenario.Run(2, 2, new Action<Worker>[]
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
        [Fact]
        public void Model_3x2_HandlerAndTwoForeverWaiters()
        {
            Check("model-3x2-forever", () => Scenario.Run(2, 2, new Action<Worker>[]
            {
                Handler(3),
                Waiter(2, -1),
                Waiter(2, -1),
            }));
        }

        /// <summary>
        /// 4 threads x 3 blocks, every operation mixed: each thread makes 4 moves chosen by Coyote's
        /// controlled random generator (so the choice of moves is explored too), among TryAlloc, Alloc(0),
        /// Alloc(timeout), Alloc(), Free, Block.Dispose, Resize to 1..5 blocks, and statistics reads.
        /// </summary>
        [Fact]
        public void Mixed_4x3_AllOperations()
        {
            Check("mixed-4x3", () => Scenario.Run(3, 8, new Action<Worker>[]
            {
                Mixed(4), Mixed(4), Mixed(4), Mixed(4),
            }));
        }

        /// <summary>
        /// Dispose with waiters: the main thread holds the only block while two threads wait in Alloc()
        /// and a handler polls; it disposes the pool, then frees its block. Every waiter must wake (with
        /// a block or ObjectDisposedException); a waiter left asleep is a deadlock.
        /// </summary>
        [Fact]
        public void Dispose_WithWaiters()
        {
            Check("dispose-with-waiters", () => Scenario.Run(1, 1, new Action<Worker>[]
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

        /// <summary>
        /// Grow with waiters: the main thread holds the only block while two threads wait; Resize(3) must
        /// hand the new blocks to them; then a Resize(1) shrink races the frees.
        /// </summary>
        [Fact]
        public void Resize_GrowToWaitersThenShrink()
        {
            Check("resize-grow-shrink", () => Scenario.Run(1, 4, new Action<Worker>[]
            {
                w => { w.Alloc(-1); w.FreeHeld(false); },
                w => { w.Alloc(-1); w.FreeHeld(true); },
                w => { if (w.TryAlloc()) { w.FreeHeld(false); } },
            },
            (pool, ledger, tally) =>
            {
                Block mine = MainAlloc(pool, ledger, tally);
                pool.Resize(3);
                MainFree(pool, ledger, tally, mine);

                pool.Resize(1);
            }));
        }

        /// <summary>The main thread polls for a block (Alloc(0)), counted like a worker's call.</summary>
        private static Block MainAlloc(BlockPool pool, Ledger ledger, Tally tally)
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

        private static void MainFree(BlockPool pool, Ledger ledger, Tally tally, Block mine)
        {
            if (mine != null)
            {
                ledger.Release(mine, 99);
                pool.Free(mine);
                tally.Frees++;
            }
        }

        /// <summary>
        /// FINDING (reported, not fixed here): a Free racing a shrinking Resize can push its block after
        /// Resize's retire loop has ended, having read the old target; then every block is home and yet
        /// Capacity stays above the target until that block is allocated and freed once more (the
        /// settle cycle in the audit shows it does converge then). The Resize documentation and I6 promise
        /// more. This test pins the finding: it asserts that Coyote finds the schedule. When the pool is
        /// fixed, Coyote finds nothing and this test fails: then delete it (the strict check in the
        /// scenario above will keep guarding the fix) and set strictCapacity in the scenarios.
        /// </summary>
        [Fact]
        public void Finding_ShrinkRacingFree_LeavesSurplusBlockHome()
        {
            CoyoteRunner.Result result = CoyoteRunner.Run(_output, "finding-shrink-racing-free", Iterations, () =>
            {
                // Two holders free their blocks while the main thread shrinks the pool from 2 to 1.
                BlockPool pool = new BlockPool(8, 2);
                Block a = pool.Alloc(0);
                Block b = pool.Alloc(0);
                System.Threading.Thread ta = new System.Threading.Thread(() => pool.Free(a));
                System.Threading.Thread tb = new System.Threading.Thread(() => b.Dispose());
                ta.Start();
                tb.Start();
                pool.Resize(1);
                ta.Join();
                tb.Join();
                Microsoft.Coyote.Specifications.Specification.Assert(pool.CheckInvariants() == null, "INVARIANT: {0}", pool.CheckInvariants());
                Microsoft.Coyote.Specifications.Specification.Assert(
                    pool.Capacity == 1,
                    "RESIZE: all blocks are home but Capacity {0} != target 1.", pool.Capacity);
            });
            Assert.True(result.Bugs > 0, "Coyote no longer finds the shrink/free race: the pool was fixed? See the summary.");
            Assert.Contains("RESIZE: all blocks are home but Capacity", result.FirstBug);
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

        internal static Action<Worker> Mixed(int moves)
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
                        case 6: w.Pool.Resize(1 + random.NextInteger(5)); break;
                        default:
                            BlockPoolStatistics s = w.Pool.Statistics;
                            long sum = s.Allocations + s.Frees + s.FailedTryAllocs + s.Waits + s.Timeouts + s.PeakInUse + s.LowestFreeCount + w.Pool.FreeCount;
                            Microsoft.Coyote.Specifications.Specification.Assert(sum >= 0, "statistics read went negative");
                            break;
                    }
                }
            };
        }

        private void Check(string name, Action test)
        {
            CoyoteRunner.Result result = CoyoteRunner.Run(_output, name, Iterations, test);
            Assert.True(result.Bugs == 0, name + ": Coyote found a bug: " + result.FirstBug + "\nTrace:\n" + result.Trace);
            Assert.True(result.Iterations >= Math.Min(Iterations, 1), name + ": no iteration ran");
        }
    }
}
