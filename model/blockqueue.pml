/*
 * NanoMempool: a Promela model of BlockQueue (NanoMempool/BlockQueue.cs), checked with spin.
 * See docs/concurrency/block-queue.md for the properties, configurations and timings;
 * tests/NanoMempool.ModelTests/BlockQueueModelTests.cs runs it.
 *
 * What is modelled, statement by statement (each C# reference names the member and the statement; see below):
 *   TryEnqueue, TryDequeue, Dequeue(int) (Dequeue() is Dequeue(-1)) with its try and finally, PassOnTaken, Dispose,
 *   IsHeadReady, ThrowIfDisposed; the block's link in its pool as far as the queue reads and writes it (held,
 *   queued, not held: TryEnqueue's queued-mark CAS, the give-back when full, TryDequeue's unmark).
 *   Not modelled, because no decision of the queue reads them: the statistics (EventCounts, the lap counters
 *   _tailLaps/_headLaps and their increments, TryEnqueue's read of _head for the high-water mark); Dequeue's
 *   timeout of 0 (a poll: TryDequeue and return); the interrupt-thread guard of Dequeue and Dispose
 *   (CallingContext.IsInterruptThread: it reads only the calling thread, and the model's producers never call
 *   them).
 *
 * C# references: "C#" and a colon, then Type.Member, e.g. C#: BlockQueue.TryDequeue: int position = _head;
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
 * Granularity: one Promela step per access to shared memory (a read, a write, an Interlocked call, an
 * event call), as the MODEL block of BlockQueue.cs lists them. Local computation (slot index, Distance,
 * the mark comparisons) is folded into the shared read it follows: no other context can see it. A failed CAS
 * on _tail or _head is followed, in the C#, by a re-read of that position (position = _tail / _head): a step of
 * its own here too ([TryEnqueue.reread], [TryDequeue.reread]). Link folds, argued where they are made: TryEnqueue's
 * disposed check and queued-mark CAS are one step (only the block's holder touches a held block's link), and
 * TryDequeue's unmark goes with its winning CAS (only the consumer that took the block writes its link); -DDUPENQ,
 * where two producers enqueue one block, keeps the link steps apart. The model's pool does not poison, so
 * TryEnqueue's second CAS for a HeldChecked link (MarkQueuedChecked) is never taken.
 *
 * The queued mark (BlockLink.Queued, I1 of the pool): TryEnqueue moves the block's link held -> queued by one CAS
 * before it claims a position ([TryEnqueue.own]: a block already queued, or freed, is refused with nothing changed),
 * gives it back when the queue is full ([TryEnqueue.unown]), and TryDequeue moves it back to held ([TryDequeue.own]).
 * -DDUPENQ: two producers enqueue one and the same block, once each, no consumer: exactly one succeeds (the final
 * audit) and the block never enters a second slot (oneplace).
 *
 * Exceptions (-DABORT): Thread.Abort or Thread.Interrupt thrown into the first consumer, at any step of Dequeue's try
 * (an Aborter process makes it due while the consumer is inside the try, and the consumer takes it at its next step:
 * Promela's unless, whose escape has priority). In WaitOne it may take a latched Set with it. The finally then runs:
 * the decrement, the pass-on Set ([Dequeue.passon], on every exit) and PassOnTaken for a block already taken; the
 * consumer ends. Not thrown inside TryDequeue from its claim CAS to its mark write (I10's window of an any-context
 * member: an exception there wedges the queue; -DABORT_IN_TAKE throws it there too, and spin finds the wedge), nor
 * between [Dequeue.inc] and the try (the C# has no try there; one instruction), nor in the finally.
 *
 * AutoResetEvent: ONE latched bit, ev. Set() makes it 1 (two Sets before a WaitOne merge into one);
 * WaitOne waits for 1 and makes it 0; a timed WaitOne may time out at any moment (nondeterministically,
 * even when ev is 1: a superset of the real behaviour). The deadline check after a wake is also a free
 * choice for timed calls. Sequential consistency (the nano interpreter runs one thread at a time).
 *
 * Naps (Deadline.Nap). Dequeue's WaitOne sleeps at most Deadline.RecheckMilliseconds; then its loop re-checks (the
 * disposed flag, TryDequeue, the deadline), so a wait may end without a Set at any moment. For a timed call the model
 * has that already (its WaitOne ends at any moment, its deadline check is a choice). For Dequeue() (untimed):
 *   - where every publish that finds a sleeper counted is followed by its Set, a nap's end is folded. A nap whose
 *     re-check finds nothing reads (_disposed, _head, a mark) and sleeps again, writing nothing: a stutter. A nap that
 *     finds the head ready ends the wait before the Set that Q5 says is on its way (latched, due from a producer, or
 *     passed on by an awake consumer), which then stays latched: a stale true return, which the loop re-checks and
 *     the model has anyway (timed consumers, the pass-on, an aborted sleeper's Set).
 *   - where a Set is lost, the case the naps exist for (-DABORT_PUBLISH: the first producer, on a thread, leaves
 *     TryEnqueue by an exception between its publish and its Set, once per run, and ends), a nap's end is modelled
 *     whenever its re-check would find the head ready or the queue disposed and no Set is latched. From the lost Set
 *     on, Q5 holds with the naps on the way (INV_WAKE allows a sleeper beside a ready head then), and what shows that
 *     every consumer still gets its block is spin's end-state check (a Dequeue() that sleeps forever beside it is an
 *     invalid end state) and the final audit. -DBUG_NO_NAP (the wait untimed again) must fail that check.
 *   The folds keep the end-state check meaningful: a consumer the model leaves asleep for good is one that, in the
 *   C#, naps for good without finding anything.
 *
 * Positions and _wrap. The C# wraps positions at _wrap >= 4,096 * capacity. The model wraps them at WRAP
 * (default 4 for C = 1, 6 for C = 2: positions wrap every 3 to 4 laps, so every run of more than WRAP
 * enqueues exercises Advance's and Distance's wrap-around). Why not 2 laps: Distance returns values in
 * (-WRAP/2, WRAP/2], and a fresh producer or consumer must see the lap -C of a slot that still belongs to
 * the previous lap as negative, so WRAP/2 > C is needed (with WRAP = 2C a full queue reads as "another
 * producer claimed this position" and TryEnqueue spins until a consumer frees a slot; the C# is far from
 * that bound). What a small WRAP must not add is Q6's ABA, which the C# rules out by the size of _wrap.
 * The model keeps exactly Q6's assumption ("fewer than _wrap positions pass between a context's read of
 * _head/_tail and its CAS or its use of the read") with ghost counters, as the pool model does with its tag:
 *   tmv[p]   1 when a CAS on _tail succeeded since p last read _tail;
 *   hadv[p]  successful CASes on _head since p last read _head (saturating at C + 1).
 * With them: (1) a CAS on _tail/_head succeeds iff the position did not move since the read (as in the C#
 * under Q6); (2) a stale reader (the position moved before its mark read) never returns "full"/"empty":
 * the real lap is then >= 0 (the slot's mark moved at least to the read position, marks only move forward)
 * and every real branch re-reads the position, but the small WRAP could show a lap >= WRAP/2 as negative;
 * (3) IsHeadReady is true iff the mark equals Mark(h, full) and hadv <= C (then the mark's position lies in
 * [h - C, h + 2C), inside one WRAP, so the comparison is exact; with hadv > C, position h + C was claimed,
 * so the mark is past h and the C# answer is false). Each rule is argued where it is used.
 *
 * Checked (monitor process, every state): Q1 bounds; Q2 the slot states around [head, head + C);
 * Q3 ownership (every block is in exactly one place: free, held by a producer, in exactly one slot, or held
 * by the consumer that took it); the queued marks (INV_LINK); Q5 as an invariant, INV_WAKE below. Inline assertions check each arrow of
 * Q2 (the slot is empty before a producer writes it, full before a consumer reads it), Q4 (a consumer gets
 * the block of the position it claimed), and that no block is taken twice. Bounded runs (with a Disposer)
 * add spin's invalid-end-state check (a thread asleep forever after Dispose, or any deadlock) and a final
 * audit: nothing held, the queue holds exactly the blocks still in it, every slot's mark that of its position
 * (Validate's Q2), _sleepers back to 0.
 *
 * Seeded bugs (each must make spin fail; BlockQueueModelTests checks that it does):
 *   -DBUG_NO_SET       the producer does not Set() when _sleepers != 0 (the wake-up is dropped).
 *   -DBUG_NO_PASS_ON   a thread leaving Dequeue passes the Set() on only after Dispose, not when another
 *                      block is ready (so two Sets merged into one wake only one of two sleepers).
 *   -DBUG_PASSON_OUTSIDE_FINALLY  (with -DABORT) the pass-on after Dequeue's finally, so an exception skips it: a
 *                      consumer aborted in WaitOne took the Set meant for a block, and the other sleeper sleeps
 *                      beside it (INV_WAKE; without the monitor, an invalid end state).
 *   -DBUG_NO_QUEUED_MARK  (with -DDUPENQ) TryEnqueue as before the mark: both enqueues of one block succeed, and the
 *                      block enters a second slot (oneplace).
 *   -DBUG_NO_NAP       (with -DABORT_PUBLISH) Dequeue's wait untimed again: a sleeper whose Set was lost sleeps beside
 *                      the block for good (invalid end state).
 *   -DBUG_WRONG_SLOT   (C = 2) the producer writes its block into the next position's slot: a queued block is not in
 *                      its position's slot (Q3, SLOTOF), and an emptied slot's stale reference would be read.
 *   Probes (must FAIL): -DREACH_NAP (with -DABORT_PUBLISH) a nap ends the wait of a sleeper whose Set was lost;
 *                      -DREACH_ABORT_SET the exception takes a latched Set; -DABORT_IN_TAKE (a limit, not a bug of
 *                      the code as it is): an exception inside TryDequeue's claim-to-mark window wedges the queue
 *                      (the final audit's Q2).
 */

/* ---------------------------------------------------------------- configuration */
#ifndef C
#define C 2             /* capacity */
#endif
#ifndef WRAP
#if C == 1
#define WRAP 4
#else
#define WRAP (3 * C)
#endif
#endif
#ifndef NPROD
#define NPROD 2         /* producers: TryEnqueue only, never wait; drop (free) the block when full */
#endif
#ifndef NCONS
#define NCONS 2         /* consumer threads: Dequeue(timeout), Dequeue(), TryDequeue */
#endif
#ifndef NDISPOSER
#define NDISPOSER 0     /* 1: a thread calling Dispose once (bounded runs) */
#endif
/* OPS = 0: every context loops forever (cyclic: unbounded runs, positions wrap again and again).
   OPS = k: each producer/consumer does k operations and ends (then the final audit runs). */
#ifndef OPS
#define OPS 0
#endif
#ifndef POPS
#define POPS OPS
#endif
#ifndef COPS
#define COPS OPS
#endif
/* Which calls consumers make: bit 0 TryDequeue, bit 1 Dequeue(timeout), bit 2 Dequeue() (infinite). */
#ifndef CMODES
#define CMODES 7
#endif
/* ABORT: an exception (Thread.Abort, Thread.Interrupt) is thrown into the first consumer at any step of its wait in
   Dequeue (see "Exceptions" in the header); the consumer then runs Dequeue's finally and ends. */
#ifndef ABORT
#define ABORT 0
#endif
/* ABORT_PUBLISH: the first producer (on a thread) may leave TryEnqueue by an exception between its publish and its Set
   (once per run; see "Naps" in the header); it then ends. */
#if defined(ABORT_PUBLISH) && (defined(DUPENQ) || NPROD == 0)
#error "-DABORT_PUBLISH needs a producer, and is checked without -DDUPENQ"
#endif
/* DUPENQ: both producers enqueue one and the same block (the first one's), once each: a misuse TryEnqueue must refuse
   while the block is in a queue (see "The queued mark" in the header). */
#ifdef DUPENQ
#if NPROD != 2 || NCONS != 0
#error "-DDUPENQ: two producers and no consumer (the ghosts know one holder per block)"
#endif
#endif

#define NP (NPROD + NCONS + NDISPOSER)
#define NBLK (C + NPROD)        /* block ids: enough for a full queue and one in every producer's hand */

/* The mark of a position: position * 2 + full ((position << 1) | 1 in BlockQueue.cs) */
#define MARK(p, f) ((p) * 2 + (f))
#define POSOF(m) ((m) / 2)
#define ISFULL(m) ((m) % 2)
/* BlockQueue.Advance(position, steps) for steps in 0..C */
#define ADV(p, s) (((p) + (s)) >= WRAP -> ((p) + (s)) - WRAP : ((p) + (s)))

/* ---------------------------------------------------------------- shared state (BlockQueue fields) */
byte head;                    /* _head */
byte tail;                    /* _tail */
byte marks[C];                /* _marks */
byte slots[C];                /* _slots: block id + 1, 0 = null */
byte sleepers;                /* _sleepers */
bit disposed;                 /* _disposed */
bit ev;                       /* _ready: the AutoResetEvent's latched bit */
/* The block's link in its pool (BlockPool._links[block._slot], BlockLink), as far as the queue reads and writes it. */
#define LHELD 1               /* BlockLink.Held: held by one caller */
#define LQUEUED 2             /* BlockLink.Queued: held, and inside a queue (TryEnqueue's CAS) */
#define LNOTHELD 0            /* free (on the pool's list) or anywhere else that is not held */
byte qlink[NBLK];

/* Q6 ghosts (see the header); indexed by process id */
bit tmv[NP];
byte hadv[NP];

/* Ownership ghosts: never read by the protocol */
#define GFREE 0
#define GPROD 1               /* held by a producer (allocated, or being enqueued) */
#define GSLOT 2               /* written into a slot (from the producer's slot write until a consumer reads it) */
#define GCONS 3               /* taken by a consumer (slot read; the slot keeps the reference), not yet freed */
byte gst[NBLK];
byte gpos[NBLK];              /* position the block was enqueued at */
bit gin[NP];                  /* consumer inside Dequeue (from its first step to its last) */
bit gblk[NP];                 /* consumer at its WaitOne */
bit ginit;                    /* the constructor has run */
bit gpend[NP];                /* producer between its mark write and its Set decision; disposer before its Set */
bit gabl[NP];                 /* consumer inside Dequeue's try, outside TryDequeue's claim-to-mark window (ABORT) */
bit gexc[NP];                 /* an exception is due in the consumer: delivered at its next step */
bit gfired;                   /* the Aborter has thrown its exception */
byte genq;                    /* DUPENQ: successful enqueues of the shared block */
byte gdup;                    /* DUPENQ: the shared block + 1, once producer 0 has it */
bit oneplace;                 /* ghost, set and asserted inside one d_step: a block enters a slot from a producer's hands */
#ifdef ABORT_PUBLISH
bit gfa;                      /* the first producer has left by its exception (once per run) */
bit glost;                    /* a publish's Set was lost (its producer left before it while sleepers were counted): from
                                 then on the sleepers' naps stand in for it, for the rest of the run */
#define LOSTSET glost
#else
#define LOSTSET 0
#endif

/* ---------------------------------------------------------------- invariants */
#define DISTR(d) ((d) > WRAP / 2 -> (d) - WRAP : ((d) <= -(WRAP / 2) -> (d) + WRAP : (d)))
#define COUNT (DISTR(tail - head))
/* Q1: 0 <= (_tail - _head) mod _wrap <= capacity */
#define INV_Q1 (COUNT >= 0 && COUNT <= C)
/* Q2 around the head: for i in [0, C), position p = head + i lives in slot p % C; its mark is Mark(p, empty)
   or Mark(p, full) (claimed by a producer: i < count; published or not) or, when not yet claimed, Mark(p,
   empty) or Mark(p - C, full) (the consumer of p - C has claimed it and not yet written the mark). */
#define PI(i) ADV(head, i)
#define PM(i) (ADV(head, i) + WRAP - C) % WRAP   /* p - C mod WRAP */
#define SLOTOK(i) ((i) >= C || \
    ((i) < COUNT -> (marks[PI(i) % C] == MARK(PI(i), 0) || marks[PI(i) % C] == MARK(PI(i), 1)) \
                 : (marks[PI(i) % C] == MARK(PI(i), 0) || marks[PI(i) % C] == MARK(PM(i), 1))))
#define INV_Q2 (SLOTOK(0) && SLOTOK(1))
/* Q3: every block in a slot (ghost GSLOT) is in the slot of the position it was enqueued at, so no two blocks share a
   slot and no block is in two. An emptied slot is not cleared (the C# leaves the reference for the next lap's producer to
   overwrite): it may still name the block it held last, which nobody reads (the take asserts that the block it reads is
   in GSLOT at its own position). */
#define INSLOT(b) (gst[b] == GSLOT)
#define NINSLOT (INSLOT(0) + (NBLK > 1 && INSLOT(1)) + (NBLK > 2 && INSLOT(2)) + (NBLK > 3 && INSLOT(3)))
#define SLOTOF(b) ((b) >= NBLK || !INSLOT(b) || slots[gpos[b] % C] == (b) + 1)
#define NFULLMARKS ((marks[0] % 2 == 1) + (C > 1 && marks[C - 1] % 2 == 1))
#define INV_Q3 (SLOTOF(0) && SLOTOF(1) && SLOTOF(2) && SLOTOF(3))
/* The queued mark (I1 of the pool): a block in a slot is marked Queued in its pool, a block in nobody's hands is not
   held; a block in a producer's or a consumer's hands is Held or Queued (between TryEnqueue's mark CAS and its slot
   write, or between TryDequeue's claim and its unmark). */
#define LINKOK(b) ((b) >= NBLK || (gst[b] == GSLOT -> qlink[b] == LQUEUED : (gst[b] == GFREE -> qlink[b] == LNOTHELD : qlink[b] != LNOTHELD)))
#ifndef BUG_NO_QUEUED_MARK
#define INV_LINK (LINKOK(0) && LINKOK(1) && LINKOK(2) && LINKOK(3))
#else
#define INV_LINK 1            /* the seeded bug has no mark */
#endif
/* Q5, no lost wake-up, as an invariant: never is a consumer at its WaitOne with the event clear while the
   head block is published (or the queue is disposed) and nobody is on the way: no consumer awake inside
   Dequeue (it re-checks before it sleeps, or passes a Set on when it leaves), no producer between its
   publish and its Set, no Dispose before its Set. ABORT_PUBLISH: or a publish's Set was lost (LOSTSET): from then on
   the sleepers' naps are on the way (see "Naps" in the header), and what shows that every consumer still gets its
   block is spin's end-state check and the final audit. */
#define C0 (NPROD)
#define C1 (NPROD + 1)
#define HEADREADY (marks[head % C] == MARK(head, 1))
#define ASLEEP ((NCONS > 0 && gblk[C0]) || (NCONS > 1 && gblk[C1]))
#define AWAKE ((NCONS > 0 && gin[C0] && !gblk[C0]) || (NCONS > 1 && gin[C1] && !gblk[C1]))
#define PENDING (gpend[0] || (NPROD > 1 && gpend[1]) || (NDISPOSER && gpend[NP - 1]))
#define INV_WAKE (!(ASLEEP && !ev && (HEADREADY || disposed) && !AWAKE && !PENDING && !LOSTSET))

#ifdef NO_MONITOR
#define NO_MONITOR_COUNT 1
#else
#define NO_MONITOR_COUNT 0
#define INV_ALL (!ginit || (INV_Q1 && INV_Q2 && INV_Q3 && INV_LINK && INV_WAKE))
active proctype monitor()
{
end:
    atomic {
        !INV_ALL ->
        assert(INV_Q1);
        assert(INV_Q2);
        assert(INV_Q3);
        assert(INV_LINK);
        assert(INV_WAKE)
    }
}
#endif

/* ---------------------------------------------------------------- helpers */
/* Distance(a, b) for positions a, b in [0, WRAP): a - b in (-WRAP/2, WRAP/2] (BlockQueue.Distance) */
#define DIST(a, b) DISTR((a) - (b))

inline TailMoved()
{
    k = 0;
    do
    :: k < NP -> tmv[k] = 1; k++
    :: else -> k = 0; break
    od
}

inline HeadMoved()
{
    k = 0;
    do
    :: k < NP -> hadv[k] = (hadv[k] > C -> hadv[k] : hadv[k] + 1); k++
    :: else -> k = 0; break
    od
}

/* Forget a finished operation's locals and read ghosts (canonical state: fewer states, same behaviour). */
inline Forget()
{
    d_step { pos = 0; ok = 0; er = 0; tmv[me] = 1; hadv[me] = C + 1 }
}

/* ---------------------------------------------------------------- TryEnqueue */
/* ok := 1 if block blk was queued, 0 if not; er := 0, or the exception: 1 ObjectDisposedException, 2
   InvalidOperationException (the block is not held: freed, or already in a queue). A refused call changes nothing. */
inline TryEnqueue()
{
#if !defined(DUPENQ) && !defined(BUG_NO_QUEUED_MARK)
    /* C#: BlockQueue.TryEnqueue: if (_disposed != 0) throw new ObjectDisposedException("BlockQueue");
       [TryEnqueue.own] C#: BlockQueue.TryEnqueue: if (Interlocked.CompareExchange(ref block._pool._links[block._slot], BlockLink.Queued, BlockLink.Held) != BlockLink.Held) MarkQueuedChecked(block);
       One step: only the block's holder (this context) touches the link of a block it holds, so the CAS can move to
       the read of _disposed (-DDUPENQ, where two contexts enqueue the same block, keeps them apart). The model's pool
       does not poison: a held link is Held, never HeldChecked, so MarkQueuedChecked (the poisoning pool's slow path)
       is not taken. */
    d_step {
        assert(qlink[blk] == LHELD);
        if
        :: disposed -> er = 1
        :: else -> qlink[blk] = LQUEUED
        fi
    };
#elif defined(DUPENQ) && !defined(BUG_NO_QUEUED_MARK)
    /* C#: BlockQueue.TryEnqueue: if (_disposed != 0) throw new ObjectDisposedException("BlockQueue"); */
    if
    :: disposed -> er = 1
    :: else
    fi;
    if
    :: er == 0 ->
        /* [TryEnqueue.own] C#: BlockQueue.TryEnqueue: if (Interlocked.CompareExchange(ref block._pool._links[block._slot], BlockLink.Queued, BlockLink.Held) != BlockLink.Held) MarkQueuedChecked(block);
           C#: BlockQueue.MarkQueuedChecked: int link = Interlocked.CompareExchange(ref block._pool._links[block._slot], HeldChecked - BlockLink.QueuedOffset, HeldChecked); ... throw new InvalidOperationException(...);
           (exactly one of two contexts enqueuing the same block wins the first CAS; the other's second CAS fails as
           well, a held link being Held here, never HeldChecked: folded, a failed CAS changes nothing) */
        d_step {
            if
            :: qlink[blk] == LHELD -> qlink[blk] = LQUEUED
            :: else -> er = 2
            fi
        }
    :: else
    fi;
#else
    /* SEEDED BUG (the queue before the mark): no held check, no mark; only the disposed check */
    if
    :: disposed -> er = 1
    :: else
    fi;
#endif
    if
    :: er != 0 -> ok = 0       /* the exception: nothing changed */
    :: else ->
    /* [TryEnqueue.read] C#: BlockQueue.TryEnqueue: int position = _tail; */
    d_step { pos = tail; tmv[me] = 0 };
    do
    ::
        /* [TryEnqueue.mark] C#: BlockQueue.TryEnqueue: int mark = marks[slot]; if (mark == position << 1) ... else if (Distance(mark >> 1, position) < 0)
           and the branch it takes (local): br = 1 claim (the mark is Mark(position, empty)), 2 full (the mark's
           position is behind), 3 retry.
           Q6 rule (2): if _tail moved since `position` was read (tmv), the real lap is >= 0 and the C# never
           returns full; only the model's small WRAP could show that lap as negative: such a read retries. */
        d_step {
            if
            :: marks[pos % C] == MARK(pos, 0) -> br = 1
            :: marks[pos % C] != MARK(pos, 0) && DIST(POSOF(marks[pos % C]), pos) < 0 && !tmv[me] -> br = 2
            :: else -> br = 3
            fi
        };
        if
        :: br == 1 ->
            /* [TryEnqueue.cas] C#: BlockQueue.TryEnqueue: if (Interlocked.CompareExchange(ref _tail, next, position) == position) */
            d_step {
                if
                :: !tmv[me] -> assert(tail == pos); tail = ADV(pos, 1); TailMoved(); ok = 1; br = 0
                :: else -> ok = 0; br = 3       /* fails: on to the re-read below */
                fi
            };
            if
            :: ok ->
                /* [TryEnqueue.slot] C#: BlockQueue.TryEnqueue: _slots[slot] = block;
                   [TryEnqueue.publish] C#: BlockQueue.TryEnqueue: Interlocked.Exchange(ref marks[slot], mark | 1);  (mark is MARK(pos, 0))
                   FOLD: one step. Between the two, no other context reads this slot: a consumer reads it only
                   after it saw this mark full and won the CAS on _head for this position. */
                d_step {
                    assert(marks[pos % C] == MARK(pos, 0));
                    /* a block enters a slot only from a producer's hands, never while it is in another slot (Q3) */
                    oneplace = (gst[blk] == GPROD); assert(oneplace); oneplace = 0;
#ifndef BUG_WRONG_SLOT
                    slots[pos % C] = blk + 1; gst[blk] = GSLOT; gpos[blk] = pos;
#else
                    slots[(pos + 1) % C] = blk + 1; gst[blk] = GSLOT; gpos[blk] = pos;
#endif
                    marks[pos % C] = MARK(pos, 1); gpend[me] = 1; pos = 0; tmv[me] = 1
                };
                /* C#: BlockQueue.TryEnqueue: if (next == 0) Interlocked.Increment(ref _tailLaps); if ((uint)(next - _head) > (uint)_highWater) RecordHighWater(next);
                   (statistics: not modelled) */
#ifdef ABORT_PUBLISH
                if
                :: d_step {
                       me == 0 && !gfa ->
                       /* The producer leaves by an exception (Thread.Abort) between its publish and its Set: the block
                          is in the queue, and the Set never comes. One a counted sleeper needed is lost (glostb) */
                       gfa = 1; exc = 1; gpend[me] = 0; glost = (sleepers != 0)
                   };
                   break
                :: else
                fi;
#endif
                /* [TryEnqueue.wake] C#: BlockQueue.TryEnqueue: if (_sleepers != 0) */
#ifdef BUG_NO_SET
                gpend[me] = 0;       /* SEEDED BUG: the wake-up is dropped */
#else
                if
                :: sleepers != 0 ->
                    /* [TryEnqueue.set] C#: BlockQueue.TryEnqueue: _ready.Set(); */
                    d_step { ev = 1; gpend[me] = 0 }
                :: else -> gpend[me] = 0
                fi;
#endif
                /* C#: BlockQueue.TryEnqueue: return true; */
                break
            :: else
            fi
        :: br == 2 ->
            /* [TryEnqueue.unown] C#: BlockQueue.TryEnqueue: block._pool._links[block._slot] += BlockLink.QueuedOffset;  (full: the caller holds
               the block again; Queued + QueuedOffset is Held (QueuedChecked: HeldChecked). A read and a write, one step:
               nobody else writes the link of a queued block, and a misuse's CAS on it (-DDUPENQ) fails and writes nothing)
               C#: BlockQueue.TryEnqueue: EventCounts.Increment(_counts, BlockQueueStatistics.RejectedFullAt); return false; */
            d_step {
#ifndef BUG_NO_QUEUED_MARK
                assert(qlink[blk] == LQUEUED); qlink[blk] = LHELD;
#endif
                ok = 0; br = 0; pos = 0; tmv[me] = 1
            };
            break
        :: else
        fi;
        /* [TryEnqueue.reread] C#: BlockQueue.TryEnqueue: position = _tail;  (after a failed CAS, or a mark of a later lap) */
        d_step { br = 0; pos = tail; tmv[me] = 0 }
    od
    fi
}

/* ---------------------------------------------------------------- TryDequeue */
/* got := block + 1, or 0 when empty */
inline TryDequeue()
{
    /* [TryDequeue.read] C#: BlockQueue.TryDequeue: int position = _head; */
    d_step { pos = head; hadv[me] = 0 };
    do
    ::
        /* [TryDequeue.mark] C#: BlockQueue.TryDequeue: int mark = marks[slot]; if (mark == ((position << 1) | 1)) ...
           else if (Distance(mark >> 1, position) <= 0)
           and the branch (local): br = 1 claim (the mark is Mark(position, full)), 2 empty (the mark's position is
           not ahead), 3 retry.
           Q6 rule (2): if _head moved since `position` was read (hadv > 0), the real lap is >= 0 and lap 0
           with an empty mark cannot happen (that position was consumed, so its mark went to full and on):
           the C# re-reads _head; only the model's small WRAP could show "empty" here. */
        d_step {
            if
            :: marks[pos % C] == MARK(pos, 1) -> br = 1
            :: marks[pos % C] != MARK(pos, 1) && DIST(POSOF(marks[pos % C]), pos) <= 0 && hadv[me] == 0 -> br = 2
            :: else -> br = 3
            fi
        };
        if
        :: br == 1 ->
            /* [TryDequeue.cas] C#: BlockQueue.TryDequeue: if (Interlocked.CompareExchange(ref _head, next, position) == position) */
            d_step {
                if
                :: hadv[me] == 0 -> assert(head == pos); head = ADV(pos, 1); HeadMoved(); ok = 1; br = 0;
                    /* [TryDequeue.slot] C#: BlockQueue.TryDequeue: Block taken = _slots[slot];
                       (the slot is not cleared: the next lap's producer overwrites it)
                       FOLD: into the winning CAS. From the CAS until this context's mark write below,
                       no other context reads or writes this slot (a producer writes it only after the mark
                       shows Mark(position + C, empty); consumers read it only after winning its position).
                       Q2, Q4: it holds the block of this very position, and nobody took it before. */
                    got = slots[pos % C];
                    assert(got != 0 && marks[pos % C] == MARK(pos, 1));
                    assert(gst[got - 1] == GSLOT && gpos[got - 1] == pos);
                    gst[got - 1] = GCONS;
#if !defined(DUPENQ) && !defined(BUG_NO_QUEUED_MARK)
                    /* [TryDequeue.own] C#: BlockQueue.TryDequeue: taken._pool._links[taken._slot] += BlockLink.QueuedOffset; block = taken;
                       FOLD: into the winning CAS too. Only this consumer writes the link of the block it took, and only
                       a context enqueuing the same block at once (a misuse: -DDUPENQ keeps the step apart) reads it. */
                    assert(qlink[got - 1] == LQUEUED); qlink[got - 1] = LHELD;
#endif
                    /* ghost: from the claim to the mark write below an exception would wedge the queue (the slot never
                       handed to the next lap): I10's window of an any-context member, left out of the exceptions the
                       model throws (-DABORT_IN_TAKE puts it back) */
#ifndef ABORT_IN_TAKE
                    gabl[me] = 0;
#endif
                    skip
                :: else -> ok = 0; br = 3       /* fails: on to the re-read below */
                fi
            };
            if
            :: ok ->
#if defined(DUPENQ) && !defined(BUG_NO_QUEUED_MARK)
                /* [TryDequeue.own] C#: BlockQueue.TryDequeue: taken._pool._links[taken._slot] += BlockLink.QueuedOffset; block = taken; */
                d_step { assert(qlink[got - 1] == LQUEUED); qlink[got - 1] = LHELD };
#endif
                /* [TryDequeue.free] C#: BlockQueue.TryDequeue: marks[slot] = free << 1;  (free = position + capacity, wrapped; a plain
                   store, one step: the model is sequentially consistent; the C#'s MODEL block argues the memory order) */
                d_step { assert(marks[pos % C] == MARK(pos, 1)); marks[pos % C] = MARK(ADV(pos, C), 0); pos = 0; hadv[me] = C + 1; gabl[me] = intry };
                /* C#: BlockQueue.TryDequeue: if (next == 0) Interlocked.Increment(ref _headLaps); return true;  (laps: not modelled) */
                break
            :: else
            fi
        :: br == 2 ->
            /* C#: BlockQueue.TryDequeue: { block = null; return false; } */
            d_step { got = 0; br = 0; pos = 0; hadv[me] = C + 1 };
            break
        :: else
        fi;
        /* [TryDequeue.reread] C#: BlockQueue.TryDequeue: position = _head;  (after a failed CAS, or a mark of a later lap) */
        d_step { br = 0; pos = head; hadv[me] = 0 }
    od
}

/* The consumer frees what it took (the queue's caller frees the block; ghost step). */
inline FreeTaken()
{
    d_step { assert(gst[got - 1] == GCONS && qlink[got - 1] == LHELD); gst[got - 1] = GFREE; qlink[got - 1] = LNOTHELD; gpos[got - 1] = 0; got = 0; pos = 0; ok = 0; tmv[me] = 1; hadv[me] = C + 1 }
}

/* ---------------------------------------------------------------- Dequeue(int) */
/* C#: BlockQueue.PassOnTaken (block): a consumer leaving Dequeue by an exception after it took block got - 1 passes it
   on: back into the queue for the next consumer, or (no room, or disposed) home to its pool. */
inline PassOnTaken()
{
    /* C#: BlockQueue.PassOnTaken: if (_disposed == 0) { try { if (TryEnqueue(block)) return; } catch (ObjectDisposedException) { } } */
    d_step {
        blk = got - 1; got = 0;
        assert(gst[blk] == GCONS && qlink[blk] == LHELD);
        gst[blk] = GPROD;       /* ghost: the consumer now holds it as a producer would */
        dis = disposed
    };
    if
    :: !dis -> TryEnqueue(); assert(er != 2)     /* the consumer holds the block: never "not held" */
    :: else -> ok = 0
    fi;
    if
    :: ok -> skip
    :: else ->
        /* C#: BlockQueue.PassOnTaken: block._pool.Free(block);  (the pool's Free: ghost) */
        d_step { assert(qlink[blk] == LHELD); qlink[blk] = LNOTHELD; gst[blk] = GFREE }
    fi;
    d_step { blk = 0; ok = 0; er = 0; dis = 0; tmv[me] = 1 }
}

/* res: 1 = got a block, 2 = null (timeout), 3 = ObjectDisposedException, RESEXC = the consumer left by an exception */
#define RESEXC 4
inline Dequeue(timed)
{
    /* C#: BlockQueue.Dequeue: Deadline.CheckTimeout(millisecondsTimeout);  (local)
       [Dequeue.disposed0] C#: BlockQueue.Dequeue: ThrowIfDisposed();  (gin: ghost, inside Dequeue) */
    d_step { gin[me] = 1; dis = disposed };
    if
    :: dis -> d_step { res = 3; dis = 0; gin[me] = 0 }
    :: else ->
        /* C#: BlockQueue.Dequeue: if (TryDequeue(out block)) return block; */
        TryDequeue();
        if
        :: got != 0 -> d_step { res = 1; gin[me] = 0 }
        :: else ->
            /* C#: BlockQueue.Dequeue: if (millisecondsTimeout == 0) { ...; return null; }  (no polls in the model)
               [Dequeue.inc] C#: BlockQueue.Dequeue: Interlocked.Increment(ref _sleepers);
               C#: BlockQueue.Dequeue: bool disposed = false; bool leaving = false; try {  (the exception window opens; intry,
               gabl: ghosts) */
            d_step { sleepers++; intry = 1; gabl[me] = (ABORT && me == C0); dis = 0 };
#if ABORT
            {
#endif
            do
            ::
                /* [Dequeue.disposed] C#: BlockQueue.Dequeue: if (_disposed != 0) { disposed = true; break; } */
                if
                :: disposed -> dis = 1; break
                :: else
                fi;
                /* C#: BlockQueue.Dequeue: if (TryDequeue(out block)) break; */
                TryDequeue();
                if
                :: got != 0 -> break
                :: else
                fi;
                /* C#: BlockQueue.Dequeue: int wait = Deadline.MillisecondsLeft(deadline); if (wait == 0) break;  (a free choice) */
                if
                :: timed -> break
                :: true -> gblk[me] = 1
                fi;
                /* [Dequeue.wait] C#: BlockQueue.Dequeue: _ready.WaitOne(Deadline.Nap(wait), false);
                   C#: Deadline.Nap: return left == Timeout.Infinite || left > RecheckMilliseconds ? RecheckMilliseconds : left;
                   (a nap: see "Naps" in the header) */
                if
                :: d_step { ev -> ev = 0; gblk[me] = 0 }
                :: timed -> gblk[me] = 0      /* timed out (any time, even with ev latched) */
#if defined(ABORT_PUBLISH) && !defined(BUG_NO_NAP)
                :: d_step {
                       /* a nap ends where its re-check finds the head ready or the queue disposed, no Set being latched,
                          after a publish's Set was lost; every other nap's end is folded */
                       LOSTSET && (HEADREADY || disposed) && !ev ->
#ifdef REACH_NAP
                       assert(!LOSTSET);     /* probe: a nap ends the wait of a sleeper whose Set was lost */
#endif
                       gblk[me] = 0
                   }
#endif
#ifdef BUG_NO_NAP
                /* SEEDED BUG: the wait is untimed again (WaitOne(wait, false)): nothing but a Set ends an untimed wait */
#endif
                fi
            od
            /* C#: BlockQueue.Dequeue: leaving = true;  (local: a normal exit is one that did not come through the escape
               below, exc = 0) */
#if ABORT
            } unless {
                /* An exception (ThreadAbortException, ThreadInterruptedException) delivered at this step (Promela's
                   unless: taken in preference to the consumer's own next step). In its WaitOne it may take a latched Set
                   with it (nanoCLR consumes the signal when it makes the thread ready; the abort replaces the return).
                   A block already taken (got) stays the consumer's, for the finally to pass on. */
                atomic {
                    gexc[me] -> gexc[me] = 0; gabl[me] = 0;
                    if
                    :: gblk[me] && ev -> ev = 0
#ifdef REACH_ABORT_SET
                        ; assert(!gblk[me])      /* probe: the exception takes a latched Set with it */
#endif
                    :: true
                    fi;
                    gblk[me] = 0; exc = 1; dis = 0;
                    pos = 0; br = 0; ok = 0; tmv[me] = 1; hadv[me] = C + 1
                }
            }
#endif
            ;
            /* [Dequeue.dec] C#: BlockQueue.Dequeue: finally { Interlocked.Decrement(ref _sleepers); ... */
            atomic { sleepers--; intry = 0; gabl[me] = 0 };     /* (atomic: the loop's breaks jump here) */
            /* [Dequeue.passon] C#: BlockQueue.Dequeue: if (_sleepers != 0 && (_disposed != 0 || IsHeadReady())) _ready.Set();
               (in the finally: on every exit, an exception included) */
#ifdef BUG_PASSON_OUTSIDE_FINALLY
            if
            :: exc -> skip      /* SEEDED BUG: the pass-on after the finally, skipped by an exception */
            :: else ->
#endif
            if
            :: sleepers != 0 ->
                if
                :: disposed -> ev = 1
                :: else ->
#ifdef BUG_NO_PASS_ON
                    skip     /* SEEDED BUG: no pass-on Set when another block is ready */
#else
                    /* [IsHeadReady.read] C#: BlockQueue.IsHeadReady: int position = _head; */
                    d_step { pos = head; hadv[me] = 0 };
                    /* [IsHeadReady.mark] C#: BlockQueue.IsHeadReady: return _marks[position % _capacity] == ((position << 1) | 1);
                       Q6 rule (3): exact while hadv <= C; with hadv > C the C# answer is false. */
                    d_step { ok = (marks[pos % C] == MARK(pos, 1) && hadv[me] <= C); pos = 0; hadv[me] = C + 1 };
                    if
                    :: ok ->
                        /* C#: BlockQueue.Dequeue: _ready.Set(); */
                        d_step { ev = 1; ok = 0 }
                    :: else
                    fi
#endif
                fi
            :: else
            fi
#ifdef BUG_PASSON_OUTSIDE_FINALLY
            fi
#endif
            ;
            /* C#: BlockQueue.Dequeue: if (!leaving && block != null) PassOnTaken(block); */
            if
            :: exc && got != 0 -> PassOnTaken()
            :: else
            fi;
            /* C#: BlockQueue.Dequeue: if (disposed) throw ...; if (block == null) EventCounts.Increment(...); return block;
               (or the exception goes on: the consumer ends) */
            d_step { res = (exc -> RESEXC : (dis -> 3 : (got != 0 -> 1 : 2))); dis = 0; exc = 0; gin[me] = 0 }
        fi
    fi
}

/* ---------------------------------------------------------------- the contexts */
#define LOCALS byte pos, got, k, blk, res, n, br, er; bit ok, dis, tm, intry, exc

proctype Producer(byte me)
{
    LOCALS;
end_loop:
    do
    :: POPS == 0 || n < POPS ->
        n = (POPS == 0 -> 0 : n + 1);
#ifdef DUPENQ
        if
        :: me == 1 -> d_step { gdup != 0 -> blk = gdup - 1 }     /* the misuse: producer 0's block, enqueued by both */
        :: else ->
#endif
        /* The caller's block (ghost allocation, the pool's TryAlloc: the lowest free id, Held; none free = a pool miss,
           skip). */
        d_step {
            blk = 0;
            do
            :: blk < NBLK && gst[blk] != GFREE -> blk++
            :: else -> break
            od;
            if
            :: blk < NBLK -> assert(qlink[blk] == LNOTHELD); gst[blk] = GPROD; qlink[blk] = LHELD
#ifdef DUPENQ
                ; gdup = blk + 1
#endif
            :: else
            fi
        };
#ifdef DUPENQ
        fi;
#endif
        if
        :: blk < NBLK ->
            TryEnqueue();
#ifdef ABORT_PUBLISH
            /* the exception between the publish and the Set ends the producer (the block is in the queue) */
            if
            :: exc -> d_step { exc = 0; ok = 0; blk = 0 }; Forget(); break
            :: else
            fi;
#endif
            if
            :: ok ->
#ifdef DUPENQ
                genq++
#else
                skip
#endif
            :: !ok && er == 2 -> skip      /* InvalidOperationException: the block is already in a queue (-DDUPENQ: the
                                              other producer's enqueue won); nothing changed */
            :: !ok && er != 2 ->
                /* full (the caller frees its block and counts a drop), or ObjectDisposedException (it frees it and stops) */
                d_step { assert(qlink[blk] == LHELD); qlink[blk] = LNOTHELD; gst[blk] = GFREE }
            fi;
            if
            :: er == 1 -> Forget(); break
            :: else -> Forget()
            fi
        :: else
        fi;
        blk = 0
    :: else -> break
    od
}

proctype Consumer(byte me)
{
    LOCALS;
end_loop:
    do
    :: COPS == 0 || n < COPS ->
        n = (COPS == 0 -> 0 : n + 1);
        if
        :: CMODES & 1 ->
            /* C#: BlockQueue.TryDequeue */
            TryDequeue();
            res = (got != 0 -> 1 : 2)
        :: CMODES & 2 -> tm = 1; Dequeue(tm)
        :: CMODES & 4 -> tm = 0; Dequeue(tm)
        fi;
        if
        :: res == 1 -> FreeTaken()
        :: else -> Forget()
        fi;
        if
        :: res == 3 -> break         /* ObjectDisposedException */
        :: res == RESEXC -> break    /* the exception ends the consumer (ABORT) */
        :: else -> d_step { res = 0; tm = 0 }
        fi
    :: else -> break
    od
}

#if ABORT
/* Thread.Abort or Thread.Interrupt, called by another thread: the exception is due in the first consumer from here and
   is delivered at its next step, while it is inside Dequeue's try (gabl). One per run, at any such step. */
proctype Aborter()
{
end:
    atomic { gabl[C0] -> gexc[C0] = 1; gfired = 1 }
}
#define ABORTERLEFT (!gfired)
#else
#define ABORTERLEFT 0
#endif

proctype Disposer(byte me)
{
    /* [Dispose.xchg] C#: BlockQueue.Dispose: if (Interlocked.Exchange(ref _disposed, 1) != 0) return; */
    d_step { disposed = 1; gpend[me] = 1 };
    /* [Dispose.set] C#: BlockQueue.Dispose: _ready.Set(); */
    d_step { ev = 1; gpend[me] = 0 }
}

init
{
    byte i;
    atomic {
        /* C#: BlockQueue.BlockQueue: _marks[i] = i << 1; */
        for (i : 0 .. C - 1) {
            marks[i] = MARK(i, 0)
        };
        for (i : 0 .. NP - 1) {
            tmv[i] = 1;
            hadv[i] = C + 1       /* canonical values while a context holds no read of _tail/_head */
        };
        i = 0;
#if ABORT
        run Aborter();      /* first, so that its wait (which may last) never holds back the end of the others */
#endif
        do
        :: i < NPROD -> run Producer(i); i++
        :: else -> break
        od;
        do
        :: i < NPROD + NCONS -> run Consumer(i); i++
        :: else -> break
        od;
#if NDISPOSER
        run Disposer(i);
#endif
        i = 0;
        ginit = 1
    };
#if POPS && COPS
    /* Final audit when every context has ended: nothing is held; the queue holds exactly the blocks in
       slots (drain them as the owner would, with TryDequeue's effect); _sleepers is back to 0. */
    _nr_pr == 1 + (NO_MONITOR_COUNT == 0) + ABORTERLEFT;
    atomic {
        assert(sleepers == 0);
        i = 0;
        do
        :: i < NBLK -> assert(gst[i] == GFREE || gst[i] == GSLOT); i++
        :: else -> break
        od;
        /* Q2 at quiescence, as BlockQueue.Validate states it: every slot's mark is that of its position around the head,
           full exactly for the queued ones (a slot whose mark no consumer handed on to the next lap fails this) */
        i = 0;
        do
        :: i < C -> assert(marks[ADV(head, i) % C] == MARK(ADV(head, i), i < COUNT)); i++
        :: else -> break
        od;
#ifdef DUPENQ
        /* two producers enqueued one block: exactly one succeeded, and the block is in exactly one slot */
        assert(genq == 1 && NINSLOT == 1 && NFULLMARKS == 1);
#endif
        assert(NINSLOT == COUNT && NFULLMARKS == COUNT);
        i = 0;
        do
        :: i < COUNT -> assert(marks[ADV(head, i) % C] == MARK(ADV(head, i), 1)); i++
        :: else -> break
        od
    }
#endif
}
