// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;
using Microsoft.Coyote.Specifications;
using Xunit;
using Xunit.Abstractions;
using Mutant = NanoMempool.Mutant;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Coyote must find a seeded bug. The mutant (Mutant/make-mutant.fsx) is the real library source with
    /// one change: Release's push CAS is made against a freshly read word, dropping the hand-off re-check
    /// (see the HAND-OFF RE-CHECK comment in BlockPool.Release). (The mutant's other BlockPool seed, no reserve
    /// trim after a push, is inert here: without a backing allocator the trim never runs.) The same scenario runs
    /// on the real pool as a control and must be clean, so the mutant's failure is the seeded bug and nothing else.
    /// </summary>
    public sealed class SeededBugTests
    {
        private const uint Iterations = 10000;

        private readonly ITestOutputHelper _output;

        public SeededBugTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void SeededBug_DroppedHandOffRecheck_IsFoundAsLostWakeUp()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "seeded-bug-mutant", Iterations, () =>
            {
                // One block, held by the main thread; two threads wait for it with Alloc() (no timeout),
                // each frees it again. A lost wake-up leaves a waiter asleep beside a free block forever.
                Mutant.BlockPool pool = new Mutant.BlockPool(8, 1);
                Mutant.Block held = pool.Alloc(0);
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
                Specification.Assert(pool.CheckInvariants() == null, "INVARIANT: {0}", pool.CheckInvariants());
            });
            Assert.True(result.Bugs == 0, "control: " + result.FirstBug);
        }
    }
}
