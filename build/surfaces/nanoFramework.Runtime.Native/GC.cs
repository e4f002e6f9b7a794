// Licensed under the MIT License. See LICENSE in the repository root.
//
// COMPILE-ONLY SURFACE: never shipped, never run. The real package is not obtainable on the Linux build host, so this file
// declares exactly the members that the device benchmark uses, with the signatures of the real assembly
// (nanoFramework.Runtime.Native 1.7.16 in the nanoCLR kit's refs/: GC is a public static class, Run is an
// InternalCall returning UInt32). The assembly exists only so that the benchmark can be compiled against
// nanoFramework mscorlib; it must never be deployed or packed.

namespace nanoFramework.Runtime.Native
{
    /// <summary>Surface of nanoFramework.Runtime.Native 1.7.x: the device's garbage collector.</summary>
    public static class GC
    {
        /// <summary>Runs a full collection (with compaction if <paramref name="compactHeap"/>) and returns the free bytes.</summary>
        /// <param name="compactHeap">true to compact the heap too.</param>
        /// <returns>The free bytes of the managed heap after the collection.</returns>
        public static uint Run(bool compactHeap)
        {
            throw new System.NotImplementedException("compile-only surface");
        }
    }
}
