// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// Exhaustive checks of the Promela model of BlockQueue (model/blockqueue.pml) with spin. Every safety
    /// run checks, in every reachable state, Q1 (bounds), Q2 (slot states around the head), Q3 (each block in
    /// exactly one place: free, in a producer's hand, in exactly one slot, or with the consumer that took it)
    /// and Q5 as an invariant (no consumer asleep at WaitOne with the event clear while the head block is
    /// published or the queue is disposed and nobody is on the way to wake it), the queued marks (a block in a slot is
    /// marked Queued in its pool, a block in nobody's hands is not held), plus the inline assertions
    /// (each arrow of Q2, Q4: a consumer gets the block of the position it claimed, never one taken before; a block
    /// enters a slot only from a producer's hands, oneplace). Bounded runs add spin's invalid-end-state check (a thread
    /// asleep forever, after Dispose or beside a ready block, or any deadlock) and a final audit (every slot's mark as
    /// BlockQueue.Validate states it). -DABORT throws an exception into the first consumer at any step of its wait;
    /// -DABORT_PUBLISH one into the first producer between its publish and its Set() (a lost Set, which the
    /// consumers' naps make up for).
    /// Seeded-bug runs must find a violation.
    /// See docs/concurrency/block-queue.md. One class: xunit runs these one after another.
    /// </summary>
    public sealed class BlockQueueModelTests
    {
        private const string Model = "blockqueue.pml";

        // Configurations. C = capacity, NPROD producers (TryEnqueue only; drop on full), NCONS consumer
        // threads, CMODES = the calls they make (1 TryDequeue, 2 Dequeue(timeout), 4 Dequeue()).
        // Cyclic (OPS = 0): every context loops forever, positions wrap again and again.
        // Bounded (POPS/COPS): each context does that many operations; a Disposer races them all.
        internal const string C1SleepersCyclic = "-DC=1 -DNPROD=1 -DNCONS=2 -DCMODES=4";
        internal const string C1TwoProducersPollingCyclic = "-DC=1 -DNPROD=2 -DNCONS=1 -DCMODES=1";
        internal const string C2AllCallsCyclic = "-DC=2 -DNPROD=1 -DNCONS=1 -DCMODES=7";
        internal const string C2MixedDispose = "-DC=2 -DNPROD=1 -DNCONS=2 -DCMODES=5 -DNDISPOSER=1 -DPOPS=2 -DCOPS=1";
        // Two producers publish one block each, two threads call Dequeue() once each, no Dispose.
        internal const string TwoBlocksTwoSleepers = "-DC=2 -DNPROD=2 -DNCONS=2 -DCMODES=4 -DPOPS=1 -DCOPS=1";
        // Deep tier only: capacity 1, two producers, one consumer making every call, cyclic; and the two-sleepers
        // configuration with Dispose racing.
        internal const string C1TwoProducersCyclic = "-DC=1 -DNPROD=2 -DNCONS=1 -DCMODES=7";
        internal const string C2TwoProducersTwoSleepersDispose = "-DC=2 -DNPROD=2 -DNCONS=2 -DCMODES=4 -DNDISPOSER=1 -DPOPS=1 -DCOPS=1";
        // A producer publishes two blocks to two threads calling Dequeue() once each; an exception (Thread.Abort,
        // Thread.Interrupt) is thrown into the first consumer at any step of its wait (-DABORT).
        internal const string C2AbortedSleeper = "-DC=2 -DNPROD=1 -DNCONS=2 -DCMODES=4 -DPOPS=2 -DCOPS=1 -DABORT=1";
        // A lost Set: the first producer leaves TryEnqueue by an exception between its publish and its Set() (once; it
        // then ends); two producers, two threads calling Dequeue() once each.
        internal const string TwoBlocksTwoSleepersLostSet = TwoBlocksTwoSleepers + " -DABORT_PUBLISH";
        // Two producers enqueue one and the same block, once each (a misuse): no consumer.
        internal const string C2OneBlockTwoProducers = "-DC=2 -DNPROD=2 -DNCONS=0 -DDUPENQ -DPOPS=1 -DCOPS=1";
        // Two producers enqueue a block each, no consumer: what stays in the slots is what the producers wrote.
        internal const string C2TwoProducersNoConsumer = "-DC=2 -DNPROD=2 -DNCONS=0 -DPOPS=1 -DCOPS=1";

        private const string Safety = PanOptions.Safety;
        // The deepest full-tier run reaches about 830,000 steps (a cyclic run's stack); a hash table of 2^20 slots (the
        // default 2^24 costs half a second of page faults per run); the largest run keeps the default.
        private const string Depth = "-m1000000 -w20";
        private const string DepthLarge = "-m1000000";
        private const string DepthDeep = "-m10000000";

        private readonly ITestOutputHelper _output;

        public BlockQueueModelTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private SpinResult Run(string name, string config, bool quick = false, string depth = Depth, bool deep = false)
        {
            return SpinRunner.Run(_output, name, config, Safety, depth, quick, Model, deep);
        }

        /// <summary>Capacity 1, two consumers sleeping in Dequeue(), one producer; unbounded runs (wraps).</summary>
        [SkippableFact]
        public void Safety_C1_TwoSleepers_Cyclic()
        {
            SpinRunner.AssertHolds(Run("queue safety C=1 1 producer 2 sleepers cyclic", C1SleepersCyclic, quick: true, depth: DepthLarge));
        }

        /// <summary>Capacity 1, two producers racing for the slot (drops when full), one consumer polling (TryDequeue).</summary>
        [SkippableFact]
        public void Safety_C1_TwoProducers_Polling_Cyclic()
        {
            SpinRunner.AssertHolds(Run("queue safety C=1 2 producers 1 polling consumer cyclic", C1TwoProducersPollingCyclic));
        }

        /// <summary>Deep tier: the same with a consumer making every call (TryDequeue, Dequeue(timeout), Dequeue()).</summary>
        [SkippableFact]
        public void Safety_C1_TwoProducers_AllCalls_Cyclic()
        {
            SpinRunner.AssertHolds(Run("queue safety C=1 2 producers 1 consumer all calls cyclic", C1TwoProducersCyclic, depth: DepthDeep, deep: true));
        }

        /// <summary>Capacity 2, one producer, one consumer making every call; unbounded runs (wraps every 3 laps).</summary>
        [SkippableFact]
        public void Safety_C2_AllCalls_Cyclic()
        {
            SpinRunner.AssertHolds(Run("queue safety C=2 1 producer 1 consumer all calls cyclic", C2AllCallsCyclic));
        }

        /// <summary>
        /// Capacity 2, two producers publish one block each and two threads call Dequeue() once each (two Sets can
        /// merge into one): Q1-Q5 in every state, and every sleeper gets a block (no invalid end state), the final
        /// audit holds.
        /// </summary>
        [SkippableFact]
        public void Safety_C2_TwoProducers_TwoSleepers()
        {
            SpinRunner.AssertHolds(Run("queue safety C=2 2 producers 2 sleepers", TwoBlocksTwoSleepers));
        }

        /// <summary>Deep tier: the same with Dispose racing them.</summary>
        [SkippableFact]
        public void Safety_C2_TwoProducers_TwoSleepers_Dispose()
        {
            SpinRunner.AssertHolds(Run("queue safety C=2 2 producers 2 sleepers dispose", C2TwoProducersTwoSleepersDispose, depth: DepthDeep, deep: true));
        }

        /// <summary>Capacity 2, TryDequeue and Dequeue() mixed, Dispose racing.</summary>
        [SkippableFact]
        public void Safety_C2_Mixed_Dispose()
        {
            SpinRunner.AssertHolds(Run("queue safety C=2 mixed dispose", C2MixedDispose));
        }

        /// <summary>SEEDED BUG (a): the producer skips the Set() although _sleepers != 0. A sleeper stays asleep beside a ready block.</summary>
        [SkippableFact]
        public void SeededBug_NoSet_LosesWakeUp()
        {
            SpinRunner.AssertViolationReported(Run("queue seeded bug: no Set (cyclic)", C1SleepersCyclic + " -DBUG_NO_SET", quick: true), "gblk");
        }

        /// <summary>
        /// SEEDED BUG (b): the pass-on Set() of a thread leaving Dequeue with a block is dropped. Two publishes
        /// whose Sets merge into one wake one of two sleepers; the other sleeps beside a ready block. (.NET
        /// tests rarely see it: there two Sets seldom merge; in the model the event is one bit.)
        /// </summary>
        [SkippableFact]
        public void SeededBug_NoPassOn_LosesWakeUp()
        {
            SpinRunner.AssertViolationReported(Run("queue seeded bug: no pass-on Set", TwoBlocksTwoSleepers + " -DBUG_NO_PASS_ON"), "gblk");
        }

        /// <summary>
        /// A consumer that leaves Dequeue by an exception (in its WaitOne, where it may take the Set with it, or after it
        /// took a block) passes its wake-up on (the finally) and the block it took (back into the queue, or home): the
        /// other sleeper is served (Q5 in every state, no invalid end state), nothing is lost (the final audit, the
        /// queued marks). The exception is not thrown inside TryDequeue between its claim and its mark write (see
        /// Limit_ExceptionInsideTryDequeue_WedgesTheQueue).
        /// </summary>
        [SkippableFact]
        public void Safety_C2_AbortedSleeper()
        {
            SpinRunner.AssertHolds(Run("queue safety C=2 aborted sleeper", C2AbortedSleeper));
        }

        /// <summary>
        /// Not vacuous: the exception takes a latched Set with it (the probe's assertion must fail).
        /// </summary>
        [SkippableFact]
        public void Reach_C2_ExceptionTakesTheSet()
        {
            SpinRunner.AssertViolationReported(Run("queue probe: the exception takes the Set", C2AbortedSleeper + " -DREACH_ABORT_SET"), "!(gblk[me])");
        }

        /// <summary>
        /// SEEDED BUG (c): the pass-on Set() after Dequeue's finally instead of in it, so an exception skips it. The
        /// aborted sleeper took the Set meant for the first block; the other sleeps beside it (Q5).
        /// </summary>
        [SkippableFact]
        public void SeededBug_PassOnOutsideFinally_LosesWakeUp()
        {
            SpinRunner.AssertViolationReported(Run("queue seeded bug: pass-on outside the finally", C2AbortedSleeper + " -DBUG_PASSON_OUTSIDE_FINALLY"), "gblk[1]");
        }

        /// <summary>Seeded bug (c) seen by spin's end-state check (no monitor): the other sleeper sleeps forever.</summary>
        [SkippableFact]
        public void SeededBug_PassOnOutsideFinally_SleeperNeverWakes_InvalidEndState()
        {
            SpinRunner.AssertViolationReported(
                Run("queue seeded bug: pass-on outside the finally, no monitor", C2AbortedSleeper + " -DNO_MONITOR -DBUG_PASSON_OUTSIDE_FINALLY"),
                "invalid end state");
        }

        /// <summary>
        /// The limit of I10 (any-context members): an exception inside TryDequeue between its claim CAS and its mark write
        /// (here Dequeue's own TryDequeue, -DABORT_IN_TAKE) leaves the slot's mark full for a position already taken, so
        /// no producer can use the slot again: the final audit's Q2 fails. Expected to fail;
        /// docs/concurrency/block-queue.md, "What an exception inside an any-context member can do".
        /// </summary>
        [SkippableFact]
        public void Limit_ExceptionInsideTryDequeue_WedgesTheQueue()
        {
            SpinRunner.AssertViolationReported(Run("queue limit: an exception inside TryDequeue (expected to fail)", C2AbortedSleeper + " -DABORT_IN_TAKE"), "marks[");
        }

        /// <summary>
        /// A lost Set: a producer leaves TryEnqueue by an exception between its publish and its Set(). Every sleeper
        /// still gets a block (no invalid end state: the wait of Dequeue() ends at its nap, Deadline.Nap), nothing is
        /// lost (the final audit), Q1-Q4 and the queued marks hold in every state (Q5 with the naps on the way).
        /// </summary>
        [SkippableFact]
        public void Safety_C2_ProducerAbortedBeforeSet_SleeperTakesTheBlockAtItsNap()
        {
            SpinRunner.AssertHolds(Run("queue safety C=2 lost Set", TwoBlocksTwoSleepersLostSet));
        }

        /// <summary>Not vacuous: a nap ends the wait of a sleeper whose Set was lost (the probe's assertion must fail).</summary>
        [SkippableFact]
        public void Reach_C2_NapEndsAWaitWhoseSetWasLost()
        {
            SpinRunner.AssertViolationReported(Run("queue probe: nap after a lost Set", TwoBlocksTwoSleepersLostSet + " -DREACH_NAP"), "!(glost)");
        }

        /// <summary>SEEDED BUG: no nap (Dequeue's wait untimed again): the sleeper whose Set was lost sleeps forever beside the block.</summary>
        [SkippableFact]
        public void SeededBug_NoNap_SleeperNeverWakes_InvalidEndState()
        {
            SpinRunner.AssertViolationReported(Run("queue seeded bug: no nap", TwoBlocksTwoSleepersLostSet + " -DBUG_NO_NAP -DNO_MONITOR"), "invalid end state");
        }

        /// <summary>
        /// Two producers enqueue the same block at once: exactly one TryEnqueue succeeds (the queued mark's CAS), the
        /// other is refused with nothing changed, and the block is in exactly one slot.
        /// </summary>
        [SkippableFact]
        public void Safety_C2_OneBlockEnqueuedTwice_ExactlyOneSucceeds()
        {
            SpinRunner.AssertHolds(Run("queue safety C=2 one block enqueued by two producers", C2OneBlockTwoProducers));
        }

        /// <summary>
        /// SEEDED BUG (f): the producer writes into the next position's slot. Q3 (SLOTOF) sees a queued block outside its
        /// position's slot; the bug-free run of the same configuration holds. Emptied slots are not cleared, so Q3 is
        /// stated over the blocks in slots, not over non-null slots: this shows the restated invariant still bites.
        /// </summary>
        [SkippableFact]
        public void SeededBug_WrongSlot_BlockOutsideItsSlot()
        {
            SpinRunner.AssertHolds(Run("queue safety C=2 two producers, no consumer", C2TwoProducersNoConsumer, quick: true));
            SpinRunner.AssertViolationReported(
                Run("queue seeded bug: wrong slot", C2TwoProducersNoConsumer + " -DBUG_WRONG_SLOT", quick: true), "slots[(gpos[0]%2)]");
        }

        /// <summary>SEEDED BUG (d): no queued mark (TryEnqueue as before it): both succeed, the block enters a second slot.</summary>
        [SkippableFact]
        public void SeededBug_NoQueuedMark_BlockQueuedTwice()
        {
            SpinRunner.AssertViolationReported(Run("queue seeded bug: no queued mark", C2OneBlockTwoProducers + " -DBUG_NO_QUEUED_MARK"), "violated oneplace");
        }

        /// <summary>
        /// Seeded bug (b) seen by spin's own end-state check (no Q5 monitor): one sleeper is left asleep forever
        /// beside the second block.
        /// </summary>
        [SkippableFact]
        public void SeededBug_NoPassOn_SleeperNeverWakes_InvalidEndState()
        {
            SpinRunner.AssertViolationReported(
                Run("queue seeded bug: no pass-on Set, no monitor", TwoBlocksTwoSleepers + " -DNO_MONITOR -DBUG_NO_PASS_ON"),
                "invalid end state");
        }
    }
}
