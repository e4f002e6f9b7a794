// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    /// <summary>
    /// Packing of <c>BlockPool._sizes</c>: the capacity (blocks the pool owns now) and the target capacity
    /// (what the constructor or the last Resize asked for) in one <see cref="int"/>, so that one CAS changes
    /// one of them only if the other has not moved.
    /// </summary>
    /// <remarks>
    /// Why one word: with two words, a free could read (capacity 2, target 1) during a shrink, a
    /// <c>Resize(2)</c> could then raise the target and find nothing to grow, and the free's retire CAS on the
    /// capacity alone would still succeed, leaving capacity 1 below target 2 for good (the spin model's
    /// -DBUG_SPLIT_SIZES shows it). With one word that CAS fails and the free re-reads. Layout: bits 31..16 =
    /// target, bits 15..0 = capacity; both are at most BlockPoolOptions.MaxBlocks.
    /// </remarks>
    internal static class PoolSizes
    {
        private const int Mask = 0xFFFF;

        /// <summary>The word for a target and a capacity.</summary>
        internal static int Make(int target, int capacity)
        {
            return (target << 16) | capacity;
        }

        /// <summary>Blocks the pool owns now.</summary>
        internal static int Capacity(int sizes)
        {
            return sizes & Mask;
        }

        /// <summary>The capacity asked for.</summary>
        internal static int Target(int sizes)
        {
            return (sizes >> 16) & Mask;
        }

        /// <summary>True while the pool owns more blocks than its target (a shrink is being settled).</summary>
        internal static bool HasSurplus(int sizes)
        {
            return Capacity(sizes) > Target(sizes);
        }
    }
}
