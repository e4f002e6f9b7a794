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
        // INVARIANTS (checked by CheckInvariants / AssertInvariants at quiescent points; the Promela model
        // in model/ checks the same properties over every interleaving, see docs/concurrency.md):
        //
        // I1 Ownership. Every block with state != Retired is in exactly one of three places:
        //    free    - on the free list (reachable from _word), state Free;
        //    held    - owned by exactly one caller, state Held;
        //    hand-off- state Free, referenced by exactly one Claimed Waiter record (or, for an instant, by
        //              the context between its claim CAS and its write of Waiter._handed).
        //    Retired blocks are in none of them and are not counted.
        // I2 Counting. free + held + hand-off == capacity; the top block's _depth == number of free blocks.
        // I3 No waiting beside a free block. A thread sleeps only after its registration CAS saw the free
        //    list empty and set EmptyWithWaiters; while the field is EmptyWithWaiters no block is pushed
        //    without first scanning the waiters (the "hand-off re-check" in Release). Hence: field is a block
        //    => no record is Waiting whose registration CAS precedes that push.
        // I4 FIFO. A freed block goes to the Waiting record with the oldest ticket at the time of the scan.
        // I5 Exactly-once signal. Each Set() on a Waiter follows exactly one Waiting->Claimed or
        //    Waiting->Disposed CAS, and its owner consumes it with exactly one successful WaitOne.
        // I6 Retirement. capacity >= target (both in _sizes, see PoolSizes); while capacity > target a
        //    home-coming block is retired (a CAS on _sizes, which fails if the target moved) instead of
        //    pushed, and no block stays on the free list:
        //    every push and every shrink re-checks after a fence (Release's retire re-check, RetireSurplus).
        // I7 Reserve bound (backing allocator only; BlockPool.Backing.cs): while quiescent the free list holds
        //    at most _reserveLimit blocks; every push, Resize and Dispose trims after a fence.
        // I8 Bulk waiters hold nothing: a thread in the blocking bulk Alloc owns no block while it sleeps, and
        //    sleeps only after its registration and a re-read of the free count (BlockPool.BulkWaiting.cs).
        //
        // WHAT THE TOOLS TAUGHT US (spin model, Coyote, stress; docs/concurrency.md):
        // - The 16-bit tag guards more than TryPop's ABA case: the hand-off re-check also relies on it, so
        //   both assume no context is paused across exactly a multiple of 65,536 changes of _word (with a
        //   literal tag of 16 values, spin finds a lost wake-up in the 2 x 1 model). Tickets likewise
        //   assume fewer than 2^29 registrations inside one scan.
        // - Capacity and target must change in one CAS (_sizes): with two words, a retire decided on an old
        //   target landed after a grow and left capacity below target for good (spin and Coyote, I6).
        // - Every push must re-check for surplus after its fence: a free that read the old target could
        //   push after a shrink's retire loop had ended (Coyote).
        // - Alloc is lock-free, not wait-free: handlers that win every race can keep its withdraw-and-retry
        //   lap going (spin: done0strict fails), so the lap honours the caller's deadline.
        // - Coyote 1.7.11's AutoResetEvent model is wrong (a Set that wakes a waiter stays latched); the
        //   protocol does not rely on coalescing either way (I5), and the tests use a correct stand-in.
        // ------------------------------------------------------------------------------------------------

        private readonly int _blockSize;
        private readonly object _threadLock = new object();
        private readonly WaiterQueue _waiters = new WaiterQueue();
        private readonly BlockPoolStatistics _statistics;

        /// <summary>Every block ever created, by index. Grows (copy and republish) only in Resize.</summary>
        private Block[] _blocks;

        /// <summary>Number of entries of _blocks in use. Written under _threadLock only.</summary>
        private int _blockCount;

        /// <summary>The free-list word (see FreeListWord): tag + top-of-list or Empty/EmptyWithWaiters.</summary>
        private int _word;

        /// <summary>Capacity (blocks owned now, not retired) and target capacity, packed (PoolSizes).</summary>
        private int _sizes;


        private int _disposed;

        /// <summary>Used only as a memory fence when a reader races Resize's republication of _blocks.</summary>
        private int _fence;

        /// <summary>Blocks TryAlloc leaves on the list for threads (BlockPoolOptions.HandlerReserve).</summary>
        private readonly int _handlerReserve;

        /// <summary>BlockPoolOptions.Poisoning.</summary>
        private readonly bool _poisoning;

        /// <summary>Epoch for the audit marks of Validate; written under _threadLock only.</summary>
        private int _auditEpoch;

        /// <summary>
        /// Reserves <paramref name="blockCount"/> blocks of <paramref name="blockSize"/> bytes now; nothing is
        /// allocated after this (except when <see cref="Resize"/> grows the pool). Threads only.
        /// </summary>
        /// <param name="blockSize">Bytes per block; at least 1.</param>
        /// <param name="blockCount">Blocks to reserve; 1 to 65534.</param>
        /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the count is above 65534.</exception>
        public BlockPool(int blockSize, int blockCount)
            : this(blockSize, blockCount, null)
        {
        }

        /// <summary>
        /// Reserves <paramref name="blockCount"/> blocks of <paramref name="blockSize"/> bytes now, with the
        /// diagnostics and policies chosen in <paramref name="options"/> (null = all off). Threads only.
        /// </summary>
        /// <param name="blockSize">Bytes per block; at least 1.</param>
        /// <param name="blockCount">Blocks to reserve; 1 to 65534.</param>
        /// <param name="options">Opt-in diagnostics and policies, or null.</param>
        /// <exception cref="ArgumentOutOfRangeException">
        /// A size is out of range, or an option does not fit the pool (see <see cref="BlockPoolOptions"/>).
        /// </exception>
        public BlockPool(int blockSize, int blockCount, BlockPoolOptions options)
        {
            if (blockSize < 1)
            {
                throw new ArgumentOutOfRangeException("blockSize", "Block size must be at least 1 byte.");
            }

            if (blockCount < 1 || blockCount > FreeListWord.MaxBlocks)
            {
                throw new ArgumentOutOfRangeException("blockCount", "Block count must be 1 to 65534.");
            }

            if (options != null)
            {
                ValidateOptions(options, blockCount);
                _handlerReserve = options.HandlerReserve;
                _poisoning = options.Poisoning;
                _lowWaterMark = options.LowWaterMark;
                _recoveredMark = options.RecoveredMark;
                _allocator = options.BackingAllocator;
                _backingRetryMs = options.BackingRetryMilliseconds;
            }
            else
            {
                _lowWaterMark = BlockPoolOptions.Off;
                _recoveredMark = BlockPoolOptions.Off;
            }

            _lowWaterArmed = 1;
            _blockSize = blockSize;
            _reserveLimit = _allocator != null ? blockCount : int.MaxValue;
            _blocks = new Block[blockCount];
            _statistics = new BlockPoolStatistics(this);
            _word = FreeListWord.Empty;
            for (int i = blockCount - 1; i >= 0; i--)
            {
                Block block = new Block(this, i, _allocator != null ? ReserveBuffer(i + 1, blockCount) : new byte[blockSize]);
                _blocks[i] = block;
                if (_poisoning)
                {
                    Poison(block);
                }

                block._next = FreeListWord.Field(_word);
                block._depth = blockCount - i;
                _word = FreeListWord.Successor(_word, FreeListWord.FieldOf(i));
            }

            _blockCount = blockCount;
            _sizes = PoolSizes.Make(blockCount, blockCount);
            _statistics.ResetWatermarks(blockCount, 0);
        }

        /// <summary>Bytes in every block's <see cref="Block.Buffer"/>. Any context, never waits.</summary>
        public int BlockSize
        {
            get { return _blockSize; }
        }

        /// <summary>
        /// Blocks the pool owns now: free, held or being handed to a waiter. After a shrinking
        /// <see cref="Resize"/> it falls as surplus blocks come home. Any context, never waits.
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
                int field = FreeListWord.Field(_word);
                return FreeListWord.HasTop(field) ? BlockAt(FreeListWord.IndexOf(field))._depth : 0;
            }
        }

        /// <summary>
        /// True when every block the pool owns is home (free), like <c>mempool_is_saturated</c>.
        /// Any context, never waits; a snapshot.
        /// </summary>
        public bool IsSaturated
        {
            get { return FreeCount >= PoolSizes.Capacity(_sizes); }
        }

        /// <summary>True once <see cref="Dispose"/> has run. Any context, never waits.</summary>
        public bool IsDisposed
        {
            get { return _disposed != 0; }
        }

        /// <summary>
        /// The pool's counters (allocations, frees, failed <see cref="TryAlloc(out Block)"/>s, waits, timeouts, peak in
        /// use, lowest free count): one live object, created with the pool. Any context, never waits.
        /// </summary>
        public BlockPoolStatistics Statistics
        {
            get { return _statistics; }
        }

        /// <summary>
        /// Takes a free block if there is one. Any context (interrupt handlers included): never waits, takes
        /// no lock, allocates nothing, O(1) (one <c>Interlocked.CompareExchange</c> when uncontended).
        /// </summary>
        /// <param name="block">The block, or null when the method returns false.</param>
        /// <returns>
        /// False when no block is free. Blocks freed while threads wait in <see cref="Alloc(int)"/> go straight
        /// to those threads and are never free, so a handler cannot take a block promised to a waiter.
        /// </returns>
        /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
        public bool TryAlloc(out Block block)
        {
            return TryAlloc(out block, NoOwner);
        }

        /// <summary>
        /// Like <see cref="TryAlloc(out Block)"/>, and records <paramref name="ownerTag"/> and the time on the
        /// block for the holder report (<see cref="CountHeldBy"/>, <see cref="FindHeldLongerThan"/>). Any
        /// context, never waits, allocates nothing; reading the clock costs one native call.
        /// </summary>
        /// <param name="block">The block, or null when the method returns false.</param>
        /// <param name="ownerTag">A number the application chooses for the holder (e.g. "SPI task" = 3); <see cref="NoOwner"/> records nothing.</param>
        /// <returns>False when no block is free, or only the <see cref="BlockPoolOptions.HandlerReserve"/> is left.</returns>
        /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
        public bool TryAlloc(out Block block, int ownerTag)
        {
            ThrowIfDisposed();
            int freeAfter;
            if (TryPop(_handlerReserve, out block, out freeAfter))
            {
                OnAllocated(block, freeAfter, ownerTag);
                return true;
            }

            _statistics._failedTryAllocs.Increment();
            Latch(PoolHealth.Exhausted);
            return false;
        }

        /// <summary>
        /// Gives a held block back: to the longest-waiting thread in <see cref="Alloc(int)"/> if any, else to
        /// the free list (or, after a shrinking <see cref="Resize"/>, out of the pool). Any context (interrupt
        /// handlers included): never waits, takes no lock, allocates nothing.
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
        /// <exception cref="InvalidOperationException"><paramref name="block"/> is not held (freed twice).</exception>
        public void Free(Block block)
        {
            if (block == null)
            {
                throw new ArgumentNullException("block");
            }

            if (block.Pool != this)
            {
                throw new ArgumentException("The block belongs to another pool.", "block");
            }

            // One CAS makes the check exact even when two contexts free the same block at once: exactly one
            // of them moves it Held -> Free, the other gets the exception and changes nothing.
            // Model: model/nanomempool.pml [Free.own]
            if (Interlocked.CompareExchange(ref block._state, Block.StateFree, Block.StateHeld) != Block.StateHeld)
            {
                throw new InvalidOperationException("The block is not held: it was already freed.");
            }

            block._frees++;
            if (_poisoning)
            {
                Poison(block);
            }

            Release(block);
        }

        /// <summary>
        /// Disposes the pool: every thread waiting in <see cref="Alloc(int)"/> wakes with
        /// <see cref="ObjectDisposedException"/>, and later <see cref="Alloc(int)"/>, <see cref="TryAlloc(out Block)"/>
        /// and <see cref="Resize"/> calls throw it. Blocks still held may still be freed (see
        /// <see cref="Free(Block)"/>). Calling it again does nothing. Threads only; takes the pool's thread lock
        /// briefly, never waits for a block.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (_threadLock)
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

        /// <summary>
        /// Pops the top free block, unless no more than <paramref name="keep"/> blocks are free. Any context,
        /// never waits, lock-free.
        /// </summary>
        /// <remarks>
        /// ABA. The CAS below replaces (tag, A) with (tag + 1, A.next). Without the tag this interleaving
        /// corrupts the list (list A -> B -> C):
        /// <code>
        ///   context 1                       context 2                 list
        ///   reads top A, A.next = B                                   A B C
        ///   (preempted)                     pops A, pops B            C
        ///                                   pushes A (A.next = C)     A C
        ///   CAS(top A -> B) succeeds!                                 B ...  (B is held by context 2)
        /// </code>
        /// With the tag, context 2's three successful CASes moved the tag on by 3, so context 1's CAS
        /// compares (tag, A) with (tag + 3, A) and fails; it retries with the fresh word. Every successful
        /// CAS on the word increments the 16-bit tag, so the ABA case needs exactly a multiple of 65,536
        /// word changes between one context's read and its CAS, ending with the same top block. Both
        /// reads of A's fields happen before the CAS and are only used if the CAS proves the word unchanged.
        /// </remarks>
        private bool TryPop(int keep, out Block block, out int freeAfter)
        {
            int word = _word;
            while (true)
            {
                int field = FreeListWord.Field(word);
                Block top = FreeListWord.HasTop(field) ? BlockAt(FreeListWord.IndexOf(field)) : null;
                // Model: model/nanomempool.pml [TryPopKeep.depth]
                int depth = top != null ? top._depth : 0;
                if (depth <= keep)
                {
                    // Empty, or only the handler reserve is left (keep > 0 for TryAlloc only).
                    block = null;
                    freeAfter = depth;
                    return false;
                }

                int next = top._next;
                // Model: model/nanomempool.pml [TryPop.cas] [TryPopKeep.cas]
                int seen = Interlocked.CompareExchange(ref _word, FreeListWord.Successor(word, next), word);
                if (seen == word)
                {
                    block = top;
                    freeAfter = depth - 1;
                    return true;
                }

                word = seen;
            }
        }

        /// <summary>
        /// Puts a block the caller owns (state Free, not on the list) back home: retires it if the pool is
        /// shrinking, else hands it to the oldest waiter, else pushes it. Any context, never waits, lock-free.
        /// </summary>
        private void Release(Block block)
        {
            if (PoolSizes.HasSurplus(_sizes) && TryRetire(block))
            {
                return;
            }

            // Model: model/nanomempool.pml [Release.read]
            int word = _word;
            while (true)
            {
                int field = FreeListWord.Field(word);
                int depth;
                if (field == FreeListWord.EmptyWithWaiters)
                {
                    // Threads may be waiting: the block is theirs before it is anybody else's.
                    if (_waiters.TryHandOff(block))
                    {
                        return;
                    }

                    // HAND-OFF RE-CHECK. No record was Waiting when we scanned, but the scan began after we
                    // read `word`. A thread that registers after that read changes the word (its
                    // registration CAS bumps the tag), so the CAS below fails and we rescan: no thread can
                    // go to sleep between our scan and our push. Dropping this check (pushing with a plain
                    // write, or with a CAS against a freshly read word) loses wake-ups; model/ shows it.
                    block._next = FreeListWord.Empty;
                    depth = 1;
                }
                else
                {
                    block._next = field;
                    depth = FreeListWord.HasTop(field) ? BlockAt(FreeListWord.IndexOf(field))._depth + 1 : 1;
                }

                block._depth = depth;

                // Model: model/nanomempool.pml [Release.cas]
                int seen = Interlocked.CompareExchange(
                    ref _word, FreeListWord.Successor(word, FreeListWord.FieldOf(block.Index)), word);
                if (seen == word)
                {
                    // `depth` is the free count our push produced (block._depth may already be another
                    // push's: the block can be taken and freed again the moment our CAS lands).
                    if (_lowWaterArmed == 0 && depth > _recoveredMark)
                    {
                        OnRecovered();
                    }

                    // BULK WAKE, paired with the re-check in AwaitBulkWake: our push CAS (a full fence)
                    // precedes this read, the bulk waiter's registration precedes its re-read of the free
                    // count, so one of the two sees the other. A plain load when nobody waits in bulk.
                    // Model: model/nanomempool.pml [Release.bulkwake]
                    if (_bulkWaiting != 0)
                    {
                        WakeBulkWaiters(depth);
                    }

                    // RESERVE TRIM (I7), paired with ResizeReserve's and Dispose's exchange of the limit
                    // followed by their own trim: either they see our push, or we see their limit here.
                    // Never true without a backing allocator (the limit is int.MaxValue).
                    // Model: model/nanomempool.pml [Release.trim]
                    if (depth > _reserveLimit)
                    {
                        TrimReserve();
                    }

                    // RETIRE RE-CHECK, paired with Resize's CAS of the target followed by its
                    // RetireSurplus. Our push CAS (a full fence) precedes this read; Resize's target CAS
                    // precedes its pops. So either we see the new target here and retire a free
                    // block ourselves, or Resize's pops see the block we just pushed: no surplus block can
                    // stay home after a shrink (found by Coyote: a free that read the old target pushed
                    // after Resize's loop had ended).
                    // Model: model/nanomempool.pml [Release.recheck]
                    if (PoolSizes.HasSurplus(_sizes))
                    {
                        RetireSurplus();
                    }

                    return;
                }

                word = seen;
            }
        }

        /// <summary>Records a successful allocation by its new (sole) owner. Any context, never waits.</summary>
        private void OnAllocated(Block block, int freeAfter, int ownerTag)
        {
            if (_poisoning)
            {
                VerifyPoison(block);
            }

            block._state = Block.StateHeld;
            block._allocations++;
            block._ownerTag = ownerTag;
            block._heldSinceTicks = ownerTag != NoOwner ? DateTime.UtcNow.Ticks : 0;
            _statistics.OnAllocated(freeAfter, PoolSizes.Capacity(_sizes));
            if (freeAfter <= _lowWaterMark && _lowWaterArmed != 0)
            {
                OnLowWater();
            }
        }

        /// <summary>The block with the given index, tolerating a reader that races Resize's republication.</summary>
        private Block BlockAt(int index)
        {
            Block[] blocks = _blocks;
            while (index >= blocks.Length)
            {
                // Only possible while Resize grows the array: the index was published (by a CAS) after the
                // new array, so a fenced re-read finds it.
                Interlocked.Increment(ref _fence);
                blocks = _blocks;
            }

            return blocks[index];
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
