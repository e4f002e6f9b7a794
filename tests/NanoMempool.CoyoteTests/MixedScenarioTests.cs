// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// The bigger scenarios (4 threads x 3 blocks with every operation; Resize with waiters) and the two
    /// findings. A separate class so that xunit runs it in parallel with <see cref="PoolScenarioTests"/>.
    /// </summary>
    public sealed class MixedScenarioTests
    {
        private readonly ITestOutputHelper _output;

        public MixedScenarioTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// 4 threads x 3 blocks, every operation mixed: each thread makes 4 moves chosen by Coyote's
        /// controlled random generator (so the choice of moves is explored too), among TryAlloc, Alloc(0),
        /// Alloc(timeout), Alloc(), Free, Block.Dispose, Resize to 1..5 blocks, and statistics reads.
        /// </summary>
        [SkippableFact]
        public void Mixed_4x3_AllOperations()
        {
            CoyoteRunner.DeepTierOnly();
            PoolScenarioTests.Check(_output, "mixed-4x3", () => Scenario.Run(3, 5, new Action<Worker>[]
            {
                PoolScenarioTests.Mixed(4, false), PoolScenarioTests.Mixed(4, false), PoolScenarioTests.Mixed(4, false), PoolScenarioTests.Mixed(4, true),
            }));
        }

        /// <summary>
        /// Grow with waiters: the main thread holds the only block while two threads wait; Resize(3) must
        /// hand the new blocks to them; then a Resize(1) shrink races the frees.
        /// </summary>
        [SkippableFact]
        public void Resize_GrowToWaitersThenShrink()
        {
            CoyoteRunner.DeepTierOnly();
            PoolScenarioTests.Check(_output, "resize-grow-shrink", () => Scenario.Run(1, 3, new Action<Worker>[]
            {
                w => { w.Alloc(-1); w.FreeHeld(false); },
                w => { w.Alloc(-1); w.FreeHeld(true); },
                w => { if (w.TryAlloc()) { w.FreeHeld(false); } },
            },
            (pool, ledger, tally) =>
            {
                Block mine = PoolScenarioTests.MainAlloc(pool, ledger, tally);
                pool.Resize(3);
                PoolScenarioTests.MainFree(pool, ledger, tally, mine);

                pool.Resize(1);
            }));
        }

        /// <summary>
        /// Regression test for finding 1 (fixed on main by Release's RETIRE RE-CHECK): a Free racing a
        /// shrinking Resize could push its block after Resize's retire loop had ended, having read the old
        /// target, leaving a surplus block home with every block freed. Coyote found it within 200
        /// schedules before the fix; now it must find nothing.
        /// </summary>
        [SkippableFact]
        public void Regression_ShrinkRacingFree_LeavesNoSurplusBlockHome()
        {
            CoyoteRunner.DeepTierOnly();
            CoyoteRunner.Result result = CoyoteRunner.Run(_output, "regression-shrink-racing-free", PoolScenarioTests.Iterations, () =>
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
                Microsoft.Coyote.Specifications.Specification.Assert(Scenario.Problem(pool) == null, "INVARIANT: {0}", Scenario.Problem(pool));
                Microsoft.Coyote.Specifications.Specification.Assert(
                    pool.Capacity == 1,
                    "RESIZE: all blocks are home but Capacity {0} != target 1.", pool.Capacity);
            });
            Assert.True(result.Bugs == 0, "shrink racing free: " + result.FirstBug + "\nTrace:\n" + result.Trace);
        }

        /// <summary>
        /// Regression test for finding 2 (CORE FIX in TryRetire, the GROW RE-CHECK): after a shrink, a
        /// free's TryRetire read Capacity and the old, lower target; a Resize then raised the target without
        /// changing Capacity (its grow loop needed no CAS); the retire CAS still succeeded and Capacity
        /// stayed below the target for good ("Capacity 1 is below its target 2."). Coyote found it within
        /// 100 schedules before the fix; now it must find nothing.
        /// </summary>
        [Fact]
        public void Regression_GrowRacingRetire_KeepsCapacityAtTarget()
        {
            CoyoteRunner.Result result = CoyoteRunner.Run(_output, "regression-grow-racing-retire", PoolScenarioTests.Iterations, () =>
            {
                BlockPool pool = new BlockPool(8, 2);
                Block a = pool.Alloc(0);
                Block b = pool.Alloc(0);
                pool.Resize(1);
                System.Threading.Thread freer = new System.Threading.Thread(() => pool.Free(a));
                freer.Start();
                pool.Resize(2);
                freer.Join();
                pool.Free(b);
                string violation = Scenario.Problem(pool);
                Microsoft.Coyote.Specifications.Specification.Assert(violation == null, "INVARIANT: {0}", violation);
                Microsoft.Coyote.Specifications.Specification.Assert(
                    pool.Capacity == 2 && pool.FreeCount == 2, "RESIZE: Capacity {0}, FreeCount {1}, target 2.", pool.Capacity, pool.FreeCount);
            });
            Assert.True(result.Bugs == 0, "grow racing retire: " + result.FirstBug + "\nTrace:\n" + result.Trace);
        }
    }
}
