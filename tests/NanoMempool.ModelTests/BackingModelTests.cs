// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;
using Xunit.Abstractions;
using static NanoMempool.ModelTests.PanOptions;

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// Spin checks of the backing allocator in model/nanomempool.pml (-DBACKING; BlockPool.Backing.cs): threads'
    /// Alloc asks an allocator first (which may refuse at any call, and has room for NB + AEXTRA buffers), falls
    /// back to the reserve, then waits in slices and asks again; handlers' TryAlloc/Free never call it; a push
    /// beyond the reserve's size is trimmed back to the allocator; Resize of the reserve and Dispose move the
    /// limit with an exchange and trim. Besides I1-I6 and the final audit, the model checks in every state INV_I7
    /// (the free list holds at most the limit unless a push, Resize or Dispose is in its trim window), INV_ACC
    /// (allocator outstanding == live blocks + buffers in flight between them), INV_BUF (every live block has its
    /// buffer), at every trim pop "refillok" (the pop left at least the limit), in AllocateBuffer that no handler
    /// calls it, and at the end: I7 with nobody in flight, outstanding == live blocks, and with -DRELIABLE_ALLOC a
    /// full reserve. See docs/concurrency/backing-allocator.md.
    /// </summary>
    public sealed class BackingModelTests
    {
        // A handler and a thread, 2 blocks, cyclic (unbounded operations).
        internal const string HandlerAndThread = "-DBACKING -DNB=2 -DNHANDLER=1 -DNWAITER=1";
        // A handler and a thread, 1 block (plus one allocator buffer), cyclic.
        internal const string HandlerAndThreadOneBlock = "-DBACKING -DNB=1 -DNHANDLER=1 -DNWAITER=1";
        // A handler (2 TryAlloc/Free) and the resizer: ResizeReserve(1) then ResizeReserve(2), racing.
        internal const string HandlerAndResize = "-DBACKING -DNB=2 -DNHANDLER=1 -DNWAITER=0 -DNRESIZER=1 -DHOPS=2 -DROPS=1";
        // A thread (2 Allocs) and the resizer.
        internal const string ThreadAndResize = "-DBACKING -DNB=2 -DNHANDLER=0 -DNWAITER=1 -DNRESIZER=1 -DWOPS=2 -DROPS=1";
        // A handler, a thread and Dispose, 1 block.
        internal const string Dispose = "-DBACKING -DNB=1 -DNHANDLER=1 -DNWAITER=1 -DNDISPOSER=1 -DHOPS=1 -DWOPS=1";

        // pan's message for a failed INV_I7, and for the end audit's full reserve (pan cuts a long assertion's text: each
        // begins with what names it).
        private const string I7 = "assertion violated ((gtrimming>0)||";
        private const string FullReserveAtEnd = "assertion violated (limit<=";

        private readonly ITestOutputHelper _output;

        public BackingModelTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [SkippableFact]
        public void Safety_HandlerAndThread_Cyclic()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "backing: handler + thread, cyclic", HandlerAndThread, Safety, Depth));
        }

        /// <summary>
        /// A shrinking and a growing Resize of the reserve race a thread taking blocks from the allocator (which may
        /// refuse at any call), the reserve, or a wait, and its frees and trims.
        /// </summary>
        [SkippableFact]
        public void Safety_ResizeRacesThread()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "backing: resize + thread", ThreadAndResize, Safety, Depth));
        }

        /// <summary>
        /// Refill first, end to end: with an allocator that refuses only when its budget is spent, the run ends with
        /// a full reserve (no trim gave back a block the grown reserve needed).
        /// </summary>
        [SkippableFact]
        public void Safety_ResizeRacesHandler_ReliableAllocator_ReserveEndsFull()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "backing: resize + handler, reliable allocator", HandlerAndResize + " -DRELIABLE_ALLOC", Safety, Depth));
        }

        /// <summary>Dispose races a handler and a thread (which may be inside the allocator): everything goes back.</summary>
        [SkippableFact]
        public void Safety_DisposeRacesHandlerAndThread()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "backing: dispose", Dispose, Safety, Depth));
        }

        /// <summary>
        /// Every waiting Alloc returns (wake0, weak fairness), with waits in one slice (-DNOSLICE: a retry period
        /// above every timeout): the allocator and the trims lose no wake-up.
        /// </summary>
        [SkippableFact]
        public void Liveness_WaiterWakes_OneSlice()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "backing: liveness wake0, one slice", HandlerAndThread + " -DNOSLICE", Liveness, "-a -f -N wake0 " + Depth));
        }

        /// <summary>
        /// With slices, wake0 fails (expected): a waiter whose slices keep ending inside a freer's read-to-CAS or
        /// scan-to-claim window keeps the freer rescanning (each lap withdraws and registers again). It needs the
        /// freer stalled for a whole slice (5 s by default) on every lap. If spin stops finding it, the property
        /// changed.
        /// </summary>
        [SkippableFact]
        public void Liveness_SlicesCanKeepAFreerRescanning()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "backing: liveness wake0 with slices (expected to fail)", HandlerAndThreadOneBlock, Liveness, "-a -f -N wake0 " + Depth),
                "acceptance cycle");
        }

        /// <summary>SEEDED BUG (a): Release never trims after a push: the reserve grows past its size.</summary>
        [SkippableFact]
        public void SeededBug_NoTrimAfterPush_ReserveGrowsPastItsSize()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "backing seeded bug: no trim", HandlerAndThread + " -DBUG_NO_TRIM", Safety, Depth),
                I7);
        }

        /// <summary>
        /// SEEDED BUG (b): the freer reads the limit before its push CAS. Resize(1) exchanges the limit and trims
        /// while the handler's block is in flight; the push then lands and is judged against the old limit: a
        /// surplus block stays home for good.
        /// </summary>
        [SkippableFact]
        public void SeededBug_LimitReadBeforePush_SurplusStays()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "backing seeded bug: limit read before push", HandlerAndResize + " -DBUG_LIMIT_BEFORE_PUSH", Safety, Depth),
                I7);
        }

        /// <summary>SEEDED BUG (c): TrimReserve pops with keep = limit - 1: a block goes back from a short reserve.</summary>
        [SkippableFact]
        public void SeededBug_TrimKeepsLimitMinusOne_RefillFirstFails()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "backing seeded bug: keep = limit - 1", HandlerAndResize + " -DBUG_TRIM_KEEP_LESS", Safety, Depth),
                "refillok");
        }

        /// <summary>
        /// SEEDED BUG (c'): no re-check of the limit after the trim's pop (the C# before this proof). A trim that
        /// read the limit 1 pops after Resize(2) found the reserve full: the run ends with the reserve short
        /// although the allocator had buffers.
        /// </summary>
        [SkippableFact]
        public void SeededBug_NoRefillRecheck_ReserveEndsShort()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "backing seeded bug: no refill re-check", HandlerAndResize + " -DRELIABLE_ALLOC -DBUG_NO_REFILL_RECHECK", Safety, Depth),
                FullReserveAtEnd);
        }

        /// <summary>
        /// SEEDED BUG (d): ReleaseToAllocator nulls the buffer after publishing the slot as Retired: Resize revives
        /// the slot with a new buffer meanwhile, and the late null leaves a live block without one.
        /// </summary>
        [SkippableFact]
        public void SeededBug_RetirePublishedBeforeBufferNulled_LiveBlockLosesBuffer()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "backing seeded bug: slot published before buffer nulled", HandlerAndResize + " -DBUG_RETIRE_PUBLISH_FIRST", Safety, Depth),
                "bbuf");
        }
    }
}
