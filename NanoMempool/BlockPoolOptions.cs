// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool
{
    /// <summary>
    /// Opt-in diagnostics and policies for a <see cref="BlockPool"/>, read once by its constructor. Every
    /// option is off by default, and with all of them off the pool behaves (and costs) exactly as one made
    /// with <see cref="BlockPool(int, int)"/>.
    /// </summary>
    /// <remarks>Set the properties on one thread before constructing the pool.</remarks>
    public sealed class BlockPoolOptions
    {
        /// <summary>The most blocks a pool can hold: 16383 (a block's slot takes 14 bits of the pool's word).</summary>
        public const int MaxBlocks = FreeListWord.MaxBlocks;

        /// <summary>The byte every free block's buffer is filled with when <see cref="Poisoning"/> is on.</summary>
        public const byte PoisonByte = 0x6B;

        private int _handlerReserve;
        private int _maxCapacity;
        private bool _poisoning;
        private bool _ownerTracking;
        private IBlockAllocator _backingAllocator;
        private int _backingRetryMilliseconds = BlockPool.DefaultBackingRetryMilliseconds;

        /// <summary>Options with everything off (a plain fixed pool). Threads only: build them before the pool.</summary>
        public BlockPoolOptions()
        {
        }

        /// <summary>
        /// Blocks that the non-blocking <see cref="BlockPool.TryAlloc(out Block)"/> may never take: only
        /// threads, through <see cref="BlockPool.Alloc(int)"/>, can. Bursts in interrupt handlers then cannot
        /// drain the pool below this many blocks, so the main thread's guaranteed allocation is served at
        /// once instead of waiting for a handler's block to come back. Default 0 (no reserve); must be less
        /// than the pool's block count. Threads only: set it before constructing the pool.
        /// </summary>
        public int HandlerReserve
        {
            get { return _handlerReserve; }
            set { _handlerReserve = value; }
        }

        /// <summary>
        /// The most blocks the pool may ever own at once: the upper bound of <see cref="BlockPool.Resize"/> and,
        /// with a <see cref="BackingAllocator"/>, of the reserve plus the blocks taken from the allocator. The
        /// pool's per-block tables are sized for it at construction and never replaced, so that handlers never
        /// race a reallocation; each slot costs about 24 bytes on a 32-bit device whether used or not (a
        /// <see cref="Block"/> and its buffer are made only when used). Default 0: the block count, or twice it
        /// with a backing allocator. Otherwise at least the block count and at most <see cref="MaxBlocks"/>.
        /// Threads only: set it before constructing the pool.
        /// </summary>
        public int MaxCapacity
        {
            get { return _maxCapacity; }
            set { _maxCapacity = value; }
        }

        /// <summary>
        /// When true, every freed block's buffer is filled with <see cref="PoisonByte"/>, and every allocation
        /// verifies the fill first: a byte that changed while the block was free is a use-after-free, counted in
        /// <see cref="BlockPoolStatistics.PoisonViolations"/> with the block and its last owner tag. Costs one
        /// pass over the buffer per free and per allocation. Default false. Threads only: set it before
        /// constructing the pool.
        /// </summary>
        public bool Poisoning
        {
            get { return _poisoning; }
            set { _poisoning = value; }
        }

        /// <summary>
        /// When true, every allocation records the time (<see cref="Block.HeldSinceTicks"/>, one clock read) and
        /// resets the block's <see cref="Block.OwnerTag"/>, which the holder may then set: the holder report of
        /// <see cref="BlockPool.CopyHeldBlocks"/> then says who holds which block, and for how long. Costs 12 bytes
        /// per block and a slow path on every allocation. Default false. Threads only: set it before constructing
        /// the pool.
        /// </summary>
        public bool OwnerTracking
        {
            get { return _ownerTracking; }
            set { _ownerTracking = value; }
        }

        /// <summary>
        /// An allocator the pool takes buffers from before it dips into its reserve, as the kernel's
        /// <c>mempool_alloc</c> calls <c>alloc_fn</c> first (e.g. a <see cref="ManagedHeapAllocator"/>). The
        /// block count given to the constructor is then the reserve's size, filled from this allocator at
        /// construction. Threads (<see cref="BlockPool.Alloc(int)"/>, the bulk Alloc) ask the allocator first,
        /// fall back to the reserve, then wait; <see cref="BlockPool.TryAlloc(out Block)"/> never calls it, so a
        /// handler never triggers a garbage collection. A freed block refills the reserve while it is below its
        /// size and otherwise goes back to the allocator. At most <see cref="MaxCapacity"/> blocks are live at
        /// once. Default null: a fixed pool, exactly as without options. Threads only: set it before constructing
        /// the pool.
        /// </summary>
        public IBlockAllocator BackingAllocator
        {
            get { return _backingAllocator; }
            set { _backingAllocator = value; }
        }

        /// <summary>
        /// With a <see cref="BackingAllocator"/>: the longest a waiting thread sleeps before it asks the
        /// allocator again, since memory may be freed elsewhere while no block comes back (the kernel uses
        /// 5 s). Default 5000; at least 1 (checked by the constructor even without an allocator, which
        /// otherwise ignores it). Threads only: set it before constructing the pool.
        /// </summary>
        public int BackingRetryMilliseconds
        {
            get { return _backingRetryMilliseconds; }
            set { _backingRetryMilliseconds = value; }
        }

        // Checks the options against a pool of blockCount blocks and returns the effective
        // MaxCapacity. Threads only (the constructor).
        // Throws ArgumentOutOfRangeException: An option does not fit the pool.
        internal int CheckedMaxCapacity(int blockCount)
        {
            if (_handlerReserve < 0 || _handlerReserve >= blockCount)
            {
                throw new ArgumentOutOfRangeException("options", "HandlerReserve must be 0 to blockCount - 1.");
            }

            if (_backingRetryMilliseconds < 1)
            {
                throw new ArgumentOutOfRangeException("options", "BackingRetryMilliseconds must be at least 1.");
            }

            if (_maxCapacity == 0)
            {
                int twice = blockCount * 2;
                return _backingAllocator == null ? blockCount : (twice > MaxBlocks ? MaxBlocks : twice);
            }

            if (_maxCapacity < blockCount || _maxCapacity > MaxBlocks)
            {
                throw new ArgumentOutOfRangeException("options", "MaxCapacity must be 0, or blockCount to " + MaxBlocks + ".");
            }

            return _maxCapacity;
        }
    }
}
