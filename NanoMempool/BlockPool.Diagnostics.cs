// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool
{
    /// <summary>
    /// Opt-in diagnostics: poisoning of free blocks (like the kernel's mempool debug fill) and owner tracking (who
    /// holds which block, since when). Both run only in the slow paths a pool with options takes, so a pool
    /// without them pays nothing for them.
    /// </summary>
    public sealed partial class BlockPool
    {
        /// <summary>Owner tag of every slot (OptionOwnerTracking), or null.</summary>
        private readonly int[] _ownerTags;

        /// <summary>DateTime ticks (UTC) of every slot's last allocation (OptionOwnerTracking), or null.</summary>
        private readonly long[] _heldSince;

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

        /// <summary>
        /// Counts the blocks held now, writing them into <paramref name="into"/> (while it has room) unless it is
        /// null. Any context, never waits; a snapshot.
        /// </summary>
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

        /// <summary>True for the link of a block the application holds, in a BlockQueue or not.</summary>
        private static bool IsHeldLink(int link)
        {
            return BlockLink.IsHeld(link) || BlockLink.IsQueued(link);
        }

        /// <summary>True when the block in <paramref name="slot"/> is held now. Any context; a snapshot.</summary>
        internal bool IsHeld(int slot)
        {
            return IsHeldLink(_links[slot]);
        }

        /// <summary>Block.Length's value. Any context.</summary>
        internal int LengthOf(int slot)
        {
            return BlockUse.Length(_uses[slot]);
        }

        /// <summary>Block.Length's setter, for the block's holder. Any context, never waits.</summary>
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

        /// <summary>Block.OwnerTag's value: the slot's tag, or 0 without owner tracking. Any context.</summary>
        internal int OwnerTagOf(int slot)
        {
            return _ownerTags != null ? _ownerTags[slot] : 0;
        }

        /// <summary>Block.HeldSinceTicks's value. Any context.</summary>
        internal long HeldSinceOf(int slot)
        {
            return _heldSince != null ? _heldSince[slot] : 0;
        }

        /// <summary>Block.OwnerTag's setter. Any context, never waits.</summary>
        internal void SetOwnerTag(int slot, int tag)
        {
            if (_ownerTags == null)
            {
                throw new InvalidOperationException("Owner tags need BlockPoolOptions.OwnerTracking.");
            }

            _ownerTags[slot] = tag;
        }

        /// <summary>
        /// The per-allocation options, for a block its new holder owns: the poison check (before the tag is
        /// reset, so that a violation names the last holder), then the held-checked mark and the owner record.
        /// Any context, never waits, allocates nothing; O(BlockSize) with poisoning.
        /// </summary>
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

        /// <summary>Fills a buffer the caller owns with the poison byte. O(length), allocates nothing.</summary>
        private static void Poison(byte[] buffer)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = BlockPoolOptions.PoisonByte;
            }
        }

        /// <summary>
        /// Checks the fill of a block just taken. A changed byte means somebody wrote to the block while it was
        /// free: counted, and remembered with the block and its last owner tag. O(BlockSize), allocates nothing.
        /// </summary>
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

        /// <summary>Completed uses (frees) of every block, summed. Any context, never waits; a snapshot.</summary>
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

        /// <summary>Blocks held now. Any context, never waits; a snapshot.</summary>
        internal int CountHeld()
        {
            return ScanHeld(null);
        }
    }
}
