// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    // The free list: a Treiber stack of block slots, lock-free, on one int (FreeListWord) and one link per slot
    // (BlockLink), both defined at the end of this file; the handler paths TryAlloc and Free, written out in full
    // because the interpreter inlines nothing; pop, push with the hand-off to waiting threads, the bulk take, the
    // refusal rule (WordUnchanged), the alert (RaiseAlert, ClearAlertIfIdle); and the invariants of the whole pool.
    // The fields are declared in BlockPool.cs.
    //
    // ABA. A pop's CAS replaces (tag, A) with (tag + 1, A.next). Without the tag this interleaving corrupts the list
    // (list A -> B -> C):
    //   context 1                       context 2                 list
    //   reads top A, A.next = B                                   A B C
    //   (preempted)                     pops A, pops B            C
    //                                   pushes A (A.next = C)     A C
    //   CAS(top A -> B) succeeds!                                 B ...  (B is held by context 2)
    // With the tag, context 2's three successful CASes moved the tag on by 3, so context 1's CAS fails and it retries
    // with the fresh word. Every successful CAS on the word increments the 16-bit tag, so the ABA case needs exactly a
    // multiple of 65,536 word changes between one context's read and its CAS, ending with the same top. A link read
    // before the CAS is used only if the CAS proves the word unchanged (a link read after the top was popped is
    // negative: its depth field is 0xFFFF, and the CAS fails).
    public sealed partial class BlockPool
    {
        // ------------------------------------------------------------------------------------------------
        // INVARIANTS (checked by Validate at quiescent points; the Promela model in model/ checks the same
        // properties over every interleaving, see docs/concurrency/README.md):
        //
        // I1 Ownership. Every slot 1.._slotCount is in exactly one place, told by its link (BlockLink):
        //    free      - link >= 0, on the free list reachable from _word;
        //    held      - Held (or HeldChecked in a poisoning pool), owned by exactly one caller; or Queued
        //                (QueuedChecked): held and inside exactly one BlockQueue, moved there by TryEnqueue's CAS
        //                and back to held by the one consumer that takes it (so Free and a second TryEnqueue fail);
        //    in transit- owned by the one context moving it: Owned for a block handed to exactly one Claimed
        //                Waiter record or being made or revived; a freer between its ownership CAS and its push
        //                may also have written the link it is about to publish (>= 0, not yet on the list);
        //    retired   - Retired: not part of the pool, not counted.
        //    A context decides on a link it read only after its CAS proved the word unchanged, or re-reads the
        //    word (a refusal included: TryAlloc), since a link read after its block left the list may be a
        //    freer's link in the making.
        // I2 Counting. free + held + in transit == capacity (PoolSizes); the top's depth == free blocks, and
        //    depths fall by one down the list to the sentinel (slot 0, link 0, depth 0).
        // I3 No waiting beside a free block. A thread sleeps only after its registration CAS saw the list empty
        //    and set WaitersBit; while the bit is set no block is pushed without a scan of the waiters first
        //    (the hand-off re-check in Release). Hence: list non-empty => no record is Waiting whose
        //    registration CAS precedes that push.
        // I4 FIFO, demand first. A freed block goes to the Waiting record with the oldest ticket at the time of
        //    the scan; it is pushed (or given back to an allocator) only when no thread waits in Alloc, and no
        //    free block is retired while a thread waits in the bulk Alloc (SettleSurplus).
        // I5 The word is the outcome, the event a wake-up. Each Set() on a Waiter follows exactly one
        //    Waiting->Claimed(slot) or Waiting->Disposed CAS on that record; the owner reads the word after every
        //    wake and never sleeps once it is Claimed or Disposed. A Set() its owner did not need (it had read the
        //    outcome first) stays latched and wakes the record's next wait once, spuriously: that wait re-reads its
        //    word and sleeps again. So no outcome depends on consuming a Set(), which an exception can take away.
        // I6 Retirement. capacity >= target (both in _sizes); while capacity > target the AlertBit is set (I9)
        //    and every push then runs AfterAlertedPush, which retires free blocks while capacity > target and
        //    no bulk caller waits. Resize raises the alert after it publishes a lower target and before its own
        //    retire loop, and the last bulk caller to leave retires too, so at quiescence no block is free while
        //    capacity > target.
        // I7 Reserve bound (backing allocator only; BlockPool.Backing.cs): at quiescence the free list holds
        //    at most _reserveLimit blocks; every push (the alert is always set), Resize and Dispose trim.
        // I8 Bulk waiters hold nothing: a thread in the blocking bulk Alloc owns no block while it sleeps, and
        //    sleeps only after its registration and a re-read of the free count (BlockPool.Bulk.cs).
        // I9 Alert. AlertBit is set whenever a bulk waiter may sleep, capacity > target, or an allocator is
        //    set. Each condition is made true before a RaiseAlert CAS (which always changes the word), and
        //    ClearAlertIfIdle clears the bit only by a CAS against a word it read before finding every
        //    condition false: a push either precedes the raise (and the raiser's own scan or pops see the
        //    pushed block) or carries the alert in the very word its CAS replaced.
        // I10 Exits. A thread that leaves a blocking member by an exception (an abort or interrupt in its wait
        //    included) leaves its record Idle and gives back any block handed to it (WaiterQueue.Abandon, then
        //    Release): no block stays with a thread that is gone, and no freer can hand one to it. What an
        //    exception (Thread.Abort) landing inside the few instructions between an any-context member's CAS and
        //    its next store can do: between a pop and its Held mark, or an ownership CAS and its push, it loses that
        //    one block (Validate reports it); between a hand-off claim and its Set(), the waiter finds the block at
        //    its next nap's end (Deadline.RecheckMilliseconds); inside TryEnqueue or TryDequeue, between the
        //    position CAS and the slot's mark, it leaves that slot unusable and wedges the queue (BlockQueue's
        //    Validate reports it). Handlers run on the interrupt thread, which nobody aborts; a thread that other
        //    threads may abort should not share a BlockQueue with them. docs/concurrency/free-list.md, "The model
        //    with exceptions", has the model's evidence.
        //
        // ASSUMPTIONS, each stated where it is used:
        // - ABA: no context is paused across exactly a multiple of 65,536 changes of _word ending with the same
        //   top (TryAlloc, Release's re-check); tickets: fewer than 2^29 registrations inside one scan (Waiter).
        // - The per-block tables are sized once, for MaxCapacity, and never replaced: lock-free contexts write
        //   them, so a replacement could lose a write. _blocks entries are written under the thread lock before
        //   the slot is published by a CAS.
        // The history of these rules (what the model checker and Coyote found) is in docs/concurrency/ (Findings).
        // ------------------------------------------------------------------------------------------------

        /// <summary>
        /// Blocks on the free list now (a snapshot: handlers may change it the next instant). Blocks being
        /// handed to a waiting thread are not free. Any context, never waits, O(1).
        /// </summary>
        public int FreeCount
        {
            get
            {
                // The top's depth, read between two equal reads of the word: no CAS moved the list in between,
                // so the link read is the top's own (a popped top's link is negative, never a depth).
                int word = _word;
                while (true)
                {
                    int link = _links[FreeListWord.Top(word)];
                    if (WordUnchanged(ref word))
                    {
                        return BlockLink.Depth(link);
                    }
                }
            }
        }

        /// <summary>
        /// Takes a free block if there is one. Any context (interrupt handlers included): never waits, takes no
        /// lock, allocates nothing, O(1): one <c>Interlocked.CompareExchange</c> when uncontended.
        /// </summary>
        /// <param name="block">The block, or null when the method returns false.</param>
        /// <returns>
        /// False when no block is free, or only the <see cref="BlockPoolOptions.HandlerReserve"/> is left. Blocks
        /// freed while threads wait in <see cref="Alloc(int)"/> go straight to those threads and are never free,
        /// so a handler cannot take a block promised to a waiter.
        /// </returns>
        /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
        public bool TryAlloc(out Block block)
        {
            // The pop, written out (Pop is the general form; the interpreter inlines nothing). The top's link is
            // compared whole with _tryFloor, a link bound (BlockLink.Bound): no depth is computed on the way. Slot 0,
            // the empty list's top, has link 0, and _tryFloor is RefuseEveryTry once disposed: one test covers
            // "empty", "only the handler reserve left" and "disposed". A top popped since we read the word has a
            // negative link, which is below every bound: it takes the refusal's re-read, which retries.
            int[] links = _links;
            int word = _word;
            while (true)
            {
                int top = word & FreeListWord.SlotMask;
                int link = links[top];
                if (link <= _tryFloor)
                {
                    // A refusal must rest on the top's own link: one read after the top was popped may be a freer's
                    // link in the making. If the word has not moved, the top is still on the list and its link is
                    // its depth.
                    // Model: model/nanomempool.pml [Refusal.reread]
                    if (!WordUnchanged(ref word))
                    {
                        continue;
                    }

                    block = null;
                    return TryAllocFailed();
                }

                // Model: model/nanomempool.pml [TryPop.cas]
                if (Interlocked.CompareExchange(
                        ref _word, ((word & FreeListWord.KeptByPop) + FreeListWord.TagUnit) | (link & FreeListWord.SlotMask), word) == word)
                {
                    links[top] = BlockLink.Held;
                    block = _blocks[top];
                    if (link <= _lowWatch)
                    {
                        OnAllocatedSlow(block, BlockLink.Depth(link) - 1);
                    }

                    return true;
                }

                word = _word;
            }
        }

        // TryAlloc found nothing it may take: throws if disposed, else counts the failure. Any context.
        private bool TryAllocFailed()
        {
            ThrowIfDisposed();
            EventCounts.Increment(_counts, BlockPoolStatistics.FailedTryAllocsAt);
            return false;
        }

        /// <summary>
        /// Gives a held block back: to the longest-waiting thread in <see cref="Alloc(int)"/> if any, else to
        /// the free list (from where a pending shrink or a full backing-allocator reserve may take it out of the
        /// pool). Any context (interrupt handlers included): never waits, takes no lock, allocates nothing; two
        /// <c>Interlocked.CompareExchange</c> when uncontended (ownership, push).
        /// </summary>
        /// <remarks>
        /// Every check is O(1) and always on; when one fails the pool is left exactly as it was.
        /// A double free is detected while the block is home; once the pool has handed the block to a new
        /// holder, a stale reference to it cannot be told apart from the new holder's. After
        /// <see cref="Dispose"/>, freeing a still-held block is allowed and puts it back on the free list
        /// (so <c>using</c> blocks that end after disposal stay safe); the counts stay exact.
        /// </remarks>
        /// <param name="block">A block of this pool that the caller holds.</param>
        /// <exception cref="ArgumentNullException"><paramref name="block"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="block"/> belongs to another pool.</exception>
        /// <exception cref="InvalidOperationException">
        /// <paramref name="block"/> is not held (freed twice), or is in a <see cref="BlockQueue"/>.
        /// </exception>
        public void Free(Block block)
        {
            if (block == null)
            {
                throw new ArgumentNullException("block");
            }

            if (block._pool != this)
            {
                throw new ArgumentException("The block belongs to another pool.", "block");
            }

            // One CAS makes the ownership check exact even when two contexts free the same block at once: exactly
            // one of them moves it Held -> Owned. A poisoning pool's blocks are HeldChecked, so their frees, and
            // every error, take FreeChecked.
            // Model: model/nanomempool.pml [Free.own]
            int slot = block._slot;
            int[] links = _links;
            if (Interlocked.CompareExchange(ref links[slot], BlockLink.Owned, BlockLink.Held) != BlockLink.Held)
            {
                FreeChecked(block);
                return;
            }

            // ReleaseFreed, written out: the use count (BlockUse.AfterFree, which also clears the used length), then
            // the push (Release is the general form, with the hand-off to waiting threads). A pool that poisons never
            // gets here (its blocks are HeldChecked). The use is read and written through one element address (ldelema,
            // dup): on the interpreter that makes a TryAlloc + Free pair about 1% faster than an element read and write.
            ref long use = ref _uses[slot];
            use = (use + 1) & BlockUse.CountMask;
            // Model: model/nanomempool.pml [Release.read]
            int word = _word;
            while (true)
            {
                // Threads may wait (the hand-off), or the alert is up (bulk waiters, a shrink, an allocator's
                // reserve): Release does both. Otherwise the word our CAS replaces carries no alert (I9), so nothing
                // is left to do after it.
                if ((word & (FreeListWord.WaitersBit | FreeListWord.AlertBit)) != 0)
                {
                    Release(slot);
                    return;
                }

                // Our link: the top's depth + 1, and the top as next (BlockLink.Make, from the top's link in one
                // expression). A top popped since we read the word has a negative link; the link made from it is
                // garbage, and the CAS below fails.
                int top = word & FreeListWord.SlotMask;
                links[slot] = ((links[top] & BlockLink.DepthBits) + BlockLink.DepthUnit) | top;

                // Model: model/nanomempool.pml [Release.cas]
                if (Interlocked.CompareExchange(
                        ref _word, ((word & FreeListWord.KeptByPush) + FreeListWord.TagUnit) | slot, word) == word)
                {
                    return;
                }

                word = _word;
            }
        }

        // Free's general path: the block is HeldChecked (poisoning pool) or not held at all (an error). Takes
        // ownership with one CAS or throws, then poisons and releases. Any context, never waits.
        private void FreeChecked(Block block)
        {
            int slot = block._slot;
            int held = HeldLink;
            // Model: model/nanomempool.pml [Free.own]
            if (Interlocked.CompareExchange(ref _links[slot], BlockLink.Owned, held) != held)
            {
                throw new InvalidOperationException(BlockLink.IsQueued(_links[slot])
                    ? "The block is in a BlockQueue: a consumer must take it out before it is freed."
                    : "The block is not held: it was already freed.");
            }

            ReleaseFreed(slot);
        }

        // The end of every free after its ownership CAS (Free's fast path has the same steps written out): counts
        // the use (clearing the used length), poisons the buffer when poisoning is on, and releases the block. Any
        // context, never waits.
        private void ReleaseFreed(int slot)
        {
            _uses[slot] = BlockUse.AfterFree(_uses[slot]);
            if ((_options & OptionPoisoning) != 0)
            {
                Poison(_blocks[slot]._buffer);
            }

            Release(slot);
        }

        // The link of a held block in this pool: HeldChecked in a poisoning pool, else Held.
        private int HeldLink
        {
            get { return (_options & OptionPoisoning) != 0 ? BlockLink.HeldChecked : BlockLink.Held; }
        }

        // Pops the top free block, unless no more than keep blocks are free; the block is then
        // Owned by the caller. Returns its slot, or 0. Any context, never waits, lock-free (see TryAlloc's ABA
        // argument).
        private int Pop(int keep, out int freeAfter)
        {
            int word = _word;
            while (true)
            {
                int top = FreeListWord.Top(word);
                int link = _links[top];
                // Model: model/nanomempool.pml [TryPopKeep.depth]
                int depth = BlockLink.Depth(link);
                if (depth <= keep)
                {
                    // Refuse only on the top's own link (see TryAlloc).
                    // Model: model/nanomempool.pml [Refusal.reread]
                    if (!WordUnchanged(ref word))
                    {
                        continue;
                    }

                    freeAfter = depth;
                    return 0;
                }

                // Model: model/nanomempool.pml [TryPop.cas] [TryPopKeep.cas]
                if (Interlocked.CompareExchange(ref _word, FreeListWord.AfterPop(word, BlockLink.Next(link)), word) == word)
                {
                    _links[top] = BlockLink.Owned;
                    freeAfter = depth - 1;
                    return top;
                }

                word = _word;
            }
        }

        // Pops count blocks in one CAS unless no more than keep would be
        // left, and records them as allocated. Any context, never waits, lock-free. False changes nothing.
        private bool TryTakeMany(Block[] into, int count, int keep)
        {
            int word = _word;
            while (true)
            {
                int top = FreeListWord.Top(word);
                // Model: model/nanomempool.pml [Bulk.depth]
                int depth = BlockLink.Depth(_links[top]);
                if (depth - count < keep)
                {
                    // Refuse only on the top's own link (see TryAlloc).
                    // Model: model/nanomempool.pml [Refusal.reread]
                    if (!WordUnchanged(ref word))
                    {
                        continue;
                    }

                    return false;
                }

                // Walk count blocks down from the top. The reads are only trusted if the CAS below proves the word
                // (and so, since every change bumps its tag, the whole list) unchanged since we read it; a walk
                // that meets a link that is not a free one is a torn read and simply retries.
                int last = top;
                bool torn = false;
                for (int i = 1; i < count; i++)
                {
                    // A negative link (the block was popped meanwhile) names no next slot: stop before using it.
                    // Model: model/nanomempool.pml [Bulk.walk]
                    int link = _links[last];
                    if (link < 0 || BlockLink.Next(link) == 0)
                    {
                        torn = true;
                        break;
                    }

                    last = BlockLink.Next(link);
                }

                // Model: model/nanomempool.pml [Bulk.last] [Bulk.cas]
                int lastLink = torn ? -1 : _links[last];
                if (lastLink >= 0
                    && Interlocked.CompareExchange(ref _word, FreeListWord.AfterPop(word, BlockLink.Next(lastLink)), word) == word)
                {
                    // Ours now: mark every block before handing any out, then record them.
                    int slot = top;
                    for (int i = 0; i < count; i++)
                    {
                        int next = BlockLink.Next(_links[slot]);
                        _links[slot] = BlockLink.Owned;
                        into[i] = _blocks[slot];
                        slot = next;
                    }

                    for (int i = 0; i < count; i++)
                    {
                        Acquired(into[i], depth - count);
                    }

                    return true;
                }

                // Model: model/nanomempool.pml [Bulk.torn]
                word = _word;
            }
        }

        // Puts a block the caller owns (Owned, on no list) back home: hands it to the oldest waiting thread, else
        // pushes it (and runs the alerted checks). Any context, never waits, lock-free.
        private void Release(int slot)
        {
            // Model: model/nanomempool.pml [Release.read]
            int word = _word;
            while (true)
            {
                int top = FreeListWord.Top(word);
                if ((word & FreeListWord.WaitersBit) != 0)
                {
                    // Threads may be waiting: the block is theirs before it is anybody else's (I4). A failed push
                    // may have left a free-looking link: in transit the block is Owned (I1).
                    // Model: model/nanomempool.pml [Release.owned]
                    _links[slot] = BlockLink.Owned;
                    if (_waiters.TryHandOff(_blocks[slot]))
                    {
                        return;
                    }

                    // HAND-OFF RE-CHECK. No record was Waiting when we scanned, but the scan began after we read
                    // `word`. A thread that registers after that read changes the word (its registration CAS
                    // bumps the tag), so the CAS below fails and we rescan: no thread can go to sleep between
                    // our scan and our push. Dropping this check (pushing with a plain write, or with a CAS
                    // against a freshly read word) loses wake-ups; model/ shows it.
                }

                int depth = BlockLink.Depth(_links[top]) + 1;
                _links[slot] = BlockLink.Make(depth, top);

                // Model: model/nanomempool.pml [Release.cas]
                if (Interlocked.CompareExchange(ref _word, FreeListWord.AfterPush(word, slot), word) == word)
                {
                    if ((word & FreeListWord.AlertBit) != 0)
                    {
                        AfterAlertedPush(depth);
                    }

                    return;
                }

                word = _word;
            }
        }

        // After a push that carried the alert and left depth blocks free: wakes bulk waiters,
        // trims a backing allocator's reserve, retires surplus blocks. Any context, never waits, lock-free.
        private void AfterAlertedPush(int depth)
        {
            // BULK WAKE, paired with the re-check in AwaitBulkWake: the bulk waiter counted itself and raised the
            // alert before registering and re-reading the free count; our push either precedes that raise (and
            // the re-read sees it) or carried the alert, and this read follows our push CAS (a full fence).
            // Model: model/nanomempool.pml [Release.bulkwake]
            if (_bulkWaiting != 0)
            {
                WakeBulkWaiters(depth);
            }

            // RESERVE TRIM (I7), paired with ResizeReserve's and Dispose's exchange of the limit followed by their
            // own trim: either they see our push, or we see their limit here.
            // Model: model/nanomempool.pml [Release.trim]
            if (depth > _reserveLimit)
            {
                TrimReserve();
            }

            // RETIRE RE-CHECK (I6), paired with Resize's target CAS, alert raise and RetireSurplus: our push
            // either precedes the raise (and Resize's pops see our block) or carried the alert, and this read of
            // _sizes follows the raise, so it sees the new target. While a bulk caller waits, retirement waits too
            // (demand first, I4); the last bulk caller to leave retires (SettleSurplus).
            // Model: model/nanomempool.pml [Release.recheck]
            SettleSurplus();
        }

        // The re-read behind every refusal and FreeCount: true when the word is still word (so a
        // link read since the caller read it is the top's own, I1); otherwise false, with word set
        // to the word now. Any context, never waits.
        private bool WordUnchanged(ref int word)
        {
            // A CAS that writes back what it finds, not a plain read: the .NET JIT may merge two plain reads of
            // _word in one method into one load, and an ARM64 core may satisfy the second before the link read
            // between them; this is a real read, fenced, on host .NET, and a native call on the interpreter. It
            // changes nothing (the tag does not move), so no other context's CAS fails because of it. The refusal
            // and FreeCount paths pay for it; the paths that allocate or free a block do not run it.
            int now = Interlocked.CompareExchange(ref _word, word, word);
            if (now == word)
            {
                return true;
            }

            word = now;
            return false;
        }

        // Sets the alert bit with a CAS that always changes the word (the tag moves even if the bit was set), so
        // that a ClearAlertIfIdle that read the word before the caller's condition became true fails (I9). Call
        // it after making the condition true. Any context, never waits.
        private void RaiseAlert()
        {
            int word = _word;
            while (true)
            {
                // Model: model/nanomempool.pml [Alert.raise]
                if (Interlocked.CompareExchange(ref _word, FreeListWord.WithFlag(word, FreeListWord.AlertBit, true), word) == word)
                {
                    return;
                }

                word = _word;
            }
        }

        // Clears the alert bit if no condition needs it (I9): no bulk waiter, no surplus, no allocator. Call it
        // after making a condition false. Any context, never waits.
        private void ClearAlertIfIdle()
        {
            int word = _word;
            while ((word & FreeListWord.AlertBit) != 0
                && _allocator == null && _bulkWaiting == 0 && !PoolSizes.HasSurplus(_sizes))
            {
                // Model: model/nanomempool.pml [Alert.clear]
                if (Interlocked.CompareExchange(ref _word, FreeListWord.WithFlag(word, FreeListWord.AlertBit, false), word) == word)
                {
                    return;
                }

                word = _word;
            }
        }

        // Marks a block just taken by the caller (popped, handed over or made) as held and records the
        // allocation, exactly as TryAlloc's fast path does after its CAS. Any context, never waits.
        private void Acquired(Block block, int freeAfter)
        {
            _links[block._slot] = BlockLink.Held;
            if (BlockLink.Bound(freeAfter) < _lowWatch)
            {
                OnAllocatedSlow(block, freeAfter);
            }
        }

        // An allocation that may set a new low-water record, or in a pool with per-allocation options: records
        // the low and runs the options (poison check, owner tracking). Any context, never waits, allocates
        // nothing.
        private void OnAllocatedSlow(Block block, int freeAfter)
        {
            // The watch first, the record second; ResetLowestFree writes them in the other order. Then the watch
            // never ends below the record, so no new low is missed (docs/concurrency/free-list.md, "Watermarks").
            if (_options == 0)
            {
                Watermark.LowerTo(ref _lowWatch, BlockLink.Bound(freeAfter));
            }

            Watermark.LowerTo(ref _lowestFree, freeAfter);

            // In use now: every allocation that can raise it runs here. In a pool without an allocator the capacity
            // changes only by retiring free blocks and by Resize (which restarts the marks), so a new peak is a new
            // low of the free count; the allocator's own allocations always run here (TakeFromAllocator).
            Watermark.RaiseTo(ref _peakInUse, PoolSizes.Capacity(_sizes) - freeAfter);
            if (_options != 0)
            {
                ApplyAllocationOptions(block);
            }
        }
    }

    // Layout of the pool's one shared word, BlockPool._word: the top of the lock-free free list, two flags
    // and a 16-bit version tag, in one int so that a single Interlocked.CompareExchange
    // changes all of them (nanoFramework has no 64-bit or object CAS).
    // Bits 31..16 tag; bit 15 AlertBit; bit 14 WaitersBit; bits 13..0 the slot of
    // the top free block (0 = the list is empty; slots are 1 to MaxBlocks).
    // Every successful CAS on the word adds TagUnit (see the ABA argument at
    // BlockPool.TryAlloc and the hand-off re-check at BlockPool.Release).
    // The fast paths (TryAlloc, Free) do this bit work inline, since the interpreter inlines
    // nothing; the helpers below are the same operations, named, for every other path.
    internal static class FreeListWord
    {
        // Largest number of blocks a pool can hold (slots 1 to 16383).
        internal const int MaxBlocks = SlotMask;

        // The bits that hold the top slot.
        internal const int SlotMask = 0x3FFF;

        // The list is empty and threads may be waiting in Alloc: a freed block must be offered to them
        // before it may be pushed. Set only while the slot bits are 0; a push clears it.
        internal const int WaitersBit = 0x4000;

        // A push must run BlockPool.AfterAlertedPush: a bulk waiter may be waiting, a shrink is being
        // settled, or a backing allocator's reserve limit applies. Kept by pops and pushes; raised and cleared
        // only by BlockPool.RaiseAlert and BlockPool.ClearAlertIfIdle.
        internal const int AlertBit = 0x8000;

        // One step of the tag (bits 31..16); adding it wraps out of bit 31 after 65,536 steps.
        internal const int TagUnit = 0x10000;

        // What a pop keeps of the old word: tag and flags (the waiters flag is never set under a pop).
        internal const int KeptByPop = ~SlotMask;

        // What a push keeps of the old word: tag and alert (a push clears the waiters flag).
        internal const int KeptByPush = ~(SlotMask | WaitersBit);

        // The top slot (0 when the list is empty).
        internal static int Top(int word)
        {
            return word & SlotMask;
        }

        // The word after popping the top: tag + 1, flags kept, top replaced by next.
        internal static int AfterPop(int word, int next)
        {
            return ((word & KeptByPop) + TagUnit) | next;
        }

        // The word after pushing slot: tag + 1, alert kept, waiters cleared.
        internal static int AfterPush(int word, int slot)
        {
            return ((word & KeptByPush) + TagUnit) | slot;
        }

        // The word with the flag bit set (or cleared) and tag + 1.
        internal static int WithFlag(int word, int bit, bool set)
        {
            return (set ? word | bit : word & ~bit) + TagUnit;
        }
    }

    // Layout of a block's entry in BlockPool._links, one int per slot: where the block is,
    // and, while it is free, its place in the free list.
    // 0 or more: on the free list (or, inside one bulk call, on that call's private chain):
    // bits 31..16 = depth (free blocks at and below this one), bits 13..0 = slot of the next block (0 = none).
    // Slot 0 is the sentinel, link 0: depth 0, so the empty list needs no special case.
    // Negative: not on the list. Held or HeldChecked: held by one caller;
    // Queued or QueuedChecked: held, and inside a BlockQueue (its one place: a queued block
    // can be neither freed nor queued again until a consumer takes it out);
    // Owned: in transit, owned by the one context moving it (a freer before its push, a hand-off to
    // a waiting thread); Retired: out of the pool after a shrink, or its buffer given back.
    internal static class BlockLink
    {
        // Held, in a pool whose frees may take the fast path.
        internal const int Held = -1;

        // Held, in a pool whose frees must take the checked path (poisoning).
        internal const int HeldChecked = -2;

        // Owned by the context moving the block; in no list, held by no caller.
        internal const int Owned = -3;

        // Not part of the pool now (capacity does not count it).
        internal const int Retired = -4;

        // In a BlockQueue, from a pool whose frees may take the fast path (Held - QueuedOffset).
        internal const int Queued = -5;

        // In a BlockQueue, from a poisoning pool (HeldChecked - QueuedOffset).
        internal const int QueuedChecked = -6;

        // A held link minus this is its queued link, and back: the queue keeps the pool's checked flag.
        internal const int QueuedOffset = 4;

        // Shift of the depth field.
        internal const int DepthShift = 16;

        // The bits of the depth field, and its unit: a free link & DepthBits is its depth field, + DepthUnit the
        // field of the block above it.
        internal const int DepthBits = ~0xFFFF;
        internal const int DepthUnit = 1 << DepthShift;

        // True for a held block's link outside any queue (Held or HeldChecked).
        internal static bool IsHeld(int link)
        {
            return link == Held || link == HeldChecked;
        }

        // True for the link of a block inside a BlockQueue (Queued or QueuedChecked).
        internal static bool IsQueued(int link)
        {
            return link == Queued || link == QueuedChecked;
        }

        // The largest link of a free block at depth or below: for a free link, link <= Bound(d) exactly when its
        // depth is d or less. Bound is increasing in depth, so bounds compare as the depths do. BlockPool keeps its
        // handler floor and low-water watch as bounds, so that TryAlloc compares the top's link whole.
        internal static int Bound(int depth)
        {
            return (depth << DepthShift) | 0xFFFF;
        }

        // The link of a free block at depth above next.
        internal static int Make(int depth, int next)
        {
            return (depth << DepthShift) | next;
        }

        // The depth of a free block's link (0 for the sentinel).
        internal static int Depth(int link)
        {
            return (int)((uint)link >> DepthShift);
        }

        // The next slot of a free block's link.
        internal static int Next(int link)
        {
            return link & FreeListWord.SlotMask;
        }
    }
}
