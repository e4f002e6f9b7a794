// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// A pool of fixed-size byte blocks reserved once, at construction, modelled on the Linux kernel's
    /// <c>mempool</c>: interrupt-style handlers take blocks with <see cref="TryAlloc(out Block)"/>, which never waits
    /// and may fail; threads take them with <see cref="Alloc()"/>, which waits for a freed block and never
    /// fails. Freed blocks go to the longest-waiting thread first (FIFO hand-off).
    /// </summary>
    /// <remarks>
    /// <para>Calling contexts. "Any context" members (<see cref="TryAlloc(out Block)"/>, <see cref="Free(Block)"/>,
    /// <see cref="Block.Dispose"/>, the counts and <see cref="Statistics"/>) never wait, take no lock and
    /// allocate nothing: call them from GPIO <c>ValueChanged</c>, <c>HighResTimer</c> and
    /// <c>System.Threading.Timer</c> callbacks. On nanoFramework those callbacks run one at a time on one
    /// dispatch thread, so a handler that blocks stalls every other native event. "Threads only" members
    /// (<see cref="Alloc()"/>, <see cref="Alloc(int)"/>, the bulk <see cref="Alloc(Block[], int, int)"/>,
    /// <see cref="Resize"/>, <see cref="Dispose"/>) may block: never call them from a handler.</para>
    /// <para>With a <see cref="BlockPoolOptions.BackingAllocator"/>, the block count is the reserve behind that
    /// allocator, as in a kernel mempool: threads ask the allocator first, handlers never do, and frees refill
    /// the reserve before giving buffers back (see BlockPool.Backing.cs).</para>
    /// <para>Like <c>mempool_alloc</c>, blocks are not zeroed between users.</para>
    /// </remarks>
    public sealed partial class BlockPool : IDisposable
    {
        // ------------------------------------------------------------------------------------------------
        // INVARIANTS (checked by Validate at quiescent points; the Promela model in model/ checks the same
        // properties over every interleaving, see docs/concurrency.md):
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
        //    sleeps only after its registration and a re-read of the free count (BlockPool.BulkWaiting.cs).
        // I9 Alert. AlertBit is set whenever a bulk waiter may sleep, capacity > target, or an allocator is
        //    set. Each condition is made true before a RaiseAlert CAS (which always changes the word), and
        //    ClearAlertIfIdle clears the bit only by a CAS against a word it read before finding every
        //    condition false: a push either precedes the raise (and the raiser's own scan or pops see the
        //    pushed block) or carries the alert in the very word its CAS replaced.
        // I10 Exits. A thread that leaves a blocking member by an exception (an abort or interrupt in its wait
        //    included) leaves its record Idle and gives back any block handed to it (WaiterQueue.Abandon, then
        //    Release): no block stays with a thread that is gone, and no freer can hand one to it. An exception
        //    inside the few instructions between an any-context member's CAS and its next store (a pop and its
        //    Held mark, an ownership CAS and its push) loses that one block; Validate reports it.
        //
        // ASSUMPTIONS, each stated where it is used:
        // - ABA: no context is paused across exactly a multiple of 65,536 changes of _word ending with the same
        //   top (TryAlloc, Release's re-check); tickets: fewer than 2^29 registrations inside one scan (Waiter).
        // - The per-block tables are sized once, for MaxCapacity, and never replaced: lock-free contexts write
        //   them, so a replacement could lose a write. _blocks entries are written under the thread lock before
        //   the slot is published by a CAS.
        // The history of these rules (what the model checker and Coyote found) is in docs/concurrency.md.
        // ------------------------------------------------------------------------------------------------

        /// <summary>Option bit: poisoning (frees take the checked path, allocations verify the fill).</summary>
        private const int OptionPoisoning = 1;

        /// <summary>Option bit: owner tags and hold times are recorded.</summary>
        private const int OptionOwnerTracking = 2;

        private readonly int _blockSize;

        /// <summary>OptionPoisoning | OptionOwnerTracking.</summary>
        private readonly int _options;

        /// <summary>The most slots the pool can use (BlockPoolOptions.MaxCapacity); the tables have one more entry.</summary>
        private readonly int _maxCapacity;

        /// <summary>FreeListWord: tag, alert and waiters flags, top slot.</summary>
        private int _word;

        /// <summary>Capacity (blocks owned now, not retired) and target capacity, packed (PoolSizes).</summary>
        private int _sizes;

        /// <summary>BlockLink of every slot; [0] is the sentinel (0: depth 0, no next). Never replaced.</summary>
        internal readonly int[] _links;

        /// <summary>The block of every slot in use; [0] stays null. Written under the thread lock only.</summary>
        private readonly Block[] _blocks;

        /// <summary>
        /// Completed uses (frees) and used length of every slot (BlockUse), written only by the context that owns
        /// the block.
        /// </summary>
        private readonly long[] _uses;

        /// <summary>Slots in use (1 to _slotCount). Written under the thread lock only.</summary>
        private int _slotCount;

        /// <summary>
        /// TryAlloc takes a block only while more than this many are free: the handler reserve, or int.MaxValue
        /// once disposed (so a disposed pool costs TryAlloc nothing until it fails).
        /// </summary>
        private int _tryFloor;

        /// <summary>
        /// An allocation that leaves fewer free blocks than this runs OnAllocatedSlow: LowestFreeCount in a pool
        /// without per-allocation options, int.MaxValue in one with them.
        /// </summary>
        private int _lowWatch;

        /// <summary>Fewest free blocks left by an allocation since construction, the last reset or Resize.</summary>
        private int _lowestFree;

        /// <summary>Most blocks in use after an allocation since construction, the last reset or Resize.</summary>
        private int _peakInUse;

        private int _disposed;

        /// <summary>Event counters (EventCounts pairs) and the last poison report; see BlockPoolStatistics.</summary>
        private readonly int[] _counts;

        private readonly BlockPoolStatistics _statistics;

        /// <summary>Threads blocked in Alloc. Also the pool's thread lock (registration, Resize, Dispose).</summary>
        private readonly WaiterQueue _waiters;

        /// <summary>
        /// Reserves <paramref name="blockCount"/> blocks of <paramref name="blockSize"/> bytes now; nothing is
        /// allocated after this (except when <see cref="Resize"/> grows the pool). Threads only.
        /// </summary>
        /// <param name="blockSize">Bytes per block: 1 to 16,777,215 (16 MiB - 1).</param>
        /// <param name="blockCount">Blocks to reserve; 1 to <see cref="BlockPoolOptions.MaxBlocks"/>.</param>
        /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the count is too large.</exception>
        public BlockPool(int blockSize, int blockCount)
            : this(blockSize, blockCount, null)
        {
        }

        /// <summary>
        /// Reserves <paramref name="blockCount"/> blocks of <paramref name="blockSize"/> bytes now, with the
        /// diagnostics and policies chosen in <paramref name="options"/> (null = all off). Threads only.
        /// </summary>
        /// <param name="blockSize">Bytes per block: 1 to 16,777,215 (16 MiB - 1).</param>
        /// <param name="blockCount">Blocks to reserve; 1 to <see cref="BlockPoolOptions.MaxBlocks"/>.</param>
        /// <param name="options">Opt-in diagnostics and policies, or null.</param>
        /// <exception cref="ArgumentOutOfRangeException">
        /// A size is out of range, or an option does not fit the pool (see <see cref="BlockPoolOptions"/>).
        /// </exception>
        /// <exception cref="OutOfMemoryException">The backing allocator could not supply the reserve (what it gave is given back).</exception>
        public BlockPool(int blockSize, int blockCount, BlockPoolOptions options)
        {
            if (blockSize < 1 || blockSize > BlockUse.MaxLength)
            {
                throw new ArgumentOutOfRangeException("blockSize", "Block size must be 1 to " + BlockUse.MaxLength + " bytes.");
            }

            CheckCount(blockCount, "blockCount");
            int handlerReserve = 0;
            _maxCapacity = blockCount;
            if (options != null)
            {
                _maxCapacity = options.CheckedMaxCapacity(blockCount);
                handlerReserve = options.HandlerReserve;
                _options = (options.Poisoning ? OptionPoisoning : 0) | (options.OwnerTracking ? OptionOwnerTracking : 0);
                _allocator = options.BackingAllocator;
                _backingRetryMs = options.BackingRetryMilliseconds;
            }

            _blockSize = blockSize;
            _counts = new int[BlockPoolStatistics.CountsLength];
            _waiters = new WaiterQueue();
            _statistics = new BlockPoolStatistics(this);
            _links = new int[_maxCapacity + 1];
            _blocks = new Block[_maxCapacity + 1];
            _uses = new long[_maxCapacity + 1];
            if ((_options & OptionOwnerTracking) != 0)
            {
                _ownerTags = new int[_maxCapacity + 1];
                _heldSince = new long[_maxCapacity + 1];
            }

            _reserveLimit = _allocator != null ? blockCount : int.MaxValue;

            // Slot 1 ends on top, so the first allocations take the lowest indices.
            int top = 0;
            for (int slot = blockCount; slot >= 1; slot--)
            {
                byte[] buffer = _allocator != null ? ReserveBuffer(slot, blockCount) : new byte[blockSize];
                _blocks[slot] = new Block(this, slot, buffer);
                if ((_options & OptionPoisoning) != 0)
                {
                    Poison(buffer);
                }

                _links[slot] = BlockLink.Make(blockCount - slot + 1, top);
                top = slot;
            }

            _word = _allocator != null ? top | FreeListWord.AlertBit : top;
            _slotCount = blockCount;
            _sizes = PoolSizes.Make(blockCount, blockCount);
            _tryFloor = handlerReserve;
            _lowestFree = blockCount;
            _lowWatch = _options != 0 ? int.MaxValue : blockCount;
        }

        /// <summary>Bytes in every block's <see cref="Block.Buffer"/>. Any context, never waits.</summary>
        public int BlockSize
        {
            get { return _blockSize; }
        }

        /// <summary>
        /// Blocks the pool owns now: free, held or being handed to a waiter. After a shrinking
        /// <see cref="Resize"/> it falls as surplus blocks come home; with a backing allocator it counts the
        /// blocks from the allocator too. Any context, never waits.
        /// </summary>
        public int Capacity
        {
            get { return PoolSizes.Capacity(_sizes); }
        }

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

        /// <summary>True once <see cref="Dispose"/> has run. Any context, never waits.</summary>
        public bool IsDisposed
        {
            get { return _disposed != 0; }
        }

        /// <summary>
        /// The pool's counters (allocations, frees, failed <see cref="TryAlloc(out Block)"/>s, waits, timeouts,
        /// lowest free count): one live object, created with the pool. Any context, never waits.
        /// </summary>
        public BlockPoolStatistics Statistics
        {
            get { return _statistics; }
        }

        /// <summary>
        /// Takes a free block if there is one. Any context (interrupt handlers included): never waits, takes no
        /// lock, allocates nothing, O(1): one <c>Interlocked.CompareExchange</c> when uncontended.
        /// </summary>
        /// <remarks>
        /// ABA. The CAS replaces (tag, A) with (tag + 1, A.next). Without the tag this interleaving corrupts the
        /// list (list A -> B -> C):
        /// <code>
        ///   context 1                       context 2                 list
        ///   reads top A, A.next = B                                   A B C
        ///   (preempted)                     pops A, pops B            C
        ///                                   pushes A (A.next = C)     A C
        ///   CAS(top A -> B) succeeds!                                 B ...  (B is held by context 2)
        /// </code>
        /// With the tag, context 2's three successful CASes moved the tag on by 3, so context 1's CAS fails and
        /// it retries with the fresh word. Every successful CAS on the word increments the 16-bit tag, so the ABA
        /// case needs exactly a multiple of 65,536 word changes between one context's read and its CAS, ending
        /// with the same top. The link read happens before the CAS and is used only if the CAS proves the word
        /// unchanged (a link read after the top was popped is negative: its depth field is 0xFFFF, and the CAS
        /// fails).
        /// </remarks>
        /// <param name="block">The block, or null when the method returns false.</param>
        /// <returns>
        /// False when no block is free, or only the <see cref="BlockPoolOptions.HandlerReserve"/> is left. Blocks
        /// freed while threads wait in <see cref="Alloc(int)"/> go straight to those threads and are never free,
        /// so a handler cannot take a block promised to a waiter.
        /// </returns>
        /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
        public bool TryAlloc(out Block block)
        {
            // The pop, written out (Pop is the general form; the interpreter inlines nothing). Slot 0, the empty
            // list's top, has depth 0, and _tryFloor is int.MaxValue once disposed: one test covers "empty",
            // "only the handler reserve left" and "disposed".
            int[] links = _links;
            int word = _word;
            while (true)
            {
                int top = word & FreeListWord.SlotMask;
                int link = links[top];
                int depth = (int)((uint)link >> BlockLink.DepthShift);
                if (depth <= _tryFloor)
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
                    if (depth <= _lowWatch)
                    {
                        OnAllocatedSlow(block, depth - 1);
                    }

                    return true;
                }

                word = _word;
            }
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
            // gets here (its blocks are HeldChecked).
            _uses[slot] = (_uses[slot] | BlockUse.LengthMask) + 1;
            // Model: model/nanomempool.pml [Release.read]
            int word = _word;
            while ((word & FreeListWord.WaitersBit) == 0)
            {
                int top = word & FreeListWord.SlotMask;
                int depth = (int)((uint)links[top] >> BlockLink.DepthShift) + 1;
                links[slot] = (depth << BlockLink.DepthShift) | top;

                // Model: model/nanomempool.pml [Release.cas]
                if (Interlocked.CompareExchange(
                        ref _word, ((word & FreeListWord.KeptByPush) + FreeListWord.TagUnit) | slot, word) == word)
                {
                    // The alert travels in the word this CAS replaced (I9).
                    if ((word & FreeListWord.AlertBit) != 0)
                    {
                        AfterAlertedPush(depth);
                    }

                    return;
                }

                word = _word;
            }

            Release(slot);
        }

        /// <summary>
        /// Disposes the pool: every thread waiting in <see cref="Alloc(int)"/> wakes with
        /// <see cref="ObjectDisposedException"/>, and later <see cref="Alloc(int)"/>, <see cref="TryAlloc(out Block)"/>
        /// and <see cref="Resize"/> calls throw it. Blocks still held may still be freed (see
        /// <see cref="Free(Block)"/>). Calling it again changes nothing more (and completes a Dispose that an
        /// exception cut short). Threads only; takes the pool's thread lock briefly, never waits for a block.
        /// </summary>
        public void Dispose()
        {
            // Every step is idempotent and none is skipped on a second call, so a Dispose that an exception
            // (Thread.Abort) cut short is completed by the next one instead of leaving waiters asleep.
            Interlocked.Exchange(ref _disposed, 1);
            Interlocked.Exchange(ref _tryFloor, int.MaxValue);
            lock (_waiters)
            {
                // Any thread that registered before this point is in the queue; any later one sees
                // _disposed under the lock and throws instead of registering.
                _waiters.DisposeAll();
                if (_bulkQueue != null)
                {
                    _bulkQueue.DisposeAll();
                }

                // With an allocator the reserve goes back to it now, and every block freed later follows (I7
                // with a limit of 0), as mempool_destroy frees the reserve.
                if (_allocator != null)
                {
                    // Model: model/nanomempool.pml [Dispose.limit]
                    Interlocked.Exchange(ref _reserveLimit, 0);
                    TrimReserve();
                }
            }
        }

        /// <summary>TryAlloc found nothing it may take: throws if disposed, else counts the failure. Any context.</summary>
        private bool TryAllocFailed()
        {
            ThrowIfDisposed();
            EventCounts.Increment(_counts, BlockPoolStatistics.FailedTryAllocsAt);
            return false;
        }

        /// <summary>
        /// Free's general path: the block is HeldChecked (poisoning pool) or not held at all (an error). Takes
        /// ownership with one CAS or throws, then poisons and releases. Any context, never waits.
        /// </summary>
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

        /// <summary>
        /// The end of every free after its ownership CAS (Free's fast path has the same steps written out): counts
        /// the use (clearing the used length), poisons the buffer when poisoning is on, and releases the block. Any
        /// context, never waits.
        /// </summary>
        private void ReleaseFreed(int slot)
        {
            _uses[slot] = BlockUse.AfterFree(_uses[slot]);
            if ((_options & OptionPoisoning) != 0)
            {
                Poison(_blocks[slot]._buffer);
            }

            Release(slot);
        }

        /// <summary>The link of a held block in this pool: HeldChecked in a poisoning pool, else Held.</summary>
        private int HeldLink
        {
            get { return (_options & OptionPoisoning) != 0 ? BlockLink.HeldChecked : BlockLink.Held; }
        }

        /// <summary>
        /// Pops the top free block, unless no more than <paramref name="keep"/> blocks are free; the block is then
        /// Owned by the caller. Returns its slot, or 0. Any context, never waits, lock-free (see TryAlloc's ABA
        /// argument).
        /// </summary>
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

        /// <summary>
        /// Puts a block the caller owns (Owned, on no list) back home: hands it to the oldest waiting thread, else
        /// pushes it (and runs the alerted checks). Any context, never waits, lock-free.
        /// </summary>
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

        /// <summary>
        /// After a push that carried the alert and left <paramref name="depth"/> blocks free: wakes bulk waiters,
        /// trims a backing allocator's reserve, retires surplus blocks. Any context, never waits, lock-free.
        /// </summary>
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

        /// <summary>
        /// The re-read behind every refusal and FreeCount: true when the word is still <paramref name="word"/> (so a
        /// link read since the caller read it is the top's own, I1); otherwise false, with <paramref name="word"/> set
        /// to the word now. Any context, never waits.
        /// </summary>
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

        /// <summary>
        /// Sets the alert bit with a CAS that always changes the word (the tag moves even if the bit was set), so
        /// that a ClearAlertIfIdle that read the word before the caller's condition became true fails (I9). Call
        /// it after making the condition true. Any context, never waits.
        /// </summary>
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

        /// <summary>
        /// Clears the alert bit if no condition needs it (I9): no bulk waiter, no surplus, no allocator. Call it
        /// after making a condition false. Any context, never waits.
        /// </summary>
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

        /// <summary>
        /// Marks a block just taken by the caller (popped, handed over or made) as held and records the
        /// allocation, exactly as TryAlloc's fast path does after its CAS. Any context, never waits.
        /// </summary>
        private void Acquired(Block block, int freeAfter)
        {
            _links[block._slot] = BlockLink.Held;
            if (freeAfter < _lowWatch)
            {
                OnAllocatedSlow(block, freeAfter);
            }
        }

        /// <summary>
        /// An allocation that may set a new low-water record, or in a pool with per-allocation options: records
        /// the low and runs the options (poison check, owner tracking). Any context, never waits, allocates
        /// nothing.
        /// </summary>
        private void OnAllocatedSlow(Block block, int freeAfter)
        {
            // The watch first, the record second; ResetLowestFree writes them in the other order. Then the watch
            // never ends below the record, so no new low is missed (docs/concurrency.md, "Watermarks").
            if (_options == 0)
            {
                Watermark.LowerTo(ref _lowWatch, freeAfter);
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

        /// <summary>Restarts LowestFreeCount and PeakInUse from the pool now. Any context, never waits.</summary>
        internal void ResetLowestFree()
        {
            int free = FreeCount;
            Interlocked.Exchange(ref _lowestFree, free);
            int inUse = PoolSizes.Capacity(_sizes) - free;
            Interlocked.Exchange(ref _peakInUse, inUse > 0 ? inUse : 0);
            if (_options == 0)
            {
                Interlocked.Exchange(ref _lowWatch, free);
            }
        }

        /// <summary>The lowest free count recorded. Any context.</summary>
        internal int LowestFree
        {
            get { return _lowestFree; }
        }

        /// <summary>The most blocks in use recorded. Any context.</summary>
        internal int PeakInUse
        {
            get { return _peakInUse; }
        }

        /// <summary>The event counters (see BlockPoolStatistics). Any context.</summary>
        internal int[] Counts
        {
            get { return _counts; }
        }

        private static void CheckCount(int count, string name)
        {
            if (count < 1 || count > FreeListWord.MaxBlocks)
            {
                throw new ArgumentOutOfRangeException(name, "Must be 1 to " + FreeListWord.MaxBlocks + ".");
            }
        }

        private void ThrowIfDisposed()
        {
            if (_disposed != 0)
            {
                throw new ObjectDisposedException("BlockPool");
            }
        }
    }
}
