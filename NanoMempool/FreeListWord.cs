// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    /// <summary>
    /// Packing of the pool's one shared word, <c>BlockPool._word</c>: the top of the lock-free free list
    /// and a 16-bit version tag, in one <see cref="int"/> so that a single
    /// <c>Interlocked.CompareExchange</c> changes both (nanoFramework has no 64-bit or object CAS).
    /// </summary>
    /// <remarks>
    /// Layout: bits 31..16 = tag, bits 15..0 = field.
    /// field 0 = <see cref="Empty"/> (no free block, nobody waiting);
    /// field 0xFFFF = <see cref="EmptyWithWaiters"/> (no free block, threads may be waiting: a freed block
    /// must be offered to them before it may go on the list);
    /// any other field = index of the top free block + 1.
    /// Every successful CAS on the word increments the tag (see the ABA argument in <c>BlockPool.TryPop</c>
    /// and the hand-off re-check in <c>BlockPool.Release</c>).
    /// </remarks>
    internal static class FreeListWord
    {
        /// <summary>Field value: the free list is empty and no thread is registered as waiting.</summary>
        internal const int Empty = 0;

        /// <summary>Field value: the free list is empty and threads may be waiting in <c>Alloc</c>.</summary>
        internal const int EmptyWithWaiters = 0xFFFF;

        /// <summary>Largest number of blocks a pool can index (field values 1..0xFFFE).</summary>
        internal const int MaxBlocks = 0xFFFE;

        private const int FieldMask = 0xFFFF;

        /// <summary>The field (low 16 bits) of a word.</summary>
        internal static int Field(int word)
        {
            return word & FieldMask;
        }

        /// <summary>True when the field names a free block (the list is not empty).</summary>
        internal static bool HasTop(int field)
        {
            return field != Empty && field != EmptyWithWaiters;
        }

        /// <summary>The word that follows <paramref name="word"/>: tag + 1 (wrapping), field replaced.</summary>
        internal static int Successor(int word, int field)
        {
            unchecked
            {
                return (int)(((uint)word & 0xFFFF0000u) + 0x10000u) | field;
            }
        }

        /// <summary>The field that names the block with the given index.</summary>
        internal static int FieldOf(int blockIndex)
        {
            return blockIndex + 1;
        }

        /// <summary>The index of the block a non-empty field names.</summary>
        internal static int IndexOf(int field)
        {
            return field - 1;
        }
    }
}
