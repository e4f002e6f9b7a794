// Licensed under the MIT License. See LICENSE in the repository root.

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
        /// <summary>Value of <see cref="LowWaterMark"/> and <see cref="RecoveredMark"/> that turns the health check off.</summary>
        public const int Off = -1;

        private int _handlerReserve;
        private bool _poisoning;
        private int _lowWaterMark = Off;
        private int _recoveredMark = Off;
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
        /// When true, every freed block's buffer is filled with <see cref="BlockPool.PoisonByte"/>, and every
        /// allocation verifies the fill first: a byte that changed while the block was free is a
        /// use-after-free, reported through the health channel (<see cref="PoolHealth.UseAfterFree"/>) with
        /// the block and its last owner tag. Costs one pass over the buffer per free and per allocation.
        /// Default false. Threads only: set it before constructing the pool.
        /// </summary>
        public bool Poisoning
        {
            get { return _poisoning; }
            set { _poisoning = value; }
        }

        /// <summary>
        /// Free-block count at or below which an allocation latches <see cref="PoolHealth.LowWater"/> (once,
        /// until the pool has recovered above <see cref="RecoveredMark"/>). <see cref="Off"/> (default)
        /// disables low-water and recovered events. Threads only: set it before constructing the pool.
        /// </summary>
        public int LowWaterMark
        {
            get { return _lowWaterMark; }
            set { _lowWaterMark = value; }
        }

        /// <summary>
        /// Free-block count above which a free latches <see cref="PoolHealth.Recovered"/> after a low-water
        /// event, and re-arms the low-water check (the hysteresis band). Must be greater than
        /// <see cref="LowWaterMark"/> when that is on. Default <see cref="Off"/>. Threads only: set it before
        /// constructing the pool.
        /// </summary>
        public int RecoveredMark
        {
            get { return _recoveredMark; }
            set { _recoveredMark = value; }
        }

        /// <summary>
        /// An allocator the pool takes buffers from before it dips into its reserve, as the kernel's
        /// <c>mempool_alloc</c> calls <c>alloc_fn</c> first (e.g. a <see cref="ManagedHeapAllocator"/>). The
        /// block count given to the constructor is then the reserve's size, filled from this allocator at
        /// construction. Threads (<see cref="BlockPool.Alloc(int)"/>, the bulk Alloc) ask the allocator first,
        /// fall back to the reserve, then wait; <see cref="BlockPool.TryAlloc(out Block)"/> never calls it, so a
        /// handler never triggers a garbage collection. A freed block refills the reserve while it is below its
        /// size and otherwise goes back to the allocator. Default null: a fixed pool, exactly as without
        /// options. Threads only: set it before constructing the pool.
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
        /// otherwise ignores it). Threads only: set it before
        /// constructing the pool.
        /// </summary>
        public int BackingRetryMilliseconds
        {
            get { return _backingRetryMilliseconds; }
            set { _backingRetryMilliseconds = value; }
        }
    }
}
