// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;
using Xunit.Abstractions;
using static NanoMempool.ModelTests.PanOptions;

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// Exhaustive checks of the Promela model of NanoMempool's protocol (model/nanomempool.pml) with spin.
    /// Safety runs check, in every reachable state, the invariants I1 (each block in exactly one place),
    /// I2 (counts), I3 (no lost wake-up), I5 (the word is the outcome: nobody sleeps on a Claimed or Disposed record
    /// without its wake-up latched or due), I6 (capacity vs target, and no surplus block free once no Resize or Release
    /// is in progress) and I9 (the alert is set while a bulk waiter may sleep or the pool has a surplus), "demandok"
    /// where a Resizer runs (a block is never retired while a thread that waited since its free began still sleeps),
    /// the inline assertions (a block is never owned twice, a hand-off delivers the claimed block Owned, the owner finds
    /// an outcome in the word it takes and leaves none untaken (outcomeok), a refusal rests on the top's own link,
    /// Resize reports a racing Dispose as such) and spin's invalid-end-state (deadlock) check. Liveness runs check LTL claims under
    /// weak fairness (pan -a -f), and with them every assertion (but not end states: a never claim disables that
    /// check). Seeded-bug runs must find a violation. See docs/concurrency/free-list.md, "Evidence", for what each
    /// run proves and why some run only in the deep tier. All runs are in one class, so xunit runs them one after
    /// another (the machine has 2 cores).
    /// </summary>
    public sealed class ProtocolModelTests
    {
        // Configurations (-D options of the model). "Cyclic": every context loops forever (finite state
        // space, all interleavings of unboundedly many operations). "Bounded": each context does a fixed
        // number of operations, then ends, and a final audit checks that every block came home.
        internal const string TwoThreadsOneBlock = "-DNB=1 -DNHANDLER=0 -DNWAITER=2";                       // 2 x 1, cyclic
        internal const string HandlerAndThreadOneBlock = "-DNB=1 -DNHANDLER=1 -DNWAITER=1";                 // 2 x 1, cyclic
        internal const string ThreeByTwo = "-DNB=2 -DNHANDLER=1 -DNWAITER=2 -DHOPS=2 -DWOPS=1";             // 3 x 2, bounded
        internal const string DisposeWithWaiters = "-DNB=2 -DNHANDLER=1 -DNWAITER=2 -DNDISPOSER=1 -DHOPS=2 -DWOPS=1";
        // Shrink then grow back, a pool without options (MaxCapacity = 2: the grow may find every slot in use while a
        // retirer has made its capacity CAS and not yet its Retired mark, and waits for it).
        internal const string ShrinkAndGrow = "-DNB=2 -DNHANDLER=1 -DNWAITER=1 -DNRESIZER=1 -DHOPS=2 -DWOPS=2 -DROPS=1 -DMAXCAP=2";
        // A handler taking both blocks at once (bulk 2), a thread that may sleep meanwhile, and Resize(1), Resize(2):
        // a block comes home during a surplus while a thread waits (demand first).
        internal const string DemandFirst = "-DNB=2 -DNHANDLER=1 -DNWAITER=1 -DNRESIZER=1 -DBULK=2 -DHOPS=1 -DWOPS=1 -DROPS=1";
        // Three blocks, three contexts that pop (a handler and two threads, one operation each), every link read and
        // write a step of its own, and the LINCHECK ghost: every refusal must be linearizable (the list was at most
        // `keep` blocks long at some moment of the call). Three of each is the least a wrong refusal needs: one
        // context reads the top A, a second pops and frees A while a third pops the next block B, so that the second
        // writes A's link from B's negative one (depth 0); and a third block must stay free throughout.
        internal const string ThreeBlocksThreePoppers = "-DNB=3 -DNHANDLER=1 -DNWAITER=2 -DHOPS=1 -DWOPS=1 -DUNTIMED=0 -DLINCHECK";
        // A thread, Resize(1), Resize(2) with room for a new slot (MaxCapacity 4), and Dispose racing them.
        internal const string ResizeRacesDispose = "-DNB=2 -DNHANDLER=0 -DNWAITER=1 -DNRESIZER=1 -DNDISPOSER=1 -DWOPS=1 -DROPS=1";
        // Deep tier only: the 3 x 2 configuration with two timed Allocs per thread (the deep tier's 3 x 2 with two
        // operations per context covers it too).
        internal const string ThreeByTwoMoreAllocs = "-DNB=2 -DNHANDLER=1 -DNWAITER=2 -DHOPS=1 -DWOPS=2 -DUNTIMED=0";

        private readonly ITestOutputHelper _output;

        public ProtocolModelTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [SkippableFact]
        public void Safety_TwoThreads_OneBlock_Cyclic()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "safety 2x1 threads", TwoThreadsOneBlock, Safety, Depth, quick: true));
        }

        [SkippableFact]
        public void Safety_HandlerAndTwoThreads_TwoBlocks()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "safety 3x2", ThreeByTwo, Safety, Depth));
        }

        /// <summary>Deep tier: two timed Allocs per thread.</summary>
        [SkippableFact]
        public void Safety_HandlerAndTwoThreads_TwoBlocks_TwoAllocsEach()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "safety 3x2 (2 allocs per thread)", ThreeByTwoMoreAllocs, Safety, Depth, deep: true));
        }

        [SkippableFact]
        public void Safety_DisposeWithWaiters()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "safety dispose", DisposeWithWaiters, Safety, DepthLarge));
        }

        /// <summary>
        /// Shrink then grow, racing frees, in a pool whose slot table is full: every invariant holds, I6 included, and
        /// the grow that finds every slot in use waits for the retirer's Retired mark (no invalid end state).
        /// </summary>
        [SkippableFact]
        public void Safety_ShrinkAndGrow()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "safety resize", ShrinkAndGrow, Safety, DepthLarge));
        }

        /// <summary>
        /// Resize(1), Resize(2) and Dispose racing a thread, with room for new slots (a grow that finds no Retired slot
        /// creates one): a Resize that meets a racing Dispose throws ObjectDisposedException, never
        /// ArgumentOutOfRangeException (resizeok), and every other property holds.
        /// </summary>
        [SkippableFact]
        public void Safety_ResizeRacesDispose()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "safety resize + dispose", ResizeRacesDispose, Safety, Depth));
        }

        /// <summary>
        /// Three blocks, three contexts that pop, links read and written step by step: every refusal (TryAlloc, Pop) is
        /// linearizable (refusalok), and one that re-read an unchanged word is right at that moment.
        /// </summary>
        [SkippableFact]
        public void Safety_ThreeBlocksThreePoppers_RefusalsAreLinearizable()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "safety 3x3, refusals", ThreeBlocksThreePoppers, Safety, Depth));
        }

        /// <summary>
        /// SEEDED BUG: capacity and target in two words: a retire CAS that read the old target completes after
        /// Resize raised the target to the current capacity, and capacity stays below target for good (I6).
        /// </summary>
        [SkippableFact]
        public void SeededBug_SplitSizes_CapacityFallsBelowTarget()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "resize, seeded split sizes (I6)", ShrinkAndGrow + " -DBUG_SPLIT_SIZES", SafetyResizerFirst, Depth),
                "capacity>=target");
        }

        /// <summary>
        /// SEEDED BUG: Resize raises the alert only after its own retire loop. A free that pushes after that loop
        /// and before the raise carries no alert, skips the retire re-check, and its block stays free beside a
        /// surplus once everybody is done (INV_SURPLUS, I6 at quiescence).
        /// </summary>
        [SkippableFact]
        public void SeededBug_AlertRaisedAfterRetireLoop_SurplusBlockStaysFree()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "resize, seeded late raise (I6)", ShrinkAndGrow + " -DBUG_RAISE_LATE", SafetyResizerFirst, Depth),
                "grel>0");
        }

        /// <summary>
        /// SEEDED BUG: Resize's grow releases whatever ReviveOrCreateBlock returned, null included. A retirer has made its
        /// capacity CAS and not yet its Retired mark, and every slot up to MaxCapacity is in use: the grow finds no slot
        /// (NullReferenceException in the C#: grownonnull).
        /// </summary>
        [SkippableFact]
        public void SeededBug_GrowWithoutYield_FindsNoSlot()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "resize, seeded grow without yield", ShrinkAndGrow + " -DBUG_GROW_NO_YIELD", SafetyResizerFirst, Depth),
                "grownonnull");
        }

        /// <summary>
        /// SEEDED BUG: Release retires a home-coming block before offering it to waiting threads (if the pool has a
        /// surplus). A handler frees a block of its bulk set while a thread sleeps in Alloc after a shrink: the block
        /// is retired and the thread sleeps on (demandok: a retired block kept nobody waiting who waited since its
        /// free began, I4 "demand first").
        /// </summary>
        [SkippableFact]
        public void SeededBug_RetireBeforeHandOff_ThreadWaitsWhileBlockRetires()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "resize, seeded retire first (demand first)", DemandFirst + " -DBUG_RETIRE_FIRST", Safety, Depth),
                "demandok");
        }

        /// <summary>
        /// SEEDED BUG: Resize compares the capacity with _tryFloor without first telling a racing Dispose (which set it to
        /// int.MaxValue) apart: it throws ArgumentOutOfRangeException for a valid capacity (resizeok).
        /// </summary>
        [SkippableFact]
        public void SeededBug_ResizeMistakesDisposeForRange()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "resize + dispose, seeded floor unchecked", ResizeRacesDispose + " -DBUG_RESIZE_FLOOR_UNCHECKED", Safety, Depth),
                "resizeok");
        }

        /// <summary>
        /// SEEDED BUG: a refusal decided on the link alone, without re-reading the word. A freer whose word's top was
        /// popped meanwhile writes depth 0 into its own block's link (0xFFFF + 1 overflows); a context that read that
        /// block as the top refuses although a block was free throughout its call (refusalok).
        /// </summary>
        [SkippableFact]
        public void SeededBug_RefusalWithoutReread_RefusesBesideAFreeBlock()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "3x3, seeded refusal without re-read", ThreeBlocksThreePoppers + " -DBUG_REFUSAL_NO_REREAD", Safety, Depth),
                "refusalok");
        }

        [SkippableTheory]
        [InlineData("wake0")]
        [InlineData("wake1")]
        public void Liveness_EveryWaiterWakes_TwoThreads_OneBlock(string claim)
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "liveness 2x1 threads " + claim, TwoThreadsOneBlock, Liveness, "-a -f -N " + claim + " " + Depth));
        }

        /// <summary>
        /// Also the safety run of this configuration: a liveness run checks every assertion (the monitor's included) in
        /// every reachable state, and a handler never blocks, so no end state exists to check.
        /// </summary>
        [SkippableFact]
        public void Liveness_EveryWaiterWakes_HandlerAndThread_OneBlock()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "liveness 2x1 handler+thread wake0", HandlerAndThreadOneBlock, Liveness, "-a -f -N wake0 " + Depth));
        }

        /// <summary>
        /// Deep tier: the 3 x 2 configuration is bounded and has no cycle (pan -l finds none), so "every waiter wakes"
        /// means no end state with a waiter asleep, which Safety_HandlerAndTwoThreads_TwoBlocks checks.
        /// </summary>
        [SkippableTheory]
        [InlineData("wake0")]
        [InlineData("wake1")]
        public void Liveness_EveryWaiterWakes_ThreeByTwo(string claim)
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "liveness 3x2 " + claim, ThreeByTwo, Liveness, "-a -f -N " + claim + " " + Depth, deep: true));
        }

        /// <summary>Deep tier, for the reason of Liveness_EveryWaiterWakes_ThreeByTwo (Safety_DisposeWithWaiters).</summary>
        [SkippableFact]
        public void Liveness_EveryWaiterWakes_DisposeWithWaiters()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "liveness dispose wake0", DisposeWithWaiters, Liveness, "-a -f -N wake0 " + DepthLarge, deep: true));
        }

        [SkippableTheory]
        [InlineData(TwoThreadsOneBlock)]
        [InlineData(HandlerAndThreadOneBlock)]
        public void Liveness_AllocIsLockFree(string config)
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "lock-freedom done0 " + config, config + " -DPROGRESS", Liveness, "-a -f -N done0 " + Depth));
        }

        /// <summary>
        /// Alloc is lock-free, not wait-free: with a competitor that allocates and frees forever, a thread can
        /// lose every CAS race. Spin must find that cycle (if it stops finding it, the property changed).
        /// </summary>
        [SkippableFact]
        public void Liveness_AllocIsNotWaitFree()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "wait-freedom done0strict (expected to fail)", HandlerAndThreadOneBlock, Liveness, "-a -f -N done0strict " + Depth),
                "acceptance cycle");
        }

        /// <summary>Seeded bug: Release pushes with a freshly read word after an empty scan. Lost wake-up.</summary>
        [SkippableFact]
        public void SeededBug_NoHandOffRecheck_LosesWakeUp()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: no hand-off re-check", TwoThreadsOneBlock + " -DBUG_NO_RECHECK", Safety, Depth, quick: true),
                "gpub");
        }

        /// <summary>The same seeded bug also breaks the liveness claim: a waiter can sleep forever.</summary>
        [SkippableFact]
        public void SeededBug_NoHandOffRecheck_WaiterSleepsForever()
        {
            // Without the invariant monitor, so that spin reports the liveness failure itself.
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: no hand-off re-check, liveness", TwoThreadsOneBlock + " -DBUG_NO_RECHECK -DNO_MONITOR", Liveness, "-a -f -N wake0 " + Depth),
                "acceptance cycle");
        }

        /// <summary>
        /// Seeded bug: after a timeout, AwaitHandOff returns null even when its withdraw lost to a claim. Alloc reports a
        /// timeout with a block handed to it (outcomeok, at its exit). The finally's Abandon would give the block back,
        /// so it is not lost, but the longest-waiting thread, which a freer chose, got nothing.
        /// </summary>
        [SkippableFact]
        public void SeededBug_TimeoutIgnoresClaim_ReturnsNullWithABlockHanded()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: timeout ignores claim", ThreeByTwo + " -DBUG_TIMEOUT_IGNORES_CLAIM", Safety, Depth),
                "violated outcomeok");
        }

        /// <summary>Seeded bug: no ABA tag on the free-list word. A popped block ends up both held and free.</summary>
        [SkippableFact]
        public void SeededBug_NoTag_AbaCorruptsList()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: no tag", ThreeByTwo + " -DLITERAL_TAG -DTAGM=1", Safety, Depth),
                "assertion violated");
        }
    }
}
