// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool
{
    /// <summary>
    /// A backing allocator on the managed heap: <see cref="Allocate"/> is <c>new byte[blockSize]</c>, and
    /// <see cref="Release"/> drops the buffer for the garbage collector. With it, a pool behaves like a
    /// kernel mempool over <c>kmalloc</c>: threads allocate from the heap while it has room and fall back to
    /// the reserve (then wait) when it has not; handlers use the reserve only, so they never trigger a GC.
    /// </summary>
    public sealed class ManagedHeapAllocator : IBlockAllocator
    {
        /// <summary>Creates the allocator; it keeps no state, so one may serve many pools. Any context, never waits.</summary>
        public ManagedHeapAllocator()
        {
        }

        /// <summary>
        /// A new zeroed buffer, or null when the heap is out of memory (the <see cref="OutOfMemoryException"/>
        /// is caught). Threads only: may run the garbage collector, which stops every thread.
        /// </summary>
        /// <param name="blockSize">Bytes wanted; at least 1.</param>
        /// <returns>A new buffer, or null.</returns>
        public byte[] Allocate(int blockSize)
        {
            try
            {
                return new byte[blockSize];
            }
            catch (OutOfMemoryException)
            {
                return null;
            }
        }

        /// <summary>
        /// Forgets the buffer; the garbage collector reclaims it once nothing refers to it. Any context:
        /// never waits, allocates nothing.
        /// </summary>
        /// <param name="buffer">The buffer given back.</param>
        public void Release(byte[] buffer)
        {
        }
    }
}
