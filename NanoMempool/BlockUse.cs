// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    // Layout of a block's entry in BlockPool._uses, one long per slot, written only by the context that owns the
    // block (its holder, or a freer after its ownership CAS):
    //   bits 63..40  the used length its holder set (Block.Length), at most MaxLength;
    //   bits 39..0   completed uses (frees) of the block: 2^40 of them, 254 days of one block freed 50,000 times a
    //                second (then the count starts again from 0).
    // Every free ends a use and clears the length in one store, (entry + 1) & CountMask (one 64-bit constant: the
    // interpreter loads it with one instruction), so every block comes out of an allocation with length 0 and the
    // allocation paths pay nothing for it.
    internal static class BlockUse
    {
        // The bits of the use count.
        internal const long CountMask = 0xFFFFFFFFFF;

        // Largest used length, hence largest block size.
        internal const int MaxLength = 0xFFFFFF;

        // Shift of the used length.
        internal const int LengthShift = 40;

        // The entry after a free: one more use, length 0.
        internal static long AfterFree(long entry)
        {
            return (entry + 1) & CountMask;
        }

        // The completed uses of an entry.
        internal static long Count(long entry)
        {
            return entry & CountMask;
        }

        // The used length of an entry.
        internal static int Length(long entry)
        {
            return (int)((ulong)entry >> LengthShift);
        }

        // The entry with its used length replaced by length (0 to MaxLength).
        internal static long WithLength(long entry, int length)
        {
            return (entry & CountMask) | ((long)length << LengthShift);
        }
    }
}
