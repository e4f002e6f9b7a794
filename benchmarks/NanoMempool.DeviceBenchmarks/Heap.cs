// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>The managed heap, as nanoFramework.Runtime.Native's GC reports it.</summary>
    internal static class Heap
    {
        /// <summary>
        /// Runs a full collection without compaction and returns the free bytes after it. (Compaction does not change
        /// the free total, and GC.Run(true) crashes the kit's 64-bit interpreter.)
        /// </summary>
        internal static long FreeBytes()
        {
            return nanoFramework.Runtime.Native.GC.Run(false);
        }
    }
}
