// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    // Opt-in diagnostics (poisoning of free blocks, like the kernel's mempool debug fill; owner tracking: who holds
    // which block, since when) and the statistics' sources. The options run only in the slow paths a pool with options
    // takes, so a pool without them pays nothing for them.
    public sealed partial class BlockPool
    {
        /// <summary>
        /// Writes the blocks held now (blocks in a <see cref="BlockQueue"/> included) into <paramref name="into"/>, in
        /// slot order; read each one's
        /// <see cref="Block.OwnerTag"/> and <see cref="Block.HeldSinceTicks"/> for the holder report ("who holds
        /// which block, for how long"). Any context, never waits, allocates nothing; O(number of blocks) and a
        /// snapshot (handlers may allocate and free while it runs).
        /// </summary>
        /// <param name="into">Receives the held blocks from position 0.</param>
        /// <returns>The number of blocks written (at most <c>into.Length</c>).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        public int CopyHeldBlocks(Block[] into)
        {
            if (into == null)
            {
                throw new ArgumentNullException("into");
            }

            return ScanHeld(into);
        }

        // Counts the blocks held now, writing them into into (while it has room) unless it is
        // null. Any context, never waits; a snapshot.
        private int ScanHeld(Block[] into)
        {
            int held = 0;
            int slots = _slotCount;
            for (int slot = 1; slot <= slots && (into == null || held < into.Length); slot++)
            {
                if (IsHeldLink(_links[slot]))
                {
                    if (into != null)
                    {
                        into[held] = _blocks[slot];
                    }

                    held++;
                }
            }

            return held;
        }

        // True for the link of a block the application holds, in a BlockQueue or not.
        private static bool IsHeldLink(int link)
        {
            return BlockLink.IsHeld(link) || BlockLink.IsQueued(link);
        }

        // Block.OwnerTag's value: the slot's tag, or 0 without owner tracking. Any context.
        internal int OwnerTagOf(int slot)
        {
            return _ownerTags != null ? _ownerTags[slot] : 0;
        }

        // Block.HeldSinceTicks's value. Any context.
        internal long HeldSinceOf(int slot)
        {
            return _heldSince != null ? _heldSince[slot] : 0;
        }

        // Block.OwnerTag's setter. Any context, never waits.
        internal void SetOwnerTag(int slot, int tag)
        {
            if (_ownerTags == null)
            {
                throw new InvalidOperationException("Owner tags need BlockPoolOptions.OwnerTracking.");
            }

            _ownerTags[slot] = tag;
        }

        // The per-allocation options, for a block its new holder owns: the poison check (before the tag is
        // reset, so that a violation names the last holder), then the held-checked mark and the owner record.
        // Any context, never waits, allocates nothing; O(BlockSize) with poisoning.
        private void ApplyAllocationOptions(Block block)
        {
            int slot = block._slot;
            if ((_options & OptionPoisoning) != 0)
            {
                VerifyPoison(block);
                _links[slot] = BlockLink.HeldChecked;
            }

            if ((_options & OptionOwnerTracking) != 0)
            {
                _ownerTags[slot] = 0;
                _heldSince[slot] = DateTime.UtcNow.Ticks;
            }
        }

        // Fills a buffer the caller owns with the poison byte. O(length), allocates nothing.
        private static void Poison(byte[] buffer)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = BlockPoolOptions.PoisonByte;
            }
        }

        // Checks the fill of a block just taken. A changed byte means somebody wrote to the block while it was
        // free: counted, and remembered with the block and its last owner tag. O(BlockSize), allocates nothing.
        private void VerifyPoison(Block block)
        {
            byte[] buffer = block._buffer;
            for (int i = 0; i < buffer.Length; i++)
            {
                if (buffer[i] != BlockPoolOptions.PoisonByte)
                {
                    _counts[BlockPoolStatistics.LastPoisonTagAt] = OwnerTagOf(block._slot);
                    _counts[BlockPoolStatistics.LastPoisonIndexAt] = block._slot - 1;
                    EventCounts.Increment(_counts, BlockPoolStatistics.PoisonViolationsAt);
                    return;
                }
            }
        }

        // Completed uses (frees) of every block, summed. Any context, never waits; a snapshot.
        internal long SumUses()
        {
            long sum = 0;
            int slots = _slotCount;
            for (int slot = 1; slot <= slots; slot++)
            {
                sum += BlockUse.Count(_uses[slot]);
            }

            return sum;
        }

        // Blocks held now. Any context, never waits; a snapshot.
        internal int CountHeld()
        {
            return ScanHeld(null);
        }

        // Restarts LowestFreeCount and PeakInUse from the pool now. Any context, never waits.
        internal void ResetLowestFree()
        {
            int free = FreeCount;
            Interlocked.Exchange(ref _lowestFree, free);
            int inUse = PoolSizes.Capacity(_sizes) - free;
            Interlocked.Exchange(ref _peakInUse, inUse > 0 ? inUse : 0);
            if (_options == 0)
            {
                Interlocked.Exchange(ref _lowWatch, BlockLink.Bound(free));
            }
        }

        // The lowest free count recorded. Any context.
        internal int LowestFree
        {
            get { return _lowestFree; }
        }

        // The most blocks in use recorded. Any context.
        internal int PeakInUse
        {
            get { return _peakInUse; }
        }

        // The event counters (see BlockPoolStatistics). Any context.
        internal int[] Counts
        {
            get { return _counts; }
        }
    }
}
