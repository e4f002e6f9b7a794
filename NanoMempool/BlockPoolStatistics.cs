// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// Live counters of one <see cref="BlockPool"/>. Reading never locks or slows the allocation path:
    /// per-block counts are written by each block's owner alone and summed on read, and the shared
    /// counters change only off the fast path (failures, waits) or on a new watermark.
    /// </summary>
    /// <remarks>
    /// Every member may be read from any context and never waits. Values are exact when the pool is
    /// quiescent; during concurrent use each is a recent value. Counts are 64-bit and do not wrap in
    /// practice.
    /// </remarks>
    public sealed class BlockPoolStatistics
    {
        private readonly BlockPool _pool;

        internal readonly Counter _failedTryAllocs = new Counter();
        internal readonly Counter _waits = new Counter();
        internal readonly Counter _timeouts = new Counter();
        internal readonly Counter _poisonViolations = new Counter();
        internal readonly Counter _backingAllocations = new Counter();
        internal readonly Counter _backingReleases = new Counter();
        internal readonly Counter _backingFailures = new Counter();
        private int _peakInUse;
        private int _lowestFree;
        private int _lastPoisonBlock = -1;
        private int _lastPoisonOwnerTag;

        internal BlockPoolStatistics(BlockPool pool)
        {
            _pool = pool;
        }

        /// <summary>
        /// Successful allocations so far (<see cref="BlockPool.TryAlloc(out Block)"/> and <see cref="BlockPool.Alloc(int)"/>).
        /// Any context, never waits; O(number of blocks).
        /// </summary>
        public long Allocations
        {
            get { return _pool.SumAllocations(); }
        }

        /// <summary>Successful frees so far. Any context, never waits; O(number of blocks).</summary>
        public long Frees
        {
            get { return _pool.SumFrees(); }
        }

        /// <summary><see cref="BlockPool.TryAlloc(out Block)"/> calls that found no free block. Any context, never waits.</summary>
        public long FailedTryAllocs
        {
            get { return _failedTryAllocs.Value; }
        }

        /// <summary>
        /// <see cref="BlockPool.Alloc(int)"/> and bulk <see cref="BlockPool.Alloc(Block[], int, int)"/> calls that had
        /// to wait (found no free block, or not the whole set, and a non-zero timeout). Any context, never waits.
        /// </summary>
        public long Waits
        {
            get { return _waits.Value; }
        }

        /// <summary>
        /// <see cref="BlockPool.Alloc(int)"/> calls that returned null and bulk
        /// <see cref="BlockPool.Alloc(Block[], int, int)"/> calls that returned false: a poll (timeout 0) that found
        /// no block (or not the whole set), or a wait that timed out. Any context, never waits.
        /// </summary>
        public long Timeouts
        {
            get { return _timeouts.Value; }
        }

        /// <summary>
        /// Most blocks in use (held or in hand-off) at once since construction or <see cref="ResetPeak"/>.
        /// Any context, never waits.
        /// </summary>
        public int PeakInUse
        {
            get { return _peakInUse; }
        }

        /// <summary>Fewest free blocks seen after an allocation since construction. Any context, never waits.</summary>
        public int LowestFreeCount
        {
            get { return _lowestFree; }
        }

        /// <summary>
        /// Allocations that found a block's poison fill changed (use-after-free), with
        /// <see cref="BlockPoolOptions.Poisoning"/> on. Any context, never waits.
        /// </summary>
        public long PoisonViolations
        {
            get { return _poisonViolations.Value; }
        }

        /// <summary>
        /// Buffers obtained from the <see cref="BlockPoolOptions.BackingAllocator"/> (the reserve's included);
        /// 0 without one. Any context, never waits.
        /// </summary>
        public long BackingAllocations
        {
            get { return _backingAllocations.Value; }
        }

        /// <summary>
        /// Buffers given back to the backing allocator (by frees that found the reserve full, a shrink, or
        /// Dispose). <c>BackingAllocations - BackingReleases</c> is the pool's live block count,
        /// <see cref="BlockPool.Capacity"/>. Any context, never waits.
        /// </summary>
        public long BackingReleases
        {
            get { return _backingReleases.Value; }
        }

        /// <summary>
        /// Times the backing allocator had no buffer (returned null), after which the pool fell back to its
        /// reserve. Any context, never waits.
        /// </summary>
        public long BackingFailures
        {
            get { return _backingFailures.Value; }
        }

        /// <summary>Index of the block in the latest poison violation, or -1. Any context, never waits.</summary>
        public int LastPoisonViolationBlockIndex
        {
            get { return _lastPoisonBlock; }
        }

        /// <summary>
        /// Owner tag of the last holder of the block in the latest poison violation (the likely writer).
        /// Any context, never waits.
        /// </summary>
        public int LastPoisonViolationOwnerTag
        {
            get { return _lastPoisonOwnerTag; }
        }

        /// <summary>
        /// Restarts <see cref="PeakInUse"/> from the blocks in use now. Any context, never waits.
        /// </summary>
        public void ResetPeak()
        {
            Interlocked.Exchange(ref _peakInUse, _pool.Capacity - _pool.FreeCount);
        }

        internal void OnPoisonViolation(int blockIndex, int lastOwnerTag)
        {
            _lastPoisonOwnerTag = lastOwnerTag;
            _lastPoisonBlock = blockIndex;
            _poisonViolations.Increment();
        }

        internal void ResetWatermarks(int lowestFree, int peakInUse)
        {
            _lowestFree = lowestFree;
            _peakInUse = peakInUse;
        }

        /// <summary>
        /// Updates the watermarks after an allocation. Plain reads on the fast path; a CAS only when a new
        /// record is set (rare once the pool has warmed up).
        /// </summary>
        internal void OnAllocated(int freeAfter, int capacity)
        {
            if (freeAfter < _lowestFree)
            {
                Watermark.LowerTo(ref _lowestFree, freeAfter);
            }

            int inUse = capacity - freeAfter;
            if (inUse > _peakInUse)
            {
                Watermark.RaiseTo(ref _peakInUse, inUse);
            }
        }
    }
}
