// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// Larger configurations of model/nanomempool.pml than the full tier has time for: the exhaustive runs of
    /// model/longer-run.sh, run only in the deep tier (./test.sh --deep; skipped, and counted as skipped, in the
    /// others). Each proves the properties of <see cref="ProtocolModelTests"/> (I1-I6, I9, the inline assertions,
    /// demandok, no invalid end state, or the wake0 claim) with more operations per context or one more context,
    /// within the same 2 GB memory limit: exhaustively where the state space fits, else as a bitstate sweep (two
    /// runs, named below). The other test classes mark their own deep-tier runs (SpinRunner.Run's deep). See
    /// docs/concurrency/README.md, "Running the checks", and docs/concurrency/free-list.md, "Deep tier and longer
    /// runs".
    /// </summary>
    public sealed class DeepModelTests
    {
        private const string Safety = PanOptions.Safety;
        private const string Liveness = PanOptions.Liveness;
        private const string Depth = "-m3000000";

        // Two configurations need more than 2 GB exhaustively (the dispose one: 105 M states, 6.3 GB; the resizer one
        // more than 118 M states within 7 GB). They run as bitstate sweeps in a 1 GiB bitmap (pan -w33): a state whose
        // hash collides with an earlier one is not explored, so "0 errors" is strong evidence, not a proof; pan prints
        // the hash factor (states per bit, above 30 in both).
        private const string SafetySweep = "-DNOCLAIM -DBITSTATE";
        private const string DepthSweep = "-m3000000 -w33";

        // 3 x 2 (a handler and two threads, 2 blocks), every context doing 2 operations, every Alloc timed.
        private const string ThreeByTwoTwoOps = "-DNB=2 -DNHANDLER=1 -DNWAITER=2 -DHOPS=2 -DWOPS=2 -DUNTIMED=0";
        // 4 contexts: a handler, two threads and a resizer.
        private const string FourWithResize = "-DNB=2 -DNHANDLER=1 -DNWAITER=2 -DNRESIZER=1 -DHOPS=1 -DWOPS=1 -DROPS=1";
        // Dispose racing a handler and two threads that allocate twice each (each Alloc timed or infinite).
        private const string DisposeTwoAllocs = "-DNB=2 -DNHANDLER=1 -DNWAITER=2 -DNDISPOSER=1 -DHOPS=2 -DWOPS=2";
        // Demand first where it is not vacuous: a handler holds both blocks (bulk 2) while the thread sleeps and Resize
        // shrinks (the seeded bug BUG_RETIRE_FIRST of the full tier fails in this configuration).
        private const string DemandFirst = ProtocolModelTests.DemandFirst;

        private readonly ITestOutputHelper _output;

        public DeepModelTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [SkippableFact]
        public void Safety_ThreeByTwo_TwoOperationsPerContext()
        {
            SpinRunner.RequireDeepTier();
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "deep: safety 3x2, 2 operations each", ThreeByTwoTwoOps, Safety, Depth));
        }

        [SkippableFact]
        public void Liveness_ThreeByTwo_TwoOperationsPerContext_Wake0()
        {
            SpinRunner.RequireDeepTier();
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "deep: liveness 3x2, 2 operations each, wake0", ThreeByTwoTwoOps, Liveness, "-a -f -N wake0 " + Depth));
        }

        [SkippableFact]
        public void Safety_FourContexts_WithResize()
        {
            SpinRunner.RequireDeepTier();
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "deep: safety handler + 2 threads + resizer (bitstate)", FourWithResize, SafetySweep, DepthSweep));
        }

        [SkippableFact]
        public void Safety_DemandFirst_BulkHandlerThreadResizer()
        {
            SpinRunner.RequireDeepTier();
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "deep: safety demand first", DemandFirst, Safety, Depth));
        }

        [SkippableFact]
        public void Safety_Dispose_TwoAllocsPerThread()
        {
            SpinRunner.RequireDeepTier();
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "deep: safety dispose, 2 allocations per thread (bitstate)", DisposeTwoAllocs, SafetySweep, DepthSweep));
        }
    }
}
