// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// Live counters of one <see cref="BlockPool"/>, read at any time from any context without slowing the pool's
    /// allocations and frees.
    /// </summary>
    /// <remarks>
    /// Every member may be read from any context and never waits. Values are exact when the pool is quiescent;
    /// during concurrent use each is a recent value, and the counts never go backwards for a reader. Counts are
    /// 64-bit and do not wrap in practice.
    /// </remarks>
    public sealed class BlockPoolStatistics
    {
        // A view over counts the pool keeps in arrays: per-block use counts are written by each block's owner alone
        // and summed on read, the low-water mark changes only on a new record, and the shared counters change only
        // off the fast path (failures, waits).

        internal const int FailedTryAllocsAt = 0;
        internal const int WaitsAt = 2;
        internal const int TimeoutsAt = 4;
        internal const int PoisonViolationsAt = 6;
        internal const int BackingAllocationsAt = 8;
        internal const int BackingReleasesAt = 10;
        internal const int BackingFailuresAt = 12;
        internal const int LastPoisonIndexAt = 14;
        internal const int LastPoisonTagAt = 15;
        internal const int CountsLength = 16;

        // How far the Allocations mark may be above a fresh sum (see Allocations).
        private const uint MarkSlack = 0x100000;

        private readonly BlockPool _pool;

        // The low 32 bits of the highest Allocations any reader has been given (see Allocations).
        private int _allocationsGivenLow;

        internal BlockPoolStatistics(BlockPool pool)
        {
            _pool = pool;
            pool.Counts[LastPoisonIndexAt] = -1;
        }

        /// <summary>
        /// Successful allocations so far (every <see cref="BlockPool.TryAlloc(out Block)"/> and
        /// <see cref="BlockPool.Alloc(int)"/> that returned a block, bulk ones counting each block): the frees plus
        /// the blocks held now. Never goes backwards for a reader. Any context, never waits; O(number of blocks).
        /// </summary>
        public long Allocations
        {
            get
            {
                // Frees + held, summed from per-slot parts read one after another, can dip by the frees in progress
                // (a block that has left "held" and whose use is not yet counted). So every reader raises a shared
                // mark to what it returns and returns at least the mark: the value never goes backwards. The mark
                // keeps only its low 32 bits (an int for the CAS); the whole value is the one nearest the sum whose
                // low bits they are, which is exact while the mark is at most MarkSlack above the sum (a dip is at
                // most the contexts freeing at once) and less than 2^32 - MarkSlack allocations below it (read
                // Allocations at least once every four billion allocations).
                long sum = _pool.SumUses() + _pool.CountHeld();
                while (true)
                {
                    int givenLow = _allocationsGivenLow;
                    uint ahead = (uint)givenLow - (uint)sum;
                    long given = ahead <= MarkSlack ? sum + ahead : sum + ahead - 0x100000000L;
                    if (given >= sum)
                    {
                        return given;
                    }

                    if (Interlocked.CompareExchange(ref _allocationsGivenLow, (int)sum, givenLow) == givenLow)
                    {
                        return sum;
                    }
                }
            }
        }

        /// <summary>
        /// Successful frees so far. Never goes backwards for a reader. Any context, never waits; O(number of blocks).
        /// </summary>
        public long Frees
        {
            get { return _pool.SumUses(); }
        }

        /// <summary>
        /// <see cref="BlockPool.TryAlloc(out Block)"/> calls (single and bulk) that found no block they could take.
        /// Any context, never waits.
        /// </summary>
        public long FailedTryAllocs
        {
            get { return EventCounts.Read(_pool.Counts, FailedTryAllocsAt); }
        }

        /// <summary>
        /// <see cref="BlockPool.Alloc(int)"/> and bulk <see cref="BlockPool.Alloc(Block[], int, int)"/> calls that had
        /// to wait (found no free block, or not the whole set, and a non-zero timeout). Any context, never waits.
        /// </summary>
        public long Waits
        {
            get { return EventCounts.Read(_pool.Counts, WaitsAt); }
        }

        /// <summary>
        /// <see cref="BlockPool.Alloc(int)"/> calls that returned null and bulk
        /// <see cref="BlockPool.Alloc(Block[], int, int)"/> calls that returned false: a poll (timeout 0) that found
        /// no block (or not the whole set), or a wait that timed out. Any context, never waits.
        /// </summary>
        public long Timeouts
        {
            get { return EventCounts.Read(_pool.Counts, TimeoutsAt); }
        }

        /// <summary>
        /// Fewest free blocks left by an allocation since construction, <see cref="ResetLowestFreeCount"/> or the last
        /// <see cref="BlockPool.Resize"/> (which restarts it: free counts before and after a resize do not compare):
        /// how close the pool came to empty (0 = it ran dry). Any context, never waits.
        /// </summary>
        public int LowestFreeCount
        {
            get { return _pool.LowestFree; }
        }

        /// <summary>
        /// Most blocks in use at once (held, queued or being handed to a thread), seen at allocations since
        /// construction, <see cref="ResetLowestFreeCount"/> or the last <see cref="BlockPool.Resize"/>; 0 to
        /// <see cref="BlockPoolOptions.MaxCapacity"/>. Any context, never waits.
        /// </summary>
        public int PeakInUse
        {
            get { return _pool.PeakInUse; }
        }

        /// <summary>
        /// Restarts <see cref="LowestFreeCount"/> and <see cref="PeakInUse"/> from the pool as it is now. Any
        /// context, never waits.
        /// </summary>
        public void ResetLowestFreeCount()
        {
            _pool.ResetLowestFree();
        }

        /// <summary>
        /// Allocations that found a block's poison fill changed (use-after-free), with
        /// <see cref="BlockPoolOptions.Poisoning"/> on. Any context, never waits.
        /// </summary>
        public long PoisonViolations
        {
            get { return EventCounts.Read(_pool.Counts, PoisonViolationsAt); }
        }

        /// <summary>Index of the block in the latest poison violation, or -1. Any context, never waits.</summary>
        public int LastPoisonViolationBlockIndex
        {
            get { return _pool.Counts[LastPoisonIndexAt]; }
        }

        /// <summary>
        /// Owner tag of the last holder of the block in the latest poison violation (the likely writer; 0 without
        /// <see cref="BlockPoolOptions.OwnerTracking"/>). Any context, never waits.
        /// </summary>
        public int LastPoisonViolationOwnerTag
        {
            get { return _pool.Counts[LastPoisonTagAt]; }
        }

        /// <summary>
        /// Buffers obtained from the <see cref="BlockPoolOptions.BackingAllocator"/> (the reserve's included);
        /// 0 without one. Any context, never waits.
        /// </summary>
        public long BackingAllocations
        {
            get { return EventCounts.Read(_pool.Counts, BackingAllocationsAt); }
        }

        /// <summary>
        /// Buffers given back to the backing allocator (by frees that found the reserve full, a shrink, or
        /// Dispose). <c>BackingAllocations - BackingReleases</c> is the pool's live block count,
        /// <see cref="BlockPool.Capacity"/>. Any context, never waits.
        /// </summary>
        public long BackingReleases
        {
            get { return EventCounts.Read(_pool.Counts, BackingReleasesAt); }
        }

        /// <summary>
        /// Times the backing allocator had no buffer (returned null), after which the pool fell back to its
        /// reserve. Any context, never waits.
        /// </summary>
        public long BackingFailures
        {
            get { return EventCounts.Read(_pool.Counts, BackingFailuresAt); }
        }
    }
}
