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
    /// waiter that came later waits on forever). The exception may land inside the bulk Alloc's RaiseAlert (inside the
    /// try). A lost Set (-DFREE_ABORT): a thread's Free leaves by an exception between a hand-off claim and its Set(); the
    /// waiter's nap (Deadline.Nap) ends its wait. See docs/concurrency/free-list.md, "The model with exceptions".
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
        // Two bulk callers needing both blocks, two calls each; the exception is thrown into the first.
        internal const string TwoBulkCallers = "-DNB=2 -DNHANDLER=0 -DNWAITER=0 -DBULKWAIT=2 -DNBW=2 -DBOPS=2 -DABORT=2";

        // A lost Set (-DFREE_ABORT): the first thread's Free leaves by an exception between its hand-off claim and the
        // Set(), once; the thread ends. A handler and two threads, one block, one operation each (each Alloc timed or
        // untimed): the other thread's wait must end at its nap.
        internal const string FreerAbortedHandlerAndTwoThreads = "-DNB=1 -DNHANDLER=1 -DNWAITER=2 -DHOPS=1 -DWOPS=1 -DFREE_ABORT";
        // The same with two threads, cyclic: for the liveness claim wake1 (the second thread loops forever).
        internal const string FreerAbortedCyclic = "-DNB=1 -DNHANDLER=0 -DNWAITER=2 -DFREE_ABORT";
        // A thread and a bulk waiter (both blocks, untimed): the thread's Free claims the bulk record and leaves by the
        // exception before the Set(); bounded (one operation each) and cyclic (for bwake0).
        internal const string FreerAbortedBulk = "-DNB=2 -DNHANDLER=0 -DNWAITER=1 -DBULKWAIT=2 -DWOPS=1 -DBOPS=1 -DBWTIMED=0 -DFREE_ABORT";
        internal const string FreerAbortedBulkCyclic = "-DNB=2 -DNHANDLER=0 -DNWAITER=1 -DBULKWAIT=2 -DBWTIMED=0 -DFREE_ABORT";

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
        /// Two threads, the second allocating twice (the configuration of the probes and seeded bugs below): a waiter that
        /// comes after the first one is gone is served.
        /// </summary>
        [SkippableFact]
        public void Safety_AbortedWaiter_LaterWaiterServed()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "aborted waiter: 2 threads, the second allocates twice", TwoThreads, Safety, Depth));
        }

        /// <summary>
        /// Liveness, cyclic. After the first thread is gone, the second, looping forever, wakes from every wait (wake1
        /// under weak fairness).
        /// </summary>
        [SkippableFact]
        public void Liveness_AbortedWaiter_LaterWaiterWakes()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "aborted waiter: liveness wake1", TwoThreadsCyclic, Liveness, "-a -f -N wake1 " + DepthLarge));
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

        /// <summary>Two bulk callers that reuse each other's records, two calls each; one leaves by an exception.</summary>
        [SkippableFact]
        public void Safety_AbortedBulkWaiter_TwoBulkCallers()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "aborted bulk waiter: 2 bulk callers x 2 calls", TwoBulkCallers, Safety, Depth));
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
        [InlineData(BulkWaiterAndHandler + " -DREACH_ABORT_RAISE", "bulk: inside RaiseAlert, before its CAS", "!(graise[me])", Safety)]
        public void Reach_ExceptionSituations(string config, string name, string probe, string gccFlags)
        {
            SpinRunner.AssertViolationReported(SpinRunner.Run(_output, "probe: " + name, config, gccFlags, Depth), probe);
        }

        /// <summary>
        /// SEEDED BUG, the code before the fix: the bulk Alloc raises its alert before its try. An exception inside
        /// RaiseAlert's read-and-CAS loop leaves without the finally: the thread goes counted in _bulkWaiting (goneok as it
        /// goes; without I10, the final audit: _bulkWaiting never returns to 0). The fixed code (RaiseAlert inside the try)
        /// passes both checks in Safety_AbortedBulkWaiter_Handler, where Reach_ExceptionSituations shows the exception
        /// landing inside RaiseAlert.
        /// </summary>
        [SkippableTheory]
        [InlineData("", "violated goneok")]
        [InlineData(" -DNO_GONE", "bulkWaiting==0")]
        public void SeededBug_RaiseAlertOutsideTry_ThreadGoesCountedInBulkWaiting(string flags, string expected)
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: RaiseAlert before the try" + flags, BulkWaiterAndHandler + " -DBUG_RAISE_OUTSIDE_TRY" + flags, Safety, Depth),
                expected);
        }

        /// <summary>
        /// A lost Set: a thread's Free leaves by an exception between its hand-off claim and the Set() (Thread.Abort in
        /// WaiterQueue.TryHandOff). The block is in the waiter's record; the waiter, asleep, is woken by no Set, and its
        /// nap (Deadline.Nap) ends the wait: it takes the block (every invariant, I5 with the Set lost, no invalid end
        /// state, every block home and every record Idle at the end).
        /// </summary>
        [SkippableFact]
        public void Safety_FreerAbortedBeforeSet_WaiterTakesTheBlockAtItsNap()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "lost Set: handler + 2 threads, the freer aborted", FreerAbortedHandlerAndTwoThreads, Safety, Depth));
        }

        /// <summary>Liveness, cyclic: with the Set lost, the waiter still returns from every wait (wake1).</summary>
        [SkippableFact]
        public void Liveness_FreerAbortedBeforeSet_WaiterWakes()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "lost Set: liveness wake1", FreerAbortedCyclic, Liveness, "-a -f -N wake1 " + Depth));
        }

        /// <summary>
        /// The same for the bulk Alloc: the freer's bulk claim (WaiterQueue.WakeNeedingAtMost) without its Set; the bulk
        /// waiter's nap ends its wait, it takes the outcome (AwaitBulkWake) and then its set: bounded (end states, audit)
        /// and cyclic (bwake0).
        /// </summary>
        [SkippableFact]
        public void Safety_FreerAbortedBeforeSet_BulkWaiterTakesItsSet()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "lost Set: thread + bulk waiter, the freer aborted", FreerAbortedBulk, Safety, Depth));
        }

        /// <summary>Liveness, cyclic: with its Set lost, the bulk waiter still stops sleeping (bwake0).</summary>
        [SkippableFact]
        public void Liveness_FreerAbortedBeforeSet_BulkWaiterWakes()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "lost Set: liveness bwake0", FreerAbortedBulkCyclic, Liveness, "-a -f -N bwake0 " + Depth));
        }

        /// <summary>Not vacuous: a nap ends the wait whose Set was lost (each probe's assertion must fail).</summary>
        [SkippableTheory]
        [InlineData(FreerAbortedHandlerAndTwoThreads, "single", "(rph[r]==1)")]
        [InlineData(FreerAbortedBulk, "bulk", "(bph[r]==1)")]
        public void Reach_NapEndsAWaitWhoseSetWasLost(string config, string name, string probe)
        {
            SpinRunner.AssertViolationReported(SpinRunner.Run(_output, "probe: nap after a lost Set, " + name, config + " -DREACH_NAP", Safety, Depth), probe);
        }

        /// <summary>
        /// SEEDED BUG: no nap (the wait untimed again, as before Deadline.Nap). The waiter whose Set was lost sleeps forever
        /// beside its block: an invalid end state (bounded, no monitor), an acceptance cycle of wake1 / bwake0 (cyclic).
        /// </summary>
        [SkippableTheory]
        [InlineData(FreerAbortedHandlerAndTwoThreads, "single", Safety, "", "invalid end state")]
        [InlineData(FreerAbortedBulk, "bulk", Safety, "", "invalid end state")]
        [InlineData(FreerAbortedCyclic, "single, wake1", Liveness, "-a -f -N wake1 ", "acceptance cycle")]
        public void SeededBug_NoNap_WaiterSleepsBesideItsBlock(string config, string name, string gccFlags, string panFlags, string expected)
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: no nap, " + name, config + " -DBUG_NO_NAP -DNO_MONITOR", gccFlags, panFlags + Depth),
                expected);
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
