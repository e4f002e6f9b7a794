// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    /// <summary>
    /// Where a <see cref="BlockPool"/> with a backing allocator gets its buffers (the <c>alloc_fn</c> and
    /// <c>free_fn</c> of the kernel's <c>mempool_create</c>). Pass one in
    /// <see cref="BlockPoolOptions.BackingAllocator"/>; <see cref="ManagedHeapAllocator"/> ships with the library.
    /// </summary>
    /// <remarks>
    /// The two members run in different contexts, and an implementation must honour both:
    /// <see cref="Allocate"/> is called only from threads (never from <see cref="BlockPool.TryAlloc(out Block)"/>),
    /// <see cref="Release"/> from whatever context frees a block, interrupt handlers included.
    /// </remarks>
    public interface IBlockAllocator
    {
        /// <summary>
        /// Returns a new buffer of exactly <paramref name="blockSize"/> bytes, or null when none can be had now
        /// (the pool then falls back to its reserve, and waits). Called from threads only (the pool's
        /// constructor, <see cref="BlockPool.Alloc(int)"/>, the bulk Alloc and <see cref="BlockPool.Resize"/>),
        /// never from a handler: it may block, and may allocate.
        /// </summary>
        /// <param name="blockSize">The pool's <see cref="BlockPool.BlockSize"/>.</param>
        /// <returns>A buffer of <paramref name="blockSize"/> bytes that nobody else uses, or null.</returns>
        byte[] Allocate(int blockSize);

        /// <summary>
        /// Takes back a buffer that <see cref="Allocate"/> returned, when the pool's reserve is full and a block
        /// comes home (or the pool shrinks or is disposed). Called from any context, including interrupt
        /// handlers, by <see cref="BlockPool.Free(Block)"/>: it must never wait, take a lock a thread may hold,
        /// allocate, or throw.
        /// </summary>
        /// <param name="buffer">A buffer from <see cref="Allocate"/>; the pool no longer refers to it.</param>
        void Release(byte[] buffer);
    }
}
