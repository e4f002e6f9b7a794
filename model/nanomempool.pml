/*
 * NanoMempool: a Promela model of the BlockPool concurrency protocol, checked with spin.
 * See docs/concurrency/ (README.md, free-list.md, bulk.md, backing-allocator.md) for the protocol, the properties
 * and how each configuration is run.
 *
 * What is modelled, statement by statement (each C# reference names the type, member and statement; see below):
 *   BlockPool     TryAlloc, Free, Dispose, TryAllocFailed, Pop, Release, AfterAlertedPush, RaiseAlert,
 *                 ClearAlertIfIdle, Acquired, FreeCount; Alloc(int), AllocWaiting (its try and finally), TakeFree,
 *                 PublishWaiting, AwaitHandOff, TakeOutcome, GiveBackHanded; Resize, SettleSurplus, RetireSurplus,
 *                 TryRetire, ReviveOrCreateBlock
 *   WaiterQueue   Register (including the growth of _records), Withdraw, Recycle, Abandon, TryHandOff, DisposeAll,
 *                 ThrowIfDisposedOutcome
 *   Waiter        the record word (phase; ticket, or the handed slot while Claimed), its owner and its AutoResetEvent
 *   FreeListWord  the word: top slot, WaitersBit, AlertBit, tag; BlockLink: one link per slot
 *
 * C# references: "C#" and a colon, then Type.Member, e.g. C#: BlockPool.RaiseAlert: int word = _word;
 * They tie a step to the C# it stands for, and tests/NanoMempool.ModelTests/CSharpReferenceTests.cs checks them both
 * ways (the rules in detail: CSharpReferences.cs beside it):
 *   - Type.Member names a type of NanoMempool/*.cs, whichever file declares it (partial declarations together), and
 *     one of its members: a method (any overload), a constructor (named like its type), a property, field or
 *     constant. Several members may share one quote, separated by ", "; each must contain it.
 *   - A colon right after the member starts the quote, which runs to the end of the line, to the end of the comment,
 *     or to two spaces in a row (what follows is commentary). Without that colon the reference names the member only.
 *   - The quote must occur in the member as C# tokens: spacing, line breaks and the C#'s own comments do not count,
 *     nor do braces (a quote writes "if (x) return;" for "if (x) { return; }"); "..." stands for code left out, and
 *     the pieces it separates must occur in that order. Every other token must match as written.
 *   - The other way: every member whose code carries a step tag of this model (the "// Model:" tags) is named here.
 *
 * The free-list word (FreeListWord): the top slot (0 = empty: slot 0 is a sentinel whose link is 0, depth 0),
 * WaitersBit (the list is empty and threads may wait: a freed block must be offered to them first; set by the
 * registration CAS, cleared by a push), AlertBit (a push must run AfterAlertedPush: a bulk waiter may sleep, a
 * shrink is being settled, or an allocator's reserve limit applies; I9) and a tag. Per-block state is one link
 * per slot (BlockLink): free = depth and next slot (depth = free blocks at and below it); Held; Owned (in transit:
 * popped, being freed, handed to a waiter, being made); Retired. The model numbers slots as the C# does: 1 to
 * NBMAX, slot 0 the sentinel (blink[0] stays 0).
 *
 * Granularity. One Promela step per access to shared memory (a read, a write, an Interlocked call,
 * an event operation, a lock acquire or release). Purely local C# computation (Top(), Depth(), Next(),
 * AfterPush(), comparisons of locals) is folded into the neighbouring step that reads or writes shared
 * memory: it cannot be observed by another context, so this loses no interleaving.
 * FOLDING. With the ideal tag (the default, see below) these accesses are folded into the CAS on _word that
 * follows them: a pop's read of the top's link (its next slot), and Release's read of the old top's link and its
 * write of its own link. Only a context whose CAS on _word then fails can observe the difference: a block's link
 * changes only while a context owns it (off the list), and a CAS succeeds only if the word is unchanged since the
 * read, i.e. the block read was on the list the whole time. The exception is a decision taken on a link read
 * WITHOUT a CAS: Pop's and TryAlloc's refusal (depth <= keep: "empty" is depth 0, the sentinel's), the bulk
 * take's refusal and its walk, FreeCount. Where such a decision can differ from the word alone, the read is a step
 * of its own and so are Release's link writes (SPLIT_LINKS, on with -DLITERAL_TAG, BULK, RESERVE, BULKWAIT, BACKING,
 * LINCHECK and -DSPLIT_LINKS). A refusal re-reads the word and retries if it moved ([Refusal.reread], see Refuse):
 * a link read after its block left the list may be a freer's link in the making (a freer whose top was popped
 * meanwhile writes depth 0xFFFF + 1, which overflows to 0, into its own block's link before its CAS fails). So a
 * refusal that stands rests on the top's own link, and without SPLIT_LINKS a refusal is decided on the word's top
 * (0 or not) with the re-read folded, which is what the C# decides.
 * Failed CASes. The C# re-reads the word after a failed CAS (word = _word); the model folds that read into the
 * failed CAS: a failed CAS changes nothing, so the context may as well read at its time (with the ideal tag a
 * CAS that fails at one time fails at every later time until the context re-reads).
 * LOCKS. The thread lock is a flag taken by a guarded step. Reads made under the lock of variables that
 * only lock holders write (_records in Register) are folded into the next step, and so are the
 * ThrowIfDisposed read right after taking the lock and the lock release right after Register's
 * Interlocked.Exchange: a lock acquire or release commutes with every step of a context that does not
 * take the lock, and the contexts that do take it are blocked in between.
 * Other folds, each argued in a comment where it is made: Free's ownership CAS (only the holder touches a held
 * block's link; ReviveOrCreateBlock looks only for Retired), the link write after a pop (Owned, then Held by
 * Acquired: both negative, and only the owner writes them; TakeOutcome's Held write into its Recycle, except with
 * exceptions, which can land between them), a read of a record's word by its owner once the word is Claimed or
 * Disposed (only the owner changes it then: the read after a failed Withdraw), the owner read of Abandon (Register
 * writes the owner before the word), Register's writes of the owner and of the caller's locals into its exchange,
 * TryHandOff's read of _records into its read of record 0, reads of constants (_sizes without a Resizer,
 * _disposed without a Disposer, _bulkWaiting without bulk waiters), and the reads of FreeCount made only for
 * statistics (Acquired's low-water record). Free's fast path (the push written out in Free) makes exactly Release's
 * steps when the waiters flag and the alert are clear (Release then runs no AfterAlertedPush either), and calls
 * Release otherwise (one read of the word more, whose value only chooses that call): the model runs Release. The
 * finally of AllocWaiting and of the bulk Alloc settles the record with Abandon; on a normal exit the record is Idle by
 * the owner's own hand (or another thread's since), so AllocWaiting skips Abandon (its waiter is null then) and the
 * bulk Alloc's Abandon only reads and returns 0: folded away, and the premise asserted at every normal exit
 * (outcomeok).
 * Checking: the monitor process asserts invariants I1, I2, I3, I5, I6, I9, I10 (see INV_* below) in every state
 * from ghost variables (g*) that record where each block is; the ghosts are never read by the protocol.
 * A proctype that a configuration does not run (Handler, Thread, Resizer, Disposer, BulkWaiter) is not compiled,
 * and without a Resizer RetireSurplus is not either (there is never a surplus): smaller verifiers, same states.
 * Statistics (EventCounts, per-slot use counts, low-water marks _lowWatch/_lowestFree, owner tags) and poisoning
 * are not modelled: no decision of the protocol reads them. Nor is the interrupt-thread guard at the entry of the
 * blocking members (CallingContext.IsInterruptThread): it reads only the calling thread, and the model's
 * handlers never call a blocking member.
 *
 * The 16-bit tag of the free-list word (FreeListWord). Modelled by its only observable effect, exactly:
 * "a CAS on _word whose expected value was read at time t succeeds iff no successful CAS on _word
 * happened since t". Every successful CAS increments the tag, so this is what the C# does as long as
 * fewer than 65,536 CASes on _word succeed between one context's read of the word and its CAS
 * (assumption A, discussed in docs/concurrency/free-list.md). Implementation: one bit per context, wstale[p],
 * set by every successful CAS on the word and cleared by p's own read of it. The word itself is kept
 * as (tag mod TAGM, flags, top); with the default TAGM = 1 the tag part is constant and only wstale decides.
 * FreeCount's "word read again equals the word read first" is the same test. -DLITERAL_TAG drops wstale and
 * compares the modelled word only, so the tag really is a counter modulo TAGM (-DTAGM=1 = no tag at all): spin
 * then finds the ABA corruption TryAlloc's comment describes.
 *
 * The 30-bit ticket of a waiter record (Waiter). Tickets are used for three things: Withdraw's CAS and
 * DisposeAll's CAS (which reduce to "the phase is still Waiting": only the owner re-registers a record,
 * and Dispose holds the thread lock that registration needs), the claim CAS in TryHandOff (the record
 * must be unchanged since the scan read it) and IsOlder in the scan. The model keeps, exactly under
 * assumption B (fewer than 2^29 registrations between two tickets that are compared), the registration
 * order of the (at most two) records in one bit, newer1, and gives each scanning context the bits it
 * needs to compare a fresh read with an earlier one (see TryHandOff below).
 *
 * AutoResetEvent: one latched bit per record, rsig[r]. Set() latches it (a Set on a latched event changes nothing);
 * WaitOne consumes it; a timed WaitOne may time out at any moment (nondeterministically, even when the bit is
 * latched: a superset of the real behaviour, so every safety result carries over). The record's word is the outcome
 * (Waiting -> Claimed(slot) or Disposed), the event only a wake-up: the owner reads the word after every wake, so a
 * Set it did not need (it read the outcome first: after a timeout, a failed withdraw, an exception) stays latched
 * and wakes the record's next wait once, spuriously; that wait reads Waiting and sleeps again (I5, INV_SIG).
 *
 * Naps (Deadline.Nap). Every WaitOne of a wait sleeps at most Deadline.RecheckMilliseconds, then the thread looks at
 * its state again: AwaitHandOff reads its record's word (Waiting: it sleeps on, or withdraws at its deadline), and
 * AwaitBulkWake withdraws or takes the outcome. So a wait may end without a Set at any moment. How the model has it:
 *   - A nap that ends while the record is Waiting. In AwaitHandOff the thread reads Waiting and sleeps again: a read
 *     and nothing written, its locals as before, a stutter: folded (exact; the nap's end itself is local, so one that
 *     ends before a claim and reads after it is the nap ending after the claim, next case). In AwaitBulkWake the
 *     thread withdraws, retries its take, and with time left registers again and re-checks the free count: that is a
 *     timed call whose WaitOne ended before its deadline, which the model makes (a timed wait ends at any moment, the
 *     deadline check is a choice) in every configuration where a bulk call may be timed (BWTIMED 1 or 2). Where every
 *     bulk call is untimed (BWTIMED = 0, the configurations whose end states judge the wake-ups) it is folded: the round
 *     trip takes the set only if it is free, which INV_BWAKE allows only while a freer is on the way to wake the record
 *     anyway, and otherwise it ends Waiting and asleep again after the same re-check as the first registration, the
 *     freers in between having found no record to wake and pushed (which that re-check sees).
 *   - A nap that ends while the record holds an outcome whose Set is latched or due (INV_SIG, INV_BSIG: whenever no
 *     freer left between its claim and its Set): the thread takes the outcome a little before the Set would wake it,
 *     and the Set then stays latched as one left over, which the model has anyway (a timed wait ends at any moment,
 *     even with a Set latched or due; every configuration lets an Alloc be timed, UNTIMED's choice or UNTIMED = 0).
 *     Folded, where the thread's next steps would be the same as a timed call's.
 *   - A nap that ends while the record holds an outcome and no Set is latched or due: its Set was lost, the case the
 *     naps exist for (a freer left by an exception between its claim CAS and its Set). Modelled, in both waits, for
 *     timed and untimed calls alike: -DFREE_ABORT throws that exception into the first Alloc thread's Free, in
 *     TryHandOff or in the bulk scan (WakeNeedingAtMost), once per run, and the thread then ends; the record's I5
 *     becomes "latched, due or lost" (glost, gblost), and what shows that its owner still gets the block is the final
 *     audit, spin's end-state check (the untimed call of the waiter would otherwise sleep forever beside its block),
 *     and the liveness claims wake1 / bwake0. The folds keep the end-state check and the liveness claims meaningful: a
 *     thread that the model leaves asleep for good is one that, in the C#, naps for good without finding anything, and
 *     the model has no nap loop that could make a cycle of its own.
 *
 * Exceptions (-DABORT=1: the first Alloc thread; -DABORT=2: the first bulk waiter). Thread.Abort on nanoCLR,
 * Thread.Interrupt on host .NET, or any other exception, thrown into a thread that waits: an Aborter process makes
 * the exception due at any moment while the target is inside the try whose finally settles its record (gabl:
 * from the try's entry to the step that makes a block the caller's), and the target takes it at its next step
 * (Promela's unless, whose escape has priority over the target's own next step: so every step boundary is tried).
 * The escape releases a lock the target holds (the lock statement's finally), and an exception delivered in WaitOne
 * may take a latched Set with it (nanoCLR consumes the signal when it makes the thread ready, and the abort replaces
 * WaitOne's return). Then the finally runs as in the C# (WaiterQueue.Abandon, then GiveBackHanded; the bulk one:
 * Abandon, the decrement, SettleSurplus, ClearAlertIfIdle), without a further exception, and the thread ends
 * (ggone). Checked: I10 (INV_GONE, and goneok as the thread goes: it owns no block, no record it registered last is
 * left non-Idle, it is not counted in _bulkWaiting), every other invariant, the final audit (every block home, every
 * record Idle), and spin's invalid-end-state check (a live thread that waits on after the exception). Not thrown:
 * inside a folded step (a pop's CAS and its Held mark are one step here: the C#'s window between them, I10's last
 * sentence), between the bulk Alloc's increment of _bulkWaiting and its try (the increment's own return and two
 * local stores, folded), inside the finally. The bulk Alloc's RaiseAlert is inside the try: an exception in its
 * read-and-CAS loop leaves through the finally, whose decrement ends the condition the alert was for (galw).
 *
 * Seeded bugs (each must make spin fail; tests/NanoMempool.ModelTests checks that it does):
 *   -DBUG_NO_RECHECK   Release pushes with a freshly read word after an empty hand-off scan, instead of
 *                      CASing against the word it scanned under (drops the hand-off re-check).
 *   -DLITERAL_TAG -DTAGM=1   no ABA tag on the free-list word.
 *   -DBUG_TIMEOUT_IGNORES_CLAIM   AwaitHandOff returns null after a timeout although its withdraw lost to
 *                      a claim: Alloc reports a timeout with a block handed to it (outcomeok; the finally's Abandon
 *                      would then give the block back, so it is not lost, but the oldest waiter lost its turn).
 *   -DBUG_NO_ABANDON   (with -DABORT) the finally does nothing: a thread that leaves by an exception leaves its record
 *                      Waiting or Claimed (goneok); -DNO_GONE -DNO_MONITOR: a freer hands the next block to the
 *                      record of a thread that is gone, and a live waiter sleeps on (wake1 fails).
 *   -DBUG_TAKE_IDLE_FIRST  (with -DABORT) TakeOutcome recycles the record before it marks the block Held: an
 *                      exception in between leaves the block with nobody (goneok).
 *   -DBUG_ABANDON_NO_OWNER  Abandon settles a non-Idle record without checking its owner: a record another thread
 *                      reused is withdrawn under it, and that thread finds no outcome in its word (outcomeok).
 *   -DBUG_RAISE_OUTSIDE_TRY  (with -DABORT=2) the bulk Alloc raises its alert before its try (the code before the fix):
 *                      an exception in RaiseAlert's loop leaves without the finally, and the thread goes counted in
 *                      _bulkWaiting (goneok; -DNO_GONE: the final audit, _bulkWaiting never back to 0, the alert set).
 *   -DFREE_ABORT       the first Alloc thread's Free leaves by an exception between a claim CAS and its Set (see
 *                      "Naps"); -DBUG_NO_NAP the waits are untimed again (no nap): the waiter whose Set was lost sleeps
 *                      forever beside its block (an invalid end state; cyclic: wake1 or bwake0 fails).
 *   -DNO_GONE          skips I10 (to see what a seeded bug does to the other properties).
 *   Reachability probes (must FAIL): -DREACH_ABANDON_HANDED an exception after a claim, before the Held mark (the
 *                      block goes back in transit); -DREACH_ABANDON_TAKEN after the Held mark, before the Recycle
 *                      (it goes back as a free); -DREACH_ABORT_SET the exception takes a latched Set; -DREACH_ABANDON_FOREIGN
 *                      Abandon finds its last record reused by another thread; -DREACH_ABANDON_CLAIMED (bulk) the
 *                      exception comes after a freer's claim; -DREACH_ABORT_RAISE (bulk) the exception lands inside
 *                      RaiseAlert, before its CAS; -DREACH_NAP (FREE_ABORT) a nap ends a wait whose Set was lost.
 *   -DBUG_SPLIT_SIZES  capacity and target in two words: a retire CAS made against an old target still succeeds,
 *                      and capacity falls below the target for good (I6).
 *   -DBUG_RETIRE_FIRST Release retires a home-coming block before offering it to waiting threads (if the pool
 *                      has a surplus): a block is retired while a thread that waited since it was freed still
 *                      sleeps (demandok, I4 "demand first").
 *   -DBUG_RAISE_NO_BUMP  RaiseAlert changes nothing when the alert is already set: a ClearAlertIfIdle that read
 *                      the word (and the conditions) before the new condition then clears it (INV_ALERT).
 *   -DBUG_CLEAR_NO_RECHECK  ClearAlertIfIdle retries a failed clear CAS on the fresh word without reading the
 *                      conditions again (INV_ALERT).
 *   -DBUG_RAISE_LATE   Resize raises the alert only after its own retire loop: a free that pushed after that loop
 *                      and before the raise carried no alert, and its block stays free with a surplus (INV_SURPLUS).
 *   -DBUG_GROW_NO_YIELD  Resize's grow releases whatever ReviveOrCreateBlock returned: with every slot up to
 *                      MAXCAP in use and a retirer between its capacity CAS and its Retired mark, that is null
 *                      (NullReferenceException in the C# code: grownonnull). The model's grow waits for the mark instead.
 *   -DBUG_RESIZE_FLOOR_UNCHECKED  Resize compares the capacity with _tryFloor without first testing for a racing
 *                      Dispose's int.MaxValue: ArgumentOutOfRangeException for a valid capacity (resizeok).
 *   -DBUG_REFUSAL_NO_REREAD  a refusal rests on the link read alone (no re-read of the word): with -DLINCHECK, a
 *                      refusal beside a block that was free throughout the call (refusalok).
 *   -DNO_I6            skips the I6 check (to check everything else in a variant that breaks it).
 *   -DDEMAND           (default on with a Resizer and no allocator) checks demandok: see BUG_RETIRE_FIRST.
 *   -DLINCHECK         (implies SPLIT_LINKS) checks refusalok at every refusal: the list was at most the refusal's
 *                      threshold long at some moment since the call's first read of the word (the refusal is
 *                      linearizable). Without it, every refusal that follows an unchanged re-read asserts the
 *                      stronger "the list is that short now".
 *   -DMAXCAP=m         BlockPoolOptions.MaxCapacity (default NBMAX: room for new slots; NB: a pool without options,
 *                      whose grow may find every slot in use). -DRGROW=0: the resizer shrinks only.
 *
 * Bulk and handler reserve (BlockPool's bulk TryAlloc and Free, TryAlloc's _tryFloor); off by default, and with both off every
 * default configuration is the model above:
 *   -DBULK=k (k = 1..3) every handler does TryAlloc(into, k) and, on success, Free(into, k), instead of
 *                      TryAlloc/Free of one block. The chain walk is modelled step by step as in the C#.
 *   -DBULKDUP          (with BULK >= 2) before its good Free(into, k) the handler calls Free with into[0]
 *                      listed twice: the second ownership CAS fails and the first must be rolled back.
 *   -DRESERVE=n        BlockPoolOptions.HandlerReserve = n: a handler's TryAlloc (single or bulk) keeps n
 *                      blocks free (_tryFloor). Threads' Alloc and RetireSurplus still use keep = 0, as in the C#.
 *   Seeded bugs for these (tests/NanoMempool.ModelTests/BulkModelTests.cs):
 *   -DBUG_BULK_FRESH_WORD   the walk is trusted without the CAS check: the CAS is made against a word
 *                      read after the walk (a block another context popped meanwhile is taken twice).
 *   -DBUG_BULK_NO_TAG  the bulk CAS compares only the top slot, not the tag: a stale chain is detached.
 *   -DBUG_RESERVE_OFF_BY_ONE  the refusal is depth < keep (the last reserve block goes).
 *   -DBUG_BULK_LAST_UNGUARDED  the walk takes Next() of a negative link, and the read of the last block's link is
 *                      made also after a torn walk: `last` is then a slot past the table (0x3FFC..0x3FFF):
 *                      IndexOutOfRangeException (docs/concurrency/bulk.md, Findings 1).
 *   Reachability probes (an assert that must FAIL, so that the properties are not vacuous):
 *   -DREACH_TORN       a bulk walk is torn; -DREACH_REFUSAL  a handler is refused while blocks are free.
 *
 * Blocking bulk allocation (BlockPool's Alloc(Block[], count, timeout) and AwaitBulkWake,
 * WaiterQueue.WakeNeedingAtMost, AfterAlertedPush's bulk wake, Resize's wake-all, Dispose); off by default:
 *   -DBULKWAIT=k       NBW (1 or 2) more threads ("bulk waiters", after the Alloc threads) each do the blocking
 *                      Alloc(into, k) (-DBULKWAIT2=k2: the second one's set size) and, on success, Free(into, k).
 *                      The bulk queue is a second WaiterQueue (records bph/bsig/bneed, none at first, grown to 1
 *                      and 2, created by the first bulk registration), scanned by every freer after every
 *                      alerted push while _bulkWaiting != 0. BWTIMED: 0 every call untimed, 1 every call timed, 2 a
 *                      choice per call; BOPS calls per bulk waiter (0: forever).
 *   Properties (monitor, every state): INV_BAON all or nothing (a bulk waiter inside Alloc holds none of its
 *   set or all of it, and none while it sleeps), INV_BWAKE no lost wake-up (no bulk waiter asleep on a
 *   Waiting record while its whole set is free and no freer is between its alerted push and the end of its bulk
 *   scan), INV_BSIG (I5: a bulk waiter asleep on a Claimed or Disposed record has its wake-up latched or due);
 *   inline: a failed withdraw meets a Claimed/Disposed record; bounded runs: no invalid end state (nobody asleep
 *   forever, no deadlock) and the final audit (bulk records Idle, _bulkWaiting back to 0). AwaitBulkWake withdraws
 *   after every wake (a claim, Dispose, the timeout, a Set left over from the record's earlier use) and takes the
 *   outcome only when the withdraw fails: a claim there hands nothing, the caller retries its take either way.
 *   Seeded bugs (tests/NanoMempool.ModelTests/BulkWaitModelTests.cs):
 *   -DBUG_BULK_NO_RECHECK   the bulk waiter sleeps right after registering, without re-reading FreeCount.
 *   -DBUG_BULK_WAKE_EARLY   the freer reads _bulkWaiting once before its push (before it reads the word) instead of
 *                      after its push CAS.
 *   -DBUG_BULK_WAKE_ONE     the freer wakes one eligible record only (any one: the oldest, or the first in array
 *                      order, ...) and stops. It breaks INV_BWAKE, yet no checked configuration ends with a
 *                      waiter asleep (run with -DNO_BWAKE; docs/concurrency/bulk.md, "Wake-up argument").
 *   -DBUG_BULK_HOLD_AND_WAIT  the bulk waiter takes blocks one at a time and waits for the rest holding them
 *                      (with -DNO_AON, so that spin reports the deadlock itself rather than INV_BAON).
 *   -DBUG_BULK_NO_ALERT     the bulk waiter does not raise the alert after counting itself: a push that did not
 *                      carry the alert skips the bulk wake (INV_BWAKE).
 *   -DBUG_BULK_NO_SETTLE    the bulk caller leaving (its finally) does not call SettleSurplus: a surplus that waited
 *                      for it stays free with nobody left to retire it (INV_SURPLUS).
 *   -DBUG_SETTLE_IGNORES_BULK  SettleSurplus does not read _bulkWaiting: a free block is retired while a bulk caller
 *                      that was counted when the retirer decided still waits (bulkdemandok, I4 demand first).
 *   Retirement waits for bulk callers (SettleSurplus reads _bulkWaiting first), so INV_SURPLUS allows a free
 *   surplus block while _bulkWaiting != 0, and the caller that leaves counts in grel until its SettleSurplus has
 *   ended; at every retire CAS bulkdemandok asserts that no bulk caller counted when the retirer's SettleSurplus
 *   decided is still in that call. A set taken after a wait is kept only if it still fits the target
 *   ([BulkWait.fits]); else it is given back (GiveBackSet) and the caller throws.
 *   Reachability probes (an assert that must FAIL): -DREACH_BULK_WOKEN a sleeping bulk waiter is woken by a
 *   freer's claim; -DREACH_BULK_SHRUNK a Resize shrinks the pool below a waiting set; -DREACH_BULK_DISPOSED
 *   Dispose wakes a sleeping bulk waiter; -DREACH_BULK_GIVEBACK a set taken after a shrink below it is given back.
 *   -DNO_BWAKE drops INV_BWAKE (to judge a variant by its end states).
 *   FOLDS (each argued where it is made): WakeBulkWaiters' read of _bulkQueue with WakeNeedingAtMost's read of
 *   _records; a record's _need with the read of its word; the bulk waiter's failed withdraw (and its read of the
 *   outcome) with its Recycle; the queue's creation with Register's first read (under the lock).
 * Backing allocator (BlockPool's BackingAllocator option, IBlockAllocator; -DBACKING, off by default; every BACKING block below
 * is self-contained, and without the macro the model is the one above):
 *   The allocator hands out buffers while fewer than NB + AEXTRA are out, and may refuse at any call (a choice).
 *   Threads' Alloc(timeout) (AllocBacking) asks it first, then Pop, then waits in slices, asking it again after
 *   each slice; handlers (TryAlloc/Free) never call it (asserted). The alert is set from construction and never
 *   cleared, so every push runs AfterAlertedPush, whose trim ([Release.trim]: depth > _reserveLimit ->
 *   TrimReserve: Pop(keep = limit) and ReleaseToAllocator) keeps the reserve at its size. With NRESIZER = 1 the
 *   resizer's Resize(NB - 1), Resize(NB) is ResizeReserve (exchange the limit, fill from the allocator through
 *   Release, trim); the Disposer also exchanges the limit to 0 and trims. Capacity and target move together
 *   (adopt +1, retire -1), so I6 is idle and TryRetire/RetireSurplus never run. Checked besides I1-I6:
 *   INV_I7     the free list holds at most `limit` blocks unless a push, Resize or Dispose is in its trim window
 *              (from its push CAS / limit exchange until its trim decision or TrimReserve has ended);
 *   INV_ACC    allocator outstanding == capacity + buffers in flight between them (adopt, give-back), and 0 in
 *              flight at the end: every live block has exactly one allocator buffer;
 *   INV_BUF    every live block has its buffer (except in the hands of the trimmer that is giving it back);
 *   refillok   (asserted at every trim pop) the pop left at least the limit the trimmer read: a block goes
 *              back to the allocator only while the reserve is at its size (refill first);
 *   the final audit: I7 with nobody in flight, outstanding == live blocks, retired slots without buffers.
 *   Seeded bugs (tests/NanoMempool.ModelTests/BackingModelTests.cs):
 *   -DBUG_NO_TRIM            Release never trims after a push: the reserve grows past its size (INV_I7).
 *   -DBUG_LIMIT_BEFORE_PUSH  Release reads the limit before its push CAS, not after: a Dispose or shrink that
 *                            trims while the block is in flight leaves it home for good (INV_I7).
 *   -DBUG_NO_OWN_TRIM        Resize and Dispose lower the limit but do not trim themselves (INV_I7).
 *   -DBUG_TRIM_KEEP_LESS     TrimReserve pops with keep = limit - 1: a block goes back although the reserve is
 *                            then below its size (refillok).
 *   -DBUG_RETIRE_PUBLISH_FIRST  ReleaseToAllocator nulls the buffer after publishing the slot as Retired: a
 *                            thread reviving the slot meanwhile loses its new buffer (INV_BUF).
 *   -DRELIABLE_ALLOC         the allocator refuses only when its budget is spent; the final audit then also
 *                            requires a full reserve (refill first, end to end). -DBUG_NO_REFILL_RECHECK drops
 *                            TrimReserve's re-check of the limit after its pop: a trim that read the old limit
 *                            pops after a growing Resize found the reserve full.
 *   -DREACH_RECHECK          a probe (must FAIL): the re-check really puts a block back.
 *   -DREFILL_STRICT          a probe, not a bug: refillok against the limit as it is at the pop (not as read);
 *                            fails whenever a Resize raises the limit between a trimmer's read and its pop.
 *   -DNOSLICE                liveness runs: Alloc() waits in one untimed slice, Alloc(timeout) in one slice as
 *                            long as its timeout (a BackingRetryMilliseconds above every timeout). With slices,
 *                            wake0 fails: a waiter whose slices keep ending inside a freer's read-to-CAS or
 *                            scan-to-claim window keeps that freer rescanning (each lap withdraws and registers
 *                            again) - a livelock that needs the freer stalled for a whole slice on every lap.
 *
 * Step tags. Steps that the C# cites with a "// Model: model/nanomempool.pml" comment carry the same tag here;
 * tests/NanoMempool.ModelTests/ModelCrossReferenceTests.cs checks both directions.
 */

/* ---------------------------------------------------------------- configuration */
#ifndef NB
#define NB 2            /* blocks at construction (slots 1 .. NB) */
#endif
#ifndef NBMAX
#define NBMAX 4         /* block slots: NB + room for blocks created by Resize's ReviveOrCreateBlock (at most 4) */
#endif
#ifndef MAXCAP
#define MAXCAP NBMAX    /* BlockPoolOptions.MaxCapacity: the slots Resize may use (NB: a pool without options) */
#endif
#if MAXCAP > NBMAX || MAXCAP < NB
#error "NB <= MAXCAP <= NBMAX"
#endif
#ifndef NHANDLER
#define NHANDLER 1      /* handler-like contexts: TryAlloc/Free loops */
#endif
#ifndef NWAITER
#define NWAITER 2       /* threads doing Alloc(timeout)/Free loops; at most 2 (records) */
#endif
#ifndef NRESIZER
#define NRESIZER 0      /* 1: a thread doing Resize(NB - 1), Resize(NB) (see RGROW) */
#endif
#ifndef RGROW
#define RGROW 1         /* 0: the resizer's rounds are Resize(NB - 1) only (no grow back) */
#endif
#ifndef NDISPOSER
#define NDISPOSER 0     /* 1: a thread calling Dispose once */
#endif
#ifndef INITREC
#define INITREC 0       /* records in the waiter array at construction (none in the C#: WaiterQueue.NoRecords); the first
                           registrations grow it to 1, then 2 (WaiterQueue.Register) */
#endif
#ifndef TAGM
#define TAGM 1
#endif
/* OPS = 0: every process loops forever (cyclic model: liveness, invariants over unbounded runs).
   OPS = k: every process does k operations and ends, so that "no deadlock" is checked by spin's
   invalid-end-state check and a final audit runs when everything has ended. */
#ifndef OPS
#define OPS 0
#endif
#ifndef HOPS
#define HOPS OPS        /* operations per handler */
#endif
#ifndef WOPS
#define WOPS OPS        /* operations per waiting thread */
#endif
#ifndef ROPS
#define ROPS OPS        /* shrink-grow rounds of the resizer */
#endif
/* UNTIMED = 1: each Alloc call chooses nondeterministically between a timeout and Timeout.Infinite. */
#ifndef UNTIMED
#define UNTIMED 1
#endif

#ifndef BULK
#define BULK 0          /* 0: handlers allocate one block at a time; k: TryAlloc(into, k) + Free(into, k) */
#endif
#ifndef RESERVE
#define RESERVE 0       /* BlockPoolOptions.HandlerReserve (the handlers' _tryFloor) */
#endif
#ifndef BULKWAIT
#define BULKWAIT 0      /* k > 0: NBW bulk waiters do the blocking Alloc(into, k) + Free(into, k) */
#endif
#if BULKWAIT > 0
#ifndef NBW
#define NBW 1           /* bulk waiters (1 or 2) */
#endif
#else
#undef NBW
#define NBW 0
#endif
#ifndef BULKWAIT2
#define BULKWAIT2 BULKWAIT  /* the second bulk waiter's set size */
#endif
#ifndef BOPS
#define BOPS OPS        /* blocking bulk Allocs per bulk waiter */
#endif
#ifndef BWTIMED
#define BWTIMED 2       /* 0: Timeout.Infinite; 1: a timeout; 2: a choice per call */
#endif
#ifndef BINITREC
#define BINITREC 0      /* records in the bulk queue when it is created (none in the C#) */
#endif
#ifndef BACKING
#define BACKING 0       /* 1: a backing allocator (see the header) */
#endif
#ifndef ABORT
#define ABORT 0         /* 1: an exception is thrown into the first Alloc thread, 2: into the first bulk waiter, at any
                           step of its wait (see "Exceptions" in the header) */
#endif
#if ABORT && BACKING
#error "-DABORT is checked without a backing allocator"
#endif
/* FREE_ABORT: the first Alloc thread's Free may leave by an exception between a hand-off claim CAS and its Set() (see
   "Naps" in the header); once per run, and the thread then ends. */
#if defined(FREE_ABORT) && (ABORT || BACKING || NRESIZER || NWAITER == 0)
#error "-DFREE_ABORT needs an Alloc thread (the freer), and is checked without -DABORT, a Resizer or a backing allocator"
#endif
#if BULKWAIT > 0 && BACKING
#error "-DBULKWAIT and -DBACKING are separate configurations: both use the push depth pd and extend Release's tail differently"
#endif
#if BACKING
#ifndef AEXTRA
#define AEXTRA 1        /* buffers the allocator may have out beyond the NB of the initial reserve */
#endif
#endif
#if defined(LITERAL_TAG) || BULK > 0 || RESERVE > 0 || BULKWAIT > 0 || BACKING || defined(LINCHECK) || defined(BUG_REFUSAL_NO_REREAD)
#ifndef SPLIT_LINKS
#define SPLIT_LINKS 1   /* link reads and writes outside a CAS are steps of their own (see FOLDING) */
#endif
#endif
#if NRESIZER && !BACKING && !defined(NODEMAND)
#ifndef DEMAND
#define DEMAND 1        /* check demandok (see BUG_RETIRE_FIRST) */
#endif
#endif

#if BULKWAIT > 0 && NRESIZER
#define BDEMAND 1       /* check bulkdemandok: see [Surplus.bulk] and BUG_SETTLE_IGNORES_BULK */
#endif

#define NP (NHANDLER + NWAITER + NBW + NRESIZER + NDISPOSER)
#define NREC 2
#if ABORT == 1
#define ABT (NHANDLER)              /* the thread the exception is thrown into: the first Alloc thread */
#elif ABORT == 2
#define ABT (NHANDLER + NWAITER)    /* the first bulk waiter */
#endif
#define FABT (NHANDLER)                 /* FREE_ABORT: the freer the exception is thrown into: the first Alloc thread */

/* ---------------------------------------------------------------- encodings (FreeListWord, BlockLink, Waiter) */
/* The word: bits 0..2 the top slot (FreeListWord.SlotMask), WAITERSBIT, ALERTBIT, then the tag modulo TAGM. */
#define TOPMASK 7
#define WAITERSBIT 8          /* FreeListWord.WaitersBit */
#define ALERTBIT 16           /* FreeListWord.AlertBit */
#define TAGUNIT 32            /* FreeListWord.TagUnit */
#define TOP(w) ((w) & TOPMASK)
#define WAITERS(w) (((w) & WAITERSBIT) != 0)
#define ALERTED(w) (((w) & ALERTBIT) != 0)
#define NEXTTAG(w) (((((w) / TAGUNIT) + 1) % TAGM) * TAGUNIT)
#define AFTERPOP(w, n) (NEXTTAG(w) + ((w) & (WAITERSBIT + ALERTBIT)) + (n))   /* FreeListWord.AfterPop: KeptByPop */
#define AFTERPUSH(w, s) (NEXTTAG(w) + ((w) & ALERTBIT) + (s))                /* FreeListWord.AfterPush: KeptByPush */
#define WITHFLAG(w, bit) (NEXTTAG(w) + ((w) & (TAGUNIT - 1)) - ((w) & (bit)) + (bit))   /* WithFlag(word, bit, true) */
#define WITHOUTFLAG(w, bit) (NEXTTAG(w) + ((w) & (TAGUNIT - 1)) - ((w) & (bit)))        /* WithFlag(word, bit, false) */

/* A link (BlockLink): free = depth * 8 + next slot (0 .. 127); the negative C# values are 252 .. 255 here. */
#define LHELD 255             /* BlockLink.Held (-1) */
#define LOWNED 253            /* BlockLink.Owned (-3) */
#define LRETIRED 252          /* BlockLink.Retired (-4) */
#define ISFREEL(l) ((l) < 128)                     /* link >= 0 */
#define LDEPTH(l) (ISFREEL(l) -> (l) / 8 : 15)     /* Depth(): (uint)link >> 16, 0xFFFF for a negative link (15 here) */
#define BADSLOT 15
#define LNEXT(l) (ISFREEL(l) -> (l) % 8 : BADSLOT) /* Next(): link & SlotMask, 0x3FFC..0x3FFF (past the table) if negative */
#define MKLINK(d, n) ((((d) % 16) * 8) + (n))      /* Make(): depth 0xFFFF + 1 overflows to 0 (<< 16), as 15 + 1 here */

#define RESEXC 6              /* a call's outcome (res): the thread left it by an exception (ABORT), and ends */

#define IDLE 0                /* Waiter.PhaseIdle ... PhaseDisposed */
#define WAITING 1
#define CLAIMED 2
#define DISPOSED 3

/* ---------------------------------------------------------------- shared state */
#ifdef LITERAL_TAG
short word;                   /* BlockPool._word (tag up to TAGM - 1) */
#else
byte word;                    /* BlockPool._word */
#endif
byte blink[NBMAX + 1];        /* BlockPool._links; [0] the sentinel, always 0 */
byte slotCount;               /* BlockPool._slotCount */
byte capacity;                /* BlockPool._sizes: capacity half (PoolSizes.Capacity) */
byte target;                  /* BlockPool._sizes: target half (PoolSizes.Target) */
bit disposed;                 /* BlockPool._disposed */
#if NDISPOSER
byte tryFloor = RESERVE;      /* BlockPool._tryFloor (255 = int.MaxValue, once disposed) */
#define TRYFLOOR tryFloor
#else
#define TRYFLOOR RESERVE      /* never written without a Disposer */
#endif
byte lk;                      /* the pool's thread lock (lock (_waiters)): 0 free, else owner + 1 */

byte nrec = INITREC;          /* WaiterQueue._records.Length (the array only grows; records keep their slot) */
byte rph[NREC];               /* Waiter._word, phase part */
byte rhand[NREC];             /* Waiter._word, slot part while Claimed (Waiter.Slot: the handed block), else 0 */
byte rown[NREC];              /* Waiter._owner: p + 1 of the thread that registered the record last, 0 = none yet */
bit rsig[NREC];               /* Waiter._signal: the AutoResetEvent's latched state */
bit newer1;                   /* ticket order: record 1's registration is newer than record 0's */

/* Tag and ticket abstraction (see the header). Indexed by process id. */
bit wstale[NP];               /* a CAS on _word succeeded since p last read it */
byte hold[NP];                /* TryHandOff: p's `oldest` (record + 1, 0 = null) */
bit rstale[NP];               /* p's `oldest` record word changed since p read it */
bit snap1[NP];                /* newer1 when p read record 0 in its scan */
bit reg1since[NP];            /* record 1 was (re)registered since p read record 0 */

/* Ghost state: where each block is, who waits. Never read by the protocol, only by assertions. */
byte gown[NBMAX + 1];         /* 0, or p + 1: p owns the block (popped, handed and collected, or freeing it) */
bit ghand[NBMAX + 1];         /* in hand-off: from the claim CAS until its owner marks it Held (TakeOutcome) or takes
                                 it back out of the record (Abandon) */
bit gret[NBMAX + 1];          /* retired: from the retire CAS (capacity - 1) until revived */
bit gsetp[NREC];              /* a Set is due on this record: from a claim or Dispose CAS until the Set that follows */
#ifdef FREE_ABORT
bit glost[NREC];              /* FREE_ABORT: the record's claim will never be followed by its Set (the freer left by an
                                 exception in between): from then until the owner settles the record */
bit gfa;                      /* FREE_ABORT: the freer has left by its exception (once per run) */
#endif
bit gpend;                    /* Resize grew the capacity by CAS and has not yet revived/created the block */
bit ginresize;                /* a Resize holds the thread lock */
byte grec[NP];                /* record registered by p (valid while galloc) */
bit gpub[NP];                 /* p's registration CAS (PublishWaiting) succeeded, p still in Alloc */
bit gwait[NP];                /* p's registration CAS succeeded in this Alloc call, which has not yet returned */
bit gslp[NP];                 /* p is at its WaitOne in AwaitHandOff (about to sleep, or asleep) */
bit gabl[NP];                 /* p is inside a try whose finally settles its record (AllocWaiting, the bulk Alloc), up to
                                 the step that makes a block the caller's: an exception there is modelled (ABORT) */
bit gexc[NP];                 /* an exception (Thread.Abort, Thread.Interrupt) is due in p: delivered at p's next step */
bit ggone[NP];                /* p left by that exception, ran its finally and ended (an aborted thread) */
#if ABORT
bit gfired;                   /* the Aborter has thrown its exception (it then ends) */
#define ABORTERLEFT (!gfired) /* the Aborter still waits for its moment (a process to count at the end) */
#else
#define ABORTERLEFT 0
#endif
bit galloc[NP];               /* p is inside Alloc */
bit gretry[NP];               /* p is at the retry point of Alloc's loop (a handler took the block) */
byte grel;                    /* contexts inside a Release (from its first step to the end of its alerted checks) */
byte galw;                    /* contexts that made an alert condition true and have not yet raised the alert */
#ifdef PROGRESS
bit gtog;                     /* flips at every successful CAS on _word (liveness builds only) */
#endif
#if NRESIZER && NDISPOSER
bit resizeok;                 /* ghost, set and asserted inside one d_step: Resize reports a racing Dispose as such */
#endif
#ifdef BUG_GROW_NO_YIELD
bit grownonnull;              /* ghost: the seeded bug's NullReferenceException */
#endif
#ifdef BDEMAND
byte gbdm[NP];                /* bulk callers (bit 0: the first, bit 1: the second) counted in _bulkWaiting when p's
                                 SettleSurplus decided to retire, and still in that call */
bit bulkdemandok;             /* ghost, set and asserted inside one d_step: a retired block kept no bulk caller waiting */
#endif
#if DEMAND
byte gsaw[NBMAX + 1];         /* threads (bit p) asleep in Alloc since the block's Release began, still asleep */
bit demandok;                 /* ghost, set and asserted inside one d_step: a retired block kept nobody waiting */
#endif

byte hi;                      /* loop index inside d_steps */
bit goneok;                   /* ghost, set and asserted inside one d_step: a thread that leaves by an exception takes
                                 nothing with it and leaves no record behind (I10) */
bit outcomeok;                /* ghost, set and asserted inside one d_step: a record's owner finds an outcome in the word
                                 it takes (Claimed or Disposed), and leaves none untaken (see AllocFinally) */
bit ginit;                    /* ghost: the constructor has run (the monitor checks from then on) */
#if BULKWAIT > 0
byte bulkWaiting;             /* BlockPool._bulkWaiting */
byte bnrec;                   /* 0: BlockPool._bulkQueue == null or holds no record; else _bulkQueue._records.Length */
byte bph[NREC];               /* bulk queue: Waiter._word, phase part */
bit bsig[NREC];               /* bulk queue: Waiter._signal */
byte bneed[NREC];             /* bulk queue: Waiter._need */
byte bown[NREC];              /* bulk queue: Waiter._owner (p + 1, 0 = none yet) */
byte bsc[NP];                 /* WakeNeedingAtMost: the record p read Waiting and may claim (+ 1, 0 = none) */
bit bstale[NP];               /* that record's word was written since p read it (p's claim CAS then fails) */
/* ghosts */
bit gbin[NP];                 /* p is inside the blocking bulk Alloc */
bit gbsleep[NP];              /* p's re-check found the set not free: p sleeps (or is about to) until its WaitOne returns */
bit gbsetp[NREC];             /* a Set is due on this bulk record: from a claim or Dispose CAS until its Set */
#ifdef FREE_ABORT
bit gblost[NREC];             /* FREE_ABORT: the bulk record's claim will never be followed by its Set (as glost) */
#endif
bit graise[NP];               /* p counted itself in _bulkWaiting and has not yet raised the alert (counted in galw) */
byte gbrec[NP];               /* bulk record registered by p */
byte gnwk;                    /* freers between an alerted push CAS and the end of their bulk scan ("on the way") */
bit gbcnt[NP];                /* p is counted in _bulkWaiting (from its increment to its decrement) */
bit gbaside[NP];              /* p moves blocks that are not a set it keeps: it gives back a set taken after a shrink
                                 below it (GiveBackSet), or settles the surplus after its decrement (SettleSurplus) */
#define BULKWAITING bulkWaiting
#else
#define BULKWAITING 0         /* _bulkWaiting: never written without bulk waiters */
#endif
#ifdef LINCHECK
byte glk[NP];                 /* ghost: p is in a call that may refuse: its threshold + 1 (255: any), else 0 */
bit glin[NP];                 /* ghost: the list has been at most p's threshold long since p's call began */
bit refusalok;                /* ghost, set and asserted inside one d_step: a refusal is linearizable */
#endif
#if BULK > 0 || RESERVE > 0 || BULKWAIT > 0
bit bulkexact;                /* ghost, set and asserted inside one d_step (always 0 between steps): the bulk */
bit reserveok;                /*   pop took exactly the top count blocks; the reserve rule held at a pop */
#endif
#if BACKING
byte limit = NB;              /* BlockPool._reserveLimit (the reserve's size) */
byte aout;                    /* the allocator's buffers out (the test allocator's Outstanding); NB after init */
bit bbuf[NBMAX + 1] = 1;      /* Block._buffer != null (slots above slotCount do not exist yet) */
byte gbufs;                   /* ghost: buffers between allocator and pool (allocated, not yet counted live;
                                 or no longer counted live, not yet given back) */
byte gtrimming;               /* ghost: contexts in a trim window (see INV_I7) */
bit gtb[NBMAX + 1];           /* ghost: the block is in a trimmer's hands, between its pop and its retire CAS */
bit refillok;                 /* ghost, set and asserted inside one d_step: refill first held at a trim pop */
#define LIMIT limit
#else
#define LIMIT 255             /* _reserveLimit = int.MaxValue without an allocator */
#endif

/* ---------------------------------------------------------------- invariants (checked in every state by monitor) */
/* The free list, walked from the word through the links (a link that is not a free one ends the walk). */
#define NXT(s) (((s) != 0 && ISFREEL(blink[s])) -> blink[s] % 8 : 0)
#define L0 TOP(word)
#define L1 NXT(L0)
#define L2 NXT(L1)
#define L3 NXT(L2)
#define L4 NXT(L3)
#define ONLIST(s) (L0 == (s) || L1 == (s) || L2 == (s) || L3 == (s))
#define LISTLEN ((L0 != 0) + (L1 != 0) + (L2 != 0) + (L3 != 0))
#define DEPTHOK(s, n) ((s) == 0 || (ISFREEL(blink[s]) && blink[s] / 8 == (n)))
#define PLACES(s) (ONLIST(s) + (gown[s] != 0) + ghand[s] + gret[s])
#define EXISTS(s) ((s) <= slotCount)

/* I1: every block is in exactly one place: on the list, owned, in hand-off, or retired. */
#define INV_PLACE (PLACES(1) == EXISTS(1) && PLACES(2) == EXISTS(2) && PLACES(3) == EXISTS(3) && PLACES(4) == EXISTS(4))
/* I2: free + held + hand-off == capacity (plus the one block a growing Resize has counted and not yet
   produced); retired + capacity == blocks created; the list is acyclic, its links are free ones and their
   depths count it; the sentinel's link stays 0; the waiters flag is set only on an empty list. */
#define NOWNED ((gown[1] != 0) + (gown[2] != 0) + (gown[3] != 0) + (gown[4] != 0))
#define NHAND (ghand[1] + ghand[2] + ghand[3] + ghand[4])
#define NRET (gret[1] + gret[2] + gret[3] + gret[4])
#define INV_COUNT (LISTLEN + NOWNED + NHAND + gpend == capacity && NRET + capacity == slotCount + gpend \
                   && L4 == 0 && DEPTHOK(L0, LISTLEN) && DEPTHOK(L1, LISTLEN - 1) && DEPTHOK(L2, LISTLEN - 2) \
                   && DEPTHOK(L3, LISTLEN - 3) && blink[0] == 0 && (!WAITERS(word) || L0 == 0))
/* I3, no lost wake-up: no thread whose registration CAS succeeded and whose record is still Waiting
   (so no hand-off is pending for it) coexists with a free block. */
#define ASLEEP(p) (gpub[p] && rph[grec[p]] == WAITING)
#define INV_WAKE (L0 == 0 || !(ASLEEP(NHANDLER) || (NWAITER > 1 && ASLEEP(NHANDLER + 1))))
/* I5: the word is the outcome, the event only a wake-up. A thread at its WaitOne whose record is Claimed or Disposed
   has its wake-up latched or due (the one Set that follows the claim or Dispose CAS): it never sleeps on an outcome.
   (A latched Set on a Waiting or Idle record is allowed: one its owner did not need, having read the outcome first;
   it wakes the record's next wait once, spuriously, and that wait re-reads the word and sleeps again.)
   FREE_ABORT: or the Set was lost with the freer that left by an exception after its claim (glost): then the wait's
   nap ends it (see "Naps" in the header; BUG_NO_NAP shows what it costs without). */
#ifdef FREE_ABORT
#define LOST(r) glost[r]
#else
#define LOST(r) 0
#endif
#define SIGOK(p) (!gslp[p] || rph[grec[p]] == WAITING || rsig[grec[p]] || gsetp[grec[p]] || LOST(grec[p]))
#define INV_SIG ((NWAITER < 1 || SIGOK(NHANDLER)) && (NWAITER < 2 || SIGOK(NHANDLER + 1)))
/* I6: capacity is below its target only while a Resize is running; and no surplus block stays free once no
   Resize runs, no context is inside a Release (from its first step to the end of its alerted checks) and no thread
   waits in the bulk Alloc (counted in _bulkWaiting: retirement waits for it, and the last one to leave settles,
   counted in grel from its decrement). */
#ifdef NO_I6
#define INV_TARGET 1          /* -DNO_I6: skip I6 (to check everything else in the current Resize protocol) */
#define INV_SURPLUS 1
#else
#define INV_TARGET (capacity >= target || ginresize)
#define INV_SURPLUS (capacity <= target || L0 == 0 || ginresize || grel > 0 || BULKWAITING != 0)
#endif
/* I9: the alert is set whenever a bulk waiter may sleep, the pool has a surplus, or an allocator is set, except
   while the context that made its condition true has not yet raised it (galw). */
#define ALERTCOND (BULKWAITING != 0 || capacity > target || BACKING)
#ifdef NO_I9
#define INV_ALERT 1           /* -DNO_I9: skip I9 (to see what a broken alert does to the other properties) */
#else
#define INV_ALERT (ALERTED(word) || !ALERTCOND || galw > 0)
#endif

#ifdef NO_MONITOR
#define NO_MONITOR_COUNT 1
#else
#define NO_MONITOR_COUNT 0
#endif
#define OWNEDBY(p) ((gown[1] == (p) + 1) + (gown[2] == (p) + 1) + (gown[3] == (p) + 1) + (gown[4] == (p) + 1))
#if BULKWAIT > 0
#define BW0 (NHANDLER + NWAITER)
#define BW1 (BW0 + 1)
#define NEEDOF(p) ((p) == BW0 -> BULKWAIT : BULKWAIT2)
/* All or nothing: inside the blocking bulk Alloc a thread holds none of its set or all of it (except while it moves
   other blocks: gbaside), and while it sleeps it holds none. */
#ifdef NO_AON
#define AON(p) 1
#else
#define AON(p) (!gbin[p] || gbaside[p] || ((OWNEDBY(p) == 0 || OWNEDBY(p) == NEEDOF(p)) && (!gbsleep[p] || OWNEDBY(p) == 0)))
#endif
/* No lost wake-up: a bulk waiter asleep on a Waiting record coexists with its whole set free only while a
   freer is on the way (it has pushed with the alert and not yet finished the scan that will claim the record). */
#define BASLEEP(p) (gbsleep[p] && bph[gbrec[p]] == WAITING)
#ifdef NO_BWAKE
#define BWAKE(p) 1            /* -DNO_BWAKE: judge a variant by its end states (or LTL) alone */
#else
#define BWAKE(p) (!BASLEEP(p) || LISTLEN < NEEDOF(p) || gnwk > 0)
#endif
#if NBW > 1
#define INV_BAON (AON(BW0) && AON(BW1))
#define INV_BWAKE (BWAKE(BW0) && BWAKE(BW1))
#else
#define INV_BAON AON(BW0)
#define INV_BWAKE BWAKE(BW0)
#endif
/* I5 for bulk records: a bulk waiter about to sleep or asleep on a Claimed or Disposed record has its wake-up latched
   or due, or lost with its freer (FREE_ABORT, as SIGOK). */
#ifdef FREE_ABORT
#define BLOST(r) gblost[r]
#else
#define BLOST(r) 0
#endif
#define BSIGOK(p) (!gbsleep[p] || bph[gbrec[p]] == WAITING || bsig[gbrec[p]] || gbsetp[gbrec[p]] || BLOST(gbrec[p]))
#if NBW > 1
#define INV_BSIG (BSIGOK(BW0) && BSIGOK(BW1))
#else
#define INV_BSIG BSIGOK(BW0)
#endif
#else
#define INV_BAON 1
#define INV_BWAKE 1
#define INV_BSIG 1
#endif
/* Demand first for bulk callers (bulkdemandok, at every retire CAS): no bulk caller that was counted in _bulkWaiting
   when the retirer's SettleSurplus decided to retire is still in that call. (A bulk caller that arrives after
   that decision may already sleep when the retire CAS lands: it came after the block left the list.) */
#ifdef BDEMAND
#if NBW > 1
#define GCOUNTED (gbcnt[BW0] + 2 * gbcnt[BW1])
#else
#define GCOUNTED (gbcnt[BW0])
#endif
#define BDEMANDSEEN gbdm[me] = GCOUNTED
#define BDEMANDEND ; gbdm[me] = 0
#else
#define BDEMANDSEEN skip
#define BDEMANDEND
#endif
#if BACKING
/* I7: the reserve holds at most its size, unless a push, Resize or Dispose is in its trim window. */
#define INV_I7 (gtrimming > 0 || LISTLEN <= limit)     /* (gtrimming first: pan's message, cut after some 1,000 characters, names it) */
/* Every live block has one allocator buffer: outstanding == live + in flight between the two. */
#define INV_ACC (aout == capacity + gbufs)
/* Every live block has its buffer (the trimmer giving a block back nulls it first). */
#define HASBUF(s) (!EXISTS(s) || gret[s] || gtb[s] || bbuf[s])
#define INV_BUF (HASBUF(1) && HASBUF(2) && HASBUF(3) && HASBUF(4))
#define INV_BACKING (INV_I7 && INV_ACC && INV_BUF)
#else
#define INV_BACKING 1
#endif
/* I10: a thread that left by an exception took nothing with it: it owns no block, no record it registered last is
   anything but Idle (Waiting or Claimed: a freer could hand it a block; Disposed: never reusable), and it is not
   counted in _bulkWaiting. */
#if ABORT
#define RLIVE(r, p) (rown[r] == (p) + 1 && rph[r] != IDLE)
#if BULKWAIT > 0
#define BRLIVE(r, p) (bown[r] == (p) + 1 && bph[r] != IDLE)
#define BCOUNTED(p) gbcnt[p]
#else
#define BRLIVE(r, p) 0
#define BCOUNTED(p) 0
#endif
#define GONEOK_(p) (OWNEDBY(p) == 0 && !RLIVE(0, p) && !RLIVE(1, p) && !BRLIVE(0, p) && !BRLIVE(1, p) && !BCOUNTED(p))
#ifdef NO_GONE
#define INV_GONE 1            /* -DNO_GONE: skip I10 (to see what a seeded bug does to the other properties) */
#define GONEOK skip
#else
#define INV_GONE (!ggone[ABT] || GONEOK_(ABT))
/* checked as the thread goes, too (then a violation is reported where it happens) */
#define GONEOK goneok = (!ggone[me] || GONEOK_(me)); assert(goneok); goneok = 0
#endif
#else
#define INV_GONE 1
#define GONEOK skip
#endif
#define INV_ALL (INV_PLACE && INV_COUNT && INV_WAKE && INV_SIG && INV_TARGET && INV_SURPLUS && INV_ALERT \
                 && INV_BAON && INV_BWAKE && INV_BSIG && INV_BACKING && INV_GONE)

#ifndef NO_MONITOR
active proctype monitor()
{
end:
    atomic {
        ginit && !INV_ALL ->
        assert(INV_PLACE);
        assert(INV_COUNT);
        assert(INV_WAKE);
        assert(INV_SIG);
        assert(INV_TARGET);
        assert(INV_SURPLUS);
        assert(INV_ALERT);
        assert(INV_BAON);
        assert(INV_BWAKE);
        assert(INV_BSIG);
        assert(INV_GONE)
#if BACKING
        ; assert(INV_I7); assert(INV_ACC); assert(INV_BUF)
#endif
    }
}
#endif

/* ---------------------------------------------------------------- CAS on the free-list word */
/* The C# pattern: if (Interlocked.CompareExchange(ref _word, value, word) == word) ... else word = _word;
   `ok` tells which; on failure the local `w` becomes a fresh read (folded, see "Failed CASes" in the header). */
#ifdef LITERAL_TAG
#define WORD_UNCHANGED(w) (word == (w))
#else
#define WORD_UNCHANGED(w) (word == (w) && !wstale[me])
#endif

inline ReadWord(w)
{
    w = word;
    wstale[me] = 0
}

inline WordChanged()
{
#ifdef PROGRESS
    gtog = 1 - gtog;  /* ghost for the lock-freedom property done0 */
#endif
    for (hi : 0 .. NP - 1) {
        wstale[hi] = 1
#ifdef LINCHECK
        ; if
        :: glk[hi] > 0 && LISTLEN < glk[hi] -> glin[hi] = 1     /* ghost: the list is at most hi's threshold now */
        :: else
        fi
#endif
    }
}

/* ---------------------------------------------------------------- waiter-record bookkeeping for the ticket abstraction */
inline RecordWritten(r)
{
    newer1 = 0;     /* canonical: newer1 matters only while both records are Waiting */
    /* canonical: the owner of an Idle record is never read (Abandon reads it only after a non-Idle word, and the next
       registration writes it before its word is non-Idle again) */
    if
    :: rph[r] == IDLE -> rown[r] = 0
#ifdef FREE_ABORT
        ; glost[r] = 0      /* ghost: the owner settled the record whose Set was lost */
#endif
    :: else
    fi;
    for (hi : 0 .. NP - 1) {
        if
        :: hold[hi] == (r) + 1 -> rstale[hi] = 1
        :: else
        fi
    }
#if DEMAND
    /* ghost: the owner of record r is no longer asleep on it (a claim, a withdraw, Dispose or a new use) */
    ; for (hi : NHANDLER .. NHANDLER + NWAITER - 1) {
        if
        :: grec[hi] == (r) -> gsaw[1] = gsaw[1] & (255 - (1 << hi)); gsaw[2] = gsaw[2] & (255 - (1 << hi));
                              gsaw[3] = gsaw[3] & (255 - (1 << hi)); gsaw[4] = gsaw[4] & (255 - (1 << hi))
        :: else
        fi
    }
#endif
}

#if DEMAND
/* ghost: the threads asleep in Alloc now (bit p) */
#define ASLEEPMASK ((ASLEEP(NHANDLER) -> (1 << NHANDLER) : 0) + ((NWAITER > 1 && ASLEEP(NHANDLER + 1)) -> (1 << (NHANDLER + 1)) : 0))
#endif

/* ---------------------------------------------------------------- BlockPool RaiseAlert, ClearAlertIfIdle (I9) */
#if BULKWAIT > 0
#define RAISED graise[me] = 0   /* ghost: a bulk caller that counted itself has raised the alert */
#else
#define RAISED skip
#endif
/* C#: BlockPool.RaiseAlert sets the alert with a CAS that always changes the word. Called after the caller made
   its condition true (galw counts it until here). Uses the local wa. */
inline RaiseAlert()
{
    /* C#: BlockPool.RaiseAlert: int word = _word; */
    d_step { ReadWord(wa) };
    do
    ::
#ifdef BUG_RAISE_NO_BUMP
        /* SEEDED BUG: the word is left alone when the bit is already set (so the tag does not move either) */
        if
        :: ALERTED(wa) -> d_step { galw--; RAISED; wa = 0; wstale[me] = 1 }; break
        :: else
        fi;
#endif
        /* [Alert.raise] C#: BlockPool.RaiseAlert: if (Interlocked.CompareExchange(ref _word, FreeListWord.WithFlag(word, FreeListWord.AlertBit, true), word) == word) return; */
        d_step {
            if
            :: WORD_UNCHANGED(wa) ->
                word = WITHFLAG(wa, ALERTBIT);
                WordChanged();
                galw--; RAISED; wa = 0; aok = 1
            :: else -> wa = word; wstale[me] = 0; aok = 0     /* C#: BlockPool.RaiseAlert: word = _word; */
            fi
        };
        if
        :: aok -> aok = 0; break
        :: else
        fi
    od
}

/* C#: BlockPool.ClearAlertIfIdle clears the alert if no condition needs it. Uses the locals wa, cap, tgt. */
inline ClearAlertIfIdle()
{
#if BACKING
    /* C#: BlockPool.ClearAlertIfIdle: ... && _allocator == null && ...  with an allocator the loop never runs (its one read of the word
       decides nothing: folded away) */
    skip
#else
    /* C#: BlockPool.ClearAlertIfIdle: int word = _word; */
    d_step { ReadWord(wa) };
    do
    :: /* C#: BlockPool.ClearAlertIfIdle: while ((word & FreeListWord.AlertBit) != 0 && _allocator == null && _bulkWaiting == 0 && !PoolSizes.HasSurplus(_sizes))
          (_allocator: a constant; _bulkWaiting and _sizes: a read each, of constants where nobody writes them) */
        if
        :: !ALERTED(wa) -> d_step { wa = 0; wstale[me] = 1 }; break
        :: else
        fi;
#if BULKWAIT > 0
        if
        :: bulkWaiting != 0 -> d_step { wa = 0; wstale[me] = 1 }; break
        :: else
        fi;
#endif
#if NRESIZER
        d_step { cap = capacity; tgt = target };
        if
        :: cap > tgt -> d_step { cap = 0; tgt = 0; wa = 0; wstale[me] = 1 }; break
        :: else -> cap = 0; tgt = 0
        fi;
#endif
#ifdef BUG_CLEAR_NO_RECHECK
        /* SEEDED BUG: a failed clear is retried on the fresh word without reading the conditions again */
        do
        :: d_step {
               if
               :: WORD_UNCHANGED(wa) -> word = WITHOUTFLAG(wa, ALERTBIT); WordChanged(); wa = 0; aok = 1
               :: else -> wa = word; wstale[me] = 0; aok = 0
               fi
           };
           if
           :: aok -> break
           :: !aok && !ALERTED(wa) -> break
           :: else
           fi
        od;
        atomic { aok = 0; wa = 0; wstale[me] = 1 };
        break
#else
        /* [Alert.clear] C#: BlockPool.ClearAlertIfIdle: if (Interlocked.CompareExchange(ref _word, FreeListWord.WithFlag(word, FreeListWord.AlertBit, false), word) == word) return; */
        d_step {
            if
            :: WORD_UNCHANGED(wa) -> word = WITHOUTFLAG(wa, ALERTBIT); WordChanged(); wa = 0; aok = 1
            :: else -> wa = word; wstale[me] = 0; aok = 0     /* C#: BlockPool.ClearAlertIfIdle: word = _word; */
            fi
        };
        if
        :: aok -> aok = 0; break
        :: else
        fi
#endif
    od
#endif
}

/* ---------------------------------------------------------------- refusals (Pop, TryAlloc, TryTakeMany, TrimReserve's Pop) */
/* LINCHECK ghost: a call that may refuse starts with its first read of the word (its first shared access: the
   model's invocation) and notes whether the list has been at most thr blocks long (thr: the longest list it may
   refuse on) at any moment since; a refusal must be linearizable: refusalok. */
inline LinStart(thr)
{
#ifdef LINCHECK
    glk[me] = ((thr) >= 254 -> 255 : (thr) + 1); glin[me] = (LISTLEN <= (thr))
#else
    skip
#endif
}

inline LinEnd()
{
#ifdef LINCHECK
    glk[me] = 0; glin[me] = 0
#else
    skip
#endif
}

/* The refusal of a call whose link read said depth <= keep, in the step that decides it (thr: see LinStart; fav: the
   caller's freeAfter; gt: 1 when a trim window closes with the refusal). rr = 1: the word moved since it was read,
   retry with the fresh word in w; rr = 0: refused.
   A refusal rests on the top's own link: a link read after its block left the list may be a freer's link in the
   making, whose depth (Depth(a popped top's link) + 1 = 0x10000) overflows to 0 (BlockPool, I1). If the word has
   not moved since it was read, the top was on the list when its link was read, so that depth is the list's length,
   now: asserted (LISTLEN <= thr). Without SPLIT_LINKS the refusal is decided on the word's top alone and the re-read
   is folded: a re-read that finds the word moved ends an attempt of reads only (no effect: as if the call began at
   the re-read), and one that finds it unchanged lets the call's reads move up to the re-read (nothing on the list
   changed in between). */
#define REFUSED(fav, gt) ok = 0; blk = 0; fa = (fav); w = 0; tl = 0; dp = 0; wstale[me] = 1; TRIMCLOSE(gt) LINOK(keep) LinEnd(); rr = 0
#if BACKING
#define TRIMCLOSE(gt) gtrimming = gtrimming - (gt);
#else
#define TRIMCLOSE(gt)
#endif
#ifdef LINCHECK
#define LINOK(keep) refusalok = (glin[me] || (keep) == 255); assert(refusalok); refusalok = 0;
#else
#define LINOK(keep)
#endif
inline Refuse(keep, thr, fav, gt)
{
#if defined(SPLIT_LINKS) && !defined(BUG_REFUSAL_NO_REREAD)
    /* [Refusal.reread] C#: BlockPool.TryAlloc, BlockPool.Pop, BlockPool.TryTakeMany: if (!WordUnchanged(ref word)) continue;
       C#: BlockPool.WordUnchanged: int now = Interlocked.CompareExchange(ref _word, word, word); if (now == word) return true;
       (a CAS that writes back what it finds: it changes nothing, the tag included, so to every other context it is a
       read of the word) */
    d_step {
        if
        :: WORD_UNCHANGED(w) -> assert(LISTLEN <= (thr) || (keep) == 255); REFUSED(fav, gt)
        :: else -> w = word; wstale[me] = 0; rr = 1     /* C#: BlockPool.WordUnchanged: word = now; return false; */
        fi
    }
#elif defined(BUG_REFUSAL_NO_REREAD)
    /* SEEDED BUG: the refusal rests on the link read alone (no re-read of the word) */
    d_step { REFUSED(fav, gt) }
#else
    /* the refusal, decided on the word read (the re-read folded, see above) */
    d_step { REFUSED(fav, gt) }
#endif
}

/* ---------------------------------------------------------------- BlockPool Pop (and TryAlloc's inline pop) */
/* C#: BlockPool.Pop (int keep, out int freeAfter), and its copy in C#: BlockPool.TryAlloc (keep = the handler reserve, held in _tryFloor as a link bound). The block popped is
   blk (0 = none: refused), owned by the caller; freeAfter in fa. onalloc: the caller allocates it (TryAlloc,
   TakeFree: link Held) or keeps it in transit (RetireSurplus, TrimReserve: Owned). Handlers pass keep =
   TRYFLOOR, threads and RetireSurplus 0. */
inline Pop(blk, ok, keep, onalloc)
{
    /* C#: BlockPool.Pop: int word = _word; */
    d_step { ReadWord(w); LinStart(keep) };
    do
    ::
#ifdef SPLIT_LINKS
        /* [TryPopKeep.depth] C#: BlockPool.Pop: int link = _links[top]; int depth = BlockLink.Depth(link); if (depth <= keep)
           (a read of its own: the refusal is decided on it without a CAS) */
        d_step { tl = blink[TOP(w)]; dp = LDEPTH(tl) };
#else
        /* C#: BlockPool.Pop: int link = _links[top]; int depth = BlockLink.Depth(link); if (depth <= keep)
           (folded into the word read's outcome: see FOLDING; the sentinel's depth 0 is "empty") */
        dp = (TOP(w) == 0 -> 0 : 1);
#endif
        if
#ifdef BUG_RESERVE_OFF_BY_ONE
        :: dp < (keep) || dp == 0 ->        /* SEEDED BUG: the last reserve block goes */
#else
        :: dp <= (keep) ->
#endif
#ifdef REACH_REFUSAL
            assert(dp == 0 || (keep) == 0);    /* reachability probe: spin must find a refusal with blocks free */
#endif
            /* C#: BlockPool.Pop: { freeAfter = depth; return 0; }  (TryAlloc: { block = null; return TryAllocFailed(); }),
               once the re-read of the word found it unchanged (Refuse) */
            Refuse(keep, keep, dp, 0);
            if
            :: rr -> rr = 0                  /* the word moved: retry with the fresh word */
            :: else -> break
            fi
        :: else ->
            /* [TryPop.cas] [TryPopKeep.cas] C#: BlockPool.Pop: if (Interlocked.CompareExchange(ref _word, FreeListWord.AfterPop(word, BlockLink.Next(link)), word) == word) */
            d_step {
                if
                :: WORD_UNCHANGED(w) ->
#ifndef SPLIT_LINKS
                    tl = blink[TOP(w)];     /* the link read, folded (FOLDING) */
#endif
                    /* the link read before the CAS was the top's own, and exact (the top was on the list the whole time) */
                    assert(ISFREEL(tl) && LDEPTH(tl) == LISTLEN);
                    word = AFTERPOP(w, LNEXT(tl));
                    WordChanged();
                    blk = TOP(w);
                    /* ghost: the popped block is now ours; it was on the list, so nobody else may own it */
                    assert(gown[blk] == 0 && !ghand[blk] && !gret[blk]);
                    gown[blk] = me + 1;
                    /* C#: BlockPool.Pop: _links[top] = BlockLink.Owned;  and for an allocation Acquired: _links[slot] = BlockLink.Held;
                       (TryAlloc writes Held at once.) Folded: only the owner writes the link of a block off the list, and a
                       reader that still sees the free link it had is a context whose own CAS then fails (its word is stale) */
                    blink[blk] = (onalloc -> LHELD : LOWNED);
#if RESERVE > 0
                    /* RESERVE RULE: a handler's own pop never leaves fewer than keep blocks free */
                    reserveok = (LISTLEN >= (keep)); assert(reserveok); reserveok = 0;
#endif
                    fa = LISTLEN;           /* C#: BlockPool.Pop: freeAfter = depth - 1; */
                    gabl[me] = 0;           /* ghost: a block popped for a caller is the caller's (exception window) */
                    ok = 1; w = 0; tl = 0; dp = 0; LinEnd()
                :: else ->
                    w = word; wstale[me] = 0; ok = 0     /* C#: BlockPool.Pop: word = _word; */
                fi
            };
            if
            :: ok -> break
            :: else
            fi
        fi
    od
}

/* ---------------------------------------------------------------- BlockPool TryRetire */
/* The caller owns blk (popped: Owned). ok = 1: retired. */
inline TryRetire(blk, ok)
{
    /* C#: BlockPool.TryRetire: int sizes = _sizes; */
    d_step { cap = capacity; tgt = target };
    do
    :: cap <= tgt ->
        /* C#: BlockPool.TryRetire: if (!PoolSizes.HasSurplus(sizes)) return false; */
        ok = 0; cap = 0; tgt = 0;
        break
    :: else ->
        /* [TryRetire.cas] C#: BlockPool.TryRetire: int seen = Interlocked.CompareExchange(ref _sizes, retired, sizes); if (seen == sizes) */
        d_step {
            if
#ifndef BUG_SPLIT_SIZES
            /* capacity and target share one word (PoolSizes), so the CAS also fails if the target moved */
            :: capacity == cap && target == tgt ->
#else
            :: capacity == cap ->
#endif
                capacity = cap - 1;
                assert(gown[blk] == me + 1);
                gown[blk] = 0; gret[blk] = 1;
#if DEMAND
                /* DEMAND FIRST (I4): no thread that was asleep in Alloc when this block's Release began still sleeps */
                demandok = (gsaw[blk] == 0); assert(demandok); demandok = 0;
#endif
#ifdef BDEMAND
                /* DEMAND FIRST for bulk callers (I4): no bulk caller counted when our SettleSurplus decided is still waiting */
                bulkdemandok = (gbdm[me] == 0); assert(bulkdemandok); bulkdemandok = 0;
#endif
                ok = 1
            :: else ->
                cap = capacity; tgt = target; ok = 0      /* C#: BlockPool.TryRetire: sizes = seen; */
            fi
        };
        if
        :: ok ->
            /* C#: BlockPool.TryRetire: _links[slot] = BlockLink.Retired; */
            blink[blk] = LRETIRED;
            /* C#: BlockPool.TryRetire: if (!PoolSizes.HasSurplus(retired)) ClearAlertIfIdle(); return true;  (retired = the sizes our CAS wrote) */
            if
            :: cap - 1 <= tgt -> cap = 0; tgt = 0; ClearAlertIfIdle()
            :: else -> cap = 0; tgt = 0
            fi;
            break
        :: else
        fi
    od
}

/* ---------------------------------------------------------------- WaiterQueue TryHandOff */
/* The scan keeps `oldest` in hold[me]. Exactness of IsOlder (assumption B): the scan reads record 0
   first; when it then reads record 1, record 1's current registration is older than the registration
   of record 0 it saw iff record 1 was not re-registered since that read (reg1since) and, at that read,
   record 1's registration was the older one (snap1). The claim CAS succeeds iff the chosen record's word
   was not written since the scan read it (rstale): every write changes the word (new ticket or phase). */
inline TryHandOff(blk, ok)
{
    do
    :: /* C#: WaiterQueue.TryHandOff: Waiter[] records = _records;
          C#: WaiterQueue.TryHandOff: int word = records[i]._word; if (Waiter.Phase(word) == Waiter.PhaseWaiting && (oldest == null ...  (i = 0: oldest is null)
          (one step: the growth of _records commutes with the read of record 0, which it does not write; with
          no record yet, the loop reads nothing) */
        d_step {
            nr = nrec;
            if
            :: nr > 0 && rph[0] == WAITING -> hold[me] = 1; rstale[me] = 0; snap1[me] = newer1; reg1since[me] = 0
            :: else -> hold[me] = 0
            fi
        };
        if
        :: nr > 1 ->
            /* C#: WaiterQueue.TryHandOff: int word = records[i]._word; if (Waiter.Phase(word) == Waiter.PhaseWaiting && (oldest == null || Waiter.IsOlder(...  (i = 1) */
            d_step {
                if
                :: rph[1] == WAITING && (hold[me] == 0 || (!reg1since[me] && !snap1[me])) ->
                    hold[me] = 2; rstale[me] = 0
                :: else
                fi;
                snap1[me] = 0; reg1since[me] = 0
            }
        :: else -> snap1[me] = 0; reg1since[me] = 0
        fi;
        if
        :: hold[me] == 0 ->
            /* C#: WaiterQueue.TryHandOff: if (oldest == null) return false; */
            ok = 0; nr = 0;
            break
        :: else ->
            /* [TryHandOff.claim] C#: WaiterQueue.TryHandOff: if (Interlocked.CompareExchange(ref oldest._word, Waiter.Claimed(block._slot), oldestWord) == oldestWord)
               (the word now names the block: from this CAS on it is the record's) */
            d_step {
                o = hold[me] - 1;
                if
                :: !rstale[me] ->
                    assert(rph[o] == WAITING && rhand[o] == 0);
                    rph[o] = CLAIMED; rhand[o] = blk; gsetp[o] = 1;
                    RecordWritten(o);
                    /* ghost: the block moves from us into the hand-off to record o, Owned (I1) */
                    assert(gown[blk] == me + 1 && blink[blk] == LOWNED);
                    gown[blk] = 0; ghand[blk] = 1;
#if DEMAND
                    gsaw[blk] = 0;
#endif
                    ok = 1
                :: else -> ok = 0
                fi;
                hold[me] = 0; rstale[me] = 0
            };
            if
            :: ok ->
#ifdef FREE_ABORT
                if
                :: d_step {
                       me == FABT && !gfa ->
                       /* The freer leaves by an exception (Thread.Abort) here, after its claim and before the Set: the
                          block is in the record (not lost), the Set never comes (glost), and Release, whose hand-off
                          has succeeded, has nothing left to do: the thread ends after it (the Thread process). */
                       gfa = 1; gsetp[o] = 0; glost[o] = 1; o = 0; nr = 0
                   }
                :: else ->
#endif
                /* [TryHandOff.set] C#: WaiterQueue.TryHandOff: oldest._signal.Set(); return true;
                   (the wake-up only: the event may still hold a Set its owner did not need, and the two merge) */
                d_step { rsig[o] = 1; gsetp[o] = 0; o = 0; nr = 0 }
#ifdef FREE_ABORT
                fi
#endif
                ;
                break
            :: else
                /* rescan */
            fi
        fi
    od
}

/* ---------------------------------------------------------------- WaiterQueue WakeNeedingAtMost (bulk queue) */
#if BULKWAIT > 0
/* A bulk record's word changed (owner's register/withdraw/recycle, a claim, Dispose): a scanner that read it
   Waiting and has not yet made its claim CAS will fail that CAS (every write changes the word: a new ticket or
   another phase). */
inline BRecordWritten(x)
{
    if
    :: bph[x] == IDLE -> bown[x] = 0     /* canonical, as in RecordWritten */
#ifdef FREE_ABORT
        ; gblost[x] = 0
#endif
    :: else
    fi;
    for (hi : 0 .. NP - 1) {
        if
        :: bsc[hi] == (x) + 1 -> bstale[hi] = 1
        :: else
        fi
    }
}

/* C#: BlockPool.WakeBulkWaiters calls C#: WaiterQueue.WakeNeedingAtMost (available).
   Uses the locals q (record index), nr, bok. Ends the freer's "on the way" ghost (gnwk). */
inline WakeBulk(avail)
{
    /* [WakeBulk.records] C#: BlockPool.WakeBulkWaiters: WaiterQueue queue = _bulkQueue; if (queue != null)
       C#: WaiterQueue.WakeNeedingAtMost: Waiter[] records = _records;
       (one step: _bulkQueue is written once, null -> queue, so where it is not null its read can move up to the
       read of _records; where it is null, the C# returns and bnrec is 0 here) */
    d_step { nr = bnrec; q = 0 };
    do
    :: /* C#: WaiterQueue.WakeNeedingAtMost: int word = waiter._word; if (Waiter.Phase(word) == Waiter.PhaseWaiting && waiter._need <= available)
          (the _need read is folded into the word read: _need is written only while the record is Idle, before the
          Interlocked.Exchange that publishes the ticket read here, so it can differ from the one folded here only
          if the word changed since, and then the claim CAS below fails: same outcome, no wake) */
        d_step {
            q < nr;
            if
            :: bph[q] == WAITING && bneed[q] <= (avail) -> bsc[me] = q + 1; bstale[me] = 0; bok = 1
            :: else -> bok = 0; q++
            fi
        };
#ifdef BUG_BULK_WAKE_ONE
        /* SEEDED VARIANT (wake one): record 0 may be passed over when record 1 is eligible too (peeked in the same
           step), so the one record woken is any eligible one: "the oldest" and "the first in array order" included. */
        if
        :: atomic { bok && q == 0 && nr > 1 && bph[1] == WAITING && bneed[1] <= (avail) -> bok = 0; q = 1; bsc[me] = 0 }
        :: true
        fi;
#endif
        if
        :: bok ->
            /* [WakeBulk.claim] C#: WaiterQueue.WakeNeedingAtMost: if (Interlocked.CompareExchange(ref waiter._word, Waiter.Claimed(0), word) == word)  (a bulk claim hands no block: slot 0) */
            d_step {
                if
                :: !bstale[me] -> assert(bph[q] == WAITING); bph[q] = CLAIMED; gbsetp[q] = 1; BRecordWritten(q)
                :: else -> bok = 0; q++
                fi;
                bsc[me] = 0; bstale[me] = 0
            };
            if
            :: bok ->
#ifdef FREE_ABORT
                if
                :: d_step {
                       me == FABT && !gfa ->
                       /* The freer leaves by an exception here, after its bulk claim and before the Set (the Set is
                          lost: gblost); its scan ends with it. The Thread process ends the thread. */
                       gfa = 1; gbsetp[q] = 0; gblost[q] = 1; bok = 0; q = nr
                   }
                :: else ->
#endif
                /* [WakeBulk.set] C#: WaiterQueue.WakeNeedingAtMost: waiter._signal.Set();  (one Set per claim: I5) */
                d_step { bsig[q] = 1; gbsetp[q] = 0; bok = 0; q++ }
#ifdef FREE_ABORT
                fi
#endif
#ifdef BUG_BULK_WAKE_ONE
                /* SEEDED VARIANT: stop after the first record woken (a failed claim CAS goes on to the next record). */
                ; break
#endif
            :: else
            fi
        :: else
        fi
    :: else -> break
    od;
    atomic { q = 0; nr = 0; bok = 0; gnwk = gnwk - gpush; gpush = 0 }
}
#endif

/* ---------------------------------------------------------------- backing allocator: trim and give-back (BlockPool) */
#if BACKING
/* C#: IBlockAllocator.Allocate, called by C#: BlockPool.AllocateBuffer: byte[] buffer = _allocator.Allocate(_blockSize);
   The allocator: a buffer while fewer than NB + AEXTRA are out, or null (a choice: it may refuse at any call). */
inline AllocateBuffer(ok)
{
    assert(me >= NHANDLER);     /* TryAlloc (the handlers) never calls the allocator */
    if
    :: d_step { aout < NB + AEXTRA -> aout++; gbufs++; ok = 1 }
#ifdef RELIABLE_ALLOC
    :: d_step { aout >= NB + AEXTRA -> ok = 0 }     /* -DRELIABLE_ALLOC: it refuses only when its budget is spent */
#else
    :: ok = 0
#endif
    fi
}

/* C#: BlockPool.ReviveOrCreateBlock and C#: BlockPool.AdoptBufferLocked, under the
   thread lock: the buffer goes into a Retired slot (or a new one), then capacity and target move together. */
inline AdoptBlock(b)
{
    b = 0;
    i = 1;
    do
    :: i <= slotCount ->
        /* C#: BlockPool.ReviveOrCreateBlock: if (_links[slot] == BlockLink.Retired) */
        if
        :: blink[i] == LRETIRED ->
            /* C#: BlockPool.ReviveOrCreateBlock: block = _blocks[slot]; ... block._buffer = buffer; ... _links[block._slot] = BlockLink.Owned;  (plain writes to a
               slot no other context looks at: one step. The slot stays uncounted (gret) until the CAS below.) */
            d_step { assert(gret[i]); bbuf[i] = 1; blink[i] = LOWNED; b = i };
            break
        :: else -> i++
        fi
    :: else -> break
    od;
    if
    :: b == 0 ->
        /* C#: BlockPool.ReviveOrCreateBlock: int slot = _slotCount + 1; block = new Block(this, slot, buffer != null ? buffer : new byte[_blockSize]); _blocks[slot] = block; _slotCount = slot;
           _links[block._slot] = BlockLink.Owned; */
        d_step {
            assert(slotCount < NBMAX);
            slotCount++; b = slotCount; blink[b] = LOWNED; bbuf[b] = 1; gret[b] = 1
        }
    :: else
    fi;
    i = 0;
    /* [Backing.adopt] C#: BlockPool.AdoptBufferLocked: AddLive(1);  (a CAS loop on _sizes in BlockPool.AddLive: Make(Capacity + 1, Capacity + 1)
       (one step: the loop retries until its CAS lands, and with an allocator no decision of the protocol reads
       _sizes (HasSurplus is always false), so the loop is an atomic increment of both halves) */
    d_step { capacity++; target++; gret[b] = 0; gown[b] = me + 1; gbufs-- }
}

/* C#: BlockPool.Pop as TrimReserve calls it: keep = the limit read by the caller (lm). */
inline TrimPop(keep, ok)
{
    /* C#: BlockPool.Pop: int word = _word; */
    d_step { ReadWord(w); LinStart(keep) };
    do
    :: /* C#: BlockPool.Pop: int link = _links[top]; int depth = BlockLink.Depth(link);  (a read of its own: the refusal
          is decided on it without a CAS) */
        d_step { tl = blink[TOP(w)]; dp = LDEPTH(tl) };
        if
        :: dp <= keep ->
            /* C#: BlockPool.Pop: if (depth <= keep) { ...; freeAfter = depth; return 0; }  once the re-read of the word found it unchanged
               (Refuse). TrimReserve ends here, and with it its caller's trim window */
            Refuse(keep, keep, 0, 1);
            if
            :: rr -> rr = 0                  /* the word moved: retry with the fresh word */
            :: else -> break
            fi
        :: else ->
            /* [Trim.pop] C#: BlockPool.Pop: if (Interlocked.CompareExchange(ref _word, FreeListWord.AfterPop(word, BlockLink.Next(link)), word) == word) */
            d_step {
                if
                :: WORD_UNCHANGED(w) ->
                    assert(ISFREEL(tl) && dp == LISTLEN);
                    word = AFTERPOP(w, LNEXT(tl));
                    WordChanged();
                    blk = TOP(w);
                    assert(gown[blk] == 0 && !ghand[blk] && !gret[blk]);
                    gown[blk] = me + 1; gtb[blk] = 1;
                    /* C#: BlockPool.Pop: _links[top] = BlockLink.Owned;  (folded, see Pop) */
                    blink[blk] = LOWNED;
                    /* REFILL FIRST: a block goes back only while the reserve is at its size */
#ifdef REFILL_STRICT
                    refillok = (LISTLEN >= limit);
#else
                    refillok = (LISTLEN >= lm);
#endif
                    assert(refillok); refillok = 0;
                    fa = LISTLEN;       /* C#: BlockPool.Pop: freeAfter = depth - 1; */
                    ok = 1; w = 0; tl = 0; dp = 0; LinEnd()
                :: else ->
                    w = word; wstale[me] = 0; ok = 0     /* C#: BlockPool.Pop: word = _word; */
                fi
            };
            if
            :: ok -> break
            :: else
            fi
        fi
    od
}

/* C#: BlockPool.ReleaseToAllocator (slot): the trimmer owns the block (popped, Owned). */
inline ReleaseToAllocator(b)
{
    /* C#: BlockPool.ReleaseToAllocator: Block block = _blocks[slot]; byte[] buffer = block._buffer; block._buffer = null;  (folded into the next step: only
       the owner reads or writes the buffer of a block that is not Retired, and ReviveOrCreateBlock looks only at Retired slots)
       [Trim.retire] C#: BlockPool.ReleaseToAllocator: AddLive(-1);  (a CAS loop on _sizes: Make(Capacity - 1, Capacity - 1), one step, as in AdoptBlock) */
    d_step {
        assert(gown[b] == me + 1 && gtb[b]);
#ifndef BUG_RETIRE_PUBLISH_FIRST
        bbuf[b] = 0;
#endif
        capacity--; target--;
        gown[b] = 0; gtb[b] = 0; gret[b] = 1; gbufs++
    };
    /* C#: BlockPool.ReleaseToAllocator: Interlocked.Exchange(ref _links[slot], BlockLink.Retired);  (publishes the slot for reuse) */
    blink[b] = LRETIRED;
#ifdef BUG_RETIRE_PUBLISH_FIRST
    /* SEEDED BUG: the buffer is nulled only after the slot was published as Retired. */
    bbuf[b] = 0;
#endif
    /* C#: BlockPool.ReleaseToAllocator: GiveBack(buffer);  C#: BlockPool.GiveBack: _allocator.Release(buffer); */
    d_step { aout--; gbufs--; b = 0 }
}

/* C#: BlockPool.TrimReserve: while ((slot = Pop(_reserveLimit, out freeAfter)) != 0) { ... ReleaseToAllocator(slot); }
   Closes the caller's trim window when it ends (in TrimPop's refusal). */
inline TrimReserve()
{
    do
    :: /* C#: BlockPool.TrimReserve: Pop(_reserveLimit, out freeAfter)  (the argument _reserveLimit, read once per Pop call */
        lm = limit;
#ifdef BUG_TRIM_KEEP_LESS
        /* SEEDED BUG: keep = limit - 1 */
        TrimPop((lm > 0 -> lm - 1 : 0), ok);
#else
        TrimPop(lm, ok);
#endif
        if
        :: ok -> ok = 0
        :: else -> break
        fi;
#ifndef BUG_NO_REFILL_RECHECK
        /* [Trim.recheck] C#: BlockPool.TrimReserve: if (freeAfter < _reserveLimit) { Release(slot); return; }
           (the limit read again after the pop CAS's fence: paired with ResizeReserve's exchange of the limit
           followed by its read of FreeCount; either this read sees the raised limit, or Resize's read sees the
           pop and fills the block in from the allocator) */
        d_step {
            lm = limit;
#ifdef REACH_RECHECK
            assert(fa >= lm);       /* reachability probe: spin must find a re-check that puts the block back */
#endif
            if
            :: fa < lm -> gtrimming--; gtb[blk] = 0; ok = 1      /* TrimReserve ends here (Release opens its own window) */
            :: else
            fi;
            lm = 0; fa = 0
        };
        if
        :: ok -> ok = 0; again = 1; break      /* C#: BlockPool.TrimReserve: Release(slot); return;  (ReleaseOrRetire loops on `again`) */
        :: else
        fi;
#else
        /* SEEDED BUG: no re-check: the block goes back although a Resize raised the limit after the limit read
           for this pop */
        fa = 0;
#endif
        /* C#: BlockPool.TrimReserve: ReleaseToAllocator(slot); */
        ReleaseToAllocator(blk)
    od;
    lm = 0
}

/* After a successful push (pd = the depth it produced; its trim window opened at the push CAS).
   C#: BlockPool.AfterAlertedPush: if (depth > _reserveLimit) TrimReserve(); */
inline ReleaseTrim()
{
    /* [Release.trim] the limit is read after the push CAS (a full fence): paired with the limit exchange and
       own trim of ResizeReserve and Dispose (either their trim sees this push or this read sees their limit) */
    d_step {
#ifndef BUG_LIMIT_BEFORE_PUSH
        lm = limit;
#endif
        if
#ifndef BUG_NO_TRIM
        :: pd > lm -> pd = 1
#endif
        :: else -> pd = 0; gtrimming--    /* no trim: the window closes here */
        fi;
        lm = 0
    };
    if
    :: pd -> pd = 0; TrimReserve()
    :: else
    fi
}
#endif

/* ---------------------------------------------------------------- BlockPool Release, AfterAlertedPush */
/* C#: BlockPool.FreeChecked: if (Interlocked.CompareExchange(ref _links[slot], BlockLink.Owned, held) != held) throw  (and BlockPool.Free's fast path,
   with links[slot] and BlockLink.Held; the bulk Free: [BulkFree.own])
   [Free.own] Folded into Release's first step: only the block's holder reads or writes its link while it is
   held (ReviveOrCreateBlock only looks for Retired, which neither value is). */
inline FreeOwnership(blk, own)
{
    if
    :: own -> assert(blink[blk] == LHELD && gown[blk] == me + 1); blink[blk] = LOWNED
    :: else
    fi
}

/* C#: BlockPool.SettleSurplus: if (_bulkWaiting == 0 && PoolSizes.HasSurplus(_sizes)) RetireSurplus();
   Inside ReleaseOrRetire's loop: goes on to RetireSurplus (rmode = 1) or leaves the loop (break). */
inline SettleSurplus()
{
#if NRESIZER
#if BULKWAIT > 0 && !defined(BUG_SETTLE_IGNORES_BULK)
    /* [Surplus.bulk] C#: BlockPool.SettleSurplus: if (_bulkWaiting == 0 && ...)  (demand first: while a thread waits in
       the bulk Alloc nothing is retired; the last one to leave settles the surplus itself) */
    if
    :: bulkWaiting != 0 -> break
    :: d_step { bulkWaiting == 0 -> BDEMANDSEEN }
    fi;
#elif BULKWAIT > 0
    /* SEEDED BUG (BUG_SETTLE_IGNORES_BULK): no read of _bulkWaiting (retirement ignores bulk callers) */
#endif
    /* C#: BlockPool.SettleSurplus: ... && PoolSizes.HasSurplus(_sizes)) RetireSurplus(); */
    d_step {
        cap = capacity; tgt = target
#ifdef BUG_SETTLE_IGNORES_BULK
        ; BDEMANDSEEN
#endif
    };
    if
    :: cap > tgt -> cap = 0; tgt = 0; rmode = 1; blk = 0
    :: else -> cap = 0; tgt = 0; break
    fi
#else
    /* Without a Resize, capacity == target always: no surplus, and the reads (_bulkWaiting, _sizes) decide nothing
       (folded). */
    break
#endif
}

/* Release, SettleSurplus and RetireSurplus call each other in tail position (C#: BlockPool.Release ends an alerted push with
   AfterAlertedPush, whose last act is SettleSurplus(), which ends with RetireSurplus(), which ends a failed retire
   with "Release(slot); return;"), so the model runs them as one loop instead of a recursion: rmode 0 = the body of
   Release(slot), 1 = the body of RetireSurplus(), 2 = SettleSurplus() (run at the end of rmode 0 as well). The
   ghost grel counts the context from its first Release step (or a bulk caller from its decrement of _bulkWaiting)
   to the end of the loop (inrel: counted). */
inline ReleaseOrRetire(blk, own, startmode)
{
    rmode = startmode; ow = own;
    do
    :: rmode == 0 ->
        /* ---- BlockPool Release(slot) ---- */
#ifdef BUG_RETIRE_FIRST
        /* SEEDED BUG (the order before demand first): if (PoolSizes.HasSurplus(_sizes) && TryRetire(slot)) return; */
        d_step {
            FreeOwnership(blk, ow); ow = 0; grel = grel + 1 - inrel; inrel = 1;
#if DEMAND
            gsaw[blk] = ASLEEPMASK;
#endif
            cap = capacity; tgt = target
        };
        if
        :: cap > tgt -> cap = 0; tgt = 0; TryRetire(blk, ok)
        :: else -> cap = 0; tgt = 0; ok = 0
        fi;
        if
        :: ok -> ok = 0; break            /* retired */
        :: else
        fi;
        d_step { ReadWord(w) };
#else
#ifdef BUG_BULK_WAKE_EARLY
        /* SEEDED BUG: _bulkWaiting is read once, before the push (before the word is read), not after the push CAS.
           (Read after the word read and before the CAS, in every attempt, it would be safe: a waiter counted after
           that read raises the alert after it, and the raise makes this attempt's CAS fail.) */
        bws = (bulkWaiting != 0);
#endif
        /* [Release.read] C#: BlockPool.Release: int word = _word;  (Free's fast path: the same read) */
        d_step {
            FreeOwnership(blk, ow); ow = 0; grel = grel + 1 - inrel; inrel = 1;
#if DEMAND
            gsaw[blk] = ASLEEPMASK;     /* ghost: who sleeps in Alloc as this block's Release begins */
#endif
#ifdef BUG_LIMIT_BEFORE_PUSH
            /* SEEDED BUG: the limit is read before the push CAS (ReleaseTrim does not read it again) */
            lm = limit;
#endif
            ReadWord(w)
        };
#endif
        do
        :: if
           :: WAITERS(w) ->
                /* C#: BlockPool.Release: if ((word & FreeListWord.WaitersBit) != 0) { _links[slot] = BlockLink.Owned; if (_waiters.TryHandOff(_blocks[slot])) return; } */
#ifdef SPLIT_LINKS
                /* [Release.owned] C#: BlockPool.Release: _links[slot] = BlockLink.Owned;  (a push CAS that failed left the
                   link it wrote for that attempt, Make(depth, top): in transit the block is Owned again, I1) */
                blink[blk] = LOWNED;
#else
                /* C#: BlockPool.Release: _links[slot] = BlockLink.Owned;  (folded: without SPLIT_LINKS the link is written only with a push CAS that
                   succeeds, so here it is Owned already) */
#endif
                TryHandOff(blk, ho)
#ifdef BUG_NO_RECHECK
                /* SEEDED BUG: CAS against a freshly read word instead of the word the scan ran under. */
                ; if
                :: !ho -> d_step { ReadWord(w) }
                :: else
                fi
#endif
           :: else
           fi;
           if
           :: ho -> w = 0; wstale[me] = 1; break
           :: else
           fi;
#ifdef SPLIT_LINKS
           /* C#: BlockPool.Release: int depth = BlockLink.Depth(_links[top]) + 1; */
           d_step { tl = blink[TOP(w)]; dp = LDEPTH(tl) + 1; tl = 0 };
           /* C#: BlockPool.Release: _links[slot] = BlockLink.Make(depth, top);  (a depth of 0xFFFF + 1, read from a top popped
              meanwhile, overflows to 0: MKLINK keeps that) */
           blink[blk] = MKLINK(dp, TOP(w));
#endif
           /* [Release.cas] C#: BlockPool.Release: if (Interlocked.CompareExchange(ref _word, FreeListWord.AfterPush(word, slot), word) == word) */
           d_step {
               if
               :: WORD_UNCHANGED(w) ->
#ifndef SPLIT_LINKS
                   /* C#: BlockPool.Release: int depth = BlockLink.Depth(_links[top]) + 1; _links[slot] = BlockLink.Make(depth, top);  (folded, see FOLDING) */
                   dp = LDEPTH(blink[TOP(w)]) + 1;
                   blink[blk] = MKLINK(dp, TOP(w));
#endif
                   word = AFTERPUSH(w, blk);
                   WordChanged();
                   assert(gown[blk] == me + 1 && dp == LISTLEN);
                   gown[blk] = 0;
#if DEMAND
                   gsaw[blk] = 0;
#endif
                   pd = dp;             /* C#: BlockPool.Release: int depth  (the free count this push produced */
                   al = ALERTED(w);     /* C#: BlockPool.Release: if ((word & FreeListWord.AlertBit) != 0)  (the alert of the word this CAS replaced */
#if BACKING
                   gtrimming = gtrimming + al;   /* I7's window opens (the alert is always set with an allocator) */
#endif
#if BULKWAIT > 0
                   gnwk = gnwk + al; gpush = al; /* ghost: on the way until the end of our bulk scan */
#endif
                   ok = 1; w = 0; dp = 0
               :: else ->
                   w = word; wstale[me] = 0; ok = 0     /* C#: BlockPool.Release: word = _word; */
               fi
           };
           if
           :: ok -> break
           :: else
           fi
        od;
        if
        :: ho -> ho = 0; break            /* handed off */
        :: else
        fi;
        ok = 0;
        if
        :: !al -> pd = 0; break           /* C#: BlockPool.Release: return;  (the push did not carry the alert) */
        :: else -> al = 0
        fi;
        /* ---- BlockPool AfterAlertedPush(depth) ---- */
#if BULKWAIT > 0
        /* [Release.bulkwake] C#: BlockPool.AfterAlertedPush: if (_bulkWaiting != 0) WakeBulkWaiters(depth); */
#ifdef BUG_BULK_WAKE_EARLY
        if
        :: bws -> WakeBulk(pd)
        :: else -> d_step { gnwk = gnwk - gpush; gpush = 0 }
        fi;
        d_step { bws = 0; pd = 0 };
#else
        if
        :: d_step { bulkWaiting == 0 -> gnwk = gnwk - gpush; gpush = 0; pd = 0 }
        :: bulkWaiting != 0 -> WakeBulk(pd); pd = 0
        fi;
#endif
#endif
#if BACKING
        ReleaseTrim();
        if
        :: again -> again = 0       /* TrimReserve's re-check ends with Release(slot): loop (the retire re-check that
                                       follows it in the C# reads no surplus with an allocator) */
        :: else -> break            /* [Release.recheck]: with an allocator capacity and target move together: no surplus */
        fi
#else
        pd = 0;
        /* [Release.recheck] C#: BlockPool.AfterAlertedPush: SettleSurplus(); */
        SettleSurplus()
#endif
    :: rmode == 2 ->
        /* ---- BlockPool SettleSurplus() (called by Resize and by a bulk caller leaving) ---- */
        SettleSurplus()
#if NRESIZER
    /* (without a Resizer there is never a surplus: RetireSurplus is not compiled) */
    :: /* ---- BlockPool RetireSurplus() ---- */
        /* [Surplus.check] C#: BlockPool.RetireSurplus: while (PoolSizes.HasSurplus(_sizes)) */
        d_step { rmode == 1; cap = capacity; tgt = target };
        if
        :: cap <= tgt -> cap = 0; tgt = 0; break
        :: else -> cap = 0; tgt = 0
        fi;
        /* C#: BlockPool.RetireSurplus: int slot = Pop(0, out freeAfter); if (slot == 0) return; */
        Pop(blk, ok, 0, 0);
        if
        :: !ok -> fa = 0; break
        :: else -> fa = 0
        fi;
        /* C#: BlockPool.RetireSurplus: if (!TryRetire(slot)) { Release(slot); return; } */
        TryRetire(blk, ok);
        if
        :: ok -> ok = 0; blk = 0      /* retired: loop */
        :: else -> rmode = 0          /* Release(slot) */
        fi
#endif
    od;
    atomic { rmode = 0; ow = 0; ok = 0; grel = grel - inrel; inrel = 0 BDEMANDEND }
}

inline Release(blk, own)
{
    ReleaseOrRetire(blk, own, 0)
}

/* C#: BlockPool.Free (Block): the ownership CAS, then the push (written out) or Release. */
inline Free(blk)
{
    Release(blk, 1);
    blk = 0
}

/* ---------------------------------------------------------------- handler reserve and bulk (off by default) */
#if BULK > 0 || BULKWAIT > 0
/* C#: BlockPool.TryAlloc -> TryTakeMany(into, count, keep) with count = k and keep =
   _tryFloor (a handler's TryAlloc) or 0 (the blocking Alloc); the blocks taken are bk[0 .. k-1] (into[]). ok = 0:
   false, nothing taken. */
inline TryAllocBulk(k, keep, ok)
{
    /* C#: BlockPool.TryTakeMany: int word = _word; */
    d_step { ReadWord(w); LinStart((k) + (keep) - 1) };
    do
    :: /* [Bulk.depth] C#: BlockPool.TryTakeMany: int depth = BlockLink.Depth(_links[top]); */
        d_step { dp = LDEPTH(blink[TOP(w)]) };
        if
        :: dp < (k) + (keep) ->
            /* C#: BlockPool.TryTakeMany: if (depth - count < keep) { ...; return false; }  once the re-read of the word
               found it unchanged (Refuse) */
            Refuse(keep, (k) + (keep) - 1, 0, 0);
            if
            :: rr -> rr = 0                  /* the word moved: retry with the fresh word */
            :: else -> break
            fi
        :: else ->
            /* C#: BlockPool.TryTakeMany: int last = top; bool torn = false; */
            d_step { bk[0] = TOP(w); lst = TOP(w); i = 1; torn = 0 };
            do
            :: i < (k) && !torn ->
                /* [Bulk.walk] C#: BlockPool.TryTakeMany: int link = _links[last]; if (link < 0 || BlockLink.Next(link) == 0) { torn = true; break; }
                   last = BlockLink.Next(link);  (one step per block: every other context may move in between) */
                d_step {
                    tl = blink[lst];
                    torn = (!ISFREEL(tl) || LNEXT(tl) == 0);
#ifndef BUG_BULK_LAST_UNGUARDED
                    lst = (torn -> lst : LNEXT(tl));
#else
                    lst = LNEXT(tl);        /* SEEDED BUG: the earlier walk, last = Next(link) before the test */
#endif
                    bk[i] = lst; i++; tl = 0
                }
            :: else -> break
            od;
#ifndef BUG_BULK_LAST_UNGUARDED
            /* [Bulk.last] C#: BlockPool.TryTakeMany: int lastLink = torn ? -1 : _links[last];  (-1 fails the test lastLink >= 0 below, as a negative
               link does) */
            if
            :: !torn -> tl = blink[lst]
            :: else
            fi;
#else
            /* [Bulk.last] SEEDED BUG: int lastLink = _links[last];  (also after a torn walk, whose `last` is Next() of a
               negative link: 0x3FFC..0x3FFF, past the table unless MaxCapacity >= 16380: IndexOutOfRangeException) */
            assert(lst <= NBMAX);
            tl = blink[lst];
#endif
            if
            :: torn || !ISFREEL(tl) ->
                /* [Bulk.torn] C#: BlockPool.TryTakeMany: if (lastLink >= 0 && ...) ... word = _word;  (a torn walk: retry with a fresh word) */
#ifdef REACH_TORN
                assert(!torn);      /* reachability probe: spin must find a torn walk (BulkModelTests) */
#endif
                d_step { ReadWord(w); torn = 0; i = 0; tl = 0; dp = 0; lst = 0; bk[1] = 0; bk[2] = 0 }
            :: else ->
#ifdef BUG_BULK_FRESH_WORD
                /* SEEDED BUG: the walk is trusted without the CAS check (the CAS uses a word read after the walk). */
                d_step { ReadWord(w) };
#endif
                /* [Bulk.cas] C#: BlockPool.TryTakeMany: Interlocked.CompareExchange(ref _word, FreeListWord.AfterPop(word, BlockLink.Next(lastLink)), word) == word */
                d_step {
                    if
#ifdef BUG_BULK_NO_TAG
                    :: TOP(word) == TOP(w) ->           /* SEEDED BUG: compares the top only, not the tag */
#else
                    :: WORD_UNCHANGED(w) ->
#endif
                        /* ALL OR NOTHING: the chain detached is exactly the top k blocks of the list, their depth
                           read was exact, and the list loses exactly k blocks (nothing else moves). */
                        gn = LISTLEN;
                        bulkexact = (dp == gn && TOP(word) == bk[0] && ((k) < 2 || L1 == bk[1])
                                     && ((k) < 3 || L2 == bk[2]) && LNEXT(tl) == NXT(bk[(k) - 1]));
                        assert(bulkexact);
                        word = AFTERPOP(w, LNEXT(tl));
                        WordChanged();
                        bulkexact = (LISTLEN + (k) == gn);
                        assert(bulkexact); bulkexact = 0;
                        /* RESERVE RULE: the handler's own pop never leaves fewer than keep blocks free */
                        reserveok = (LISTLEN >= (keep)); assert(reserveok); reserveok = 0;
                        /* C#: BlockPool.TryTakeMany: for (...) { int next = BlockLink.Next(_links[slot]); _links[slot] = BlockLink.Owned; into[i] = _blocks[slot]; ... }
                               for (...) Acquired(into[i], depth - count);  (link writes folded, see Pop: only we write these
                               links now, and a reader that still sees the free ones has a stale word) */
                        for (hi : 0 .. (k) - 1) {
                            assert(gown[bk[hi]] == 0 && !ghand[bk[hi]] && !gret[bk[hi]]);
                            gown[bk[hi]] = me + 1;
                            blink[bk[hi]] = LHELD
                        };
                        gabl[me] = 0;       /* ghost: the set is the caller's (exception window) */
                        gn = 0; ok = 1; w = 0; tl = 0; dp = 0; i = 0; lst = 0; LinEnd()
                    :: else ->
                        w = word; wstale[me] = 0; ok = 0; tl = 0; i = 0; lst = 0    /* C#: BlockPool.TryTakeMany: word = _word; */
                    fi
                };
                if
                :: ok -> break
                :: else
                fi
            fi
        fi
    od
}

/* C#: BlockPool.Free (Block[] blocks, int count): blocks[i] = FB(i) (dupf: blocks[1] = blocks[0]).
   ok = 0: InvalidOperationException, and every link is as it was. (Not the handler's `ok`: Release clears that.) */
#define FB(x) ((dupf && (x) == 1) -> bk[0] : bk[x])
inline FreeMany(cnt, ok)
{
    i = 0; ok = 1;
    do
    :: i < (cnt) ->
        /* [BulkFree.own] C#: BlockPool.Free: if (Interlocked.CompareExchange(ref _links[blocks[i]._slot], BlockLink.Owned, held) != held) */
        d_step {
            if
            :: blink[FB(i)] == LHELD -> assert(gown[FB(i)] == me + 1); blink[FB(i)] = LOWNED; i++
            :: else -> ok = 0
            fi
        };
        if
        :: !ok -> break
        :: else
        fi
    :: else -> break
    od;
    if
    :: !ok ->
        /* C#: BlockPool.Free: for (int j = 0; j < i; j++) _links[blocks[j]._slot] = held;  throw ... */
        j = 0;
        do
        :: j < i -> blink[FB(j)] = LHELD; j++
        :: else -> break
        od;
        atomic { i = 0; j = 0 }
    :: else ->
        /* C#: BlockPool.Free: for (int i = 0; i < count; i++) ReleaseFreed(blocks[i]._slot); */
        j = 0;
        do
        :: j < (cnt) -> blk = FB(j); Release(blk, 0); j++
        :: else -> break
        od;
        atomic { i = 0; j = 0; blk = 0 }
    fi
}
#endif

/* ---------------------------------------------------------------- BlockPool Alloc and its helpers */
inline PublishWaiting(ok)
{
    /* C#: BlockPool.PublishWaiting: int word = _word; */
    d_step { ReadWord(w) };
    do
    :: TOP(w) != 0 ->
        /* C#: BlockPool.PublishWaiting: if (FreeListWord.Top(word) != 0) return false; */
        ok = 0; w = 0; wstale[me] = 1;
        break
    :: else ->
        /* [Publish.cas] C#: BlockPool.PublishWaiting: if (Interlocked.CompareExchange(ref _word, FreeListWord.WithFlag(word, FreeListWord.WaitersBit, true), word) == word) */
        d_step {
            if
            :: WORD_UNCHANGED(w) ->
                word = WITHFLAG(w, WAITERSBIT);
                WordChanged();
                gpub[me] = 1; gwait[me] = 1; gslp[me] = 1;
                ok = 1; w = 0
            :: else -> w = word; wstale[me] = 0; ok = 0     /* C#: BlockPool.PublishWaiting: word = _word; */
            fi
        };
        if
        :: ok -> break
        :: else
        fi
    od
}

inline Register()
{
    /* C#: WaiterQueue.Register: waiter = null; word = 0;  (the caller's locals, written through its out parameters)
       C#: WaiterQueue.Register: Waiter[] records = _records;  (only written under the lock we hold: folded) */
    /* C#: WaiterQueue.Register: if (Waiter.Phase(records[i]._word) == Waiter.PhaseIdle) { found = records[i]; break; }  (i = 0) */
    d_step {
        hasw = 0;
        nr = nrec;
        if
        :: nr > 0 && rph[0] == IDLE -> r = 0
        :: else -> r = NREC
        fi
    };
    if
    :: r == NREC && nr > 1 ->
        /* C#: WaiterQueue.Register: if (Waiter.Phase(records[i]._word) == Waiter.PhaseIdle)  (i = 1) */
        if
        :: rph[1] == IDLE -> r = 1
        :: else
        fi
    :: else
    fi;
    if
    :: r == NREC ->
        /* [Register.grow] C#: WaiterQueue.Register: _records = grown;  (new Waiter[records.Length == 0 ? 1 : records.Length * 2];
           the new record is the slot after the old ones, Idle) */
        assert(nr < NREC);
        nrec = nr + 1;
        r = nr
    :: else
    fi;
    nr = 0;
    /* [Register.publish] C#: WaiterQueue.Register: found._need = need; found._owner = Thread.CurrentThread; waiter = found; ... Interlocked.Exchange(ref found._word, word);
       (ticket = _nextTicket++. The owner and the caller's local are written before the exchange that makes the record
       Waiting, and folded into it: nobody reads the owner of an Idle record (Abandon reads it only after a non-Idle
       word), and an exception before the exchange leaves the caller a record that is Idle, which Abandon skips, as it
       skips null. A Set left latched by the record's earlier use may still be there: it wakes our first wait once.) */
    d_step {
        assert(rph[r] == IDLE && rhand[r] == 0);
        rph[r] = WAITING; rown[r] = me + 1; hasw = 1;
        grec[me] = r;
        RecordWritten(r);
        if
        :: r == 1 ->
            for (hi : 0 .. NP - 1) {
                if
                :: hold[hi] == 1 -> reg1since[hi] = 1
                :: else
                fi
            }
        :: else
        fi;
        newer1 = (r == 1 && rph[0] == WAITING);
        /* C#: BlockPool.AllocWaiting, the end of its lock (folded into this step, see LOCKS in the header) */
        lk = 0
    }
}

/* [Withdraw.cas] C#: WaiterQueue.Withdraw: return Interlocked.CompareExchange(ref waiter._word, idle, registeredWord) == registeredWord;
   On failure ph is the word it found, the outcome: a claim or Dispose got there first, and only the owner changes the
   word from then on, so the caller's read of waiter._word that follows is folded into this CAS. */
inline Withdraw(ok)
{
    d_step {
        if
        :: rph[r] == WAITING -> rph[r] = IDLE; RecordWritten(r); ok = 1; gpub[me] = 0
        :: else -> ok = 0; ph = rph[r]
        fi
    }
}

/* C#: BlockPool.TakeOutcome (waiter, outcome): the owner takes the outcome ph it read (Claimed or Disposed; only the owner
   changes the word from then on). res = 1: the handed block in blk, Held, the record Idle; res = 3:
   ObjectDisposedException, the record Idle. */
inline TakeOutcome()
{
    if
    :: ph == DISPOSED ->
        /* C#: WaiterQueue.ThrowIfDisposedOutcome: if (Waiter.Phase(outcome) == Waiter.PhaseDisposed) { Recycle(waiter); throw new System.ObjectDisposedException("BlockPool"); }
           C#: WaiterQueue.Recycle: Interlocked.Exchange(ref waiter._word, Waiter.Make(0, Waiter.PhaseIdle)); */
        d_step { assert(rph[r] == DISPOSED); rph[r] = IDLE; RecordWritten(r); gpub[me] = 0; ph = 0; res = 3 }
    :: else ->
#ifndef BUG_TAKE_IDLE_FIRST
        /* [Collect.take] C#: BlockPool.TakeOutcome: Block block = _blocks[Waiter.Slot(outcome)]; Acquired(block, _lowWatch > BlockLink.Bound(0) ? FreeCount : 0);
           (Acquired writes _links[slot] = BlockLink.Held; its reads of _lowWatch and FreeCount only feed the low-water record: not
           modelled. Held first, the record Idle second: until the Recycle below, an exception finds the block in the
           record (Abandon) and gives it back. The slot is the word's: rhand, which only we change now.
           Without exceptions (no ABORT) the Held write is folded into the Recycle: only the block's owner reads its link
           while the block is in transit or held.) */
        d_step {
            /* the word holds an outcome: a record its owner found changed is Claimed or Disposed (an Idle word would
               give _blocks[0], null: NullReferenceException in the C#) */
            outcomeok = (ph == CLAIMED); assert(outcomeok); outcomeok = 0;
            assert(rph[r] == CLAIMED); blk = rhand[r];
            assert(blk != 0 && ghand[blk] && gown[blk] == 0 && blink[blk] == LOWNED);
            ghand[blk] = 0; gown[blk] = me + 1; blink[blk] = LHELD
#if ABORT
        };
#else
            ;
#endif
        /* C#: BlockPool.TakeOutcome: WaiterQueue.Recycle(waiter); return block;
           C#: WaiterQueue.Recycle: Interlocked.Exchange(ref waiter._word, Waiter.Make(0, Waiter.PhaseIdle));
           (from here the block is the caller's: the exception window closes) */
#if ABORT
        d_step {
#endif
            rph[r] = IDLE; rhand[r] = 0; RecordWritten(r); gpub[me] = 0; gabl[me] = 0; ph = 0; res = 1
        }
#else
        /* SEEDED BUG: the record Idle first, the Held mark second: in between, the block is in no record and held by
           nobody (Owned, in the hands of a thread that an exception may end). */
        d_step {
            outcomeok = (ph == CLAIMED); assert(outcomeok); outcomeok = 0;
            assert(rph[r] == CLAIMED); blk = rhand[r];
            rph[r] = IDLE; rhand[r] = 0; RecordWritten(r); gpub[me] = 0;
            ghand[blk] = 0; gown[blk] = me + 1
        };
        d_step { blink[blk] = LHELD; gabl[me] = 0; ph = 0; res = 1 }
#endif
    fi
}

/* C#: BlockPool.AwaitHandOff (waiter, registered, millisecondsTimeout): sleeps until the word holds an outcome or the time
   is up. res = 1 or 3 (TakeOutcome), res = 2 the timeout (null, the record withdrawn). tmo: the wait may time out (a timed
   call; with an allocator, every slice). The thread is at its WaitOne from its registration CAS on (gslp). */
inline AwaitHandOff(tmo)
{
    do
    :: /* [Await.wait] C#: BlockPool.AwaitHandOff: waiter._signal.WaitOne(Deadline.Nap(left), false);
          C#: Deadline.Nap: return left == Timeout.Infinite || left > RecheckMilliseconds ? RecheckMilliseconds : left;
          (a nap: see "Naps" in the header) */
        if
        :: d_step { rsig[r] -> rsig[r] = 0; gslp[me] = 0; sgn = 1 }
        :: tmo -> d_step { gslp[me] = 0; sgn = 0 }   /* the timeout expires (at any moment, even with a Set latched) */
#ifndef BUG_NO_NAP
        :: d_step {
               /* a nap ends, and the word holds an outcome whose wake-up is neither latched nor due: its Set was lost
                  (FREE_ABORT); every other nap's end is folded (see "Naps" in the header) */
               rph[r] != WAITING && !rsig[r] && !gsetp[r] ->
#ifdef REACH_NAP
               assert(rph[r] == WAITING);     /* probe: a nap ends the wait of a thread whose Set was lost */
#endif
               gslp[me] = 0; sgn = 0
           }
#else
        /* SEEDED BUG: the wait is untimed again (WaitOne(left, false)): nothing but a Set ends an untimed wait */
#endif
        fi;
        /* [Await.read] C#: BlockPool.AwaitHandOff: int word = waiter._word; if (word != registered) return TakeOutcome(waiter, word); */
        ph = rph[r];
        if
        :: ph != WAITING -> sgn = 0; TakeOutcome(); break
        :: else -> ph = 0
        fi;
        /* C#: BlockPool.AwaitHandOff: left = Deadline.MillisecondsLeft(deadline); if (left == 0)
           (after a timeout, 0; after a wake that found the record still Waiting, a timed wait may be at its deadline) */
        if
        :: sgn ->
            /* Woken, still Waiting: a Set left over from this record's earlier use. Sleep for the rest. */
            d_step { sgn = 0; gslp[me] = 1 }
        :: tmo ->
            sgn = 0;
            /* [Await.withdraw] C#: BlockPool.AwaitHandOff: if (WaiterQueue.Withdraw(waiter, registered)) return null; */
            Withdraw(ok);
            if
            :: ok -> ok = 0; res = 2; break
            :: else ->
#ifdef BUG_TIMEOUT_IGNORES_CLAIM
                /* SEEDED BUG: return null after a timeout even when a claim won the race (the block stays in the record) */
                ph = 0; res = 2; break
#else
                /* A claim won the race with the timeout: the block is ours, in the word.
                   C#: BlockPool.AwaitHandOff: return TakeOutcome(waiter, waiter._word); */
                TakeOutcome(); break
#endif
            fi
        fi
    od
}

/* C#: WaiterQueue.Abandon (waiter), for record r: sl = the slot of a block already handed to the record, which the caller
   must give back (0: none). The fenced read and the CAS are steps of their own; the CAS's outcome is exact (hold/rstale,
   as in TryHandOff: it fails iff the word was written since the read). */
inline Abandon(sl)
{
    do
    :: /* C#: WaiterQueue.Abandon: int word = Interlocked.CompareExchange(ref waiter._word, 0, 0); if (Waiter.Phase(word) == Waiter.PhaseIdle || waiter._owner != me) return 0;
          (the owner read folded into the fenced word read: Register writes the owner before the exchange that makes
          the record Waiting, so after a non-Idle word the owner names the thread that registered it; and a
          registration of ours, once non-Idle, is changed only by a claim or Dispose, or by us) */
        d_step {
            if
#ifndef BUG_ABANDON_NO_OWNER
            :: rph[r] == IDLE || rown[r] != me + 1 ->
#ifdef REACH_ABANDON_FOREIGN
                assert(rph[r] == IDLE);     /* probe: the record was reused by another thread, which now waits on it */
#endif
                ph = IDLE
#else
            :: rph[r] == IDLE -> ph = IDLE       /* SEEDED BUG: no owner check: a record another thread reused counts as ours */
#endif
            :: else -> ph = rph[r]; hold[me] = r + 1; rstale[me] = 0
            fi
        };
        if
        :: ph == IDLE -> sl = 0; break
        :: else
        fi;
        /* [Abandon.cas] C#: WaiterQueue.Abandon: if (Interlocked.CompareExchange(ref waiter._word, Waiter.Make(0, Waiter.PhaseIdle), word) == word) return Waiter.Phase(word) == Waiter.PhaseClaimed ? Waiter.Slot(word) : 0;
           (Waiting: withdrawn; Claimed: the handed block taken back out; Disposed: recycled. A claim or Dispose racing
           us changes the word: the CAS fails and the next lap settles the new outcome) */
        d_step {
            if
            :: !rstale[me] ->
                assert(rph[r] == ph);
                sl = (ph == CLAIMED -> rhand[r] : 0);
#ifdef REACH_ABANDON_HANDED
                assert(!(sl != 0 && blink[sl] == LOWNED));  /* probe: a block handed over, not yet taken, goes back */
#endif
#ifdef REACH_ABANDON_TAKEN
                assert(!(sl != 0 && blink[sl] == LHELD));   /* probe: a block already marked Held goes back (a free) */
#endif
                rph[r] = IDLE; rhand[r] = 0; RecordWritten(r);
                gpub[me] = 0;
                /* ghost: a block still in the hand-off (not yet marked Held) is ours now, in transit */
                if
                :: sl != 0 && ghand[sl] -> ghand[sl] = 0; gown[sl] = me + 1
                :: else
                fi;
                ok = 1
            :: else -> ok = 0
            fi;
            ph = 0; hold[me] = 0; rstale[me] = 0
        };
        if
        :: ok -> ok = 0; break
        :: else
        fi
    od
}

/* C#: BlockPool.GiveBackHanded (slot): the block Abandon took back out of the record goes home, or to the next waiter. */
inline GiveBackHanded(sl)
{
    if
    :: sl != 0 ->
        /* C#: BlockPool.GiveBackHanded: if (BlockLink.IsHeld(_links[slot])) { _links[slot] = BlockLink.Owned; ReleaseFreed(slot); } else { Release(slot); }
           (the link is ours alone, Held (taken: the free is counted) or Owned (still in transit); its read, and the
           Owned write, folded into Release's first step as Free's ownership CAS is; ReleaseFreed counts the use and
           calls Release) */
        blk = sl; sl = 0;
        Release(blk, (blink[blk] == LHELD));
        blk = 0
    :: else
    fi
}

/* C#: BlockPool.AllocWaiting: finally { if (waiter != null) GiveBackHanded(WaiterQueue.Abandon(waiter)); }  res = RESEXC: the
   thread leaves by the exception. On a normal exit the record this thread registered last is Idle by its own hand
   (withdrawn or recycled), or another thread's since, and the C# sets waiter to null before it returns, so the finally
   does nothing (the premise is asserted at the exit: OUTCOMEOK; run there, Abandon would only read and return 0). The
   seeded bugs that break the premise, or Abandon, run it on every exit. */
#define OUTCOMEOK outcomeok = (res == RESEXC || !hasw || rph[r] == IDLE || rown[r] != me + 1); assert(outcomeok); outcomeok = 0
inline AllocFinally()
{
#if defined(BUG_TIMEOUT_IGNORES_CLAIM) || defined(BUG_ABANDON_NO_OWNER)
    d_step { OUTCOMEOK };
    if
    :: hasw -> AllocAbandon()
    :: else
    fi
#else
    if
    :: res == RESEXC && hasw -> AllocAbandon()
    :: else
    fi
#endif
}

inline AllocAbandon()
{
#ifndef BUG_NO_ABANDON
    /* [Abandon.settle] C#: BlockPool.AllocWaiting: if (waiter != null) GiveBackHanded(WaiterQueue.Abandon(waiter)); */
    Abandon(sl);
    GiveBackHanded(sl)
#else
    skip        /* SEEDED BUG: the finally does nothing */
#endif
}

/* An exception (ThreadAbortException, ThreadInterruptedException, any other) delivered to this thread at its next step:
   the escape of an unless, which Promela takes in preference to the thread's own next step. The thread leaves its try
   from wherever it was: a lock it holds is released (the lock statement's own finally), and if it was in its WaitOne
   the exception may take a latched Set with it (nanoCLR consumes the signal when it makes the thread ready, and the
   abort replaces WaitOne's return). res = RESEXC. */
#ifdef REACH_ABORT_SET
#define REACHSET(x) assert(!(x))     /* probe: the exception takes a latched Set with it */
#else
#define REACHSET(x) skip
#endif
#ifdef REACH_ABORT_RAISE
#define REACHRAISE ; assert(!graise[me])    /* probe: the exception lands inside RaiseAlert, before its CAS */
#else
#define REACHRAISE
#endif
#define EXCEPTION(sleeping, sig, more) \
    atomic { \
        gexc[me] -> gexc[me] = 0; gabl[me] = 0; \
        if \
        :: lk == me + 1 -> lk = 0 \
        :: else \
        fi; \
        if \
        :: (sleeping) && (sig) -> sig = 0; REACHSET(sleeping) \
        :: true \
        fi; \
        sleeping = 0; res = RESEXC; \
        ok = 0; sgn = 0; dis = 0; ph = 0; w = 0; tl = 0; dp = 0; fa = 0; rr = 0; nr = 0; tgt = 0; wstale[me] = 1 more \
    }

/* Alloc(timeout): res = 1 block in blk, res = 2 timeout (null), res = 3 ObjectDisposedException, res = RESEXC the thread
   left by an exception (ABORT) and ends. */
inline Alloc()
{
#if UNTIMED
    atomic {
        galloc[me] = 1;
        if
        :: timed = 1
        :: timed = 0     /* Timeout.Infinite */
        fi
    };
#else
    galloc[me] = 1; timed = 1;
#endif
    /* C#: BlockPool.Alloc: ThrowIfDisposed();  (a read of a constant 0 without a Disposer) */
#if NDISPOSER
    if
    :: disposed -> res = 3
    :: else ->
#else
    if
    :: true ->
#endif
        /* C#: BlockPool.Alloc: block = TakeFree(); if (block != null) return block;  (TakeFree: Pop(0, ...), Acquired) */
        Pop(blk, ok, 0, 1);
        if
        :: ok -> res = 1
        :: else ->
            /* C#: BlockPool.Alloc: return AllocWaiting(millisecondsTimeout);
               C#: BlockPool.AllocWaiting: Waiter waiter = null; int registered = 0; try {  (the exception window opens) */
#if ABORT == 1
            d_step { hasw = 0; gabl[me] = (me == ABT) };
            {
#endif
            do
            :: /* C#: BlockPool.AllocWaiting: lock (_waiters) { ThrowIfDisposed();  (folded, see LOCKS in the header) */
                d_step { lk == 0 -> lk = me + 1; gretry[me] = 0; dis = disposed };
                if
                :: dis -> d_step { lk = 0; dis = 0; res = 3 }; break
                :: else
                fi;
                /* C#: BlockPool.AllocWaiting: _waiters.Register(1, out waiter, out registered); */
                Register();
                /* (the lock is released in Register's last step, see LOCKS in the header) */
                /* C#: BlockPool.AllocWaiting: if (PublishWaiting()) { int slice = WaitSlice(remaining); block = AwaitHandOff(waiter, registered, slice); if (block != null) { waiter = null; return block; } if (slice == remaining) { ... waiter = null; return null; } }
                   (without an allocator the slice is the whole timeout) */
                PublishWaiting(ok);
                if
                :: ok -> ok = 0; AwaitHandOff(timed); break
                :: else ->
                    /* C#: BlockPool.AllocWaiting: if (!WaiterQueue.Withdraw(waiter, registered)) { block = TakeOutcome(waiter, waiter._word); waiter = null; return block; } */
                    Withdraw(ok);
                    if
                    :: !ok -> TakeOutcome(); break
                    :: else -> ok = 0
                    fi;
                    /* C#: BlockPool.AllocWaiting: block = TakeFree(); if (block != null) { waiter = null; return block; }  (a successful pop closes the
                       exception window: the block is the caller's) */
                    Pop(blk, ok, 0, 1);
                    if
                    :: ok -> res = 1; break
                    :: else
                    fi;
                    /* a handler took that block first: register again, unless the deadline has passed
                       C#: BlockPool.AllocWaiting: remaining = Deadline.MillisecondsLeft(deadline); if (remaining == 0) ... return null; */
                    if
                    :: timed -> res = 2; break
                    :: true -> gretry[me] = 1
                    fi
                fi
            od
#if ABORT == 1
            } unless { EXCEPTION(gslp[me], rsig[r], ) }
#endif
            ;
            /* C#: BlockPool.AllocWaiting: finally { ... } */
            AllocFinally()
        fi
    fi;
    atomic {
#if !defined(BUG_TIMEOUT_IGNORES_CLAIM) && !defined(BUG_ABANDON_NO_OWNER)
        OUTCOMEOK;      /* the premise of the folded Abandon on a normal exit (see AllocFinally) */
#endif
        ok = 0; r = 0; timed = 0; fa = 0; hasw = 0;
        gpub[me] = 0; gwait[me] = 0; gslp[me] = 0; grec[me] = 0; gretry[me] = 0;
        ggone[me] = (res == RESEXC);     /* an aborted thread ends here (the caller stops) */
        GONEOK;
        galloc[me] = 0
    }
}

/* ---------------------------------------------------------------- BlockPool Alloc(Block[], count, timeout) */
#if BULKWAIT > 0
#ifdef BUG_BULK_HOLD_AND_WAIT
#define BNEED(k) ((k) - bh)   /* the seeded bug waits for the blocks it still lacks */
/* SEEDED BUG (hold and wait): take single blocks until the set is complete or none is free, and keep them. */
inline TakeWhatYouCan(k, ok)
{
    do
    :: bh < (k) ->
        Pop(blk, ok, 0, 1);
        if
        :: ok -> d_step { bk[bh] = blk; bh++; blk = 0; fa = 0 }
        :: else -> break
        fi
    :: else -> break
    od;
    ok = (bh == (k))
}
#else
#define BNEED(k) (k)
#endif

/* WaiterQueue Register(need, out word) on the bulk queue (the caller holds the thread lock; its last step
   releases it, see LOCKS in the header). */
inline BRegister(need)
{
    /* C#: BlockPool.Alloc: if (_bulkQueue == null) _bulkQueue = new WaiterQueue();  (under the lock;
       folded into Register's first read: a freer that reads the new, empty queue before our publish below finds no
       Waiting record in it, exactly as if it had read null)
       C#: WaiterQueue.Register: waiter = null; word = 0;  (the caller's locals)
       C#: WaiterQueue.Register: Waiter[] records = _records;  (only lock holders write it: folded)
       C#: WaiterQueue.Register: if (Waiter.Phase(records[i]._word) == Waiter.PhaseIdle) { found = records[i]; break; }  (i = 0) */
    d_step {
        hasw = 0;
        nr = bnrec;
        if
        :: nr > 0 && bph[0] == IDLE -> r = 0
        :: else -> r = NREC
        fi
    };
    if
    :: r == NREC && nr > 1 ->
        /* C#: WaiterQueue.Register: if (Waiter.Phase(records[i]._word) == Waiter.PhaseIdle)  (i = 1) */
        if
        :: bph[1] == IDLE -> r = 1
        :: else
        fi
    :: else
    fi;
    if
    :: r == NREC ->
        /* [Register.grow] C#: WaiterQueue.Register: _records = grown;  (the bulk queue's; the new record is slot nr) */
        assert(nr < NREC);
        bnrec = nr + 1;
        r = nr
    :: else
    fi;
    /* [Register.publish] C#: WaiterQueue.Register: found._need = need; found._owner = Thread.CurrentThread; waiter = found; ... Interlocked.Exchange(ref found._word, word);
       (_need is read only by scanners that read the word Waiting, the owner only by Abandon after a non-Idle word:
       both written with the publish, as in Register above)
       C#: BlockPool.Alloc, the end of its lock (folded, see LOCKS in the header) */
    d_step {
        assert(bph[r] == IDLE);
        bneed[r] = (need);
        bph[r] = WAITING; bown[r] = me + 1; hasw = 1;
        BRecordWritten(r);
        gbrec[me] = r;
        nr = 0;
        lk = 0
    }
}

/* C#: WaiterQueue.Abandon (waiter) for bulk record r (Abandon above, on the bulk queue: a claim there hands nothing). */
inline BAbandon()
{
    do
    :: /* C#: WaiterQueue.Abandon: int word = Interlocked.CompareExchange(ref waiter._word, 0, 0); if (Waiter.Phase(word) == Waiter.PhaseIdle || waiter._owner != me) return 0;
          (the owner read folded, as in Abandon) */
        d_step {
            if
#ifndef BUG_ABANDON_NO_OWNER
            :: bph[r] == IDLE || bown[r] != me + 1 ->
#ifdef REACH_ABANDON_FOREIGN
                assert(bph[r] == IDLE);     /* probe: the record was reused by another bulk caller, which now waits on it */
#endif
                ph = IDLE
#else
            :: bph[r] == IDLE -> ph = IDLE       /* SEEDED BUG: no owner check */
#endif
            :: else -> ph = bph[r]; bsc[me] = r + 1; bstale[me] = 0
            fi
        };
        if
        :: ph == IDLE -> break
        :: else
        fi;
        /* [Abandon.cas] C#: WaiterQueue.Abandon: if (Interlocked.CompareExchange(ref waiter._word, Waiter.Make(0, Waiter.PhaseIdle), word) == word) return ...;
           (exact: it fails iff the word was written since the read, bsc/bstale as in WakeBulk) */
        d_step {
            if
            :: !bstale[me] ->
                assert(bph[r] == ph);
#ifdef REACH_ABANDON_CLAIMED
                assert(ph != CLAIMED);      /* probe: the exception came after a freer's claim (the wake is settled) */
#endif
                bph[r] = IDLE; bsc[me] = 0; BRecordWritten(r); ok = 1
            :: else -> ok = 0
            fi;
            ph = 0; bsc[me] = 0; bstale[me] = 0
        };
        if
        :: ok -> ok = 0; break
        :: else
        fi
    od
}

#define BOUTCOMEOK outcomeok = (res == RESEXC || !hasw || bph[r] == IDLE || bown[r] != me + 1); assert(outcomeok); outcomeok = 0
inline BulkFinally()
{
#if defined(BUG_ABANDON_NO_OWNER)
    d_step { BOUTCOMEOK };
    if
    :: hasw -> BAbandon()
    :: else
    fi
#elif defined(BUG_NO_ABANDON)
    skip        /* SEEDED BUG: the finally settles nothing */
#else
    if
    :: res == RESEXC && hasw -> BAbandon()
    :: else
    fi
#endif
}

/* Blocking Alloc(into, k, timeout): res = 1 the whole set in bk[0 .. k-1], 2 timeout (false, nothing taken),
   3 ObjectDisposedException, 4 InvalidOperationException (a Resize shrank the target below k during the wait),
   5 ArgumentOutOfRangeException (the target was below k at the call). */
inline BulkAllocWait(k)
{
    atomic {
        gbin[me] = 1;
#ifdef BUG_BULK_HOLD_AND_WAIT
        timed = 0          /* the hold-and-wait variant is checked untimed (a timeout would have to give back) */
#elif BWTIMED == 0
        timed = 0          /* Timeout.Infinite */
#elif BWTIMED == 1
        timed = 1
#else
        if
        :: timed = 1
        :: timed = 0       /* Timeout.Infinite */
        fi
#endif
    };
    /* C#: BlockPool.Alloc: ThrowIfDisposed(); if (count > ReserveSize) throw new ArgumentOutOfRangeException(...);
       (ReserveSize = PoolSizes.Target(_sizes) without an allocator; reads of constants without a Disposer or a Resizer) */
#if NDISPOSER
    if
    :: disposed -> res = 3
    :: else
    fi;
#endif
#if NRESIZER
    if
    :: res == 0 && target < (k) -> res = 5
    :: else
    fi;
#endif
    if
    :: res != 0 -> skip
    :: else ->
        /* C#: BlockPool.Alloc: if (... || TryTakeMany(into, count, 0)) return true; */
#ifdef BUG_BULK_HOLD_AND_WAIT
        TakeWhatYouCan(k, ok);
#else
        TryAllocBulk(k, 0, ok);
#endif
        if
        :: ok -> res = 1
        :: else ->
            /* [BulkWait.inc] C#: BlockPool.Alloc: Interlocked.Increment(ref _bulkWaiting);
               C#: BlockPool.Alloc: Waiter waiter = null; int registered = 0; try {  (the exception window opens: the
               increment's own return and the two local stores before the try are folded into it) */
            d_step {
                bulkWaiting++; galw++; gbcnt[me] = 1; graise[me] = 1; hasw = 0
#if ABORT == 2
                ; gabl[me] = (me == ABT)
#endif
            };
#if ABORT == 2 && defined(BUG_RAISE_OUTSIDE_TRY)
            /* SEEDED BUG (the code before the fix): RaiseAlert before the try: an exception in its read-and-CAS loop
               leaves without the finally, counted in _bulkWaiting for good */
            { RaiseAlert() } unless { EXCEPTION(gbsleep[me], bsig[r], ; wa = 0; aok = 0) };
            if
            :: res == RESEXC -> skip
            :: else ->
#endif
#if ABORT == 2
            {
#endif
#ifdef BUG_BULK_NO_ALERT
            d_step { galw--; graise[me] = 0 };         /* SEEDED BUG: no RaiseAlert */
#elif !(ABORT == 2 && defined(BUG_RAISE_OUTSIDE_TRY))
            /* C#: BlockPool.Alloc: try { RaiseAlert();  (inside the try: an exception in its loop leaves
               through the finally, which takes the count back) */
            RaiseAlert();
#endif
            do
            :: /* C#: BlockPool.Alloc: lock (_waiters) { ThrowIfDisposed(); if (count > ReserveSize) throw ...;
                  (the two reads made under the lock, folded into its acquisition: see LOCKS in the header) */
                d_step { lk == 0 -> lk = me + 1; dis = disposed; tgt = target };
                if
                :: dis -> d_step { lk = 0; dis = 0; tgt = 0; res = 3 }; break
                :: tgt < (k) ->
#ifdef REACH_BULK_SHRUNK
                    assert(tgt >= (k));     /* probe: a Resize shrank the pool below the set during the wait */
#endif
                    d_step { lk = 0; tgt = 0; res = 4 }; break
                :: else -> tgt = 0
                fi;
                /* C#: BlockPool.Alloc: _bulkQueue.Register(count, out waiter, out registered); */
                BRegister(BNEED(k));
                /* ---- BlockPool AwaitBulkWake ---- */
#ifdef BUG_BULK_NO_RECHECK
                /* SEEDED BUG: sleep right after registering, without re-reading the free count. */
                gbsleep[me] = 1;
#else
                /* [BulkWait.recheck] C#: BlockPool.AwaitBulkWake: if (FreeCount < count) waiter._signal.WaitOne(Deadline.Nap(millisecondsTimeout), false);
                   C#: BlockPool.FreeCount: int word = _word; */
                d_step { ReadWord(fw) };
                do
                :: /* C#: BlockPool.FreeCount: int link = _links[FreeListWord.Top(word)]; */
                    d_step { tl = blink[TOP(fw)] };
                    /* C#: BlockPool.FreeCount: if (WordUnchanged(ref word)) return BlockLink.Depth(link);  (WordUnchanged: a read, see Refuse)
                       (equal words: no CAS since the first read, with the tag; see the header) */
                    d_step {
                        if
                        :: WORD_UNCHANGED(fw) -> gbsleep[me] = (LDEPTH(tl) < BNEED(k)); fw = 0; tl = 0; wstale[me] = 1; ok = 1
                        :: else -> ReadWord(fw); ok = 0
                        fi
                    };
                    if
                    :: ok -> ok = 0; break
                    :: else
                    fi
                od;
#endif
                if
                :: gbsleep[me] ->
                    /* C#: BlockPool.AwaitBulkWake: waiter._signal.WaitOne(Deadline.Nap(millisecondsTimeout), false);  (a nap: see
                       "Naps" in the header) */
                    if
                    :: d_step {
                           bsig[r] ->
#ifdef REACH_BULK_WOKEN
                           assert(bph[r] != CLAIMED);   /* probe: a sleeping bulk waiter is woken by a freer's claim and Set */
#endif
                           bsig[r] = 0; gbsleep[me] = 0
                       }
                    :: timed -> gbsleep[me] = 0      /* the timeout expires (at any moment, even with a Set latched) */
#ifndef BUG_NO_NAP
                    :: d_step {
                           /* a nap ends, and the record holds an outcome whose wake-up is neither latched nor due: its Set
                              was lost (FREE_ABORT); every other nap's end is folded (see "Naps" in the header) */
                           bph[r] != WAITING && !bsig[r] && !gbsetp[r] ->
#ifdef REACH_NAP
                           assert(bph[r] == WAITING);     /* probe: a nap ends the wait of a bulk waiter whose Set was lost */
#endif
                           gbsleep[me] = 0
                       }
#else
                    /* SEEDED BUG: the wait is untimed again: nothing but a Set ends an untimed wait */
#endif
                    fi
                :: else
                fi;
                /* Whatever woke us (a claim, Dispose, the timeout, a Set left over from the record's earlier use), the word is
                   the outcome:
                   [BulkWait.collect] [Withdraw.cas] C#: BlockPool.AwaitBulkWake: if (!WaiterQueue.Withdraw(waiter, registered)) { WaiterQueue.ThrowIfDisposedOutcome(waiter, waiter._word); WaiterQueue.Recycle(waiter); }
                   C#: WaiterQueue.ThrowIfDisposedOutcome: if (Waiter.Phase(outcome) == Waiter.PhaseDisposed) { Recycle(waiter); throw new System.ObjectDisposedException("BlockPool"); }
                   C#: WaiterQueue.Recycle: Interlocked.Exchange(ref waiter._word, Waiter.Make(0, Waiter.PhaseIdle));
                   (one step: a failed withdraw changes nothing, and the outcome it found (Claimed or Disposed) only the owner
                   changes, so the CAS, and the read of waiter._word after it, can move up to the Recycle; an exception in
                   between would leave the record to Abandon, whose CAS writes the same Idle word) */
                d_step {
                    if
                    :: bph[r] == WAITING -> bph[r] = IDLE
                    :: else -> assert(bph[r] == CLAIMED || bph[r] == DISPOSED); dis = (bph[r] == DISPOSED); bph[r] = IDLE
                    fi;
                    BRecordWritten(r)
                };
                if
                :: dis ->
#ifdef REACH_BULK_DISPOSED
                    assert(!dis);       /* probe: Dispose woke a sleeping bulk waiter */
#endif
                    d_step { dis = 0; res = 3 }; break     /* C#: WaiterQueue.ThrowIfDisposedOutcome: throw new System.ObjectDisposedException("BlockPool"); */
                :: else
                fi;
                /* C#: BlockPool.Alloc: if (TryTakeMany(into, count, 0) || ...) { if (count <= ReserveSize) return true; ... } */
#ifdef BUG_BULK_HOLD_AND_WAIT
                TakeWhatYouCan(k, ok);
#else
                TryAllocBulk(k, 0, ok);
#endif
                if
                :: ok ->
                    ok = 0;
#if NRESIZER
                    /* [BulkWait.fits] C#: BlockPool.Alloc: if (count <= ReserveSize) return true;  (ReserveSize: the
                       target half of _sizes, a read; while we waited nothing was retired (SettleSurplus), so a set taken
                       after a shrink below it is given back) */
                    if
                    :: (k) <= target -> res = 1
                    :: else ->
                        /* C#: BlockPool.GiveBackSet: for (...) { ... into[i] = null; _links[slot] = BlockLink.Owned;
                           Release(slot); }  (the Owned write folded into Release's first step, as Free's ownership CAS:
                           only the holder touches a held block's link, and Held and Owned read alike to everyone else)
                           then: throw new InvalidOperationException(...) */
                        gbaside[me] = 1;
#ifdef REACH_BULK_GIVEBACK
                        assert(!gbaside[me]);      /* probe: a set taken after a shrink below it is given back */
#endif
                        j = 0;
                        do
                        :: j < (k) -> blk = bk[j]; bk[j] = 0; Release(blk, 1); j++
                        :: else -> break
                        od;
                        atomic { j = 0; blk = 0; gbaside[me] = 0; res = 4 }
                    fi;
#else
                    /* C#: BlockPool.Alloc: if (count <= ReserveSize) return true;  (a constant without a Resizer: always) */
                    res = 1;
#endif
                    break
                :: else
                fi;
                /* C#: BlockPool.Alloc: remaining = Deadline.MillisecondsLeft(deadline); if (remaining == 0) ... return false; */
                if
                :: timed -> res = 2; break
                :: true
                fi
            od
#if ABORT == 2
            } unless { EXCEPTION(gbsleep[me], bsig[r], ; fw = 0; i = 0; lst = 0; torn = 0; bk[0] = 0; bk[1] = 0; bk[2] = 0; wa = 0; aok = 0 REACHRAISE) }
#endif
            ;
            /* C#: BlockPool.Alloc: finally { if (waiter != null) WaiterQueue.Abandon(waiter); ...  (a bulk claim hands no
               block: nothing to give back; on a normal exit the record is Idle already, or another thread's: folded, as in
               AllocFinally) */
            BulkFinally();
            /* [BulkWait.dec] C#: BlockPool.Alloc: finally { ...; Interlocked.Decrement(ref _bulkWaiting); ... */
#if NRESIZER && !defined(BUG_BULK_NO_SETTLE)
            /* (from here to the end of SettleSurplus the caller counts in grel: it settles the surplus it let wait;
               atomic, not d_step: the loop's breaks jump here) */
            atomic {
                bulkWaiting--; gbcnt[me] = 0; gbaside[me] = 1;
                galw = galw - graise[me]; graise[me] = 0;     /* an exception before the raise: the condition ends here */
#ifdef BDEMAND
                for (hi : 0 .. NP - 1) {
                    gbdm[hi] = gbdm[hi] & (255 - (me == BW0 -> 1 : 2))
                };
#endif
                grel = grel + 1 - inrel; inrel = 1
            };
            /* C#: BlockPool.Alloc: finally { ...; SettleSurplus(); ... } */
            ReleaseOrRetire(blk, 0, 2);
#else
            /* C#: BlockPool.Alloc: finally { ...; SettleSurplus(); ... }  (without a Resize it decides nothing:
               folded, see SettleSurplus; BUG_BULK_NO_SETTLE: SEEDED BUG, the last bulk caller to leave does not settle the
               surplus that waited for it) */
            atomic {
                bulkWaiting--; gbcnt[me] = 0;
                galw = galw - graise[me]; graise[me] = 0     /* an exception before the raise: the condition ends here */
#ifdef BDEMAND
                ; for (hi : 0 .. NP - 1) {
                    gbdm[hi] = gbdm[hi] & (255 - (me == BW0 -> 1 : 2))
                }
#endif
            };
#endif
            /* C#: BlockPool.Alloc: finally { ...; ClearAlertIfIdle(); } */
            ClearAlertIfIdle()
#if ABORT == 2 && defined(BUG_RAISE_OUTSIDE_TRY)
            fi
#endif
        fi
    fi;
    atomic {
#if !defined(BUG_ABANDON_NO_OWNER)
        BOUTCOMEOK;     /* the premise of the folded Abandon on a normal exit (see BulkFinally) */
#endif
        ok = 0; r = 0; timed = 0; hasw = 0; gbsleep[me] = 0; gbrec[me] = 0; gbaside[me] = 0; gbin[me] = 0;
        ggone[me] = (res == RESEXC);     /* an aborted thread ends here (the caller stops) */
        GONEOK
    }
}
#endif

/* ---------------------------------------------------------------- BlockPool Resize */
inline ReviveOrCreateBlock(blk)
{
    blk = 0;
    i = 1;
    do
    :: i <= slotCount ->
        /* C#: BlockPool.ReviveOrCreateBlock: if (_links[slot] == BlockLink.Retired) { block = _blocks[slot]; ... break; } */
        if
        :: blink[i] == LRETIRED ->
            /* C#: BlockPool.ReviveOrCreateBlock: _links[block._slot] = BlockLink.Owned; ... return block;  (one step with the
               read: only the lock holder writes a Retired link) */
            d_step { blink[i] = LOWNED; assert(gret[i] && gpend); gret[i] = 0; gpend = 0; gown[i] = me + 1; blk = i };
            break
        :: else -> i++
        fi
    :: else -> break
    od;
    if
    :: blk == 0 ->
        /* C#: BlockPool.ReviveOrCreateBlock: if (_slotCount == _maxCapacity) return null;
           int slot = _slotCount + 1; block = new Block(this, slot, ...); _blocks[slot] = block; _slotCount = slot;
           _links[block._slot] = BlockLink.Owned;  (one step: _slotCount and a slot beyond it are written only under the
           thread lock, which we hold) */
        d_step {
            if
            :: slotCount < MAXCAP ->
                slotCount++; blk = slotCount; blink[blk] = LOWNED;
                assert(gpend); gpend = 0; gown[blk] = me + 1
            :: else     /* null */
            fi
        }
    :: else
    fi;
    i = 0
}

inline Resize(newCap)
{
    /* C#: BlockPool.Resize: ThrowIfDisposed(); lock (_waiters) { ThrowIfDisposed(); */
    d_step { lk == 0 -> lk = me + 1; ginresize = 1; dis = disposed };
#if NDISPOSER
    /* [Resize.floor] C#: BlockPool.Resize: int floor = _tryFloor; if (floor == RefuseEveryTry) throw new ObjectDisposedException("BlockPool");
       if (newCapacity <= reserve || ...) throw new ArgumentOutOfRangeException(...);
       (_tryFloor is int.MaxValue once a Dispose that began after our ThrowIfDisposed got that far; the model's
       capacities are in range, so ArgumentOutOfRangeException must never come: resizeok) */
    if
    :: !dis ->
        d_step {
            if
#ifndef BUG_RESIZE_FLOOR_UNCHECKED
            :: tryFloor == 255 -> dis = 1    /* ObjectDisposedException */
#endif
            :: else -> resizeok = (tryFloor < (newCap)); assert(resizeok); resizeok = 0
            fi
        }
    :: else
    fi;
#endif
    if
    :: dis -> dis = 0
    :: else ->
        /* [Resize.target] C#: BlockPool.Resize: Interlocked.CompareExchange(ref _sizes, PoolSizes.Make(newCapacity, PoolSizes.Capacity(sizes)), sizes);  (a CAS loop)
           (one step: only Resize writes the target, under the lock; the loop retries until its CAS lands)
           ghost: a surplus made here must be raised (I9) */
        d_step { target = newCap; gs = (capacity > newCap); galw = galw + gs };
#ifndef BUG_RAISE_LATE
        /* C#: BlockPool.Resize: if (PoolSizes.HasSurplus(_sizes)) RaiseAlert(); */
        d_step { cap = capacity; tgt = target };
        if
        :: cap > tgt -> cap = 0; tgt = 0; RaiseAlert()
        :: else -> d_step { cap = 0; tgt = 0; galw = galw - gs }
        fi;
        gs = 0;
#endif
#if BULKWAIT > 0
        /* C#: BlockPool.Resize: if (_bulkWaiting != 0) WakeBulkWaiters(EveryBulkWaiter); */
        if
        :: bulkWaiting != 0 -> WakeBulk(255)
        :: else
        fi;
#endif
        do
        :: /* C#: BlockPool.Resize: sizes = _sizes; int capacity = PoolSizes.Capacity(sizes); if (capacity >= newCapacity) break; */
            cap = capacity;
            if
            :: cap >= newCap -> cap = 0; break
            :: else ->
                /* [Resize.grow] C#: BlockPool.Resize: if (Interlocked.CompareExchange(ref _sizes, PoolSizes.Make(newCapacity, capacity + 1), sizes) == sizes) */
                d_step {
                    if
                    :: capacity == cap -> capacity = cap + 1; gpend = 1; ok = 1
                    :: else -> ok = 0
                    fi;
                    cap = 0
                };
                if
                :: ok ->
                    /* [Resize.revive] C#: BlockPool.Resize: while ((block = ReviveOrCreateBlock(null)) == null) Thread.Sleep(0); */
                    do
                    :: ReviveOrCreateBlock(blk);
                        if
                        :: blk != 0 -> break
                        :: else ->
                            /* Every slot up to MaxCapacity is in use: a retirer has made its capacity CAS (TryRetire) and
                               not yet its Retired mark. Thread.Sleep(0), then scan again: a scan that finds no Retired
                               slot reads only, so the model waits for one (were the mark never to come, the resizer would
                               wait forever: an invalid end state). */
#ifdef BUG_GROW_NO_YIELD
                            /* SEEDED BUG: Release(ReviveOrCreateBlock(null)._slot): NullReferenceException */
                            grownonnull = 0; assert(grownonnull);
#endif
                            (blink[1] == LRETIRED || blink[2] == LRETIRED || blink[3] == LRETIRED || blink[4] == LRETIRED)
                        fi
                    od;
                    /* C#: BlockPool.Resize: Release(block._slot); */
                    Release(blk, 0);
                    blk = 0
                :: else
                fi
            fi
        od;
        /* C#: BlockPool.Resize: SettleSurplus(); */
        ReleaseOrRetire(blk, 0, 2);
        blk = 0;
#ifdef BUG_RAISE_LATE
        /* SEEDED BUG: the alert is raised only after the retire loop */
        d_step { cap = capacity; tgt = target };
        if
        :: cap > tgt -> cap = 0; tgt = 0; RaiseAlert()
        :: else -> d_step { cap = 0; tgt = 0; galw = galw - gs }
        fi;
        gs = 0;
#endif
        /* C#: BlockPool.Resize: ClearAlertIfIdle(); */
        ClearAlertIfIdle()
    fi;
    /* C#: BlockPool.Resize (the lock released) */
    atomic { lk = 0; ginresize = 0 }
}
/* ---------------------------------------------------------------- backing allocator: Alloc, Resize (BlockPool, BlockPool) */
#if BACKING
/* C#: BlockPool.TakeFromAllocator -> NewBlockFromAllocator (AllocateBuffer, then the slot under the lock), Acquired.
   res = 1: a block (in blk); res = 3: ObjectDisposedException (NewBlockFromAllocator found the pool disposed); res = 0: none. */
inline TakeFromAllocator()
{
    AllocateBuffer(ok);
    if
    :: ok ->
        ok = 0;
        /* C#: BlockPool.NewBlockFromAllocator: lock (_waiters) { if (_disposed != 0) { GiveBack(buffer); throw ... } */
        d_step { lk == 0 -> lk = me + 1; dis = disposed };
        if
        :: dis ->
            /* C#: BlockPool.NewBlockFromAllocator: GiveBack(buffer); throw new ObjectDisposedException("BlockPool");  (the lock is released) */
            d_step { aout--; gbufs--; lk = 0; dis = 0; res = 3 }
        :: else ->
            AdoptBlock(blk);
            /* C#: BlockPool.NewBlockFromAllocator (the lock released) */
            lk = 0;
            /* C#: BlockPool.TakeFromAllocator: _links[block._slot] = BlockLink.Held; OnAllocatedSlow(block, FreeCount);  (FreeCount
               only feeds the low-water record: not modelled) */
            d_step { assert(gown[blk] == me + 1); blink[blk] = LHELD };
            res = 1
        fi
    :: else -> res = 0
    fi
}

/* C#: BlockPool.Alloc with a backing allocator (the model's Alloc above is the same method
   without one). res = 1 block in blk, res = 2 timeout (null), res = 3 ObjectDisposedException. */
inline AllocBacking()
{
#if UNTIMED
    atomic {
        galloc[me] = 1;
        if
        :: timed = 1
        :: timed = 0     /* Timeout.Infinite */
        fi
    };
#else
    galloc[me] = 1; timed = 1;
#endif
    /* C#: BlockPool.Alloc: ThrowIfDisposed();  (a read of a constant 0 without a Disposer) */
#if NDISPOSER
    if
    :: disposed -> res = 3
    :: else ->
#else
    if
    :: true ->
#endif
        /* C#: BlockPool.Alloc: Block block = _allocator != null ? TakeFromAllocator() : null; if (block != null) return block; */
        TakeFromAllocator();
        if
        :: res != 0 -> skip
        :: else ->
            /* C#: BlockPool.Alloc: block = TakeFree(); if (block != null) return block; */
            Pop(blk, ok, 0, 1);
            if
            :: ok -> res = 1
            :: else ->
                do
                :: /* C#: BlockPool.Alloc: lock (_waiters) { ThrowIfDisposed();  (folded, see LOCKS in the header) */
                    d_step { lk == 0 -> lk = me + 1; gretry[me] = 0; dis = disposed };
                    if
                    :: dis -> d_step { lk = 0; dis = 0; res = 3 }; break
                    :: else
                    fi;
                    /* C#: BlockPool.AllocWaiting: _waiters.Register(1, out waiter, out registered); */
                    Register();
                    /* C#: BlockPool.AllocWaiting: if (PublishWaiting()) */
                    PublishWaiting(ok);
                    if
                    :: ok ->
                        ok = 0;
                        /* C#: BlockPool.AllocWaiting: int slice = WaitSlice(remaining); block = AwaitHandOff(waiter, registered, slice); if (block != null) { waiter = null; return block; }
                           With an allocator every wait is a slice of at most BackingRetryMilliseconds, so even Alloc() may
                           stop waiting at any moment. */
#ifndef NOSLICE
                        AwaitHandOff(1);
#else
                        AwaitHandOff(timed);      /* -DNOSLICE: one slice, as long as the timeout (see the header) */
#endif
                        if
                        :: res != 2 -> break      /* a block, or ObjectDisposedException */
                        :: else ->
                            /* C#: BlockPool.AllocWaiting: if (slice == remaining) { ... return null; }
                               (a timed call's last slice; the slice lengths are not modelled: a choice) */
                            if
                            :: timed -> break
#ifndef NOSLICE
                            :: true -> res = 0    /* not the last slice: ask the allocator again, below */
#endif
                            fi
                        fi
                    :: else ->
                        /* C#: BlockPool.AllocWaiting: if (!WaiterQueue.Withdraw(waiter, registered)) { block = TakeOutcome(waiter, waiter._word); waiter = null; return block; } */
                        Withdraw(ok);
                        if
                        :: !ok -> TakeOutcome(); break
                        :: else -> ok = 0
                        fi;
                        /* C#: BlockPool.AllocWaiting: block = TakeFree(); if (block != null) { waiter = null; return block; } */
                        Pop(blk, ok, 0, 1);
                        if
                        :: ok -> res = 1; break
                        :: else
                        fi
                    fi;
                    /* C#: BlockPool.AllocWaiting: if (_allocator != null) { block = TakeFromAllocator(); if (block != null) { waiter = null; return block; } } */
                    TakeFromAllocator();
                    if
                    :: res != 0 -> break
                    :: else
                    fi;
                    /* C#: BlockPool.AllocWaiting: remaining = Deadline.MillisecondsLeft(deadline); if (remaining == 0) ... return null; */
                    if
                    :: timed -> res = 2; break
                    :: true -> gretry[me] = 1
                    fi
                od;
                /* C#: BlockPool.AllocWaiting: finally { ... }  (see AllocFinally) */
                AllocFinally()
            fi
        fi
    fi;
    atomic {
#if !defined(BUG_TIMEOUT_IGNORES_CLAIM) && !defined(BUG_ABANDON_NO_OWNER)
        OUTCOMEOK;
#endif
        ok = 0; r = 0; timed = 0; fa = 0; hasw = 0;
        gpub[me] = 0; gwait[me] = 0; gslp[me] = 0; grec[me] = 0; gretry[me] = 0;
        galloc[me] = 0
    }
}

/* C#: BlockPool.Resize with a backing allocator: under the thread lock, C#: BlockPool.ResizeReserve. */
inline ResizeBacking(newSize)
{
    /* C#: BlockPool.Resize: ThrowIfDisposed(); lock (_waiters) { ThrowIfDisposed(); ...; if (_allocator != null) { ResizeReserve(newCapacity); ...; return; } */
    d_step { lk == 0 -> lk = me + 1; dis = disposed };
    if
    :: dis -> dis = 0
    :: else ->
        /* [ResizeReserve.limit] C#: BlockPool.ResizeReserve: Interlocked.Exchange(ref _reserveLimit, newSize);
           (the trim window opens; the own trim below closes it) */
        d_step {
            limit = newSize;
#ifndef BUG_NO_OWN_TRIM
            gtrimming++
#endif
        };
        /* C#: BlockPool.ResizeReserve: if (_bulkWaiting != 0) WakeBulkWaiters(EveryBulkWaiter);  (no bulk waiters in the model) */
        /* C#: BlockPool.ResizeReserve: int missing = newSize - FreeCount;  (FreeCount: the word, the top's link, the word again, until the two agree) */
        d_step { ReadWord(w) };
        do
        :: d_step { tl = blink[TOP(w)] };
           d_step {
               if
               :: WORD_UNCHANGED(w) -> dp = LDEPTH(tl); miss = (newSize > dp -> newSize - dp : 0); w = 0; tl = 0; dp = 0; wstale[me] = 1; ok = 1
               :: else -> ReadWord(w); ok = 0
               fi
           };
           if
           :: ok -> ok = 0; break
           :: else
           fi
        od;
        do
        :: miss > 0 ->
            miss--;
            /* C#: BlockPool.ResizeReserve: byte[] buffer = AllocateBuffer(); Block block = buffer != null ? AdoptBufferLocked(buffer) : null; */
            AllocateBuffer(ok);
            if
            :: ok -> ok = 0; AdoptBlock(blk); Release(blk, 0); blk = 0      /* C#: BlockPool.ResizeReserve: Release(block._slot); */
            :: else -> break        /* C#: BlockPool.ResizeReserve: if (block == null) break;  (like mempool_resize: frees refill it later) */
            fi
        :: else -> break
        od;
        miss = 0;
#ifndef BUG_NO_OWN_TRIM
        /* C#: BlockPool.ResizeReserve: TrimReserve(); */
        TrimReserve();
        /* (the re-check never puts a block back here: only Resize and Dispose write the limit, under the lock
           we hold, so our own pops were made with the current limit) */
        assert(!again)
#else
        skip        /* SEEDED BUG: no own trim after lowering the limit */
#endif
    fi;
    /* C#: BlockPool.Resize (the lock released) */
    lk = 0
}

/* Threads and the resizer call the backing versions (these macros rename the calls in proctypes Thread and
   Resizer below; the inlines Alloc and Resize above are the same methods without an allocator). */
#define Alloc() AllocBacking()
#define Resize(n) ResizeBacking(n)
#define BACKINGLOCALS ; byte lm, miss; bit again
#else
#define BACKINGLOCALS
#endif

/* ---------------------------------------------------------------- the contexts */
#ifdef LITERAL_TAG
#define WORDT short
#else
#define WORDT byte
#endif
#if BULK > 0 || BULKWAIT > 0
#define BULKLOCALS ; byte bk[3], j, gn, lst; bit torn, dupf, fok
#else
#define BULKLOCALS
#endif
#if BULKWAIT > 0
#define BWLOCALS ; byte q, bh; WORDT fw; bit bok, bws, gpush
#else
#define BWLOCALS
#endif
#define LOCALS WORDT w, wa; byte tl, dp, pd, fa, kp, cap, tgt, nr, o, i, r, ph, sl; byte blk; bit ok, aok, al, ho, sgn, timed, dis, ow, inrel, gs, rr, hasw; byte rmode, res, n BULKLOCALS BWLOCALS BACKINGLOCALS

/* A proctype that the configuration does not run is not compiled (#if): pan's code, and gcc's time, shrink. */
#if NHANDLER > 0
proctype Handler(byte me)
{
    LOCALS;
end_loop:
    do
    :: HOPS == 0 || n < HOPS ->
        n = (HOPS == 0 -> 0 : n + 1);
#if BULK > 0
        /* C#: BlockPool.TryAlloc: return TryTakeMany(into, count, BlockLink.Depth(_tryFloor)) || TryAllocFailed();  ... Free(into, BULK) */
        kp = TRYFLOOR;
        TryAllocBulk(BULK, kp, ok);
        kp = 0;
        if
        :: ok ->
#ifdef BULKDUP
            /* misuse first: Free({ into[0], into[0] }, 2) must throw and change nothing */
            dupf = 1;
            FreeMany(2, fok);
            d_step { assert(!fok && blink[bk[0]] == LHELD && gown[bk[0]] == me + 1); dupf = 0 };
#endif
            FreeMany(BULK, fok);
            d_step { assert(fok); fok = 0; bk[0] = 0; bk[1] = 0; bk[2] = 0 }
#if NDISPOSER
        /* C#: BlockPool.TryAllocFailed: ThrowIfDisposed();  (ObjectDisposedException: the handler stops) */
        :: !ok && disposed -> break
        :: !ok && !disposed -> skip
#else
        :: else
#endif
        fi
#else
        /* C#: BlockPool.TryAlloc (out Block): the pop written out, with keep = HandlerReserve (_tryFloor, int.MaxValue once disposed) */
        Pop(blk, ok, TRYFLOOR, 1);
        fa = 0;
        if
        :: ok -> Free(blk)
#if NDISPOSER
        /* C#: BlockPool.TryAllocFailed: ThrowIfDisposed();  (ObjectDisposedException: the handler stops) */
        :: !ok && disposed -> break
        :: !ok && !disposed -> skip
#else
        :: else
#endif
        fi
#endif
    :: else -> break
    od
}
#endif

#if NWAITER > 0
proctype Thread(byte me)
{
    LOCALS;
end_loop:
    do
    :: WOPS == 0 || n < WOPS ->
        n = (WOPS == 0 -> 0 : n + 1);
        Alloc();
        if
        :: res == 1 -> res = 0; Free(blk)
#ifdef FREE_ABORT
            /* the Free left by the exception between its claim and its Set (FREE_ABORT): the thread ends, holding nothing
               (the block is in the waiter's record) and leaving no record behind (its own is Idle: its Alloc returned) */
            ; if
            :: me == FABT && gfa ->
                d_step { goneok = (OWNEDBY(me) == 0 && !(rown[0] == me + 1 && rph[0] != IDLE) && !(rown[1] == me + 1 && rph[1] != IDLE)); assert(goneok); goneok = 0 };
                break
            :: else
            fi
#endif
        :: res == 2 -> res = 0
        :: res == 3 -> break       /* ObjectDisposedException */
        :: res == RESEXC -> break  /* the exception ends the thread (ABORT) */
        fi
    :: else -> break
    od
}
#endif

#if BULKWAIT > 0
/* A thread doing the blocking bulk Alloc(into, k) (untimed or timed, see BWTIMED) and, with the set, Free(into, k). */
proctype BulkWaiter(byte me; byte k)
{
    LOCALS;
end_loop:
    do
    :: BOPS == 0 || n < BOPS ->
        n = (BOPS == 0 -> 0 : n + 1);
        BulkAllocWait(k);
        if
        :: res == 1 ->
            /* C#: BlockPool.Free */
            res = 0;
            FreeMany(k, fok);
            d_step { assert(fok); fok = 0; bk[0] = 0; bk[1] = 0; bk[2] = 0; bh = 0 }
        :: res == 2 || res == 4 || res == 5 -> res = 0
        :: res == 3 -> break       /* ObjectDisposedException */
        :: res == RESEXC -> break  /* the exception ends the thread (ABORT) */
        fi
    :: else -> break
    od
}
#endif

#if NRESIZER
/* Resize(NB - 1), then Resize(NB) (RGROW = 0: Resize(NB - 1) only), ROPS times (ROPS = 0: forever). One call site of
   Resize for both sizes (nc), so that its code is generated once. */
proctype Resizer(byte me)
{
    LOCALS; byte nc;
end_loop:
    do
    :: ROPS == 0 || n < ROPS || nc == NB ->
        if
        :: nc == NB -> skip                                 /* the grow of this round */
        :: else -> n = (ROPS == 0 -> 0 : n + 1); nc = NB - 1 /* the shrink of the next round */
        fi;
        Resize(nc);
        nc = (nc == NB - 1 && RGROW -> NB : 0)
    :: else -> break
    od
}
#endif

#if NDISPOSER
proctype Disposer(byte me)
{
    LOCALS;
    /* C#: BlockPool.Dispose: Interlocked.Exchange(ref _disposed, 1);  (every step of Dispose is idempotent and runs on
       every call; the model makes one call) */
    disposed = 1;
#if NDISPOSER
    /* C#: BlockPool.Dispose: Interlocked.Exchange(ref _tryFloor, RefuseEveryTry); */
    tryFloor = 255;
#endif
    /* C#: BlockPool.Dispose: lock (_waiters) { */
    d_step { lk == 0 -> lk = me + 1 };
    /* C#: WaiterQueue.DisposeAll: Waiter[] records = _records; */
    nr = nrec;
    r = 0;
    do
    :: r < nr ->
        /* C#: WaiterQueue.DisposeAll: int word = records[i]._word; if (Waiter.Phase(word) == Waiter.PhaseWaiting) */
        if
        :: rph[r] == WAITING ->
            /* [DisposeAll.cas] C#: WaiterQueue.DisposeAll: if (Interlocked.CompareExchange(ref records[i]._word, disposed, word) == word) */
            d_step {
                if
                :: rph[r] == WAITING -> rph[r] = DISPOSED; gsetp[r] = 1; RecordWritten(r); ok = 1
                :: else -> ok = 0
                fi
            };
            if
            :: ok ->
                /* [DisposeAll.set] C#: WaiterQueue.DisposeAll: records[i]._signal.Set(); */
                d_step { rsig[r] = 1; gsetp[r] = 0; ok = 0 }
            :: else
            fi
        :: else
        fi;
        r++
    :: else -> break
    od;
#if BULKWAIT > 0
    /* C#: BlockPool.Dispose: if (_bulkQueue != null) _bulkQueue.DisposeAll();
       C#: WaiterQueue.DisposeAll: Waiter[] records = _records;  (one read: _bulkQueue is written only under the lock we hold) */
    nr = bnrec;
    r = 0;
    do
    :: r < nr ->
        /* C#: WaiterQueue.DisposeAll: int word = records[i]._word; if (Waiter.Phase(word) == Waiter.PhaseWaiting) */
        if
        :: bph[r] == WAITING ->
            /* [DisposeAll.cas] C#: WaiterQueue.DisposeAll: if (Interlocked.CompareExchange(ref records[i]._word, disposed, word) == word) */
            d_step {
                if
                :: bph[r] == WAITING -> bph[r] = DISPOSED; gbsetp[r] = 1; BRecordWritten(r); ok = 1
                :: else -> ok = 0
                fi
            };
            if
            :: ok ->
                /* [DisposeAll.set] C#: WaiterQueue.DisposeAll: records[i]._signal.Set(); */
                d_step { bsig[r] = 1; gbsetp[r] = 0; ok = 0 }
            :: else
            fi
        :: else
        fi;
        r++
    :: else -> break
    od;
#endif
#if BACKING
    /* [Dispose.limit] C#: BlockPool.Dispose: if (_allocator != null) { Interlocked.Exchange(ref _reserveLimit, 0); TrimReserve(); } */
#ifndef BUG_NO_OWN_TRIM
    atomic { limit = 0; gtrimming++ };
    TrimReserve();
    assert(!again);     /* as in ResizeBacking: we hold the lock, nobody else writes the limit */
#else
    limit = 0;      /* SEEDED BUG: no own trim after lowering the limit */
#endif
#endif
    /* C#: BlockPool.Dispose (the lock released) */
    lk = 0
}
#endif

#if ABORT
/* Thread.Abort (nanoCLR) or Thread.Interrupt (host .NET), called by another thread: the exception is due in the target
   from here, and is delivered at its next step (EXCEPTION), while the target is inside the try whose finally settles its
   record (gabl). One exception per run, at any such step (spin tries them all); the target then runs its finally and
   ends. */
proctype Aborter()
{
end:
    atomic { gabl[ABT] -> gexc[ABT] = 1; gfired = 1 }
}
#endif

/* ---------------------------------------------------------------- construction and final audit */
init
{
    byte k, top;
    atomic {
        /* C#: BlockPool.BlockPool (the constructor) makes the slots from the last down, so slot 1 ends on top:
           _links[slot] = BlockLink.Make(blockCount - slot + 1, top); top = slot; */
        k = NB;
        do
        :: k > 0 ->
            blink[k] = MKLINK(NB - k + 1, top);
            top = k;
            k--
        :: else -> break
        od;
        /* C#: BlockPool.BlockPool: _word = _allocator != null ? top | FreeListWord.AlertBit : top;  (I9: an allocator keeps the alert set) */
        word = top + (BACKING -> ALERTBIT : 0);
        slotCount = NB;
        for (k : 0 .. NP - 1) {
            wstale[k] = 1       /* canonical value while a context holds no copy of the word */
        };
        capacity = NB;
        target = NB;
#if BACKING
        aout = NB;      /* C#: BlockPool.BlockPool (the constructor) calls ReserveBuffer: the reserve's buffers come from the allocator */
#endif
        k = 0;
#if ABORT
        run Aborter();      /* first, so that its wait (which may last) never holds back the end of the others */
#endif
#if NHANDLER > 0
        do
        :: k < NHANDLER -> run Handler(k); k++
        :: else -> break
        od;
#endif
#if NWAITER > 0
        do
        :: k < NHANDLER + NWAITER -> run Thread(k); k++
        :: else -> break
        od;
#endif
#if BULKWAIT > 0
        run BulkWaiter(k, BULKWAIT); k++;
#if NBW > 1
        run BulkWaiter(k, BULKWAIT2); k++;
#endif
#endif
#if NRESIZER
        run Resizer(k); k++;
#endif
#if NDISPOSER
        run Disposer(k); k++;
#endif
        k = 0; top = 0;
        ginit = 1
    };
#if (NHANDLER == 0 || HOPS) && (NWAITER == 0 || WOPS) && (NRESIZER == 0 || ROPS) && (NBW == 0 || BOPS)
    /* Final audit when every context has ended (bounded runs only): every block is home. */
    _nr_pr == 1 + (NO_MONITOR_COUNT == 0) + ABORTERLEFT;
    assert(LISTLEN == capacity && NOWNED == 0 && NHAND == 0 && !gpend && grel == 0);
    /* I6, second half: after a shrink no surplus block stays on the free list */
    assert(!(capacity > target && LISTLEN > 0));
#ifndef NO_I6
    assert(capacity >= target);
#endif
    /* I9: nobody is left to raise, and the alert is set exactly while a condition holds (it does not stay set for
       nothing: every context that ends a condition clears it when no other one holds) */
    assert(galw == 0 && ALERTED(word) == ALERTCOND);
    /* every record Idle: nobody waits, every outcome was taken (a Set left latched is allowed: see INV_SIG) */
    assert(rph[0] == IDLE && rph[1] == IDLE && rhand[0] == 0 && rhand[1] == 0);
#if BULKWAIT > 0
    /* the bulk queue: every record Idle, nobody counted as a bulk waiter (a Set left latched is allowed) */
    assert(bph[0] == IDLE && bph[1] == IDLE && bulkWaiting == 0 && gnwk == 0);
#endif
#if BACKING
    /* I7 with nobody in flight; the allocator has out exactly one buffer per live block; retired slots have none */
    assert(LISTLEN <= limit && gtrimming == 0);
    assert(gbufs == 0 && aout == capacity);
#ifdef RELIABLE_ALLOC
    /* REFILL FIRST, end to end: with an allocator that refuses only when its budget is spent, every block that
       went back left a full reserve behind, and every Resize filled it: the run ends with a full reserve */
    assert(limit <= LISTLEN);     /* (limit first, for pan's message, as INV_I7) */
#endif
    assert((!EXISTS(1) || bbuf[1] != gret[1]) && (!EXISTS(2) || bbuf[2] != gret[2])
           && (!EXISTS(3) || bbuf[3] != gret[3]) && (!EXISTS(4) || bbuf[4] != gret[4]));
#endif
    assert(lk == 0)
#endif
}

/* ---------------------------------------------------------------- liveness (spin -a; pan -a -f -N name) */
/* Every thread whose registration CAS succeeded eventually returns from Alloc: with a block, null at its timeout, or
   ObjectDisposedException (with -DABORT, the exception thrown into it also ends its wait). */
#define W0 (NHANDLER)
#define W1 (NHANDLER + 1)
ltl wake0 { [] (gwait[W0] -> <> !gwait[W0]) }
ltl wake1 { [] (gwait[W1] -> <> !gwait[W1]) }
/* Lock-freedom: every Alloc call returns, unless the free-list word changes forever (other contexts
   keep allocating and freeing, and this thread loses every CAS race or retry: lock-free, not wait-free).
   Build with -DPROGRESS. */
#ifdef PROGRESS
ltl done0 { ([]<> gtog && []<> !gtog) || [] (galloc[W0] -> <> !galloc[W0]) }
#endif
/* The same without the exception: expected to FAIL whenever a competitor loops forever. */
ltl done0strict { [] (galloc[W0] -> <> !galloc[W0]) }
#if BULKWAIT > 0
/* Every bulk waiter that decided to sleep eventually stops sleeping (woken by a freer, by Resize or Dispose, or
   by its timeout). */
ltl bwake0 { [] (gbsleep[BW0] -> <> !gbsleep[BW0]) }
/* Every blocking bulk Alloc returns: expected to FAIL in a cyclic run beside a handler (a bulk caller can lose
   every race for its set: it may be overtaken, see "Priority" in the remarks of BlockPool's bulk Alloc). */
ltl bdone0 { [] (gbin[BW0] -> <> !gbin[BW0]) }
#endif
