// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool.StressTests
{
    /// <summary>
    /// What a holder leaves on a block in a pool with owner tracking and poisoning, and checks before it frees it: its
    /// id as the block's OwnerTag and in every byte of the buffer. A second holder at the same time, or a stale one
    /// writing after its free, changes one of them; a write after the free is also a poison violation the pool counts.
    /// </summary>
    internal static class HolderMark
    {
        /// <summary>
        /// Right after the pool gave <paramref name="block"/> to <paramref name="id"/>: the allocation reset the owner
        /// tag to 0 and stamped the time; the holder then writes its tag and fills the buffer.
        /// </summary>
        /// <exception cref="InvalidOperationException">The tag or the time is not what a fresh allocation leaves.</exception>
        internal static void Take(Block block, int id)
        {
            if (block.OwnerTag != 0)
            {
                throw new InvalidOperationException("block " + block.Index + " came with owner tag " + block.OwnerTag + ", not 0");
            }

            if (block.HeldSinceTicks <= 0 || block.HeldSinceTicks > DateTime.UtcNow.Ticks)
            {
                throw new InvalidOperationException("block " + block.Index + " has HeldSinceTicks " + block.HeldSinceTicks);
            }

            block.OwnerTag = id;
            Array.Fill(block.Buffer, (byte)id);
        }

        /// <summary>Right before <paramref name="id"/> frees <paramref name="block"/>: its tag and its fill are intact.</summary>
        /// <exception cref="InvalidOperationException">Another context changed the tag or the buffer.</exception>
        internal static void Check(Block block, int id)
        {
            if (block.OwnerTag != id)
            {
                throw new InvalidOperationException("block " + block.Index + " held by " + id + " has owner tag " + block.OwnerTag);
            }

            byte[] buffer = block.Buffer;
            for (int i = 0; i < buffer.Length; i++)
            {
                if (buffer[i] != (byte)id)
                {
                    throw new InvalidOperationException("block " + block.Index + " held by " + id + " has byte " + buffer[i] + " at " + i);
                }
            }
        }
    }
}
