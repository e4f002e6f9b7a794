// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    // Layout of a block's entry in BlockPool._uses, one long per slot, written only by the context that owns the
    // block (its holder, or a freer after its ownership CAS):
    //   bits 63..24  completed uses (frees) of the block: 2^40 of them, 35 years at a thousand a second;
    //   bits 23..0   the used length its holder set (Block.Length), at most MaxLength.
    // Every free ends a use and clears the length in one store, (entry | LengthMask) + 1, so every block comes out
    // of an allocation with length 0 and the allocation paths pay nothing for it.
    internal static class BlockUse
    {
        // The bits of the used length.
        internal const long LengthMask = 0xFFFFFF;

        // Largest used length, hence largest block size.
        internal const int MaxLength = 0xFFFFFF;

        // Shift of the use count.
        internal const int CountShift = 24;

        // The entry after a free: one more use, length 0.
        internal static long AfterFree(long entry)
        {
            return (entry | LengthMask) + 1;
        }

        // The completed uses of an entry.
        internal static long Count(long entry)
        {
            return entry >> CountShift;
        }

        // The used length of an entry.
        internal static int Length(long entry)
        {
            return (int)(entry & LengthMask);
        }

        // The entry with its used length replaced by length (0 to MaxLength).
        internal static long WithLength(long entry, int length)
        {
            return (entry & ~LengthMask) | (long)length;
        }
    }
}
