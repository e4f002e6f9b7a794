// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// A pool of fixed-size byte blocks reserved once, at construction, modelled on the Linux kernel's
    /// <c>mempool</c>: interrupt handlers take blocks with <see cref="TryAlloc(out Block)"/>, which never waits and may
    /// fail; threads take them with <see cref="Alloc()"/>, which waits for a freed block and never fails. Freed blocks
    /// go to the longest-waiting thread first.
    /// </summary>
    /// <remarks>
    /// <para>Calling contexts. Members marked "any context" never wait, take no lock and allocate nothing: call them
    /// from GPIO <c>ValueChanged</c>, <c>HighResTimer</c> and <c>System.Threading.Timer</c> callbacks, which run one
    /// at a time on one dispatch thread (a handler that blocks stalls every other native event). Members marked
    /// "threads only" may block: never call them from a handler.</para>
    /// <para>Blocks are not zeroed between users (like <c>mempool_alloc</c>). A block is in one place at a time: held
    /// by one caller, in one <see cref="BlockQueue"/>, or free; freeing a block twice, or one that is queued, throws
    /// and changes nothing.</para>
    /// <para>With <see cref="BlockPoolOptions.BackingAllocator"/> set, the block count is the reserve behind that
    /// allocator: threads ask the allocator first, handlers never do, and frees refill the reserve before giving
    /// buffers back.</para>
    /// </remarks>
    public sealed partial class BlockPool : IDisposable
    {
        // The fields of every part of the pool (the free list, waiting, bulk, resize, the backing allocator,
        // diagnostics) are declared here, the constructor sets them, and each part's file adds behaviour only.
        // The invariants that bind them are in BlockPool.FreeList.cs.

        // ---- Configuration, fixed at construction.

        // Default of BlockPoolOptions.BackingRetryMilliseconds (the kernel waits 5 s).
        internal const int DefaultBackingRetryMilliseconds = 5000;

        // Option bit: poisoning (frees take the checked path, allocations verify the fill).
        private const int OptionPoisoning = 1;

        // Option bit: owner tags and hold times are recorded.
        private const int OptionOwnerTracking = 2;

        // _tryFloor of a disposed pool: above every link, so that TryAlloc refuses, and finds out why, with the same
        // one comparison it makes for an empty pool or the handler reserve.
        private const int RefuseEveryTry = int.MaxValue;

        // _lowWatch of a pool with per-allocation options: above every link, so that every allocation runs
        // OnAllocatedSlow (which applies the options).
        private const int WatchEveryAllocation = int.MaxValue;

        // _reserveLimit of a pool without a backing allocator: the free list may hold every block.
        private const int NoReserveLimit = int.MaxValue;

        // The free count to pass WakeBulkWaiters to wake every bulk waiter, whatever its set size (so that one whose
        // set no longer fits after a Resize learns it).
        private const int EveryBulkWaiter = int.MaxValue;

        private readonly int _blockSize;

        // OptionPoisoning | OptionOwnerTracking.
        private readonly int _options;

        // The most slots the pool can use (BlockPoolOptions.MaxCapacity); the tables have one more entry.
        private readonly int _maxCapacity;

        // The backing allocator, or null for a fixed pool.
        private readonly IBlockAllocator _allocator;

        // How long a waiting thread sleeps before it asks the allocator again.
        private readonly int _backingRetryMs;

        // ---- The free list and the per-block tables (BlockPool.FreeList.cs). The tables are sized once, for
        // MaxCapacity, and never replaced: lock-free contexts write them, so a replacement could lose a write.

        // FreeListWord: tag, alert and waiters flags, top slot.
        internal int _word;

        // Capacity (blocks owned now, not retired) and target capacity, packed (PoolSizes).
        internal int _sizes;

        // BlockLink of every slot; [0] is the sentinel (0: depth 0, no next).
        internal readonly int[] _links;

        // The block of every slot in use; [0] stays null. Written under the thread lock only.
        private readonly Block[] _blocks;

        // Completed uses (frees) and used length of every slot (BlockUse), written only by the context that owns
        // the block.
        private readonly long[] _uses;

        // Slots in use (1 to _slotCount). Written under the thread lock only.
        private int _slotCount;

        // TryAlloc takes a block only while more than the handler reserve is free: the top's link must be above
        // BlockLink.Bound(reserve), kept here; RefuseEveryTry once disposed.
        private int _tryFloor;

        // The most blocks the free list keeps (I7): the reserve's size with an allocator, else NoReserveLimit.
        private int _reserveLimit;

        private int _disposed;

        // ---- Waiting threads (BlockPool.Waiting.cs, BlockPool.Bulk.cs).

        // Threads blocked in Alloc. Also the pool's thread lock (registration, Resize, Dispose).
        private readonly WaiterQueue _waiters;

        // Threads inside a blocking bulk Alloc(Block[], int, int) that may sleep; while it is not 0 the alert is set
        // (I9), and every push reads it and scans the bulk queue.
        private int _bulkWaiting;

        // Records of the sleeping bulk callers; created by the first one, under the thread lock.
        private WaiterQueue _bulkQueue;

        // ---- Statistics and diagnostics (BlockPool.Diagnostics.cs, BlockPoolStatistics).

        // An allocation from a top whose link is at most this runs OnAllocatedSlow: BlockLink.Bound(LowestFreeCount)
        // in a pool without per-allocation options (an allocation that leaves fewer free blocks), WatchEveryAllocation
        // in one with them.
        private int _lowWatch;

        // Fewest free blocks left by an allocation since construction, the last reset or Resize.
        private int _lowestFree;

        // Most blocks in use after an allocation since construction, the last reset or Resize.
        private int _peakInUse;

        // Event counters (EventCounts pairs) and the last poison report; see BlockPoolStatistics.
        private readonly int[] _counts;

        private readonly BlockPoolStatistics _statistics;

        // Owner tag of every slot (OptionOwnerTracking), or null.
        private readonly int[] _ownerTags;

        // DateTime ticks (UTC) of every slot's last allocation (OptionOwnerTracking), or null.
        private readonly long[] _heldSince;

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

            _reserveLimit = _allocator != null ? blockCount : NoReserveLimit;

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
            _tryFloor = BlockLink.Bound(handlerReserve);
            _lowestFree = blockCount;
            _lowWatch = _options != 0 ? WatchEveryAllocation : BlockLink.Bound(blockCount);
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
        /// The number of free blocks the pool keeps for allocations that cannot wait or cannot use the
        /// allocator: the block count given to the constructor or to the last <see cref="Resize"/> (0 after
        /// <see cref="Dispose"/> in a pool with a backing allocator). Any context, never waits.
        /// </summary>
        public int ReserveSize
        {
            get { return _allocator != null ? _reserveLimit : PoolSizes.Target(_sizes); }
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
        /// Disposes the pool: every thread waiting in <see cref="Alloc(int)"/> wakes with
        /// <see cref="ObjectDisposedException"/>, and later <see cref="Alloc(int)"/>, <see cref="TryAlloc(out Block)"/>
        /// and <see cref="Resize"/> calls throw it. Blocks still held may still be freed (see
        /// <see cref="Free(Block)"/>). Calling it again changes nothing more (and completes a Dispose that an
        /// exception cut short). Threads only; takes the pool's thread lock briefly, never waits for a block.
        /// </summary>
        /// <exception cref="InvalidOperationException">Called on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where it could stall every other interrupt.</exception>
        public void Dispose()
        {
            if (CallingContext.IsInterruptThread())
            {
                throw CallingContext.BlockingInHandler("BlockPool.Dispose", "Dispose the pool from a thread.");
            }

            // Every step is idempotent and none is skipped on a second call, so a Dispose that an exception
            // (Thread.Abort) cut short is completed by the next one instead of leaving waiters asleep.
            Interlocked.Exchange(ref _disposed, 1);
            Interlocked.Exchange(ref _tryFloor, RefuseEveryTry);
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

        // Block.Length's value. Any context.
        internal int LengthOf(int slot)
        {
            return BlockUse.Length(_uses[slot]);
        }

        // Block.Length's setter, for the block's holder. Any context, never waits.
        internal void SetLength(int slot, int length)
        {
            if (length < 0 || length > _blockSize)
            {
                throw new ArgumentOutOfRangeException("value", "Length must be 0 to the block size, " + _blockSize + ".");
            }

            int link = _links[slot];
            if (!BlockLink.IsHeld(link))
            {
                throw new InvalidOperationException(BlockLink.IsQueued(link)
                    ? "The block is in a BlockQueue: set its length before queuing it, or after taking it out."
                    : "The block is not held: it was freed, so its length cannot be set.");
            }

            _uses[slot] = BlockUse.WithLength(_uses[slot], length);
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
