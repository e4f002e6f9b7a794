// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;
using Xunit.Abstractions;
using static NanoMempool.ModelTests.PanOptions;

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// Spin checks of threads that leave a blocking member by an exception (model/nanomempool.pml, -DABORT):
    /// Thread.Abort on nanoCLR, Thread.Interrupt on host .NET, or any other exception, thrown into the first thread
    /// waiting in Alloc (ABORT=1) or in the bulk Alloc (ABORT=2) at any step of the try whose finally settles its record,
    /// its wait included (where it may take a latched Set with it). The finally then runs as in the C#
    /// (WaiterQueue.Abandon, then BlockPool.GiveBackHanded; the bulk one Abandon, the decrement, SettleSurplus and
    /// ClearAlertIfIdle) and the thread ends. Checked besides every invariant of <see cref="ProtocolModelTests"/> and the
    /// final audit: I10 (INV_GONE in every state, goneok as the thread goes: it owns no block, leaves no record it
    /// registered anything but Idle, is not counted in _bulkWaiting), and spin's invalid-end-state check (a live
    /// waiter that came later waits on forever). See docs/concurrency.md, "Aborted and interrupted waiters".
    /// </summary>
    public sealed class ExceptionModelTests
    {
        // A handler and two threads, one block, one operation each; the exception is thrown into the first thread. Its
        // record can be claimed (the handler's or the other thread's free), reused by the other thread after the first
        // withdrew it, and disposed of by nobody (no Disposer: Abandon's Disposed case is the single Alloc's Recycle).
        internal const string HandlerAndTwoThreads = "-DNB=1 -DNHANDLER=1 -DNWAITER=2 -DHOPS=1 -DWOPS=1 -DABORT=1";
        // Two threads, one block; the exception is thrown into the first, the second allocates twice (a waiter that
        // comes after the first is gone).
        internal const string TwoThreads = "-DNB=1 -DNHANDLER=0 -DNWAITER=2 -DWOPS=2 -DABORT=1";
        // The same, cyclic (the second thread loops forever): for the liveness claim wake1.
        internal const string TwoThreadsCyclic = "-DNB=1 -DNHANDLER=0 -DNWAITER=2 -DABORT=1";
        // A bulk waiter (2 of 2 blocks) and a handler, one operation each; the exception is thrown into the bulk waiter.
        internal const string BulkWaiterAndHandler = "-DNB=2 -DNHANDLER=1 -DNWAITER=0 -DBULKWAIT=2 -DHOPS=1 -DBOPS=1 -DABORT=2";
        // Deep tier only: two bulk callers needing both blocks, two calls each; the exception is thrown into the first.
        internal const string TwoBulkCallers = "-DNB=2 -DNHANDLER=0 -DNWAITER=0 -DBULKWAIT=2 -DNBW=2 -DBOPS=2 -DABORT=2";

        private readonly ITestOutputHelper _output;

        public ExceptionModelTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// A thread that leaves Alloc by an exception at any step of its wait takes nothing with it: its record is Idle,
        /// a block handed to it (taken or not) goes home or to the next waiter, the other thread and the handler finish,
        /// every block is home at the end.
        /// </summary>
        [SkippableFact]
        public void Safety_AbortedWaiter_HandlerAndTwoThreads()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "aborted waiter: handler + 2 threads", HandlerAndTwoThreads, Safety, Depth));
        }

        /// <summary>
        /// Deep tier: two threads, the second allocating twice (the configuration of the probes and seeded bugs below). The
        /// full tier's run above covers it: there too the other thread may start its Alloc after the first one is gone.
        /// </summary>
        [SkippableFact]
        public void Safety_AbortedWaiter_LaterWaiterServed()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "aborted waiter: 2 threads, the second allocates twice", TwoThreads, Safety, Depth, deep: true));
        }

        /// <summary>
        /// Deep tier: liveness, cyclic. After the first thread is gone, the second, looping forever, wakes from every wait
        /// (wake1 under weak fairness).
        /// </summary>
        [SkippableFact]
        public void Liveness_AbortedWaiter_LaterWaiterWakes()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "aborted waiter: liveness wake1", TwoThreadsCyclic, Liveness, "-a -f -N wake1 " + DepthLarge, deep: true));
        }

        /// <summary>
        /// A bulk waiter that leaves by an exception settles its record and its count (_bulkWaiting), so retirement and
        /// the alert are not held back by a thread that is gone.
        /// </summary>
        [SkippableFact]
        public void Safety_AbortedBulkWaiter_Handler()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "aborted bulk waiter + handler", BulkWaiterAndHandler, Safety, Depth));
        }

        /// <summary>Deep tier: two bulk callers that reuse each other's records, two calls each; one leaves by an exception.</summary>
        [SkippableFact]
        public void Safety_AbortedBulkWaiter_TwoBulkCallers()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "aborted bulk waiter: 2 bulk callers x 2 calls", TwoBulkCallers, Safety, Depth, deep: true));
        }

        /// <summary>
        /// Not vacuous: the exception lands in each situation the finally must settle (each probe's assertion must fail):
        /// after a claim and before the Held mark (the block goes back in transit), after the Held mark and before the
        /// Recycle (it goes back as a free), in WaitOne with a Set latched (the exception takes it), and with the record
        /// the thread registered last reused by the other thread (Abandon leaves it alone).
        /// </summary>
        /// <remarks>The reused record is found sooner with pan trying the processes in reverse order (the search order only).</remarks>
        [SkippableTheory]
        [InlineData(TwoThreads + " -DREACH_ABANDON_HANDED", "handed, not taken", "blink[sl]==253", Safety)]
        [InlineData(TwoThreads + " -DREACH_ABANDON_TAKEN", "taken, not recycled", "blink[sl]==255", Safety)]
        [InlineData(TwoThreads + " -DREACH_ABORT_SET", "Set taken by the exception", "!(gslp[me])", Safety)]
        [InlineData(HandlerAndTwoThreads + " -DREACH_ABANDON_FOREIGN", "record reused by another thread", "(rph[r]==0)", SafetyResizerFirst)]
        [InlineData(BulkWaiterAndHandler + " -DREACH_ABORT_SET", "bulk: Set taken by the exception", "!(gbsleep[me])", Safety)]
        [InlineData(BulkWaiterAndHandler + " -DREACH_ABANDON_CLAIMED", "bulk: after a freer's claim", "(ph!=2)", Safety)]
        public void Reach_ExceptionSituations(string config, string name, string probe, string gccFlags)
        {
            SpinRunner.AssertViolationReported(SpinRunner.Run(_output, "probe: " + name, config, gccFlags, Depth), probe);
        }

        /// <summary>
        /// SEEDED BUG: the finally does nothing. The thread goes with its record Waiting (or Claimed, a block in it):
        /// goneok fails as it goes.
        /// </summary>
        [SkippableFact]
        public void SeededBug_NoAbandon_ThreadLeavesItsRecordWaiting()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: no Abandon", TwoThreads + " -DBUG_NO_ABANDON", Safety, Depth),
                "violated goneok");
        }

        /// <summary>
        /// The same bug judged by what it does (no monitor, no I10): the next free hands its block to the record of the
        /// thread that is gone, and the other thread, waiting with Timeout.Infinite, sleeps forever (wake1: an
        /// acceptance cycle).
        /// </summary>
        [SkippableFact]
        public void SeededBug_NoAbandon_LaterWaiterSleepsForever()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: no Abandon, liveness", TwoThreadsCyclic + " -DBUG_NO_ABANDON -DNO_GONE -DNO_MONITOR", Liveness, "-a -f -N wake1 " + Depth),
                "acceptance cycle");
        }

        /// <summary>SEEDED BUG: the bulk Alloc's finally does not Abandon: the bulk waiter goes with its record Waiting.</summary>
        [SkippableFact]
        public void SeededBug_NoAbandon_BulkWaiterLeavesItsRecordWaiting()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: no Abandon, bulk", BulkWaiterAndHandler + " -DBUG_NO_ABANDON", Safety, Depth),
                "violated goneok");
        }

        /// <summary>
        /// SEEDED BUG: TakeOutcome recycles the record before it marks the block Held. An exception in between: Abandon
        /// finds the record Idle, and the block, Owned, goes with the thread (goneok).
        /// </summary>
        [SkippableFact]
        public void SeededBug_TakeOutcomeRecyclesFirst_BlockGoesWithTheThread()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: record Idle before the Held mark", TwoThreads + " -DBUG_TAKE_IDLE_FIRST", Safety, Depth),
                "violated goneok");
        }

        /// <summary>
        /// SEEDED BUG: Abandon settles a non-Idle record without checking its owner. One thread's Alloc times out and
        /// withdraws its record; the other registers on that record and sleeps; the first one's finally, on its normal
        /// exit (it runs Abandon on every exit), withdraws the second one's registration under it: the second wakes to a
        /// word with no outcome (NullReferenceException in the C#: outcomeok).
        /// </summary>
        [SkippableFact]
        public void SeededBug_AbandonWithoutOwnerCheck_WithdrawsAnotherThreadsRecord()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: Abandon without the owner check", HandlerAndTwoThreads + " -DBUG_ABANDON_NO_OWNER", Safety, Depth),
                "violated outcomeok");
        }
    }
}
