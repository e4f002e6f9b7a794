// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool
{
    /// <summary>
    /// The holder report: who holds which block and for how long, from the owner tags recorded by the
    /// tagged <see cref="TryAlloc(out Block, int)"/> and <see cref="Alloc(int, int)"/> overloads. Every query
    /// scans the blocks (O(number of blocks)), takes no lock, allocates nothing, and is a snapshot: handlers
    /// may allocate and free while it runs.
    /// </summary>
    public sealed partial class BlockPool
    {
        /// <summary>
        /// Number of blocks held now whose holder gave <paramref name="ownerTag"/> (use <see cref="NoOwner"/>
        /// to count untagged holders). Any context, never waits.
        /// </summary>
        public int CountHeldBy(int ownerTag)
        {
            int count = 0;
            Block[] blocks = _blocks;
            int created = _blockCount;
            for (int i = 0; i < created && i < blocks.Length; i++)
            {
                if (blocks[i]._state == Block.StateHeld && blocks[i]._ownerTag == ownerTag)
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>
        /// Totals by tag: writes each distinct owner tag of the blocks held now into <paramref name="tags"/>
        /// and how many blocks it holds into the same position of <paramref name="counts"/>, in order of
        /// first appearance. Any context, never waits.
        /// </summary>
        /// <returns>The number of distinct tags written (at most the arrays' length; more tags are left out).</returns>
        /// <exception cref="ArgumentNullException">An array is null.</exception>
        /// <exception cref="ArgumentException">The arrays differ in length.</exception>
        public int CopyHolderTotals(int[] tags, int[] counts)
        {
            if (tags == null)
            {
                throw new ArgumentNullException("tags");
            }

            if (counts == null)
            {
                throw new ArgumentNullException("counts");
            }

            if (tags.Length != counts.Length)
            {
                throw new ArgumentException("tags and counts must have the same length.", "counts");
            }

            int distinct = 0;
            Block[] blocks = _blocks;
            int created = _blockCount;
            for (int i = 0; i < created && i < blocks.Length; i++)
            {
                if (blocks[i]._state != Block.StateHeld)
                {
                    continue;
                }

                int tag = blocks[i]._ownerTag;
                int slot = 0;
                while (slot < distinct && tags[slot] != tag)
                {
                    slot++;
                }

                if (slot < distinct)
                {
                    counts[slot]++;
                }
                else if (distinct < tags.Length)
                {
                    tags[distinct] = tag;
                    counts[distinct] = 1;
                    distinct++;
                }
            }

            return distinct;
        }

        /// <summary>
        /// Writes the blocks held now into <paramref name="into"/> (read each one's <see cref="Block.OwnerTag"/>
        /// and <see cref="Block.HeldSinceTicks"/>). Any context, never waits.
        /// </summary>
        /// <returns>The number of blocks written (at most <c>into.Length</c>).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        public int CopyHeldBlocks(Block[] into)
        {
            return CollectHeld(into, long.MaxValue);
        }

        /// <summary>
        /// The suspects: writes into <paramref name="into"/> the blocks held by a tagged allocation for longer
        /// than <paramref name="milliseconds"/> (untagged allocations record no time and are never listed).
        /// Any context, never waits; reads the clock once.
        /// </summary>
        /// <returns>The number of blocks written (at most <c>into.Length</c>).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="milliseconds"/> is negative.</exception>
        public int FindHeldLongerThan(int milliseconds, Block[] into)
        {
            if (milliseconds < 0)
            {
                throw new ArgumentOutOfRangeException("milliseconds", "Must be 0 or more.");
            }

            long cutoff = DateTime.UtcNow.Ticks - (milliseconds * TimeSpan.TicksPerMillisecond);
            return CollectHeld(into, cutoff);
        }

        /// <summary>Held blocks whose recorded time is before <paramref name="cutoffTicks"/> (long.MaxValue = all).</summary>
        private int CollectHeld(Block[] into, long cutoffTicks)
        {
            if (into == null)
            {
                throw new ArgumentNullException("into");
            }

            int written = 0;
            Block[] blocks = _blocks;
            int created = _blockCount;
            for (int i = 0; i < created && i < blocks.Length && written < into.Length; i++)
            {
                Block block = blocks[i];
                if (block._state != Block.StateHeld)
                {
                    continue;
                }

                bool all = cutoffTicks == long.MaxValue;
                long since = block._heldSinceTicks;
                if (all || (since != 0 && since < cutoffTicks))
                {
                    into[written++] = block;
                }
            }

            return written;
        }
    }
}
