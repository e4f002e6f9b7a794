// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;
using Xunit.Abstractions;
using static NanoMempool.ModelTests.PanOptions;

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// Spin checks of the blocking bulk allocation in model/nanomempool.pml (-DBULKWAIT): BlockPool.Alloc(Block[] into,
    /// int count, int timeout) with its all-or-nothing TryTakeMany, the count and alert raise before the registration
    /// in the bulk WaiterQueue, the re-check of FreeCount (word, link, word again) before sleeping, the
    /// withdraw/collect/recycle of the record, the check that a set taken after a wait still fits the reserve (else
    /// GiveBackSet), the count's decrement, SettleSurplus and ClearAlertIfIdle; every freer's bulk wake after a push
    /// that carried the alert (read of _bulkWaiting, WakeNeedingAtMost's scan, claim CAS and Set); retirement waiting
    /// for bulk callers (SettleSurplus); Resize's wake-all and Dispose's DisposeAll of the bulk queue. Besides I1-I6
    /// (the monitor; INV_SURPLUS lets a surplus wait while a bulk caller is counted, and the last one to leave must
    /// settle it), the final audit of bounded runs and spin's invalid-end-state check, the monitor asserts INV_BAON (a
    /// bulk waiter inside Alloc holds none of its set or all of it, and none while it sleeps), INV_BWAKE (no bulk
    /// waiter sleeps on a Waiting record beside its whole free set unless a freer is on the way to it), INV_BSIG (a
    /// latched bulk signal belongs to a Claimed or Disposed record) and INV_ALERT (I9); every Set asserts an unlatched
    /// event (exactly once); every retire CAS asserts bulkdemandok (no bulk caller counted when the retirer decided
    /// is still waiting). See docs/concurrency/bulk.md.
    /// </summary>
    public sealed class BulkWaitModelTests
    {
        // One bulk waiter (Alloc(into, 2), timed or infinite per call, then Free(into, 2)) and a handler doing single
        // TryAlloc/Free, 2 blocks, cyclic (unboundedly many operations).
        internal const string BulkAndHandler = "-DNB=2 -DNHANDLER=1 -DNWAITER=0 -DBULKWAIT=2";
        // Two untimed bulk waiters needing the one block each, and a handler holding it, bounded: both may sleep at once,
        // and one push must wake both (the wake-all); both must finish (a lost wake-up or a deadlock is an invalid end
        // state).
        internal const string TwoBulkOneBlock = "-DNB=1 -DNHANDLER=1 -DNWAITER=0 -DBULKWAIT=1 -DNBW=2 -DHOPS=1 -DBOPS=1 -DBWTIMED=0";
        // Deep tier only: two bulk waiters needing 2 each out of 3 blocks (overlapping sets), untimed, and a handler.
        internal const string TwoBulkOverlapping = "-DNB=3 -DNHANDLER=1 -DNWAITER=0 -DBULKWAIT=2 -DNBW=2 -DHOPS=1 -DBOPS=1 -DBWTIMED=0";
        // A bulk waiter (2 of 2 blocks), a thread in the single-block Alloc and a handler, bounded; every waiting call
        // chooses between a timeout and Timeout.Infinite.
        internal const string BulkSingleAndHandler = "-DNB=2 -DNHANDLER=1 -DNWAITER=1 -DBULKWAIT=2 -DHOPS=1 -DWOPS=1 -DBOPS=1";
        // Two bulk waiters (2 of 2 blocks each, timed or infinite) and Dispose racing them, bounded.
        internal const string BulkDispose = "-DNB=2 -DNHANDLER=0 -DNWAITER=0 -DBULKWAIT=2 -DNBW=2 -DNDISPOSER=1 -DBOPS=1";
        // An untimed bulk waiter (2 of 2 blocks), a handler, and Resize(1) racing them, bounded: the shrink comes while the
        // waiter may sleep (it then throws, or takes its set and gives it back), retirement waits for it, and the
        // waiter, leaving, settles the surplus (the run ends with capacity 1 and every block home).
        internal const string BulkShrink = "-DNB=2 -DNHANDLER=1 -DNWAITER=0 -DBULKWAIT=2 -DNRESIZER=1 -DHOPS=1 -DBOPS=1 -DROPS=1 -DBWTIMED=0 -DRGROW=0";
        // Deep tier only: the same with Resize(2) after Resize(1) (the grow back).
        internal const string BulkResize = "-DNB=2 -DNHANDLER=1 -DNWAITER=0 -DBULKWAIT=2 -DNRESIZER=1 -DHOPS=1 -DBOPS=1 -DROPS=1 -DBWTIMED=0";
        // The seeded-bug configuration for end states: one untimed bulk waiter and a handler, bounded.
        internal const string BulkAndHandlerBounded = "-DNB=2 -DNHANDLER=1 -DNWAITER=0 -DBULKWAIT=2 -DHOPS=1 -DBOPS=1 -DBWTIMED=0";
        // Two untimed bulk callers needing both blocks each, nothing else: the hold-and-wait configuration.
        internal const string TwoBulkCallers = "-DNB=2 -DNHANDLER=0 -DNWAITER=0 -DBULKWAIT=2 -DNBW=2 -DBOPS=1 -DBWTIMED=0";
        // Two bulk callers needing both blocks, two calls each (timed or infinite): one leaves (and clears the alert)
        // while the other arrives (and raises it).
        internal const string TwoBulkCallersTwice = "-DNB=2 -DNHANDLER=0 -DNWAITER=0 -DBULKWAIT=2 -DNBW=2 -DBOPS=2";

        // What names the failed invariant in pan's message (pan cuts a long assertion's text): INV_BWAKE begins with
        // BASLEEP (asleep on a Waiting record), INV_BAON with AON's first term.
        private const string LostBulkWakeUp = "!((gbsleep[";
        private const string NotAllOrNothing = "!(gbin[";

        private readonly ITestOutputHelper _output;

        public BulkWaitModelTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>Two bulk callers asleep for the same block both finish: one push wakes both; no deadlock.</summary>
        [SkippableFact]
        public void Safety_TwoBulkWaiters_OneBlock_BothFinish()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "two bulk waiters 1+1 of 1 + handler", TwoBulkOneBlock, Safety, Depth));
        }

        /// <summary>Deep tier: two bulk callers whose sets overlap (2 + 2 of 3 blocks) both finish.</summary>
        [SkippableFact]
        public void Safety_TwoBulkWaiters_OverlappingSets_BothFinish()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "two bulk waiters 2+2 of 3 + handler", TwoBulkOverlapping, Safety, DepthLarge, deep: true));
        }

        [SkippableFact]
        public void Safety_BulkWaiter_SingleAllocWaiter_Handler()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "bulk wait + single Alloc + handler", BulkSingleAndHandler, Safety, DepthLarge));
        }

        /// <summary>Dispose wakes every sleeping bulk waiter (ObjectDisposedException); nobody sleeps on, nothing is lost.</summary>
        [SkippableFact]
        public void Safety_BulkWaiters_Dispose()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "bulk waiters + Dispose", BulkDispose, Safety, Depth));
        }

        /// <summary>
        /// Resize(1) below the waiter's set of 2: the waiter gets its set first, or wakes and throws
        /// InvalidOperationException (at its check under the lock, or after taking the set, which it gives back); nothing
        /// is retired while it waits (bulkdemandok), and when it leaves the surplus is settled: I6 in every state (with
        /// INV_SURPLUS waiting for it) and at the end (capacity at its target 1, every block home).
        /// </summary>
        [SkippableFact]
        public void Safety_BulkWaiter_ResizeShrinksBelowSet()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "bulk wait + Resize(1)", BulkShrink, Safety, DepthLarge));
        }

        /// <summary>Deep tier: the same with the grow back, Resize(2), after Resize(1).</summary>
        [SkippableFact]
        public void Safety_BulkWaiter_ResizeShrinksBelowSetAndGrows()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "bulk wait + Resize(1), Resize(2)", BulkResize, Safety, DepthLarge, deep: true));
        }

        /// <summary>
        /// The alert (I9) as bulk callers come and go: one leaving clears it while the other raises it. INV_ALERT (the
        /// alert is set whenever _bulkWaiting != 0, except before the raise) and every other property hold.
        /// </summary>
        [SkippableFact]
        public void Safety_TwoBulkCallers_TwoCallsEach_AlertRaisedAndCleared()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "two bulk callers x 2 calls, alert raised and cleared", TwoBulkCallersTwice, Safety, Depth));
        }

        /// <summary>
        /// A bulk waiter that decided to sleep always wakes (weak fairness, cyclic). Also the safety run of this
        /// configuration: a liveness run checks every assertion in every reachable state, and the handler never
        /// blocks, so no end state exists to check.
        /// </summary>
        [SkippableFact]
        public void Liveness_BulkWaiterWakes()
        {
            SpinRunner.AssertHolds(SpinRunner.Run(_output, "liveness bulk wait bwake0", BulkAndHandler, Liveness, "-a -f -N bwake0 " + Depth));
        }

        /// <summary>
        /// A blocking bulk Alloc can be overtaken forever by a handler that keeps taking one block of its set (it is
        /// woken, loses the race, sleeps again): spin must find that cycle, as documented ("Priority" in
        /// BlockPool.Bulk.cs). If it stops finding it, the property changed.
        /// </summary>
        [SkippableFact]
        public void Liveness_BulkAllocCanBeOvertaken()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "bulk Alloc may be overtaken bdone0 (expected to fail)", BulkAndHandler, Liveness, "-a -f -N bdone0 " + Depth),
                "acceptance cycle");
        }

        /// <summary>Not vacuous: each probe's situation is reached (the probe's own assertion must fail).</summary>
        [SkippableTheory]
        [InlineData(BulkAndHandler + " -DREACH_BULK_WOKEN", "CLAIMED-woken", "bph[r]!=2")]
        [InlineData(BulkShrink + " -DREACH_BULK_SHRUNK", "shrunk below the set", "tgt>=k")]
        [InlineData(BulkDispose + " -DREACH_BULK_DISPOSED", "disposed while asleep", "!(dis)")]
        public void Reach_BulkWaitSituations(string config, string name, string probe)
        {
            SpinRunner.AssertViolationReported(SpinRunner.Run(_output, "probe: " + name, config, Safety, Depth), probe);
        }

        /// <summary>Not vacuous: a set taken after a shrink below it is given back (the probe's assertion must fail).</summary>
        [SkippableFact]
        public void Reach_BulkWaiter_GivesBackASetTakenAfterAShrink()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "probe: give-back", BulkShrink + " -DREACH_BULK_GIVEBACK", SafetyResizerFirst, Depth), "!(gbaside[me])");
        }

        /// <summary>
        /// SEEDED BUG: the bulk caller's finally does not settle the surplus (no SettleSurplus after the decrement). The
        /// freer's push and Resize's retire loop both left a surplus block free while the caller waited; it leaves, and
        /// the block stays free beside the surplus with nobody left to retire it (INV_SURPLUS).
        /// </summary>
        [SkippableFact]
        public void SeededBug_BulkCallerLeavesWithoutSettling_SurplusBlockStaysFree()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: no settle on leaving", BulkShrink + " -DBUG_BULK_NO_SETTLE", SafetyResizerFirst, Depth),
                "grel>0");
        }

        /// <summary>
        /// SEEDED BUG: SettleSurplus retires without reading _bulkWaiting. Resize(1)'s own retire loop retires the free
        /// block while the bulk caller waits for its set (bulkdemandok: demand first).
        /// </summary>
        [SkippableFact]
        public void SeededBug_RetireIgnoresBulkCallers_RetiresWhileABulkCallerWaits()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: settle ignores bulk callers", BulkShrink + " -DBUG_SETTLE_IGNORES_BULK", Safety, Depth),
                "bulkdemandok");
        }

        /// <summary>
        /// SEEDED BUG: the bulk waiter sleeps right after registering, without re-reading FreeCount. A freer that pushed
        /// before the registration found no record to wake: the waiter sleeps beside its whole free set (INV_BWAKE).
        /// </summary>
        [SkippableFact]
        public void SeededBug_NoRecheck_LosesWakeUp()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: bulk wait without re-check", BulkAndHandler + " -DBUG_BULK_NO_RECHECK", Safety, Depth),
                LostBulkWakeUp);
        }

        /// <summary>The same bug without the monitor: the untimed waiter sleeps forever (invalid end state).</summary>
        [SkippableFact]
        public void SeededBug_NoRecheck_WaiterSleepsForever()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: bulk wait without re-check, no monitor", BulkAndHandlerBounded + " -DBUG_BULK_NO_RECHECK -DNO_MONITOR", Safety, Depth),
                "invalid end state");
        }

        /// <summary>
        /// SEEDED BUG: the freer reads _bulkWaiting once, before its push (before it reads the word). It reads 0; the
        /// waiter counts itself and raises the alert (the freer's first CAS fails), registers and re-checks (the push
        /// has not happened); the freer's retry pushes with the alert set but decides on the stale 0 and skips the scan.
        /// </summary>
        [SkippableFact]
        public void SeededBug_WakeBeforePush_LosesWakeUp()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: _bulkWaiting read before the push", BulkAndHandler + " -DBUG_BULK_WAKE_EARLY", Safety, Depth),
                LostBulkWakeUp);
        }

        /// <summary>
        /// SEEDED BUG: the bulk waiter counts itself but does not raise the alert. A push that does not carry the alert
        /// skips the bulk wake: INV_ALERT fails (and, without it, INV_BWAKE).
        /// </summary>
        [SkippableFact]
        public void SeededBug_NoAlertRaised_AlertMissing()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: bulk waiter raises no alert", BulkAndHandler + " -DBUG_BULK_NO_ALERT", Safety, Depth),
                "galw>0");
        }

        /// <summary>
        /// SEEDED BUG: RaiseAlert leaves the word alone when the alert is already set. The leaving caller's
        /// ClearAlertIfIdle read the word and found _bulkWaiting 0; the arriving caller counts itself, sees the bit set
        /// and does not move the tag; the clear CAS then succeeds and the alert is gone while a bulk caller may sleep
        /// (INV_ALERT).
        /// </summary>
        [SkippableFact]
        public void SeededBug_RaiseWithoutTagBump_ClearErasesAlert()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: raise without bump", TwoBulkCallersTwice + " -DBUG_RAISE_NO_BUMP", Safety, Depth),
                "galw>0");
        }

        /// <summary>The same bug judged without I9: the caller then sleeps beside its free set (INV_BWAKE), a real lost wake-up.</summary>
        [SkippableFact]
        public void SeededBug_RaiseWithoutTagBump_LosesWakeUp()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: raise without bump, no I9", TwoBulkCallersTwice + " -DBUG_RAISE_NO_BUMP -DNO_I9", Safety, Depth),
                LostBulkWakeUp);
        }

        /// <summary>
        /// SEEDED BUG: ClearAlertIfIdle retries a failed clear CAS on the fresh word without reading the conditions
        /// again: the arriving caller's raise made the clear fail, and the retry erases it (INV_ALERT).
        /// </summary>
        [SkippableFact]
        public void SeededBug_ClearWithoutRecheck_ErasesAlert()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: clear without re-check", TwoBulkCallersTwice + " -DBUG_CLEAR_NO_RECHECK", Safety, Depth),
                "galw>0");
        }

        /// <summary>The same bug judged without I9: a lost bulk wake-up (INV_BWAKE).</summary>
        [SkippableFact]
        public void SeededBug_ClearWithoutRecheck_LosesWakeUp()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: clear without re-check, no I9", TwoBulkCallersTwice + " -DBUG_CLEAR_NO_RECHECK -DNO_I9", Safety, Depth),
                LostBulkWakeUp);
        }

        /// <summary>
        /// SEEDED BUG (hold and wait): each bulk caller takes single blocks and waits for the rest holding them. Two
        /// callers needing both blocks take one each and sleep forever: spin's invalid-end-state check (the
        /// all-or-nothing monitor is left out with -DNO_AON, so that the deadlock itself is what spin reports).
        /// </summary>
        [SkippableFact]
        public void SeededBug_HoldAndWait_TwoBulkCallersDeadlock()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: hold and wait", TwoBulkCallers + " -DBUG_BULK_HOLD_AND_WAIT -DNO_AON", Safety, Depth),
                "invalid end state");
        }

        /// <summary>The same variant with the monitor: INV_BAON (all or nothing) fails first.</summary>
        [SkippableFact]
        public void SeededBug_HoldAndWait_BreaksAllOrNothing()
        {
            SpinRunner.AssertViolationReported(
                SpinRunner.Run(_output, "seeded bug: hold and wait, all-or-nothing monitor", TwoBulkCallers + " -DBUG_BULK_HOLD_AND_WAIT", Safety, Depth),
                NotAllOrNothing);
        }
    }
}
