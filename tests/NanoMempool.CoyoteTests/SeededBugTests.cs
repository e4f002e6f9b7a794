// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Microsoft.Coyote.Specifications;
using Xunit;
using Xunit.Abstractions;
using ClearNoRecheck = NanoMempool.Mutant.ClearNoRecheck;
using FastPushNoAlert = NanoMempool.Mutant.FastPushNoAlert;
using LateAlert = NanoMempool.Mutant.LateAlert;
using Seeded = NanoMempool.Mutant.HandOffRecheck;
using RaiseNoBump = NanoMempool.Mutant.RaiseNoBump;
using RetireFirst = NanoMempool.Mutant.RetireFirst;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Coyote must find seeded bugs. Each mutant (Mutant/make-mutant.fsx) is the real library source with exactly
    /// one change, in its own namespace. Here: the dropped hand-off re-check (Release's push CAS against a freshly
    /// read word), and the alert protocol's failure modes (RaiseAlert that leaves a set bit without changing the
    /// word, ClearAlertIfIdle that does not re-check its conditions after reading the word, Resize raising the alert
    /// after its retire loop, Free's fast push ignoring the alert) and demand first (a surplus block retired before
    /// the waiting thread is offered it). The same scenario runs on the real pool as a control and must be clean
    /// (here for the hand-off re-check; for the others the scenarios of <see cref="AlertScenarioTests"/>, at full
    /// count), so a mutant's failure is its seeded bug and nothing else.
    /// </summary>
    public sealed class SeededBugTests
    {
        private readonly ITestOutputHelper _output;

        public SeededBugTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void SeededBug_DroppedHandOffRecheck_IsFoundAsLostWakeUp()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "seeded-bug-mutant", CoyoteRunner.UntilBugBudget, () =>
            {
                // One block, held by the main thread; two threads wait for it with Alloc() (no timeout),
                // each frees it again. A lost wake-up leaves a waiter asleep beside a free block forever.
                Seeded.BlockPool pool = new Seeded.BlockPool(8, 1);
                Seeded.Block held = pool.Alloc(0);
                Thread w1 = new Thread(() => pool.Alloc().Dispose());
                Thread w2 = new Thread(() => pool.Alloc().Dispose());
                w1.Start();
                w2.Start();
                pool.Free(held);
                w1.Join();
                w2.Join();
                Specification.Assert(pool.FreeCount == 1, "block lost");
            });
            Assert.True(result.Bugs > 0, "Coyote did not find the seeded bug in " + result.Iterations + " schedules.");
            Assert.Contains("Deadlock", result.FirstBug);
        }

        [Fact]
        public void Control_SameScenarioOnRealPool_IsClean()
        {
            CoyoteRunner.Result result = CoyoteRunner.Run(_output, "seeded-bug-control", 2000, () =>
            {
                BlockPool pool = new BlockPool(8, 1);
                Block held = pool.Alloc(0);
                Thread w1 = new Thread(() => pool.Alloc().Dispose());
                Thread w2 = new Thread(() => pool.Alloc().Dispose());
                w1.Start();
                w2.Start();
                pool.Free(held);
                w1.Join();
                w2.Join();
                Specification.Assert(pool.FreeCount == 1, "block lost");
                Specification.Assert(Scenario.Problem(pool) == null, "INVARIANT: {0}", Scenario.Problem(pool));
            });
            Assert.True(result.Bugs == 0, "control: " + result.FirstBug);
        }
        /// <summary>
        /// RaiseAlert leaves a set bit alone (no CAS, the word unchanged), so a ClearAlertIfIdle that read the word
        /// and then found every condition false still clears the bit after a condition became true: a shrink or a
        /// bulk waiter then runs without the alert, and a push neither retires nor wakes. The scenario of
        /// <see cref="AlertScenarioTests.Alert_ShrinkRacesFreesAndBulkWaiter"/>: a surplus block left free (Validate)
        /// or a bulk caller asleep beside its set (deadlock).
        /// </summary>
        [Fact]
        public void SeededBug_RaiseAlertWithoutTagBump_IsFound()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "seeded-raise-no-bump", CoyoteRunner.UntilBugBudget, () =>
            {
                RaiseNoBump.BlockPool pool = new RaiseNoBump.BlockPool(8, 3);
                RaiseNoBump.Block m = pool.Alloc(0);
                RaiseNoBump.Block f = pool.Alloc(0);
                Thread bulk = new Thread(() =>
                {
                    RaiseNoBump.Block[] set = new RaiseNoBump.Block[2];
                    pool.Alloc(set, 2, Timeout.Infinite);
                    pool.Free(set, 2);
                });
                Thread freer = new Thread(() => pool.Free(f));
                bulk.Start();
                freer.Start();
                pool.Resize(2);
                pool.Free(m);
                bulk.Join();
                freer.Join();
                string problem;
                Specification.Assert(pool.Validate(out problem), "INVARIANT: {0}", problem);
                Specification.Assert(pool.Capacity == 2 && pool.FreeCount == 2, "RESIZE: Capacity {0}, FreeCount {1}", pool.Capacity, pool.FreeCount);
            });
            AssertFound(result, "Deadlock", "INVARIANT");
        }

        /// <summary>
        /// ClearAlertIfIdle reads its conditions once, before the word, and retries without reading them again: a
        /// raise between that read and the CAS is undone. Same scenario and symptoms as the RaiseAlert seed.
        /// </summary>
        [Fact]
        public void SeededBug_ClearAlertWithoutConditionRecheck_IsFound()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "seeded-clear-no-recheck", CoyoteRunner.UntilBugBudget, () =>
            {
                ClearNoRecheck.BlockPool pool = new ClearNoRecheck.BlockPool(8, 3);
                ClearNoRecheck.Block m = pool.Alloc(0);
                ClearNoRecheck.Block f = pool.Alloc(0);
                Thread bulk = new Thread(() =>
                {
                    ClearNoRecheck.Block[] set = new ClearNoRecheck.Block[2];
                    pool.Alloc(set, 2, Timeout.Infinite);
                    pool.Free(set, 2);
                });
                Thread freer = new Thread(() => pool.Free(f));
                bulk.Start();
                freer.Start();
                pool.Resize(2);
                pool.Free(m);
                bulk.Join();
                freer.Join();
                string problem;
                Specification.Assert(pool.Validate(out problem), "INVARIANT: {0}", problem);
                Specification.Assert(pool.Capacity == 2 && pool.FreeCount == 2, "RESIZE: Capacity {0}, FreeCount {1}", pool.Capacity, pool.FreeCount);
            });
            AssertFound(result, "Deadlock", "INVARIANT");
        }

        /// <summary>
        /// Resize raises the alert only after its retire loop: a free whose push lands between that loop and the raise
        /// carries no alert and finds nothing to retire it, so a block stays free while capacity > target. The
        /// scenario of <see cref="AlertScenarioTests.Shrink_FreeRacingResize_RetiresBeforeEitherReturns"/>.
        /// </summary>
        [Fact]
        public void SeededBug_ResizeRaisesAlertAfterRetireLoop_IsFound()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "seeded-late-alert", CoyoteRunner.UntilBugBudget, () =>
            {
                LateAlert.BlockPool pool = new LateAlert.BlockPool(8, 2);
                LateAlert.Block a = pool.Alloc(0);
                LateAlert.Block b = pool.Alloc(0);
                Thread freer = new Thread(() => pool.Free(a));
                freer.Start();
                pool.Resize(1);
                freer.Join();
                string problem;
                Specification.Assert(pool.Validate(out problem), "INVARIANT with one block held: {0}", problem);
                Specification.Assert(pool.Capacity == 1 && pool.FreeCount == 0, "RETIRE: Capacity {0}, FreeCount {1}", pool.Capacity, pool.FreeCount);
                pool.Free(b);
            });
            AssertFound(result, "INVARIANT", "RETIRE");
        }

        /// <summary>
        /// Free's fast push ignores the alert bit of the word it replaced (no AfterAlertedPush): a block freed after a
        /// shrink's raise is pushed and never retired. Same scenario as the late-alert seed.
        /// </summary>
        [Fact]
        public void SeededBug_FastPushIgnoresAlert_IsFound()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "seeded-fast-push-no-alert", CoyoteRunner.UntilBugBudget, () =>
            {
                FastPushNoAlert.BlockPool pool = new FastPushNoAlert.BlockPool(8, 2);
                FastPushNoAlert.Block a = pool.Alloc(0);
                FastPushNoAlert.Block b = pool.Alloc(0);
                Thread freer = new Thread(() => pool.Free(a));
                freer.Start();
                pool.Resize(1);
                freer.Join();
                string problem;
                Specification.Assert(pool.Validate(out problem), "INVARIANT with one block held: {0}", problem);
                Specification.Assert(pool.Capacity == 1 && pool.FreeCount == 0, "RETIRE: Capacity {0}, FreeCount {1}", pool.Capacity, pool.FreeCount);
                pool.Free(b);
            });
            AssertFound(result, "INVARIANT", "RETIRE");
        }

        /// <summary>
        /// Release retires a surplus block before it offers it to the waiting threads: with a shrink pending, the block
        /// freed while a thread waits in Alloc() is retired and the thread is served only by the next free. The scenario
        /// of <see cref="AlertScenarioTests.DemandFirst_ShrinkPending_FreedBlockGoesToTheWaiter"/>.
        /// </summary>
        [Fact]
        public void SeededBug_RetireBeforeHandOff_IsFound()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "seeded-retire-first", CoyoteRunner.UntilBugBudget, () =>
            {
                RetireFirst.BlockPool pool = new RetireFirst.BlockPool(8, 2);
                RetireFirst.Block a = pool.Alloc(0);
                RetireFirst.Block b = pool.Alloc(0);
                RetireFirst.Block got = null;
                Thread waiter = new Thread(() => { got = pool.Alloc(); });
                waiter.Start();
                pool.Resize(1);
                bool registered = (WordOfRetireFirst(pool) & FreeListWord.WaitersBit) != 0;   // the mutant's word layout is the library's
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

                pool.Free(got);
            });
            AssertFound(result, "Deadlock", "DEMAND FIRST");
        }

        private static int WordOfRetireFirst(RetireFirst.BlockPool pool)
        {
            return pool._word;
        }

        /// <summary>The run found a bug, and its first report names one of the expected symptoms.</summary>
        private static void AssertFound(CoyoteRunner.Result result, params string[] symptoms)
        {
            Assert.True(result.Bugs > 0, result.Name + ": Coyote did not find the seeded bug in " + result.Iterations + " schedules.");
            Assert.True(
                Array.Exists(symptoms, symptom => result.FirstBug.Contains(symptom)),
                result.Name + ": the first bug is not the seeded one (expected " + string.Join(" or ", symptoms) + "): " + result.FirstBug);
        }
    }
}
