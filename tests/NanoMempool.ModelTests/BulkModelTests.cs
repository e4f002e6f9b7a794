// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;
using Xunit.Abstractions;
using static NanoMempool.ModelTests.PanOptions;

// Every spin run of this assembly one after another (ProtocolModelTests and this class): the machine has 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// Spin checks of the bulk operations and the handler reserve in model/nanomempool.pml (-DBULK, -DRESERVE):
    /// BlockPool.TryAlloc(Block[] into, int count) with its chain walk modelled one read per step and one CAS,
    /// Free(Block[] blocks, int count) with its ownership CASes and roll-back, and TryAlloc's pop with keep =
    /// _tryFloor for a handler with BlockPoolOptions.HandlerReserve. Besides I1-I6 (the monitor) and the final audit, the model asserts
    /// "bulkexact" (a successful bulk pop detaches exactly the top count blocks and the list loses exactly count)
    /// and "reserveok" (a handler's own pop never leaves fewer than keep blocks free). See docs/concurrency/bulk.md,
    /// "The model: bulk and reserve".
    /// </summary>
    public sealed class BulkModelTests
    {
        // Bulk 2 in a handler + one thread in Alloc(timeout or infinite), 3 blocks, cyclic (unbounded operations).
        internal const string BulkAndThread = "-DNB=3 -DNHANDLER=1 -DNWAITER=1 -DBULK=2";
        // Bulk 2 in a handler + two threads, 2 blocks, one operation each, bounded: both ways a walk is torn (it meets a
        // link that is not a free one, or runs off the list while both threads hold a block).
        internal const string BulkAndTwoThreads = "-DNB=2 -DNHANDLER=1 -DNWAITER=2 -DBULK=2 -DHOPS=1 -DWOPS=1";
        // Deep tier only: the same with two bulk operations of the handler.
        internal const string BulkTwiceAndTwoThreads = "-DNB=2 -DNHANDLER=1 -DNWAITER=2 -DBULK=2 -DHOPS=2 -DWOPS=1";
        // A handler with HandlerReserve 1 + one thread, 2 blocks, cyclic.
        internal const string ReserveAndThread = "-DNB=2 -DNHANDLER=1 -DNWAITER=1 -DRESERVE=1";
        // The same + a second thread, bounded.
        internal const string ReserveAndTwoThreads = "-DNB=2 -DNHANDLER=1 -DNWAITER=2 -DRESERVE=1 -DHOPS=2 -DWOPS=1";

        private readonly ITestOutputHelper _output;

        public BulkModelTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>The handler first frees { b, b }: the second ownership CAS fails, the first is rolled back.</summary>
        [SkippableFact]
        public void Safety_Bulk2_DuplicateInFree_RollsBack()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "bulk 2 + thread, duplicate free", BulkAndThread + " -DBULKDUP", Safety, Depth));
        }

        [SkippableFact]
        public void Safety_Bulk2_HandlerAndTwoThreads_TwoBlocks()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "bulk 2 + two threads, 2 blocks", BulkAndTwoThreads, Safety, Depth));
        }

        /// <summary>Deep tier: the handler takes and frees its pair twice.</summary>
        [SkippableFact]
        public void Safety_Bulk2Twice_HandlerAndTwoThreads_TwoBlocks()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "bulk 2 twice + two threads, 2 blocks", BulkTwiceAndTwoThreads, Safety, DepthLarge, deep: true));
        }

        /// <summary>Not vacuous: in that configuration a walk does run off the list (and retries).</summary>
        [SkippableFact]
        public void Reach_Bulk2_TornWalkHappens()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "probe: torn walk", BulkAndTwoThreads + " -DREACH_TORN", Safety, Depth),
                "!(torn)");
        }

        /// <summary>
        /// A thread waiting beside a handler that allocates and frees in pairs always wakes. Also the safety run of this
        /// configuration: a liveness run checks every assertion in every reachable state, and the handler never blocks,
        /// so no end state exists to check.
        /// </summary>
        [SkippableFact]
        public void Liveness_Bulk2_WaiterWakes()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "liveness bulk 2 + thread wake0", BulkAndThread, Liveness, "-a -f -N wake0 " + Depth));
        }

        [SkippableFact]
        public void Safety_Reserve1_HandlerAndThread_TwoBlocks_Cyclic()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "reserve 1 + thread, 2 blocks", ReserveAndThread, Safety, Depth));
        }

        [SkippableFact]
        public void Safety_Reserve1_HandlerAndTwoThreads_TwoBlocks()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "reserve 1 + two threads", ReserveAndTwoThreads, Safety, Depth));
        }

        /// <summary>Not vacuous: the handler is refused while a block is free (the reserve).</summary>
        [SkippableFact]
        public void Reach_Reserve1_HandlerRefusedWithBlockFree()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "probe: reserve refusal", ReserveAndThread + " -DREACH_REFUSAL", Safety, Depth),
                "(dp==0)");
        }

        [SkippableFact]
        public void Safety_Bulk2_Reserve1_HandlerAndThread_ThreeBlocks()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "bulk 2 + reserve 1 + thread", BulkAndThread + " -DRESERVE=1", Safety, Depth));
        }

        /// <summary>
        /// SEEDED BUG: the walk is trusted without the CAS check (the CAS is made against a word read after the
        /// walk). A block the thread popped meanwhile is detached again: "bulkexact" fails.
        /// </summary>
        [SkippableFact]
        public void SeededBug_WalkTrustedWithoutCas_TakesStaleChain()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: bulk walk without CAS check", BulkAndThread + " -DBUG_BULK_FRESH_WORD", Safety, Depth),
                "bulkexact");
        }

        /// <summary>
        /// SEEDED BUG: the bulk CAS compares the field only, not the tag. Two threads pop the top two blocks
        /// and one pushes the old top back: the handler's stale chain (whose second block a thread holds) is
        /// detached. Needs two threads: with one, the list below the top cannot change during a walk.
        /// </summary>
        [SkippableFact]
        public void SeededBug_BulkCasWithoutTag_DetachesStaleChain()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: bulk CAS without tag", BulkAndTwoThreads + " -DBUG_BULK_NO_TAG", Safety, Depth),
                "bulkexact");
        }

        /// <summary>
        /// SEEDED BUG: TryTakeMany's walk follows a negative link and reads the last block's link also after a torn walk.
        /// A walk torn by a negative link (the thread popped the top between the handler's word read and its walk)
        /// leaves `last` = Next() of that link, a slot past the table, and the read throws IndexOutOfRangeException.
        /// See docs/concurrency/bulk.md, Findings 1.
        /// </summary>
        [SkippableFact]
        public void SeededBug_TornWalkReadsPastTheTable()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: last link read after a torn walk", BulkAndThread + " -DBUG_BULK_LAST_UNGUARDED", Safety, Depth),
                "lst<=");
        }

        /// <summary>SEEDED BUG: Pop(keep) refuses only when depth &lt; keep: the reserve rule fails.</summary>
        [SkippableFact]
        public void SeededBug_ReserveOffByOne_TakesLastReserveBlock()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: reserve off by one", ReserveAndThread + " -DBUG_RESERVE_OFF_BY_ONE", Safety, Depth),
                "reserveok");
        }
    }
}
