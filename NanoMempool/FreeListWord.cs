// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    /// <summary>
    /// Layout of the pool's one shared word, <c>BlockPool._word</c>: the top of the lock-free free list, two flags
    /// and a 16-bit version tag, in one <see cref="int"/> so that a single <c>Interlocked.CompareExchange</c>
    /// changes all of them (nanoFramework has no 64-bit or object CAS).
    /// </summary>
    /// <remarks>
    /// <para>Bits 31..16 tag; bit 15 <see cref="AlertBit"/>; bit 14 <see cref="WaitersBit"/>; bits 13..0 the slot of
    /// the top free block (0 = the list is empty; slots are 1 to <see cref="MaxBlocks"/>).</para>
    /// <para>Every successful CAS on the word adds <see cref="TagUnit"/> (see the ABA argument at
    /// <c>BlockPool.TryAlloc</c> and the hand-off re-check at <c>BlockPool.Release</c>).</para>
    /// <para>The fast paths (<c>TryAlloc</c>, <c>Free</c>) do this bit work inline, since the interpreter inlines
    /// nothing; the helpers below are the same operations, named, for every other path.</para>
    /// </remarks>
    internal static class FreeListWord
    {
        /// <summary>Largest number of blocks a pool can hold (slots 1 to 16383).</summary>
        internal const int MaxBlocks = SlotMask;

        /// <summary>The bits that hold the top slot.</summary>
        internal const int SlotMask = 0x3FFF;

        /// <summary>
        /// The list is empty and threads may be waiting in <c>Alloc</c>: a freed block must be offered to them
        /// before it may be pushed. Set only while the slot bits are 0; a push clears it.
        /// </summary>
        internal const int WaitersBit = 0x4000;

        /// <summary>
        /// A push must run <c>BlockPool.AfterAlertedPush</c>: a bulk waiter may be waiting, a shrink is being
        /// settled, or a backing allocator's reserve limit applies. Kept by pops and pushes; raised and cleared
        /// only by <c>BlockPool.RaiseAlert</c> and <c>BlockPool.ClearAlertIfIdle</c>.
        /// </summary>
        internal const int AlertBit = 0x8000;

        /// <summary>One step of the tag (bits 31..16); adding it wraps out of bit 31 after 65,536 steps.</summary>
        internal const int TagUnit = 0x10000;

        /// <summary>What a pop keeps of the old word: tag and flags (the waiters flag is never set under a pop).</summary>
        internal const int KeptByPop = ~SlotMask;

        /// <summary>What a push keeps of the old word: tag and alert (a push clears the waiters flag).</summary>
        internal const int KeptByPush = ~(SlotMask | WaitersBit);

        /// <summary>The top slot (0 when the list is empty).</summary>
        internal static int Top(int word)
        {
            return word & SlotMask;
        }

        /// <summary>The word after popping the top: tag + 1, flags kept, top replaced by <paramref name="next"/>.</summary>
        internal static int AfterPop(int word, int next)
        {
            return ((word & KeptByPop) + TagUnit) | next;
        }

        /// <summary>The word after pushing <paramref name="slot"/>: tag + 1, alert kept, waiters cleared.</summary>
        internal static int AfterPush(int word, int slot)
        {
            return ((word & KeptByPush) + TagUnit) | slot;
        }

        /// <summary>The word with the flag <paramref name="bit"/> set (or cleared) and tag + 1.</summary>
        internal static int WithFlag(int word, int bit, bool set)
        {
            return (set ? word | bit : word & ~bit) + TagUnit;
        }
    }
}
