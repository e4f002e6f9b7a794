// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    // Packing of BlockPool._sizes: the capacity (blocks the pool owns now) and the target capacity
    // (what the constructor or the last Resize asked for) in one int, so that one CAS changes
    // one of them only if the other has not moved.
    // Why one word: with two words, a free could read (capacity 2, target 1) during a shrink, a
    // Resize(2) could then raise the target and find nothing to grow, and the free's retire CAS on the
    // capacity alone would still succeed, leaving capacity 1 below target 2 for good (the spin model's
    // -DBUG_SPLIT_SIZES shows it). With one word that CAS fails and the free re-reads. Layout: bits 31..16 =
    // target, bits 15..0 = capacity; both are at most BlockPoolOptions.MaxBlocks.
    internal static class PoolSizes
    {
        private const int Mask = 0xFFFF;

        // The word for a target and a capacity.
        internal static int Make(int target, int capacity)
        {
            return (target << 16) | capacity;
        }

        // Blocks the pool owns now.
        internal static int Capacity(int sizes)
        {
            return sizes & Mask;
        }

        // The capacity asked for.
        internal static int Target(int sizes)
        {
            return (sizes >> 16) & Mask;
        }

        // True while the pool owns more blocks than its target (a shrink is being settled).
        internal static bool HasSurplus(int sizes)
        {
            return Capacity(sizes) > Target(sizes);
        }
    }
}
