/*
 * NanoMempool: a Promela model of the BlockPool concurrency protocol, checked with spin.
 * See docs/concurrency.md for the protocol, the properties and how each configuration is run.
 *
 * What is modelled, statement by statement (C# file and member named in each "C#:" comment):
 *   BlockPool.cs          TryAlloc, Free, Dispose, TryPop, Release, OnAllocated, ThrowIfDisposed
 *   BlockPool.Waiting.cs  Alloc(int), PublishWaiting, AwaitHandOff, Collect
 *   BlockPool.Resize.cs   Resize, TryRetire, ReviveOrCreateBlock
 *   WaiterQueue.cs        Register (including the growth of _records), Withdraw, Recycle, TryHandOff, DisposeAll
 *   Waiter.cs             the record word (ticket + phase) and its AutoResetEvent
 *
 * Granularity. One Promela step per access to shared memory (a read, a write, an Interlocked call,
 * an event operation, a lock acquire or release). Purely local C# computation (Field(), HasTop(),
 * Successor(), comparisons of locals) is folded into the neighbouring step that reads or writes shared
 * memory: it cannot be observed by another context, so this loses no interleaving.
 * FOLDING. With the ideal tag (the default, see below) two more groups of accesses are folded into the
 * CAS that follows them: TryPop's reads of top._next/top._depth, and Release's writes of block._next/
 * block._depth (and its read of the old top's _depth). Only a context whose CAS on _word then fails can
 * observe the difference: a block's fields change only while a context owns it (off the list), and a
 * CAS succeeds only if the word is unchanged since the read, i.e. the block read was on the list the
 * whole time. -DLITERAL_TAG restores the separate steps, because there a stale CAS can succeed.
 * LOCKS. The thread lock is a flag taken by a guarded step. Reads made under the lock of variables that
 * only lock holders write (_records in Register) are folded into the next step, and so are the
 * ThrowIfDisposed read right after taking the lock and the lock release right after Register's
 * Interlocked.Exchange: a lock acquire or release commutes with every step of a context that does not
 * take the lock, and the contexts that do take it are blocked in between.
 * Other folds, each argued in a comment where it is made: Free's ownership CAS and OnAllocated's state
 * write (only the holder touches a held block's state; ReviveOrCreateBlock looks only for Retired), the
 * write of Waiter._handed into the Set that follows it, Collect's two reads of its Claimed record (no one
 * else writes it then), TryHandOff's read of _records into its read of record 0, and reads of constants
 * (the two halves of _sizes without a Resizer, _disposed without a Disposer). -DFINE unfolds _handed.
 * Checking: the monitor process asserts invariants I1, I2, I3, I5, I6 (see INV_* below) in every state
 * from ghost variables (g*) that record where each block is; the ghosts are never read by the protocol.
 * Statistics counters (Counter, BlockPoolStatistics, _allocations, _frees) are not modelled: no
 * decision of the protocol reads them.
 *
 * The 16-bit tag of the free-list word (FreeListWord). Modelled by its only observable effect, exactly:
 * "a CAS on _word whose expected value was read at time t succeeds iff no successful CAS on _word
 * happened since t". Every successful CAS increments the tag, so this is what the C# does as long as
 * fewer than 65,536 CASes on _word succeed between one context's read of the word and its CAS
 * (assumption A, discussed in docs/concurrency.md). Implementation: one bit per context, wstale[p],
 * set by every successful CAS on the word and cleared by p's own read of it. The word itself is kept
 * as (tag mod TAGM, field); with the default TAGM = 1 the tag part is constant and only wstale decides.
 * -DLITERAL_TAG drops wstale and compares the modelled word only, so the tag really is a counter
 * modulo TAGM (-DTAGM=1 = no tag at all): spin then finds the ABA corruption TryPop's comment describes.
 *
 * The 30-bit ticket of a waiter record (Waiter). Tickets are used for three things: Withdraw's CAS and
 * DisposeAll's CAS (which reduce to "the phase is still Waiting": only the owner re-registers a record,
 * and Dispose holds the thread lock that registration needs), the claim CAS in TryHandOff (the record
 * must be unchanged since the scan read it) and IsOlder in the scan. The model keeps, exactly under
 * assumption B (fewer than 2^29 registrations between two tickets that are compared), the registration
 * order of the (at most two) records in one bit, newer1, and gives each scanning context the bits it
 * needs to compare a fresh read with an earlier one (see TryHandOff below).
 *
 * AutoResetEvent: one latched bit per record, rsig[r]. Set() latches it; WaitOne consumes it; a timed
 * WaitOne may time out at any moment (nondeterministically, even when the bit is latched: a superset of
 * the real behaviour, so every safety result carries over).
 *
 * Seeded bugs (each must make spin fail; tests/NanoMempool.ModelTests checks that it does):
 *   -DBUG_NO_RECHECK   Release pushes with a freshly read word after an empty hand-off scan, instead of
 *                      CASing against the word it scanned under (drops the hand-off re-check).
 *   -DLITERAL_TAG -DTAGM=1   no ABA tag on the free-list word.
 *   -DBUG_TIMEOUT_IGNORES_CLAIM   AwaitHandOff returns null after a timeout although its withdraw lost to
 *                      a claim (the handed block is never collected and its Set stays latched).
 *   -DBUG_SPLIT_SIZES  capacity and target in two words (the first C# version): a retire CAS made against an
 *                      old target still succeeds, and capacity falls below the target for good (I6). This
 *                      model found it; the C# now keeps both in one word (PoolSizes.cs).
 *   -DNO_I6            skips the I6 check (to check everything else in a variant that breaks it).
 *
 * Bulk and handler reserve (BlockPool.Bulk.cs, BlockPool.cs TryPop(keep)); off by default, and with both
 * off every default configuration is exactly the model above (same steps, same state vector):
 *   -DBULK=k (k = 1..3) every handler does TryAlloc(into, k) and, on success, Free(into, k), instead of
 *                      TryAlloc/Free of one block. The chain walk is modelled step by step as in the C#.
 *   -DBULKDUP          (with BULK >= 2) before its good Free(into, k) the handler calls Free with into[0]
 *                      listed twice: the second ownership CAS fails and the first must be rolled back.
 *   -DRESERVE=n        BlockPoolOptions.HandlerReserve = n: a handler's TryAlloc (single or bulk) keeps n
 *                      blocks free. Threads' Alloc and RetireSurplus still use keep = 0, as in the C#.
 *   With BULK or RESERVE, Release's writes of block._next/_depth are separate steps (as with
 *   -DLITERAL_TAG), because the walk and the reserve check read other contexts' blocks outside a CAS.
 *   Seeded bugs for these (tests/NanoMempool.ModelTests/BulkModelTests.cs):
 *   -DBUG_BULK_FRESH_WORD   the walk is trusted without the CAS check: the CAS is made against a word
 *                      read after the walk (a block another context popped meanwhile is taken twice).
 *   -DBUG_BULK_NO_TAG  the bulk CAS compares only the field, not the tag: a stale chain is detached.
 *   -DBUG_RESERVE_OFF_BY_ONE  TryPop(keep) refuses only when depth < keep (the last reserve block goes).
 *   Reachability probes (an assert that must FAIL, so that the properties are not vacuous):
 *   -DREACH_TORN       a bulk walk runs off the list; -DREACH_REFUSAL  a handler is refused while blocks are free.
 *
 * Blocking bulk allocation (BlockPool.BulkWaiting.cs Alloc(Block[], count, timeout) and AwaitBulkWake,
 * WaiterQueue.cs WakeNeedingAtMost, BlockPool.cs Release's bulk wake, Resize's wake-all, Dispose); off by default:
 *   -DBULKWAIT=k       NBW (1 or 2) more threads ("bulk waiters", after the Alloc threads) each do the blocking
 *                      Alloc(into, k) (-DBULKWAIT2=k2: the second one's set size) and, on success, Free(into, k).
 *                      The bulk queue is a second WaiterQueue (records bph/bsig/bneed, 1 record at first and
 *                      grown to 2, created by the first bulk registration), scanned by every freer after every
 *                      push while _bulkWaiting != 0. BWTIMED: 0 every call untimed, 1 every call timed, 2 a
 *                      choice per call; BOPS calls per bulk waiter (0: forever).
 *   Properties (monitor, every state): INV_BAON all or nothing (a bulk waiter inside Alloc holds none of its
 *   set or all of it, and none while it sleeps), INV_BWAKE no lost wake-up (no bulk waiter asleep on a
 *   Waiting record while its whole set is free and no freer is between its push and the end of its bulk
 *   scan), INV_BSIG (a latched bulk signal belongs to a Claimed or Disposed record); inline: every Set meets
 *   an unlatched event, a failed withdraw meets a Claimed/Disposed record; bounded runs: no invalid end state
 *   (nobody asleep forever, no deadlock) and the final audit (bulk records Idle, no latched signal,
 *   _bulkWaiting back to 0).
 *   Seeded bugs (tests/NanoMempool.ModelTests/BulkWaitModelTests.cs):
 *   -DBUG_BULK_NO_RECHECK   the bulk waiter sleeps right after registering, without re-reading FreeCount.
 *   -DBUG_BULK_WAKE_EARLY   the freer reads _bulkWaiting before its push CAS instead of after it.
 *   -DBUG_BULK_WAKE_ONE     the freer wakes one eligible record only (any one: the oldest, or the first in array
 *                      order, ...) and stops. It breaks INV_BWAKE, yet no checked configuration ends with a
 *                      waiter asleep (run with -DNO_BWAKE; docs/concurrency.md, "Blocking bulk allocation").
 *   -DBUG_BULK_HOLD_AND_WAIT  the bulk waiter takes blocks one at a time and waits for the rest holding them
 *                      (with -DNO_AON, so that spin reports the deadlock itself rather than INV_BAON).
 *   Reachability probes (an assert that must FAIL): -DREACH_BULK_WOKEN a sleeping bulk waiter is woken by a
 *   freer's claim; -DREACH_BULK_SHRUNK a Resize shrinks the pool below a waiting set; -DREACH_BULK_DISPOSED
 *   Dispose wakes a sleeping bulk waiter. -DNO_BWAKE drops INV_BWAKE (to judge a variant by its end states).
 *   FOLDS (each argued where it is made): WakeBulkWaiters' read of _bulkQueue with WakeNeedingAtMost's read of
 *   _records; a record's _need with the read of its word; the bulk waiter's Recycle with its read of the
 *   outcome; the queue's creation with Register's first read (under the lock).
 * Backing allocator (BlockPool.Backing.cs, IBlockAllocator; -DBACKING, off by default; every BACKING block below
 * is self-contained, and without the macro the model is exactly the one above):
 *   The allocator hands out buffers while fewer than NB + AEXTRA are out, and may refuse at any call (a choice).
 *   Threads' Alloc(timeout) (AllocBacking) asks it first, then TryPop, then waits in slices, asking it again after
 *   each slice; handlers (TryAlloc/Free) never call it (asserted). Release trims after a push ([Release.trim]:
 *   depth > _reserveLimit -> TrimReserve: TryPop(keep = limit) and ReleaseToAllocator). With NRESIZER = 1 the
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
 *                            TrimReserve's re-check of the limit after its pop (the first C# version): a trim
 *                            that read the old limit pops after a growing Resize found the reserve full.
 *   -DREACH_RECHECK          a probe (must FAIL): the re-check really puts a block back.
 *   -DREFILL_STRICT          a probe, not a bug: refillok against the limit as it is at the pop (not as read);
 *                            fails whenever a Resize raises the limit between a trimmer's read and its pop.
 *   -DNOSLICE                liveness runs: Alloc() waits in one untimed slice, Alloc(timeout) in one slice as
 *                            long as its timeout (a BackingRetryMilliseconds above every timeout). With slices,
 *                            wake0 fails: a waiter whose slices keep ending inside a freer's read-to-CAS or
 *                            scan-to-claim window keeps that freer rescanning (each lap withdraws and registers
 *                            again) - a livelock that needs the freer stalled for a whole slice on every lap.
 */

/* ---------------------------------------------------------------- configuration */
#ifndef NB
#define NB 2            /* blocks at construction */
#endif
#ifndef NBMAX
#define NBMAX 4         /* block slots: NB + room for blocks created by Resize's ReviveOrCreateBlock (at most 4) */
#endif
#ifndef NHANDLER
#define NHANDLER 1      /* handler-like contexts: TryAlloc/Free loops */
#endif
#ifndef NWAITER
#define NWAITER 2       /* threads doing Alloc(timeout)/Free loops; at most 2 (records) */
#endif
#ifndef NRESIZER
#define NRESIZER 0      /* 1: a thread doing Resize(NB - 1), Resize(NB) */
#endif
#ifndef NDISPOSER
#define NDISPOSER 0     /* 1: a thread calling Dispose once */
#endif
#ifndef INITREC
#define INITREC 1       /* records in the waiter array at construction (C#: InitialRecords = 4); 1 makes
                           the model exercise WaiterQueue.Register's growth of _records */
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
#define RESERVE 0       /* BlockPoolOptions.HandlerReserve (keep of the handlers' TryAlloc) */
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
#define BINITREC 1      /* records in the bulk queue when it is created (C#: 4); 1 exercises its growth */
#endif
#if defined(LITERAL_TAG) || BULK > 0 || RESERVE > 0 || BULKWAIT > 0
#define SPLIT_RELEASE 1 /* Release's writes of _next/_depth are steps of their own (see the header) */
#endif
#ifndef BACKING
#define BACKING 0       /* 1: a backing allocator (see the header) */
#endif
#if BULKWAIT > 0 && BACKING
#error "-DBULKWAIT and -DBACKING are separate configurations: both use the push depth pd and extend Release's tail differently"
#endif
#if BACKING
#ifndef AEXTRA
#define AEXTRA 1        /* buffers the allocator may have out beyond the NB of the initial reserve */
#endif
#ifndef SPLIT_RELEASE
#define SPLIT_RELEASE 1 /* the trim decides on a top block's _depth read outside a CAS (TrimPop) */
#endif
#endif

#define NP (NHANDLER + NWAITER + NBW + NRESIZER + NDISPOSER)
#define NREC 2

/* ---------------------------------------------------------------- encodings (FreeListWord.cs, Waiter.cs, Block.cs) */
#define EMPTY 0               /* FreeListWord.Empty */
#define EWW 15                /* FreeListWord.EmptyWithWaiters (0xFFFF in C#) */
#define FIELD(w) ((w) & 15)
#define TAGOF(w) ((w) >> 4)
#define HASTOP(f) ((f) != EMPTY && (f) != EWW)
#define SUCC(w, f) (((((w) >> 4) + 1) % TAGM) * 16 + (f))   /* FreeListWord.Successor */
#define FIELDOF(b) ((b) + 1)
#define INDEXOF(f) ((f) - 1)

#define IDLE 0                /* Waiter.PhaseIdle ... PhaseDisposed */
#define WAITING 1
#define CLAIMED 2
#define DISPOSED 3

#define SFREE 0               /* Block.StateFree, StateHeld, StateRetired */
#define SHELD 1
#define SRETIRED 2

#define NONE 255

/* ---------------------------------------------------------------- shared state */
byte word;                    /* BlockPool._word */
byte bstate[NBMAX];           /* Block._state */
byte bnext[NBMAX];            /* Block._next */
byte bdepth[NBMAX];           /* Block._depth */
byte blockCount;              /* BlockPool._blockCount */
byte capacity;                /* BlockPool._sizes: capacity half (PoolSizes.Capacity) */
byte target;                  /* BlockPool._sizes: target half (PoolSizes.Target) */
bit disposed;                 /* BlockPool._disposed */
byte lk;                      /* BlockPool._threadLock: 0 free, else owner + 1 */

byte nrec = INITREC;          /* WaiterQueue._records.Length (the array only grows; records keep their slot) */
byte rph[NREC];               /* Waiter._word, phase part */
byte rhand[NREC];             /* Waiter._handed: block + 1, 0 = null */
bit rsig[NREC];               /* Waiter._signal: the AutoResetEvent's latched state */
bit newer1;                   /* ticket order: record 1's registration is newer than record 0's */

/* Tag and ticket abstraction (see the header). Indexed by process id. */
bit wstale[NP];               /* a CAS on _word succeeded since p last read it */
byte hold[NP];                /* TryHandOff: p's `oldest` (record + 1, 0 = null) */
bit rstale[NP];               /* p's `oldest` record word changed since p read it */
bit snap1[NP];                /* newer1 when p read record 0 in its scan */
bit reg1since[NP];            /* record 1 was (re)registered since p read record 0 */

/* Ghost state: where each block is, who waits. Never read by the protocol, only by assertions. */
byte gown[NBMAX];             /* 0, or p + 1: p owns the block (popped, handed and collected, or freeing it) */
bit ghand[NBMAX];             /* in hand-off: from the claim CAS until the waiter reads Waiter._handed */
bit gret[NBMAX];              /* retired: from the retire CAS (capacity - 1) until revived */
byte gclaim[NREC];            /* the block the claim CAS on this record was for, + 1 */
bit gpend;                    /* Resize grew the capacity by CAS and has not yet revived/created the block */
bit ginresize;                /* a Resize holds the thread lock */
byte grec[NP];                /* record registered by p (valid while galloc) */
bit gpub[NP];                 /* p's registration CAS (PublishWaiting) succeeded, p still in Alloc */
bit gwait[NP];                /* p waits for its record's Set (published, or withdraw failed) until Alloc returns */
bit galloc[NP];               /* p is inside Alloc */
bit gretry[NP];
#ifdef PROGRESS
bit gtog;                     /* flips at every successful CAS on _word (liveness builds only) */
#endif               /* p is at the retry point of Alloc's loop (a handler took the block) */

byte hi;                      /* loop index inside d_steps */
#if BULKWAIT > 0
byte bulkWaiting;             /* BlockPool._bulkWaiting */
byte bnrec;                   /* 0: BlockPool._bulkQueue == null; else _bulkQueue._records.Length */
byte bph[NREC];               /* bulk queue: Waiter._word, phase part */
bit bsig[NREC];               /* bulk queue: Waiter._signal */
byte bneed[NREC];             /* bulk queue: Waiter._need */
byte bsc[NP];                 /* WakeNeedingAtMost: the record p read Waiting and may claim (+ 1, 0 = none) */
bit bstale[NP];               /* that record's word was written since p read it (p's claim CAS then fails) */
/* ghosts */
bit gbin[NP];                 /* p is inside the blocking bulk Alloc */
bit gbsleep[NP];              /* p's re-check found the set not free: p sleeps (or is about to) until its WaitOne returns */
byte gbrec[NP];               /* bulk record registered by p */
byte gnwk;                    /* freers between a successful push CAS and the end of their bulk scan ("on the way") */
#endif
#if BULK > 0 || RESERVE > 0 || BULKWAIT > 0
bit bulkexact;                /* ghost, set and asserted inside one d_step (always 0 between steps): the bulk */
bit reserveok;                /*   pop took exactly the top count blocks; the reserve rule held at a pop */
#endif
#if BACKING
byte limit = NB;              /* BlockPool._reserveLimit (the reserve's size) */
byte aout;                    /* the allocator's buffers out (the test allocator's Outstanding); NB after init */
bit bbuf[NBMAX] = 1;          /* Block._buffer != null (slots >= blockCount do not exist yet) */
byte gbufs;                   /* ghost: buffers between allocator and pool (allocated, not yet counted live;
                                 or no longer counted live, not yet given back) */
byte gtrimming;               /* ghost: contexts in a trim window (see INV_I7) */
bit gtb[NBMAX];               /* ghost: the block is in a trimmer's hands, between its pop and its retire CAS */
bit refillok;                 /* ghost, set and asserted inside one d_step: refill first held at a trim pop */
#endif

/* ---------------------------------------------------------------- invariants (checked in every state by monitor) */
#define NXT(f) (HASTOP(f) -> bnext[INDEXOF(f)] : EMPTY)
#define L0 FIELD(word)
#define L1 NXT(L0)
#define L2 NXT(L1)
#define L3 NXT(L2)
#define L4 NXT(L3)
#define ONLIST(b) (L0 == (b) + 1 || L1 == (b) + 1 || L2 == (b) + 1 || L3 == (b) + 1)
#define LISTLEN (HASTOP(L0) + HASTOP(L1) + HASTOP(L2) + HASTOP(L3))
#define DEPTHOK(f, n) (!HASTOP(f) || (bdepth[INDEXOF(f)] == (n) && bstate[INDEXOF(f)] == SFREE))
#define PLACES(b) (ONLIST(b) + (gown[b] != 0) + ghand[b] + gret[b])
#define EXISTS(b) ((b) < blockCount)

/* I1: every block is in exactly one place: on the list, owned, in hand-off, or retired. */
#define INV_PLACE (PLACES(0) == EXISTS(0) && PLACES(1) == EXISTS(1) && PLACES(2) == EXISTS(2) && PLACES(3) == EXISTS(3))
/* I2: free + held + hand-off == capacity (plus the one block a growing Resize has counted and not yet
   produced); retired + capacity == blocks created; the list is acyclic and its depths count it. */
#define NOWNED ((gown[0] != 0) + (gown[1] != 0) + (gown[2] != 0) + (gown[3] != 0))
#define NHAND (ghand[0] + ghand[1] + ghand[2] + ghand[3])
#define NRET (gret[0] + gret[1] + gret[2] + gret[3])
#define INV_COUNT (LISTLEN + NOWNED + NHAND + gpend == capacity && NRET + capacity == blockCount + gpend \
                   && !HASTOP(L4) && DEPTHOK(L0, LISTLEN) && DEPTHOK(L1, LISTLEN - 1) && DEPTHOK(L2, LISTLEN - 2) \
                   && DEPTHOK(L3, LISTLEN - 3))
/* I3, no lost wake-up: no thread whose registration CAS succeeded and whose record is still Waiting
   (so no hand-off is pending for it) coexists with a free block. */
#define ASLEEP(p) (gpub[p] && rph[grec[p]] == WAITING)
#define INV_WAKE (!HASTOP(L0) || !(ASLEEP(NHANDLER) || (NWAITER > 1 && ASLEEP(NHANDLER + 1))))
/* I5: a latched signal belongs to a Claimed or Disposed record (a Set is never left for a later use). */
#define SIGOK(r) (!rsig[r] || rph[r] == CLAIMED || rph[r] == DISPOSED)
#define INV_SIG (SIGOK(0) && SIGOK(1))
/* I6: capacity is below its target only while a Resize is running. */
#ifdef NO_I6
#define INV_TARGET 1          /* -DNO_I6: skip I6 (to check everything else in the current Resize protocol) */
#else
#define INV_TARGET (capacity >= target || ginresize)
#endif

#ifdef NO_MONITOR
#define NO_MONITOR_COUNT 1
#else
#define NO_MONITOR_COUNT 0
#endif
#if BULKWAIT > 0
#define BW0 (NHANDLER + NWAITER)
#define BW1 (BW0 + 1)
#define OWNEDBY(p) ((gown[0] == (p) + 1) + (gown[1] == (p) + 1) + (gown[2] == (p) + 1) + (gown[3] == (p) + 1))
#define NEEDOF(p) ((p) == BW0 -> BULKWAIT : BULKWAIT2)
/* All or nothing: inside the blocking bulk Alloc a thread holds none of its set or all of it, and while it
   sleeps it holds none. */
#ifdef NO_AON
#define AON(p) 1
#else
#define AON(p) (!gbin[p] || ((OWNEDBY(p) == 0 || OWNEDBY(p) == NEEDOF(p)) && (!gbsleep[p] || OWNEDBY(p) == 0)))
#endif
/* No lost wake-up: a bulk waiter asleep on a Waiting record coexists with its whole set free only while a
   freer is on the way (it has pushed and not yet finished the scan that will claim the record). */
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
#define BSIGOK(r) (!bsig[r] || bph[r] == CLAIMED || bph[r] == DISPOSED)
#define INV_BSIG (BSIGOK(0) && BSIGOK(1))
#else
#define INV_BAON 1
#define INV_BWAKE 1
#define INV_BSIG 1
#endif
#if BACKING
/* I7: the reserve holds at most its size, unless a push, Resize or Dispose is in its trim window. */
#define INV_I7 (LISTLEN <= limit || gtrimming > 0)
/* Every live block has one allocator buffer: outstanding == live + in flight between the two. */
#define INV_ACC (aout == capacity + gbufs)
/* Every live block has its buffer (the trimmer giving a block back nulls it first). */
#define HASBUF(b) (!EXISTS(b) || gret[b] || gtb[b] || bbuf[b])
#define INV_BUF (HASBUF(0) && HASBUF(1) && HASBUF(2) && HASBUF(3))
#define INV_BACKING (INV_I7 && INV_ACC && INV_BUF)
#else
#define INV_BACKING 1
#endif
#define INV_ALL (INV_PLACE && INV_COUNT && INV_WAKE && INV_SIG && INV_TARGET && INV_BAON && INV_BWAKE && INV_BSIG && INV_BACKING)

#ifndef NO_MONITOR
active proctype monitor()
{
end:
    atomic {
        !INV_ALL ->
        assert(INV_PLACE);
        assert(INV_COUNT);
        assert(INV_WAKE);
        assert(INV_SIG);
        assert(INV_TARGET);
        assert(INV_BAON);
        assert(INV_BWAKE);
        assert(INV_BSIG)
#if BACKING
        ; assert(INV_I7); assert(INV_ACC); assert(INV_BUF)
#endif
    }
}
#endif

/* ---------------------------------------------------------------- CAS on the free-list word */
/* C#: int seen = Interlocked.CompareExchange(ref _word, value, word); if (seen == word) ... else word = seen;
   `ok` tells which; on failure the local `w` becomes `seen` (a fresh read). */
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
    }
}

/* ---------------------------------------------------------------- waiter-record bookkeeping for the ticket abstraction */
inline RecordWritten(r)
{
    newer1 = 0;     /* canonical: newer1 matters only while both records are Waiting */
    for (hi : 0 .. NP - 1) {
        if
        :: hold[hi] == (r) + 1 -> rstale[hi] = 1
        :: else
        fi
    }
}

/* ---------------------------------------------------------------- BlockPool.cs TryPop */
/* C#: TryPop(int keep, ...) with keep = 0 (TryAlloc passes BlockPoolOptions.HandlerReserve, which the
   model leaves at its default 0): "depth <= keep" is then "the field names no block". */
inline TryPop(blk, ok, onalloc)
{
    /* C#: BlockPool.cs TryPop: int word = _word; */
    d_step { ReadWord(w) };
    do
    :: !HASTOP(FIELD(w)) ->
        /* C#: BlockPool.cs TryPop: if (!FreeListWord.HasTop(field)) { block = null; return false; } */
        ok = 0; blk = NONE; w = 0; nx = 0; dp = 0; wstale[me] = 1;
        break
    :: else ->
#ifdef LITERAL_TAG
        /* C#: BlockPool.cs TryPop: int next = top._next; */
        nx = bnext[INDEXOF(FIELD(w))];
        /* C#: BlockPool.cs TryPop: int depth = top._depth; */
        dp = bdepth[INDEXOF(FIELD(w))];
#endif
        /* [TryPop.cas] */
        /* C#: BlockPool.cs TryPop: int seen = Interlocked.CompareExchange(ref _word, Successor(word, next), word); */
        d_step {
            if
            :: WORD_UNCHANGED(w) ->
#ifndef LITERAL_TAG
                /* C#: int next = top._next; int depth = top._depth;  (folded, see FOLDING in the header) */
                nx = bnext[INDEXOF(FIELD(w))]; dp = bdepth[INDEXOF(FIELD(w))];
#endif
                word = SUCC(w, nx);
                WordChanged();
                blk = INDEXOF(FIELD(w));
                /* ghost: the popped block is now ours; it was on the list, so nobody else may own it */
                assert(gown[blk] == 0 && !ghand[blk] && !gret[blk]);
                gown[blk] = me + 1;
                /* C#: BlockPool.cs OnAllocated: block._state = Block.StateHeld;  (folded, see FOLDING) */
                if
                :: onalloc -> bstate[blk] = SHELD
                :: else
                fi;
                ok = 1; w = 0; nx = 0; dp = 0
            :: else ->
                /* C#: word = seen; */
                w = word; wstale[me] = 0; ok = 0
            fi
        };
        if
        :: ok -> break
        :: else
        fi
    od
}

/* ---------------------------------------------------------------- BlockPool.Resize.cs TryRetire */
inline TryRetire(blk, ok)
{
    do
    :: /* C#: BlockPool.Resize.cs TryRetire: int sizes = _sizes; (capacity) */
        cap = capacity;
        /* C#: (the same read: target; two steps here, one in C#: a superset of its interleavings) */
        tgt = target;
        if
        :: cap <= tgt ->
            /* C#: if (!PoolSizes.HasSurplus(sizes)) return false; */
            ok = 0; cap = 0; tgt = 0;
            break
        :: else ->
        /* [TryRetire.cas] */
            /* C#: BlockPool.Resize.cs TryRetire: Interlocked.CompareExchange(ref _sizes, Make(Target(sizes), Capacity(sizes) - 1), sizes) == sizes */
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
                    ok = 1
                :: else -> ok = 0
                fi
            };
            if
            :: ok ->
                /* C#: BlockPool.Resize.cs TryRetire: block._state = Block.StateRetired; return true; */
                bstate[blk] = SRETIRED;
                cap = 0; tgt = 0;
                break
            :: else
            fi
        fi
    od
}

/* ---------------------------------------------------------------- WaiterQueue.cs TryHandOff */
/* The scan keeps `oldest` in hold[me]. Exactness of IsOlder (assumption B): the scan reads record 0
   first; when it then reads record 1, record 1's current registration is older than the registration
   of record 0 it saw iff record 1 was not re-registered since that read (reg1since) and, at that read,
   record 1's registration was the older one (snap1). The claim CAS succeeds iff the chosen record's word
   was not written since the scan read it (rstale): every write changes the word (new ticket or phase). */
inline TryHandOff(blk, ok)
{
    do
    :: /* C#: WaiterQueue.cs TryHandOff: Waiter[] records = _records;
          C#: WaiterQueue.cs TryHandOff: int word = records[0]._word; if (Phase(word) == Waiting && oldest == null) oldest = ...
          (one step: the growth of _records commutes with the read of record 0, which it does not write) */
        d_step {
            nr = nrec;
            if
            :: rph[0] == WAITING -> hold[me] = 1; rstale[me] = 0; snap1[me] = newer1; reg1since[me] = 0
            :: else -> hold[me] = 0
            fi
        };
        if
        :: nr > 1 ->
            /* C#: WaiterQueue.cs TryHandOff: int word = records[1]._word; if (Waiting && (oldest == null || IsOlder(...))) */
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
            /* C#: WaiterQueue.cs TryHandOff: if (oldest == null) return false; */
            ok = 0; nr = 0;
            break
        :: else ->
        /* [TryHandOff.claim] */
            /* C#: WaiterQueue.cs TryHandOff: if (Interlocked.CompareExchange(ref oldest._word, claimed, oldestWord) == oldestWord) */
            d_step {
                o = hold[me] - 1;
                if
                :: !rstale[me] ->
                    assert(rph[o] == WAITING);
                    rph[o] = CLAIMED;
                    RecordWritten(o);
                    /* ghost: the block moves from us into the hand-off to record o */
                    assert(gown[blk] == me + 1);
                    gown[blk] = 0; ghand[blk] = 1; gclaim[o] = blk + 1;
                    ok = 1
                :: else -> ok = 0
                fi;
                hold[me] = 0; rstale[me] = 0
            };
            if
            :: ok ->
                /* [TryHandOff.set]
                   C#: WaiterQueue.cs TryHandOff: oldest._handed = block;  (only the record's owner reads it,
                       after this Set: folded; -DFINE keeps it a step of its own)
                   C#: WaiterQueue.cs TryHandOff: oldest._signal.Set(); return true; */
#ifdef FINE
                rhand[o] = blk + 1;
                d_step { assert(!rsig[o]); rsig[o] = 1; o = 0; nr = 0 };
#else
                d_step { rhand[o] = blk + 1; assert(!rsig[o]); rsig[o] = 1; o = 0; nr = 0 };
#endif
                break
            :: else
                /* rescan */
            fi
        fi
    od
}

/* ---------------------------------------------------------------- WaiterQueue.cs WakeNeedingAtMost (bulk queue) */
#if BULKWAIT > 0
/* A bulk record's word changed (owner's register/withdraw/recycle, a claim, Dispose): a scanner that read it
   Waiting and has not yet made its claim CAS will fail that CAS (every write changes the word: a new ticket or
   another phase). */
inline BRecordWritten(x)
{
    for (hi : 0 .. NP - 1) {
        if
        :: bsc[hi] == (x) + 1 -> bstale[hi] = 1
        :: else
        fi
    }
}

/* C#: BlockPool.BulkWaiting.cs WakeBulkWaiters(freeNow) -> WaiterQueue.cs WakeNeedingAtMost(available).
   Uses the locals q (record index), nr, bok. Ends the freer's "on the way" ghost (gnwk). */
inline WakeBulk(avail)
{
    /* [WakeBulk.records] C#: BlockPool.BulkWaiting.cs WakeBulkWaiters: WaiterQueue queue = _bulkQueue; if (queue != null)
       C#: WaiterQueue.cs WakeNeedingAtMost: Waiter[] records = _records;
       (one step: _bulkQueue is written once, null -> queue, so where it is not null its read can move up to the
       read of _records; where it is null, the C# returns and bnrec is 0 here) */
    d_step { nr = bnrec; q = 0 };
    do
    :: /* C#: WaiterQueue.cs WakeNeedingAtMost: int word = waiter._word; if (Phase(word) == Waiting && waiter._need <= available)
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
            /* [WakeBulk.claim] C#: WaiterQueue.cs WakeNeedingAtMost: if (Interlocked.CompareExchange(ref waiter._word, claimed, word) == word) */
            d_step {
                if
                :: !bstale[me] -> assert(bph[q] == WAITING); bph[q] = CLAIMED; BRecordWritten(q)
                :: else -> bok = 0; q++
                fi;
                bsc[me] = 0; bstale[me] = 0
            };
            if
            :: bok ->
                /* [WakeBulk.set] C#: WaiterQueue.cs WakeNeedingAtMost: waiter._signal.Set(); (exactly once: I5) */
                d_step { assert(!bsig[q]); bsig[q] = 1; bok = 0; q++ }
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
    atomic { q = 0; nr = 0; bok = 0; pd = 0; gnwk = gnwk - gpush; gpush = 0 }
}
#endif

/* ---------------------------------------------------------------- backing allocator: trim and give-back (BlockPool.Backing.cs) */
#if BACKING
/* C#: IBlockAllocator.Allocate, called by BlockPool.Backing.cs AllocateBuffer: byte[] buffer = _allocator.Allocate(_blockSize);
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

/* C#: BlockPool.Resize.cs ReviveOrCreateBlock(buffer) and BlockPool.Backing.cs AdoptBufferLocked, under the
   thread lock: the buffer goes into a Retired slot (or a new one), then capacity and target move together. */
inline AdoptBlock(b)
{
    b = NONE;
    i = 0;
    do
    :: i < blockCount ->
        /* C#: BlockPool.Resize.cs ReviveOrCreateBlock: if (retired._state == Block.StateRetired) */
        if
        :: bstate[i] == SRETIRED ->
            /* C#: retired._buffer = buffer; retired._state = Block.StateFree; return retired;  (plain writes to a
               slot no other context looks at: one step. The slot stays uncounted (gret) until the CAS below.) */
            d_step { assert(gret[i]); bbuf[i] = 1; bstate[i] = SFREE; b = i };
            break
        :: else -> i++
        fi
    :: else -> break
    od;
    if
    :: b == NONE ->
        /* C#: Block block = new Block(this, _blockCount, buffer); _blocks[_blockCount] = block; _blockCount++; */
        d_step {
            assert(blockCount < NBMAX);
            b = blockCount; bstate[b] = SFREE; bbuf[b] = 1; gret[b] = 1; blockCount++
        }
    :: else
    fi;
    i = 0;
    /* [Backing.adopt] C#: BlockPool.Backing.cs AdoptBufferLocked: AddLive(1), a CAS loop on _sizes: Make(Capacity + 1, Capacity + 1)
       (one step: the loop retries until its CAS lands, and with an allocator no decision of the protocol reads
       _sizes (HasSurplus is always false), so the loop is an atomic increment of both halves) */
    d_step { capacity++; target++; gret[b] = 0; gown[b] = me + 1; gbufs-- }
}

/* C#: BlockPool.cs TryPop(keep, ...) as TrimReserve calls it: keep = the limit read by the caller (lm). */
inline TrimPop(keep, ok)
{
    /* C#: BlockPool.cs TryPop: int word = _word; */
    d_step { ReadWord(w) };
    do
    :: /* C#: BlockPool.cs TryPop: int depth = top != null ? top._depth : 0;  (a read of its own: the refusal is
          decided on it without a CAS) */
        dp = (HASTOP(FIELD(w)) -> bdepth[INDEXOF(FIELD(w))] : 0);
        if
        :: dp <= keep ->
            /* C#: if (depth <= keep) return false;  TrimReserve ends here, and with it its caller's trim window */
            d_step { ok = 0; blk = NONE; w = 0; dp = 0; wstale[me] = 1; gtrimming-- };
            break
        :: else
        fi;
        /* [Trim.pop] C#: BlockPool.cs TryPop: int next = top._next;  (folded: used only if the CAS succeeds)
           C#: int seen = Interlocked.CompareExchange(ref _word, FreeListWord.Successor(word, next), word); */
        d_step {
            if
            :: WORD_UNCHANGED(w) ->
                assert(dp == LISTLEN);
                nx = bnext[INDEXOF(FIELD(w))];
                word = SUCC(w, nx);
                WordChanged();
                blk = INDEXOF(FIELD(w));
                assert(gown[blk] == 0 && !ghand[blk] && !gret[blk]);
                gown[blk] = me + 1; gtb[blk] = 1;
                /* REFILL FIRST: a block goes back only while the reserve is at its size */
#ifdef REFILL_STRICT
                refillok = (LISTLEN >= limit);
#else
                refillok = (LISTLEN >= lm);
#endif
                assert(refillok); refillok = 0;
                fa = LISTLEN;       /* C#: freeAfter */
                ok = 1; w = 0; nx = 0; dp = 0
            :: else ->
                /* C#: word = seen; */
                w = word; wstale[me] = 0; ok = 0
            fi
        };
        if
        :: ok -> break
        :: else
        fi
    od
}

/* C#: BlockPool.Backing.cs ReleaseToAllocator(block): the trimmer owns the block (popped, state Free). */
inline ReleaseToAllocator(b)
{
    /* C#: byte[] buffer = block._buffer; block._buffer = null;  (folded into the next step: only the owner reads
       or writes the buffer of a block that is not Retired, and ReviveOrCreateBlock looks only at Retired slots)
       [Trim.retire] C#: ReleaseToAllocator: AddLive(-1), a CAS loop on _sizes: Make(Capacity - 1, Capacity - 1)  (one step, as in AdoptBlock) */
    d_step {
        assert(gown[b] == me + 1 && gtb[b]);
#ifndef BUG_RETIRE_PUBLISH_FIRST
        bbuf[b] = 0;
#endif
        capacity--; target--;
        gown[b] = 0; gtb[b] = 0; gret[b] = 1; gbufs++
    };
    /* C#: Interlocked.Exchange(ref block._state, Block.StateRetired);  (publishes the slot for reuse) */
    bstate[b] = SRETIRED;
#ifdef BUG_RETIRE_PUBLISH_FIRST
    /* SEEDED BUG: the buffer is nulled only after the slot was published as Retired. */
    bbuf[b] = 0;
#endif
    /* C#: _allocator.Release(buffer); */
    d_step { aout--; gbufs--; b = NONE }
}

/* C#: BlockPool.Backing.cs TrimReserve: while (TryPop(_reserveLimit, out block, out freeAfter)) ReleaseToAllocator(block);
   Closes the caller's trim window when it ends (in TrimPop's refusal). */
inline TrimReserve()
{
    do
    :: /* C#: TrimReserve: the argument _reserveLimit, read once per TryPop call */
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
        /* [Trim.recheck] C#: BlockPool.Backing.cs TrimReserve: if (freeAfter < _reserveLimit) { Release(block); return; }
           (the limit read again after the pop CAS's fence: paired with ResizeReserve's exchange of the limit
           followed by its read of FreeCount; either this read sees the raised limit, or Resize's read sees the
           pop and fills the block in from the allocator) */
        d_step {
            lm = limit;
#ifdef REACH_RECHECK
            assert(fa >= lm);       /* reachability probe: spin must find a re-check that puts the block back */
#endif
            if
            :: fa < lm -> gtrimming--; ok = 1      /* TrimReserve ends here (Release opens its own window) */
            :: else
            fi;
            lm = 0; fa = 0
        };
        if
        :: ok -> ok = 0; again = 1; break      /* C#: Release(block); return;  (ReleaseOrRetire loops on `again`) */
        :: else
        fi;
#else
        /* SEEDED BUG (the first C# version): no re-check: the block goes back although a Resize raised the
           limit after the limit read for this pop */
        fa = 0;
#endif
        /* C#: ReleaseToAllocator(block); */
        ReleaseToAllocator(blk)
    od;
    lm = 0
}

/* After a successful push (pd = the depth it produced; its trim window opened at the push CAS).
   C#: BlockPool.cs Release: if (depth > _reserveLimit) TrimReserve(); */
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

/* ---------------------------------------------------------------- BlockPool.cs Release */
/* Release and RetireSurplus call each other in tail position (C#: Release ends a successful push with
   "if (PoolSizes.HasSurplus(_sizes)) RetireSurplus(); return;", and RetireSurplus ends a failed retire with
   "Release(block); return;"), so the model runs them as one loop instead of a recursion:
   rmode 0 = the body of Release(blk), rmode 1 = the body of RetireSurplus(). */
inline ReleaseOrRetire(blk, own, startmode)
{
    rmode = startmode; ow = own;
    do
    :: rmode == 0 ->
        /* ---- BlockPool.cs Release(block) ---- */
        /* C#: BlockPool.cs Release: if (PoolSizes.HasSurplus(_sizes) && TryRetire(block)) return; */
#if NRESIZER && !BACKING
        d_step { FreeOwnership(blk, ow); ow = 0; cap = capacity };
        tgt = target;
#else
        /* without a Resize, capacity == target always: the two reads are of constants (folded) */
        d_step { FreeOwnership(blk, ow); ow = 0; cap = capacity; tgt = target };
#endif
        if
        :: cap > tgt -> cap = 0; tgt = 0; TryRetire(blk, ok)
        :: else -> cap = 0; tgt = 0; ok = 0
        fi;
        if
        :: ok -> ok = 0; break            /* retired */
        :: else
        fi;
#ifdef BUG_LIMIT_BEFORE_PUSH
        /* SEEDED BUG: the limit is read before the push CAS (ReleaseTrim does not read it again) */
        lm = limit;
#endif
        /* [Release.read] C#: BlockPool.cs Release: int word = _word; */
        d_step { ReadWord(w) };
        do
        :: if
           :: FIELD(w) == EWW ->
                /* C#: BlockPool.cs Release: if (_waiters.TryHandOff(block)) return; */
                TryHandOff(blk, ho);
                if
                :: ho -> skip
                :: else ->
                    /* C#: BlockPool.cs Release: block._next = FreeListWord.Empty; block._depth = 1; (values kept in nx, dp) */
                    nx = EMPTY; dp = 1
#ifdef BUG_NO_RECHECK
                    /* SEEDED BUG: CAS against a freshly read word instead of the word the scan ran under. */
                    ; d_step { ReadWord(w) }
#endif
                fi
           :: else ->
                /* C#: BlockPool.cs Release: block._next = field; block._depth = ...; (value kept in nx; dp = 0: depth from the top's) */
                nx = FIELD(w); dp = 0
           fi;
           if
           :: ho -> w = 0; wstale[me] = 1; break
           :: else
           fi;
#ifdef SPLIT_RELEASE
           /* C#: BlockPool.cs Release: block._next = ...; */
           bnext[blk] = nx;
           /* C#: BlockPool.cs Release: block._depth = HasTop(field) ? BlockAt(IndexOf(field))._depth + 1 : 1; */
           bdepth[blk] = (dp == 1 -> 1 : (HASTOP(FIELD(w)) -> bdepth[INDEXOF(FIELD(w))] + 1 : 1));
#endif
#ifdef BUG_BULK_WAKE_EARLY
           /* SEEDED BUG: _bulkWaiting is read before the push CAS, not after it. */
           bws = (bulkWaiting != 0);
#endif
           /* [Release.cas] C#: BlockPool.cs Release: int seen = Interlocked.CompareExchange(ref _word, Successor(word, FieldOf(block.Index)), word); if (seen == word) */
           d_step {
               if
               :: WORD_UNCHANGED(w) ->
#ifndef SPLIT_RELEASE
                   /* C#: block._next = ...; block._depth = ...;  (folded, see FOLDING in the header) */
                   bnext[blk] = nx;
                   bdepth[blk] = (dp == 1 -> 1 : (HASTOP(FIELD(w)) -> bdepth[INDEXOF(FIELD(w))] + 1 : 1));
#endif
                   word = SUCC(w, FIELDOF(blk));
                   WordChanged();
                   assert(gown[blk] == me + 1);
                   gown[blk] = 0;
#if BACKING
                   pd = bdepth[blk]; gtrimming++;    /* C#: `depth`, the free count this push made; I7's window opens */
#endif
                   ok = 1; w = 0; nx = 0; dp = 0;
#if BULKWAIT > 0
                   /* C#: `depth`, the free count this push produced (kept for the bulk wake below) */
                   pd = bdepth[blk];
                   gnwk++; gpush = 1;   /* ghost: on the way until the end of our bulk scan */
#endif
#if !NRESIZER || BACKING
                   /* the retire re-check's reads, of constants without a Resize (folded) */
                   cap = capacity; tgt = target
#endif
               :: else ->
                   /* C#: word = seen; */
                   w = word; wstale[me] = 0; ok = 0
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
#if BULKWAIT > 0
        /* [Release.bulkwake] C#: BlockPool.cs Release: if (_bulkWaiting != 0) WakeBulkWaiters(depth); */
#ifdef BUG_BULK_WAKE_EARLY
        if
        :: bws -> WakeBulk(pd)
        :: else -> d_step { gnwk = gnwk - gpush; gpush = 0 }
        fi;
        d_step { bws = 0; pd = 0 };
#else
        if
        :: d_step { bulkWaiting == 0 -> gnwk = gnwk - gpush; gpush = 0; pd = 0 }
        :: bulkWaiting != 0 -> WakeBulk(pd)
        fi;
#endif
#endif
#if BACKING
        ReleaseTrim();
        if
        :: again -> again = 0       /* TrimReserve's re-check ends with Release(block) (a tail call in C#): loop */
        :: else ->
#endif
        /* [Release.recheck] C#: BlockPool.cs Release: if (PoolSizes.HasSurplus(_sizes)) RetireSurplus(); return; */
#if NRESIZER && !BACKING
        cap = capacity;
        tgt = target;
#endif
        if
        :: cap > tgt -> cap = 0; tgt = 0; rmode = 1; blk = NONE
        :: else -> cap = 0; tgt = 0; break
        fi
#if BACKING
        fi
#endif
    :: rmode == 1 ->
        /* ---- BlockPool.Resize.cs RetireSurplus() ---- */
        /* [Surplus.check] C#: BlockPool.Resize.cs RetireSurplus: while (PoolSizes.HasSurplus(_sizes) && TryPop(0, out block, out freeAfter)) */
        cap = capacity;
        tgt = target;
        if
        :: cap <= tgt -> cap = 0; tgt = 0; break
        :: else -> cap = 0; tgt = 0
        fi;
        TryPop(blk, ok, 0);
        if
        :: !ok -> break
        :: else
        fi;
        /* C#: BlockPool.Resize.cs RetireSurplus: if (!TryRetire(block)) { Release(block); return; } */
        TryRetire(blk, ok);
        if
        :: ok -> ok = 0; blk = NONE      /* retired: loop */
        :: else -> rmode = 0             /* Release(block) */
        fi
    od;
    rmode = 0; ow = 0; ok = 0
}

inline Release(blk, own)
{
    ReleaseOrRetire(blk, own, 0)
}

/* ---------------------------------------------------------------- BlockPool.cs OnAllocated, Free */
inline OnAllocated(blk)
{
    /* C#: BlockPool.cs OnAllocated: block._state = Block.StateHeld; */
    d_step { assert(gown[blk] == me + 1); bstate[blk] = SHELD }
}

/* C#: BlockPool.cs Free: if (Interlocked.CompareExchange(ref block._state, StateFree, StateHeld) != StateHeld) throw
   [Free.own] Folded into Release's first step: only the block's holder reads or writes its state while it
   is held (ReviveOrCreateBlock only looks for Retired, which neither value is). */
inline FreeOwnership(blk, own)
{
    if
    :: own -> assert(bstate[blk] == SHELD && gown[blk] == me + 1); bstate[blk] = SFREE
    :: else
    fi
}

inline Free(blk)
{
    /* C#: BlockPool.cs Free: Release(block); */
    Release(blk, 1);
    blk = NONE
}

/* ---------------------------------------------------------------- handler reserve and bulk (off by default) */
#if RESERVE > 0
/* C#: BlockPool.cs TryPop(int keep, ...) as TryAlloc(out Block) calls it: keep = _handlerReserve. */
inline TryPopKeep(blk, ok, keep)
{
    /* C#: BlockPool.cs TryPop: int word = _word; */
    d_step { ReadWord(w) };
    do
    :: /* [TryPopKeep.depth] C#: BlockPool.cs TryPop: int depth = top != null ? top._depth : 0;  (a read of its own:
          the decision below is taken on it without a CAS) */
        dp = (HASTOP(FIELD(w)) -> bdepth[INDEXOF(FIELD(w))] : 0);
        if
#ifdef BUG_RESERVE_OFF_BY_ONE
        :: dp < keep || dp == 0 ->        /* SEEDED BUG: the last reserve block goes */
#else
        :: dp <= keep ->
#endif
            /* C#: if (depth <= keep) { block = null; freeAfter = depth; return false; } */
#ifdef REACH_REFUSAL
            assert(dp == 0);    /* reachability probe: spin must find a refusal with blocks free (BulkModelTests) */
#endif
            d_step { ok = 0; blk = NONE; w = 0; nx = 0; dp = 0; wstale[me] = 1 };
            break
        :: else
        fi;
        /* [TryPopKeep.cas] C#: BlockPool.cs TryPop: int next = top._next;  (folded: used only if the CAS succeeds)
           C#: int seen = Interlocked.CompareExchange(ref _word, FreeListWord.Successor(word, next), word); */
        d_step {
            if
            :: WORD_UNCHANGED(w) ->
                /* the depth read before the CAS was exact (the block was on the list the whole time) */
                assert(dp == LISTLEN);
                nx = bnext[INDEXOF(FIELD(w))];
                word = SUCC(w, nx);
                WordChanged();
                blk = INDEXOF(FIELD(w));
                assert(gown[blk] == 0 && !ghand[blk] && !gret[blk]);
                gown[blk] = me + 1;
                /* C#: BlockPool.cs OnAllocated: block._state = Block.StateHeld;  (folded, see FOLDING) */
                bstate[blk] = SHELD;
                /* RESERVE RULE: a handler's own pop never leaves fewer than keep blocks free */
                reserveok = (LISTLEN >= keep); assert(reserveok); reserveok = 0;
                ok = 1; w = 0; nx = 0; dp = 0
            :: else ->
                /* C#: word = seen; */
                w = word; wstale[me] = 0; ok = 0
            fi
        };
        if
        :: ok -> break
        :: else
        fi
    od
}
#endif

#if BULK > 0 || BULKWAIT > 0
/* C#: BlockPool.Bulk.cs TryAlloc(Block[] into, int count, int ownerTag) -> TryTakeMany(into, count, keep, ownerTag)
   with count = k and keep = HandlerReserve (a handler's TryAlloc) or 0 (the blocking Alloc); the blocks
   taken are bk[0 .. k-1] (into[]). ok = 0: false, nothing taken. */
inline TryAllocBulk(k, keep, ok)
{
    /* C#: BlockPool.Bulk.cs TryAlloc: int word = _word; */
    d_step { ReadWord(w) };
    do
    :: /* [Bulk.depth] C#: Block top = HasTop(field) ? BlockAt(IndexOf(field)) : null; int depth = top != null ? top._depth : 0; */
        dp = (HASTOP(FIELD(w)) -> bdepth[INDEXOF(FIELD(w))] : 0);
        if
        :: dp < (k) + (keep) ->
            /* C#: BlockPool.Bulk.cs TryTakeMany: if (depth - count < keep) return false; */
            d_step { ok = 0; w = 0; dp = 0; wstale[me] = 1 };
            break
        :: else
        fi;
        /* C#: Block last = top; bool torn = false; */
        d_step { bk[0] = INDEXOF(FIELD(w)); i = 1; torn = 0 };
        do
        :: i < (k) ->
            /* [Bulk.walk] C#: int next = last._next;  (one step per block: every other context may move in between) */
            nx = bnext[bk[i - 1]];
            if
            :: !HASTOP(nx) -> torn = 1; break       /* C#: if (!HasTop(next)) { torn = true; break; } */
            :: else -> bk[i] = INDEXOF(nx); i++     /* C#: last = BlockAt(IndexOf(next)); */
            fi
        :: else -> break
        od;
        if
        :: torn ->
            /* [Bulk.torn] C#: else { word = _word; }  (the walk ran off the list: a torn read, retry) */
#ifdef REACH_TORN
            assert(!torn);      /* reachability probe: spin must find a torn walk (BulkModelTests) */
#endif
            d_step { ReadWord(w); torn = 0; i = 0; nx = 0; dp = 0 }
        :: else ->
            /* [Bulk.last] C#: ... FreeListWord.Successor(word, last._next) ...  (the argument is a read of its own) */
            nx = bnext[bk[(k) - 1]];
#ifdef BUG_BULK_FRESH_WORD
            /* SEEDED BUG: the walk is trusted without the CAS check (the CAS uses a word read after the walk). */
            d_step { ReadWord(w) };
#endif
            /* [Bulk.cas] C#: int seen = Interlocked.CompareExchange(ref _word, FreeListWord.Successor(word, last._next), word); */
            d_step {
                if
#ifdef BUG_BULK_NO_TAG
                :: FIELD(word) == FIELD(w) ->       /* SEEDED BUG: compares the field only, not the tag */
#else
                :: WORD_UNCHANGED(w) ->
#endif
                    /* ALL OR NOTHING: the chain detached is exactly the top k blocks of the list, their depth
                       read was exact, and the list loses exactly k blocks (nothing else moves). */
                    gn = LISTLEN;
                    bulkexact = (dp == gn && FIELD(word) == bk[0] + 1 && ((k) < 2 || L1 == bk[1] + 1)
                                 && ((k) < 3 || L2 == bk[2] + 1) && nx == NXT(FIELDOF(bk[(k) - 1])));
                    assert(bulkexact);
                    word = SUCC(w, nx);
                    WordChanged();
                    bulkexact = (LISTLEN + (k) == gn);
                    assert(bulkexact); bulkexact = 0;
                    /* RESERVE RULE: the handler's own pop never leaves fewer than keep blocks free */
                    reserveok = (LISTLEN >= (keep)); assert(reserveok); reserveok = 0;
                    /* C#: for (...) { into[i] = block; OnAllocated(block, ...); }  (state writes folded, see FOLDING:
                       the C# finds the blocks again through their _next, which only their owner, we, writes) */
                    for (hi : 0 .. (k) - 1) {
                        assert(gown[bk[hi]] == 0 && !ghand[bk[hi]] && !gret[bk[hi]]);
                        gown[bk[hi]] = me + 1;
                        bstate[bk[hi]] = SHELD
                    };
                    gn = 0; ok = 1; w = 0; nx = 0; dp = 0; i = 0
                :: else ->
                    /* C#: word = seen; */
                    w = word; wstale[me] = 0; ok = 0; nx = 0; i = 0
                fi
            };
            if
            :: ok -> break
            :: else
            fi
        fi
    od
}

/* C#: BlockPool.Bulk.cs Free(Block[] blocks, int count): blocks[i] = FB(i) (dupf: blocks[1] = blocks[0]).
   ok = 0: InvalidOperationException, and every state is as it was. (Not the handler's `ok`: Release clears that.) */
#define FB(x) ((dupf && (x) == 1) -> bk[0] : bk[x])
inline FreeMany(cnt, ok)
{
    i = 0; ok = 1;
    do
    :: i < (cnt) ->
        /* [BulkFree.own] C#: if (Interlocked.CompareExchange(ref blocks[i]._state, StateFree, StateHeld) != StateHeld) */
        d_step {
            if
            :: bstate[FB(i)] == SHELD -> assert(gown[FB(i)] == me + 1); bstate[FB(i)] = SFREE; i++
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
        /* C#: for (int j = 0; j < i; j++) blocks[j]._state = Block.StateHeld;  throw ... */
        j = 0;
        do
        :: j < i -> bstate[FB(j)] = SHELD; j++
        :: else -> break
        od;
        atomic { i = 0; j = 0 }
    :: else ->
        /* C#: for (int i = 0; i < count; i++) { ...; Release(block); } */
        j = 0;
        do
        :: j < (cnt) -> blk = FB(j); Release(blk, 0); j++
        :: else -> break
        od;
        atomic { i = 0; j = 0; blk = NONE }
    fi
}
#endif

/* ---------------------------------------------------------------- BlockPool.Waiting.cs Alloc and its helpers */
inline PublishWaiting(ok)
{
    /* C#: BlockPool.Waiting.cs PublishWaiting: int word = _word; */
    d_step { ReadWord(w) };
    do
    :: HASTOP(FIELD(w)) ->
        /* C#: if (FreeListWord.HasTop(FreeListWord.Field(word))) return false; */
        ok = 0; w = 0; wstale[me] = 1;
        break
    :: else ->
        /* [Publish.cas] */
        /* C#: BlockPool.Waiting.cs PublishWaiting: int seen = Interlocked.CompareExchange(ref _word, Successor(word, EmptyWithWaiters), word); */
        d_step {
            if
            :: WORD_UNCHANGED(w) ->
                word = SUCC(w, EWW);
                WordChanged();
                gpub[me] = 1; gwait[me] = 1;
                ok = 1; w = 0
            :: else -> w = word; wstale[me] = 0; ok = 0
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
    /* C#: WaiterQueue.cs Register: Waiter[] records = _records; (only written under the lock we hold: folded) */
    /* C#: WaiterQueue.cs Register: if (Waiter.Phase(records[0]._word) == Waiter.PhaseIdle) { waiter = records[0]; break; } */
    d_step {
        nr = nrec;
        if
        :: rph[0] == IDLE -> r = 0
        :: else -> r = NONE
        fi
    };
    if
    :: r == NONE && nr > 1 ->
        /* C#: WaiterQueue.cs Register: (i = 1) if (Waiter.Phase(records[1]._word) == Waiter.PhaseIdle) */
        if
        :: rph[1] == IDLE -> r = 1
        :: else
        fi
    :: else
    fi;
    if
    :: r == NONE ->
        /* [Register.grow] C#: WaiterQueue.cs Register: _records = grown;  (the new record is slot 1, Idle) */
        assert(nr == 1);
        nrec = 2;
        r = 1
    :: else
    fi;
    nr = 0;
        /* [Register.publish] */
    /* C#: WaiterQueue.cs Register: Interlocked.Exchange(ref waiter._word, word);  (ticket = _nextTicket++) */
    d_step {
        assert(rph[r] == IDLE && !rsig[r] && rhand[r] == 0);
        rph[r] = WAITING;
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
        grec[me] = r;
        /* C#: BlockPool.Waiting.cs Alloc: } (end of lock: folded into this step, see LOCKS in the header) */
        lk = 0
    }
}

/* [Withdraw.cas] C#: WaiterQueue.cs Withdraw: return Interlocked.CompareExchange(ref waiter._word, idle, registeredWord) == registeredWord; */
inline Withdraw(ok)
{
    d_step {
        if
        :: rph[r] == WAITING -> rph[r] = IDLE; RecordWritten(r); ok = 1; gpub[me] = 0
        :: else -> ok = 0; gwait[me] = 1
        fi
    }
}

/* Collect: res = 1 block in blk, res = 3 ObjectDisposedException. */
inline Collect(consumed)
{
    if
    :: !consumed ->
        /* C#: BlockPool.Waiting.cs Collect: waiter._signal.WaitOne(); (untimed; the claimer's Set is coming) */
        assert(rph[r] == CLAIMED || rph[r] == DISPOSED);
        /* [Collect.wait] */
        d_step { rsig[r] -> rsig[r] = 0 }
    :: else
    fi;
    /* C#: BlockPool.Waiting.cs Collect: if (Waiter.Phase(waiter._word) == Waiter.PhaseDisposed) { Recycle; throw }
       C#: BlockPool.Waiting.cs Collect: Block block = waiter._handed;
       One step: after the Set, only this thread writes the record (no CAS leaves Claimed/Disposed). */
    d_step {
        assert(rph[r] == CLAIMED || rph[r] == DISPOSED); dis = (rph[r] == DISPOSED); gpub[me] = 0;
        if
        :: !dis ->
            /* exactly-once data publication: the claimer wrote _handed before its Set */
            assert(rhand[r] != 0 && rhand[r] == gclaim[r]);
            blk = rhand[r] - 1;
            assert(ghand[blk] && gown[blk] == 0);
            ghand[blk] = 0; gown[blk] = me + 1; gclaim[r] = 0
        :: else -> assert(rhand[r] == 0)
        fi
    };
    /* C#: WaiterQueue.cs Recycle: waiter._handed = null;  (read by nobody but this thread: folded)
       C#: WaiterQueue.cs Recycle: Interlocked.Exchange(ref waiter._word, Make(Ticket(waiter._word), PhaseIdle));
       C#: BlockPool.Waiting.cs Collect: OnAllocated(block, FreeCount, ownerTag);  (block._state = Held, before
           Recycle in the C#: both folded into this step, see FOLDING) */
    d_step {
        assert(!rsig[r]);
        rhand[r] = 0;
        rph[r] = IDLE; RecordWritten(r);
        if
        :: dis -> res = 3      /* C#: throw new ObjectDisposedException("BlockPool"); */
        :: else -> assert(gown[blk] == me + 1); bstate[blk] = SHELD; res = 1
        fi;
        dis = 0
    }
}

/* Alloc(timeout): res = 1 block in blk, res = 2 timeout (null), res = 3 ObjectDisposedException. */
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
    /* C#: BlockPool.Waiting.cs Alloc: ThrowIfDisposed();  (a read of a constant 0 without a Disposer) */
#if NDISPOSER
    if
    :: disposed -> res = 3
    :: else ->
#else
    if
    :: true ->
#endif
        /* C#: BlockPool.Waiting.cs Alloc: if (TryPop(out block, out freeAfter)) { OnAllocated(block, freeAfter); return block; } */
        TryPop(blk, ok, 1);
        if
        :: ok -> res = 1
        :: else ->
            do
            :: /* C#: BlockPool.Waiting.cs Alloc: lock (_threadLock) { ThrowIfDisposed();  (folded, see LOCKS in the header) */
                d_step { lk == 0 -> lk = me + 1; gretry[me] = 0; dis = disposed };
                if
                :: dis -> d_step { lk = 0; dis = 0; res = 3 }; break
                :: else
                fi;
                /* C#: BlockPool.Waiting.cs Alloc: waiter = _waiters.Register(out registered); */
                Register();
                /* (the lock is released in Register's last step, see LOCKS in the header) */
                /* C#: BlockPool.Waiting.cs Alloc: if (PublishWaiting()) return AwaitHandOff(waiter, registered, millisecondsTimeout); */
                PublishWaiting(ok);
                if
                :: ok ->
                    /* C#: BlockPool.Waiting.cs AwaitHandOff: bool signalled = waiter._signal.WaitOne(millisecondsTimeout, false); */
        /* [Await.wait] */
                    if
                    :: d_step { rsig[r] -> rsig[r] = 0; sgn = 1 }
                    :: timed -> sgn = 0            /* the timeout expires */
                    fi;
                    if
                    :: !sgn ->
                        /* C#: BlockPool.Waiting.cs AwaitHandOff: if (!signalled && WaiterQueue.Withdraw(waiter, registered)) return null; */
                        Withdraw(ok);
#ifdef BUG_TIMEOUT_IGNORES_CLAIM
                        /* SEEDED BUG: return null after a timeout even when a claim won the race. */
                        res = 2; break;
#endif
                        if
                        :: ok -> res = 2; break
                        :: else
                        fi
                    :: else
                    fi;
                    /* C#: BlockPool.Waiting.cs AwaitHandOff: return Collect(waiter, signalled); */
                    Collect(sgn);
                    sgn = 0;
                    break
                :: else ->
                    /* C#: BlockPool.Waiting.cs Alloc: if (!WaiterQueue.Withdraw(waiter, registered)) return Collect(waiter, false); */
                    Withdraw(ok);
                    if
                    :: !ok -> Collect(0); break
                    :: else
                    fi;
                    /* C#: BlockPool.Waiting.cs Alloc: if (TryPop(out block, out freeAfter)) { OnAllocated(block, freeAfter); return block; } */
                    TryPop(blk, ok, 1);
                    if
                    :: ok -> res = 1; break
                    :: else
                    fi;
                    /* a handler took that block first: register again, unless the deadline has passed
                       C#: BlockPool.Waiting.cs Alloc: if (deadline != long.MaxValue) { ... if (left <= 0) return null; } */
                    if
                    :: timed -> res = 2; break
                    :: true -> gretry[me] = 1
                    fi
                fi
            od
        fi
    fi;
    atomic {
        ok = 0; r = 0; timed = 0;
        gpub[me] = 0; gwait[me] = 0; grec[me] = 0;
        galloc[me] = 0
    }
}

/* ---------------------------------------------------------------- BlockPool.BulkWaiting.cs Alloc(Block[], count, timeout) */
#if BULKWAIT > 0
#ifdef BUG_BULK_HOLD_AND_WAIT
#define BNEED(k) ((k) - bh)   /* the seeded bug waits for the blocks it still lacks */
/* SEEDED BUG (hold and wait): take single blocks until the set is complete or none is free, and keep them. */
inline TakeWhatYouCan(k, ok)
{
    do
    :: bh < (k) ->
        TryPop(blk, ok, 1);
        if
        :: ok -> d_step { bk[bh] = blk; bh++; blk = NONE }
        :: else -> break
        fi
    :: else -> break
    od;
    ok = (bh == (k))
}
#else
#define BNEED(k) (k)
#endif

/* WaiterQueue.cs Register(need, out word) on the bulk queue (the caller holds the thread lock; its last step
   releases it, see LOCKS in the header). */
inline BRegister(need)
{
    /* C#: BlockPool.BulkWaiting.cs Alloc: if (_bulkQueue == null) _bulkQueue = new WaiterQueue();  (under the lock;
       folded into Register's first read: a freer that reads the new queue before our publish below finds no
       Waiting record in it, exactly as if it had read null)
       C#: WaiterQueue.cs Register: Waiter[] records = _records;  (only lock holders write it: folded)
       C#: WaiterQueue.cs Register: if (Waiter.Phase(records[0]._word) == Waiter.PhaseIdle) { waiter = records[0]; break; } */
    d_step {
        if
        :: bnrec == 0 -> bnrec = BINITREC
        :: else
        fi;
        nr = bnrec;
        if
        :: bph[0] == IDLE -> r = 0
        :: else -> r = NONE
        fi
    };
    if
    :: r == NONE && nr > 1 ->
        /* C#: WaiterQueue.cs Register: (i = 1) if (Waiter.Phase(records[1]._word) == Waiter.PhaseIdle) */
        if
        :: bph[1] == IDLE -> r = 1
        :: else
        fi
    :: else
    fi;
    if
    :: r == NONE ->
        /* [Register.grow] C#: WaiterQueue.cs Register: _records = grown;  (the bulk queue's; the new record is slot 1) */
        assert(nr == 1);
        bnrec = 2;
        r = 1
    :: else
    fi;
    /* [Register.publish] C#: WaiterQueue.cs Register: waiter._need = need; ... Interlocked.Exchange(ref waiter._word, word);
       (_need is read only by scanners that read the word Waiting: written with the publish)
       C#: BlockPool.BulkWaiting.cs Alloc: } (end of lock: folded, see LOCKS in the header) */
    d_step {
        assert(bph[r] == IDLE && !bsig[r]);
        bneed[r] = (need);
        bph[r] = WAITING;
        BRecordWritten(r);
        gbrec[me] = r;
        nr = 0;
        lk = 0
    }
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
    /* C#: BlockPool.BulkWaiting.cs Alloc: if (count > PoolSizes.Target(_sizes)) throw new ArgumentOutOfRangeException(...);
       C#: ThrowIfDisposed();  (reads of constants without a Resizer or a Disposer) */
    if
#if NRESIZER
    :: target < (k) -> res = 5
#endif
#if NDISPOSER
    :: disposed -> res = 3
#endif
    :: else ->
        /* C#: BlockPool.BulkWaiting.cs Alloc: if (TryTakeMany(into, count, 0, ownerTag)) return true; */
#ifdef BUG_BULK_HOLD_AND_WAIT
        TakeWhatYouCan(k, ok);
#else
        TryAllocBulk(k, 0, ok);
#endif
        if
        :: ok -> res = 1
        :: else ->
            /* [BulkWait.inc] C#: BlockPool.BulkWaiting.cs Alloc: Interlocked.Increment(ref _bulkWaiting); */
            bulkWaiting++;
            do
            :: /* C#: BlockPool.BulkWaiting.cs Alloc: lock (_threadLock) { ThrowIfDisposed(); if (count > PoolSizes.Target(_sizes)) throw ...;
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
                /* C#: BlockPool.BulkWaiting.cs Alloc: waiter = _bulkQueue.Register(count, out registered); */
                BRegister(BNEED(k));
                /* ---- BlockPool.BulkWaiting.cs AwaitBulkWake ---- */
#ifdef BUG_BULK_NO_RECHECK
                /* SEEDED BUG: sleep right after registering, without re-reading the free count. */
                gbsleep[me] = 1;
#else
                /* [BulkWait.recheck] C#: bool woken = FreeCount < count && waiter._signal.WaitOne(millisecondsTimeout, false);
                   C#: BlockPool.cs FreeCount: int field = FreeListWord.Field(_word); */
                fc = FIELD(word);
                /* C#: BlockPool.cs FreeCount: return HasTop(field) ? BlockAt(IndexOf(field))._depth : 0;  (a read of its own:
                   the top may have been popped, and even pushed again with another depth, since the word was read) */
                d_step {
                    fc = (HASTOP(fc) -> bdepth[INDEXOF(fc)] : 0);
                    gbsleep[me] = (fc < BNEED(k)); fc = 0
                };
#endif
                if
                :: gbsleep[me] ->
                    /* C#: BlockPool.BulkWaiting.cs AwaitBulkWake: waiter._signal.WaitOne(millisecondsTimeout, false) */
                    if
                    :: d_step {
                           bsig[r] ->
#ifdef REACH_BULK_WOKEN
                           assert(bph[r] != CLAIMED);   /* probe: a sleeping bulk waiter is woken by a freer's claim and Set */
#endif
                           bsig[r] = 0; sgn = 1; gbsleep[me] = 0
                       }
                    :: timed -> gbsleep[me] = 0      /* the timeout expires */
                    fi
                :: else
                fi;
                if
                :: !sgn ->
                    /* [Withdraw.cas] C#: BlockPool.BulkWaiting.cs AwaitBulkWake: if (!woken && !WaiterQueue.Withdraw(waiter, registered)) */
                    d_step {
                        if
                        :: bph[r] == WAITING -> bph[r] = IDLE; BRecordWritten(r); ok = 1
                        :: else -> ok = 0
                        fi
                    };
                    if
                    :: !ok ->
                        /* [BulkWait.collect] C#: BlockPool.BulkWaiting.cs AwaitBulkWake: waiter._signal.WaitOne(); woken = true;
                           (a freer or Dispose claimed the record first: its one Set is on the way, consume it) */
                        d_step { bsig[r] -> assert(bph[r] == CLAIMED || bph[r] == DISPOSED); bsig[r] = 0; sgn = 1 }
                    :: else -> ok = 0
                    fi
                :: else
                fi;
                if
                :: sgn ->
                    /* C#: BlockPool.BulkWaiting.cs AwaitBulkWake: bool disposed = Phase(waiter._word) == PhaseDisposed;
                       C#: WaiterQueue.cs Recycle: Interlocked.Exchange(ref waiter._word, Make(Ticket(waiter._word), PhaseIdle));
                       (one step: after the Set, only this thread writes the record; no CAS leaves Claimed/Disposed) */
                    d_step {
                        assert((bph[r] == CLAIMED || bph[r] == DISPOSED) && !bsig[r]);
                        dis = (bph[r] == DISPOSED);
                        bph[r] = IDLE; BRecordWritten(r); sgn = 0
                    };
                    if
                    :: dis ->
#ifdef REACH_BULK_DISPOSED
                        assert(!dis);       /* probe: Dispose woke a sleeping bulk waiter */
#endif
                        d_step { dis = 0; res = 3 }; break     /* C#: throw new ObjectDisposedException */
                    :: else
                    fi
                :: else
                fi;
                /* C#: BlockPool.BulkWaiting.cs Alloc: if (TryTakeMany(into, count, 0, ownerTag)) return true; */
#ifdef BUG_BULK_HOLD_AND_WAIT
                TakeWhatYouCan(k, ok);
#else
                TryAllocBulk(k, 0, ok);
#endif
                if
                :: ok -> res = 1; break
                :: else
                fi;
                /* C#: BlockPool.BulkWaiting.cs Alloc: if (deadline != long.MaxValue) { ... if (left <= 0) return false; } */
                if
                :: timed -> res = 2; break
                :: true
                fi
            od;
            /* [BulkWait.dec] C#: BlockPool.BulkWaiting.cs Alloc: finally { Interlocked.Decrement(ref _bulkWaiting); } */
            bulkWaiting--
        fi
    fi;
    atomic { ok = 0; r = 0; timed = 0; gbsleep[me] = 0; gbrec[me] = 0; gbin[me] = 0 }
}
#endif

/* ---------------------------------------------------------------- BlockPool.Resize.cs Resize */
inline ReviveOrCreateBlock(blk)
{
    blk = NONE;
    i = 0;
    do
    :: i < blockCount ->
        /* C#: BlockPool.Resize.cs ReviveOrCreateBlock: if (retired._state == Block.StateRetired) */
        if
        :: bstate[i] == SRETIRED ->
            /* C#: BlockPool.Resize.cs ReviveOrCreateBlock: retired._state = Block.StateFree; return retired; */
            d_step { bstate[i] = SFREE; assert(gret[i] && gpend); gret[i] = 0; gpend = 0; gown[i] = me + 1; blk = i };
            break
        :: else -> i++
        fi
    :: else -> break
    od;
    if
    :: blk == NONE ->
        /* C#: BlockPool.Resize.cs ReviveOrCreateBlock: Block block = new Block(...); _blocks[_blockCount] = block; _blockCount++; */
        d_step {
            assert(blockCount < NBMAX);
            blk = blockCount; bstate[blk] = SFREE; blockCount++;
            assert(gpend); gpend = 0; gown[blk] = me + 1
        }
    :: else
    fi;
    i = 0
}

inline Resize(newCap)
{
    /* C#: BlockPool.Resize.cs Resize: ThrowIfDisposed(); lock (_threadLock) { ThrowIfDisposed(); */
    d_step { lk == 0 -> lk = me + 1; ginresize = 1; dis = disposed };
    if
    :: dis -> dis = 0
    :: else ->
        /* [Resize.target] C#: BlockPool.Resize.cs Resize: CAS loop on _sizes: Make(newCapacity, Capacity(sizes)) (only Resize writes the target, under the lock) */
        target = newCap;
#if BULKWAIT > 0
        /* C#: BlockPool.Resize.cs Resize: if (_bulkWaiting != 0) WakeBulkWaiters(int.MaxValue); */
        if
        :: bulkWaiting != 0 -> WakeBulk(255)
        :: else
        fi;
#endif
        do
        :: /* C#: BlockPool.Resize.cs Resize: sizes = _sizes; int capacity = PoolSizes.Capacity(sizes); if (capacity >= newCapacity) break; */
            cap = capacity;
            if
            :: cap >= newCap -> cap = 0; break
            :: else ->
                /* [Resize.grow] C#: BlockPool.Resize.cs Resize: if (Interlocked.CompareExchange(ref _sizes, Make(newCapacity, capacity + 1), sizes) == sizes) */
                d_step {
                    if
                    :: capacity == cap -> capacity = cap + 1; gpend = 1; ok = 1
                    :: else -> ok = 0
                    fi;
                    cap = 0
                };
                if
                :: ok ->
                    /* C#: BlockPool.Resize.cs Resize: Release(ReviveOrCreateBlock()); */
                    ReviveOrCreateBlock(blk);
                    Release(blk, 0);
                    blk = NONE
                :: else
                fi
            fi
        od;
        /* C#: BlockPool.Resize.cs Resize: RetireSurplus(); */
        ReleaseOrRetire(blk, 0, 1);
        blk = NONE
    fi;
    /* C#: BlockPool.Resize.cs Resize: } (lock released) */
    atomic { lk = 0; ginresize = 0 }
}

/* ---------------------------------------------------------------- backing allocator: Alloc, Resize (BlockPool.Waiting.cs, BlockPool.Backing.cs) */
#if BACKING
/* C#: BlockPool.Backing.cs TakeFromAllocator -> NewBlockFromAllocator (AllocateBuffer, then the slot under the lock), OnAllocated.
   res = 1: a block (in blk); res = 3: ObjectDisposedException (NewBlockFromAllocator found the pool disposed); res = 0: none. */
inline TakeFromAllocator()
{
    AllocateBuffer(ok);
    if
    :: ok ->
        ok = 0;
        /* C#: BlockPool.Backing.cs NewBlockFromAllocator: lock (_threadLock) { if (_disposed != 0) { _allocator.Release(buffer); throw ... } */
        d_step { lk == 0 -> lk = me + 1; dis = disposed };
        if
        :: dis ->
            /* C#: _allocator.Release(buffer); throw new ObjectDisposedException("BlockPool");  (the lock is released) */
            d_step { aout--; gbufs--; lk = 0; dis = 0; res = 3 }
        :: else ->
            AdoptBlock(blk);
            /* C#: } (lock released) */
            lk = 0;
            /* C#: BlockPool.Backing.cs TakeFromAllocator: OnAllocated(block, FreeCount, ownerTag); (block._state = Held) */
            OnAllocated(blk);
            res = 1
        fi
    :: else -> res = 0
    fi
}

/* C#: BlockPool.Waiting.cs Alloc(int) with a backing allocator (the model's Alloc above is the same method
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
    /* C#: BlockPool.Waiting.cs Alloc: ThrowIfDisposed();  (a read of a constant 0 without a Disposer) */
#if NDISPOSER
    if
    :: disposed -> res = 3
    :: else ->
#else
    if
    :: true ->
#endif
        /* C#: BlockPool.Waiting.cs Alloc: Block block = _allocator != null ? TakeFromAllocator(ownerTag) : null; if (block != null) return block; */
        TakeFromAllocator();
        if
        :: res != 0 -> skip
        :: else ->
            /* C#: BlockPool.Waiting.cs Alloc: if (TryPop(0, out block, out freeAfter)) { OnAllocated(block, freeAfter, ownerTag); return block; } */
            TryPop(blk, ok, 1);
            if
            :: ok -> res = 1
            :: else ->
                do
                :: /* C#: BlockPool.Waiting.cs Alloc: lock (_threadLock) { ThrowIfDisposed();  (folded, see LOCKS in the header) */
                    d_step { lk == 0 -> lk = me + 1; gretry[me] = 0; dis = disposed };
                    if
                    :: dis -> d_step { lk = 0; dis = 0; res = 3 }; break
                    :: else
                    fi;
                    /* C#: BlockPool.Waiting.cs Alloc: waiter = _waiters.Register(1, out registered); */
                    Register();
                    /* C#: BlockPool.Waiting.cs Alloc: if (PublishWaiting()) */
                    PublishWaiting(ok);
                    if
                    :: ok ->
                        /* C#: BlockPool.Waiting.cs Alloc: int slice = WaitSlice(remaining); block = AwaitHandOff(waiter, registered, slice, ownerTag);
                           C#: BlockPool.Waiting.cs AwaitHandOff: bool signalled = waiter._signal.WaitOne(millisecondsTimeout, false);  (as [Await.wait])
                           With an allocator every wait is a slice of at most BackingRetryMilliseconds, so even
                           Alloc() may stop waiting at any moment. */
                        if
                        :: d_step { rsig[r] -> rsig[r] = 0; sgn = 1 }
#ifndef NOSLICE
                        :: sgn = 0            /* the slice ends */
#else
                        :: timed -> sgn = 0   /* -DNOSLICE: one slice, as long as the timeout (see the header) */
#endif
                        fi;
                        if
                        :: !sgn ->
                            /* C#: BlockPool.Waiting.cs AwaitHandOff: if (!signalled && WaiterQueue.Withdraw(waiter, registered)) return null; */
                            Withdraw(ok);
                            if
                            :: ok ->
                                /* C#: BlockPool.Waiting.cs Alloc: if (slice == remaining) { timeouts++; return null; }
                                   (a timed call's last slice; the slice lengths are not modelled: a choice) */
                                if
                                :: timed -> res = 2; break
#ifndef NOSLICE
                                :: true -> skip      /* not the last slice: ask the allocator again, below */
#endif
                                fi
                            :: else ->
                                /* C#: AwaitHandOff: return Collect(waiter, signalled, ownerTag);  (a claim won the race) */
                                Collect(0);
                                break
                            fi
                        :: else ->
                            /* C#: BlockPool.Waiting.cs AwaitHandOff: return Collect(waiter, signalled, ownerTag); */
                            Collect(sgn);
                            sgn = 0;
                            break
                        fi
                    :: else ->
                        /* C#: BlockPool.Waiting.cs Alloc: if (!WaiterQueue.Withdraw(waiter, registered)) return Collect(waiter, false, ownerTag); */
                        Withdraw(ok);
                        if
                        :: !ok -> Collect(0); break
                        :: else
                        fi;
                        /* C#: BlockPool.Waiting.cs Alloc: if (TryPop(0, out block, out freeAfter)) { ...; return block; } */
                        TryPop(blk, ok, 1);
                        if
                        :: ok -> res = 1; break
                        :: else
                        fi
                    fi;
                    /* C#: BlockPool.Waiting.cs Alloc: if (_allocator != null) { block = TakeFromAllocator(ownerTag); if (block != null) return block; } */
                    TakeFromAllocator();
                    if
                    :: res != 0 -> break
                    :: else
                    fi;
                    /* C#: BlockPool.Waiting.cs Alloc: if (deadline != long.MaxValue) { ... if (left <= 0) return null; } */
                    if
                    :: timed -> res = 2; break
                    :: true -> gretry[me] = 1
                    fi
                od
            fi
        fi
    fi;
    atomic {
        ok = 0; r = 0; timed = 0;
        gpub[me] = 0; gwait[me] = 0; grec[me] = 0;
        galloc[me] = 0
    }
}

/* C#: BlockPool.Resize.cs Resize with a backing allocator: under the thread lock, BlockPool.Backing.cs ResizeReserve. */
inline ResizeBacking(newSize)
{
    /* C#: BlockPool.Resize.cs Resize: ThrowIfDisposed(); lock (_threadLock) { ThrowIfDisposed(); if (_allocator != null) { ResizeReserve(newCapacity); return; } */
    d_step { lk == 0 -> lk = me + 1; dis = disposed };
    if
    :: dis -> dis = 0
    :: else ->
        /* [ResizeReserve.limit] C#: BlockPool.Backing.cs ResizeReserve: Interlocked.Exchange(ref _reserveLimit, newSize);
           (the trim window opens; the own trim below closes it) */
        d_step {
            limit = newSize;
#ifndef BUG_NO_OWN_TRIM
            gtrimming++
#endif
        };
        /* C#: if (_bulkWaiting != 0) WakeBulkWaiters(int.MaxValue);  (no bulk waiters in the model) */
        /* C#: int missing = newSize - FreeCount;  (FreeCount reads the word, then the top's _depth) */
        d_step { ReadWord(w) };
        d_step {
            dp = (HASTOP(FIELD(w)) -> bdepth[INDEXOF(FIELD(w))] : 0);
            miss = (newSize > dp -> newSize - dp : 0);
            w = 0; dp = 0; wstale[me] = 1
        };
        do
        :: miss > 0 ->
            miss--;
            /* C#: byte[] buffer = AllocateBuffer(); Block block = buffer != null ? AdoptBufferLocked(buffer) : null; */
            AllocateBuffer(ok);
            if
            :: ok -> ok = 0; AdoptBlock(blk); Release(blk, 0); blk = NONE      /* C#: Release(block); */
            :: else -> break        /* C#: if (block == null) break;  (like mempool_resize: frees refill it later) */
            fi
        :: else -> break
        od;
        miss = 0;
#ifndef BUG_NO_OWN_TRIM
        /* C#: BlockPool.Backing.cs ResizeReserve: TrimReserve(); */
        TrimReserve();
        /* (the re-check never puts a block back here: only Resize and Dispose write the limit, under the lock
           we hold, so our own pops were made with the current limit) */
        assert(!again)
#else
        skip        /* SEEDED BUG: no own trim after lowering the limit */
#endif
    fi;
    /* C#: BlockPool.Resize.cs Resize: } (lock released) */
    lk = 0
}

/* Threads and the resizer call the backing versions (these macros rename the calls in proctypes Thread and
   Resizer below; the inlines Alloc and Resize above are the same methods without an allocator). */
#define Alloc() AllocBacking()
#define Resize(n) ResizeBacking(n)
#define BACKINGLOCALS ; byte lm, pd, miss, fa; bit again
#else
#define BACKINGLOCALS
#endif

/* ---------------------------------------------------------------- the contexts */
#if BULK > 0 || BULKWAIT > 0
#define BULKLOCALS ; byte bk[3], j, gn; bit torn, dupf, fok
#else
#define BULKLOCALS
#endif
#if BULKWAIT > 0
#define BWLOCALS ; byte q, pd, fc, bh; bit bok, bws, gpush
#else
#define BWLOCALS
#endif
#define LOCALS byte w, nx, dp, cap, tgt, nr, o, i, r; byte blk = NONE; bit ok, ho, sgn, timed, dis, rmode, ow; byte res, n BULKLOCALS BWLOCALS BACKINGLOCALS

proctype Handler(byte me)
{
    LOCALS;
end_loop:
    do
    :: HOPS == 0 || n < HOPS ->
        n = (HOPS == 0 -> 0 : n + 1);
        /* C#: BlockPool.cs TryAlloc: ThrowIfDisposed(); */
#if NDISPOSER
        if
        :: disposed -> break       /* ObjectDisposedException: the handler stops */
        :: else
        fi;
#endif
#if BULK > 0
        /* C#: BlockPool.Bulk.cs TryAlloc(into, BULK) ... Free(into, BULK) */
        TryAllocBulk(BULK, RESERVE, ok);
        if
        :: ok ->
#ifdef BULKDUP
            /* misuse first: Free({ into[0], into[0] }, 2) must throw and change nothing */
            dupf = 1;
            FreeMany(2, fok);
            d_step { assert(!fok && bstate[bk[0]] == SHELD && gown[bk[0]] == me + 1); dupf = 0 };
#endif
            FreeMany(BULK, fok);
            d_step { assert(fok); fok = 0; bk[0] = 0; bk[1] = 0; bk[2] = 0 }
        :: else
        fi
#elif RESERVE > 0
        /* C#: BlockPool.cs TryAlloc: if (TryPop(_handlerReserve, out block, out freeAfter)) { OnAllocated(...); return true; } */
        TryPopKeep(blk, ok, RESERVE);
        if
        :: ok -> Free(blk)
        :: else
        fi
#else
        /* C#: BlockPool.cs TryAlloc: if (TryPop(out block, out freeAfter)) { OnAllocated(block, freeAfter); return true; } */
        TryPop(blk, ok, 1);
        if
        :: ok -> Free(blk)
        :: else
        fi
#endif
    :: else -> break
    od
}

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
        :: res == 2 -> res = 0
        :: res == 3 -> break       /* ObjectDisposedException */
        fi
    :: else -> break
    od
}

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
            /* C#: BlockPool.Bulk.cs Free(into, k) */
            res = 0;
            FreeMany(k, fok);
            d_step { assert(fok); fok = 0; bk[0] = 0; bk[1] = 0; bk[2] = 0; bh = 0 }
        :: res == 2 || res == 4 || res == 5 -> res = 0
        :: res == 3 -> break       /* ObjectDisposedException */
        fi
    :: else -> break
    od
}
#endif

proctype Resizer(byte me)
{
    LOCALS;
end_loop:
    do
    :: ROPS == 0 || n < ROPS ->
        n = (ROPS == 0 -> 0 : n + 1);
        Resize(NB - 1);
        Resize(NB)
    :: else -> break
    od
}

proctype Disposer(byte me)
{
    LOCALS;
    /* C#: BlockPool.cs Dispose: if (Interlocked.Exchange(ref _disposed, 1) != 0) return; */
    disposed = 1;
    /* C#: BlockPool.cs Dispose: lock (_threadLock) { */
    d_step { lk == 0 -> lk = me + 1 };
    /* C#: WaiterQueue.cs DisposeAll: Waiter[] records = _records; */
    nr = nrec;
    r = 0;
    do
    :: r < nr ->
        /* C#: WaiterQueue.cs DisposeAll: int word = records[i]._word; if (Phase(word) == Waiting) */
        if
        :: rph[r] == WAITING ->
            /* [DisposeAll.cas] C#: WaiterQueue.cs DisposeAll: if (Interlocked.CompareExchange(ref records[i]._word, disposed, word) == word) */
            d_step {
                if
                :: rph[r] == WAITING -> rph[r] = DISPOSED; RecordWritten(r); ok = 1
                :: else -> ok = 0
                fi
            };
            if
            :: ok ->
                /* [DisposeAll.set] C#: WaiterQueue.cs DisposeAll: records[i]._signal.Set(); */
                d_step { assert(!rsig[r]); rsig[r] = 1; ok = 0 }
            :: else
            fi
        :: else
        fi;
        r++
    :: else -> break
    od;
#if BULKWAIT > 0
    /* C#: BlockPool.cs Dispose: if (_bulkQueue != null) _bulkQueue.DisposeAll();
       C#: WaiterQueue.cs DisposeAll: Waiter[] records = _records;  (one read: _bulkQueue is written only under the lock we hold) */
    nr = bnrec;
    r = 0;
    do
    :: r < nr ->
        /* C#: WaiterQueue.cs DisposeAll: int word = records[i]._word; if (Phase(word) == Waiting) */
        if
        :: bph[r] == WAITING ->
            /* [DisposeAll.cas] C#: WaiterQueue.cs DisposeAll: if (Interlocked.CompareExchange(ref records[i]._word, disposed, word) == word) */
            d_step {
                if
                :: bph[r] == WAITING -> bph[r] = DISPOSED; BRecordWritten(r); ok = 1
                :: else -> ok = 0
                fi
            };
            if
            :: ok ->
                /* [DisposeAll.set] C#: WaiterQueue.cs DisposeAll: records[i]._signal.Set(); */
                d_step { assert(!bsig[r]); bsig[r] = 1; ok = 0 }
            :: else
            fi
        :: else
        fi;
        r++
    :: else -> break
    od;
#endif
#if BACKING
    /* [Dispose.limit] C#: BlockPool.cs Dispose: if (_allocator != null) { Interlocked.Exchange(ref _reserveLimit, 0); TrimReserve(); } */
#ifndef BUG_NO_OWN_TRIM
    atomic { limit = 0; gtrimming++ };
    TrimReserve();
    assert(!again);     /* as in ResizeBacking: we hold the lock, nobody else writes the limit */
#else
    limit = 0;      /* SEEDED BUG: no own trim after lowering the limit */
#endif
#endif
    /* C#: BlockPool.cs Dispose: } (lock released) */
    lk = 0
}

/* ---------------------------------------------------------------- construction and final audit */
init
{
    byte k;
    atomic {
        /* C#: BlockPool.cs BlockPool(int, int): the list is built top-down, block 0 on top */
        word = EMPTY;
        k = NB;
        do
        :: k > 0 ->
            k--;
            bnext[k] = FIELD(word);
            bdepth[k] = NB - k;
            word = SUCC(word, FIELDOF(k))
        :: else -> break
        od;
        blockCount = NB;
        for (k : 0 .. NP - 1) {
            wstale[k] = 1       /* canonical value while a context holds no copy of the word */
        };
        capacity = NB;
        target = NB;
#if BACKING
        aout = NB;      /* C#: the constructor's ReserveBuffer: the reserve's buffers come from the allocator */
#endif
        k = 0;
        do
        :: k < NHANDLER -> run Handler(k); k++
        :: else -> break
        od;
        do
        :: k < NHANDLER + NWAITER -> run Thread(k); k++
        :: else -> break
        od;
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
        k = 0
    };
#if (NHANDLER == 0 || HOPS) && (NWAITER == 0 || WOPS) && (NRESIZER == 0 || ROPS) && (NBW == 0 || BOPS)
    /* Final audit when every context has ended (bounded runs only): every block is home. */
    _nr_pr == 1 + (NO_MONITOR_COUNT == 0);
    assert(LISTLEN == capacity && NOWNED == 0 && NHAND == 0 && !gpend);
    /* I6, second half: after a shrink no surplus block stays on the free list */
    assert(!(capacity > target && LISTLEN > 0));
#ifndef NO_I6
    assert(capacity >= target);
#endif
    assert(rph[0] == IDLE && rph[1] == IDLE && !rsig[0] && !rsig[1]);
#if BULKWAIT > 0
    /* the bulk queue: every record Idle, no signal left latched, nobody counted as a bulk waiter */
    assert(bph[0] == IDLE && bph[1] == IDLE && !bsig[0] && !bsig[1] && bulkWaiting == 0 && gnwk == 0);
#endif
#if BACKING
    /* I7 with nobody in flight; the allocator has out exactly one buffer per live block; retired slots have none */
    assert(LISTLEN <= limit && gtrimming == 0);
    assert(gbufs == 0 && aout == capacity);
#ifdef RELIABLE_ALLOC
    /* REFILL FIRST, end to end: with an allocator that refuses only when its budget is spent, every block that
       went back left a full reserve behind, and every Resize filled it: the run ends with a full reserve */
    assert(LISTLEN >= limit);
#endif
    assert((!EXISTS(0) || bbuf[0] != gret[0]) && (!EXISTS(1) || bbuf[1] != gret[1])
           && (!EXISTS(2) || bbuf[2] != gret[2]) && (!EXISTS(3) || bbuf[3] != gret[3]));
#endif
    assert(lk == 0)
#endif
}

/* ---------------------------------------------------------------- liveness (spin -a; pan -a -f -N name) */
/* Every thread whose registration CAS succeeded (or whose withdraw lost to a claim) eventually returns
   from Alloc: with a block, null at its timeout, or ObjectDisposedException. */
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
   every race for its set: it may be overtaken, see BlockPool.BulkWaiting.cs "Priority"). */
ltl bdone0 { [] (gbin[BW0] -> <> !gbin[BW0]) }
#endif
