// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    /// <summary>
    /// Layout of a block's entry in <c>BlockPool._links</c>, one <see cref="int"/> per slot: where the block is,
    /// and, while it is free, its place in the free list.
    /// </summary>
    /// <remarks>
    /// <para>0 or more: on the free list (or, inside one bulk call, on that call's private chain):
    /// bits 31..16 = depth (free blocks at and below this one), bits 13..0 = slot of the next block (0 = none).
    /// Slot 0 is the sentinel, link 0: depth 0, so the empty list needs no special case.</para>
    /// <para>Negative: not on the list. <see cref="Held"/> or <see cref="HeldChecked"/>: held by one caller;
    /// <see cref="Queued"/> or <see cref="QueuedChecked"/>: held, and inside a BlockQueue (its one place: a queued block
    /// can be neither freed nor queued again until a consumer takes it out);
    /// <see cref="Owned"/>: in transit, owned by the one context moving it (a freer before its push, a hand-off to
    /// a waiting thread); <see cref="Retired"/>: out of the pool after a shrink, or its buffer given back.</para>
    /// </remarks>
    internal static class BlockLink
    {
        /// <summary>Held, in a pool whose frees may take the fast path.</summary>
        internal const int Held = -1;

        /// <summary>Held, in a pool whose frees must take the checked path (poisoning).</summary>
        internal const int HeldChecked = -2;

        /// <summary>Owned by the context moving the block; in no list, held by no caller.</summary>
        internal const int Owned = -3;

        /// <summary>Not part of the pool now (capacity does not count it).</summary>
        internal const int Retired = -4;

        /// <summary>In a BlockQueue, from a pool whose frees may take the fast path (Held - QueuedOffset).</summary>
        internal const int Queued = -5;

        /// <summary>In a BlockQueue, from a poisoning pool (HeldChecked - QueuedOffset).</summary>
        internal const int QueuedChecked = -6;

        /// <summary>A held link minus this is its queued link, and back: the queue keeps the pool's checked flag.</summary>
        internal const int QueuedOffset = 4;

        /// <summary>Shift of the depth field.</summary>
        internal const int DepthShift = 16;

        /// <summary>True for a held block's link outside any queue (Held or HeldChecked).</summary>
        internal static bool IsHeld(int link)
        {
            return link == Held || link == HeldChecked;
        }

        /// <summary>True for the link of a block inside a BlockQueue (Queued or QueuedChecked).</summary>
        internal static bool IsQueued(int link)
        {
            return link == Queued || link == QueuedChecked;
        }

        /// <summary>The link of a free block at <paramref name="depth"/> above <paramref name="next"/>.</summary>
        internal static int Make(int depth, int next)
        {
            return (depth << DepthShift) | next;
        }

        /// <summary>The depth of a free block's link (0 for the sentinel).</summary>
        internal static int Depth(int link)
        {
            return (int)((uint)link >> DepthShift);
        }

        /// <summary>The next slot of a free block's link.</summary>
        internal static int Next(int link)
        {
            return link & FreeListWord.SlotMask;
        }
    }
}
