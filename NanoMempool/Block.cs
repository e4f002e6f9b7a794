// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool
{
    /// <summary>
    /// One fixed-size buffer owned by a <see cref="BlockPool"/>. Blocks are created when the pool is
    /// constructed (or grown by <see cref="BlockPool.Resize"/>) and reused for the pool's whole life:
    /// allocating and freeing a block never creates a managed object.
    /// </summary>
    /// <remarks>
    /// Hold a block for as long as you need its <see cref="Buffer"/>, then give it back exactly once with
    /// <see cref="Dispose"/> or <see cref="BlockPool.Free(Block)"/>. Do not keep using a block (or its buffer)
    /// after freeing it: the pool hands the very same object to its next user. The block's state lives in its
    /// pool (one <see cref="int"/> per block), so a block object is only its pool, its slot and its buffer.
    /// </remarks>
    public sealed class Block : IDisposable
    {
        internal readonly BlockPool _pool;

        // The block's slot in its pool's arrays: 1 to the number of blocks ever created.
        internal readonly int _slot;

        // The buffer. Fixed for the block's life in a pool without a backing allocator; with one it is null while
        // the block is retired (given back) and replaced when the slot is reused, by the one context that owns the
        // block at that moment.
        internal byte[] _buffer;

        internal Block(BlockPool pool, int slot, byte[] buffer)
        {
            _pool = pool;
            _slot = slot;
            _buffer = buffer;
        }

        /// <summary>
        /// The block's memory: exactly <see cref="BlockPool.BlockSize"/> bytes, so it can be handed to any
        /// nanoFramework API that takes a <c>byte[]</c>. The same array for as long as the block is held (and,
        /// in a pool without a backing allocator, for the block's whole life). Its contents are not cleared
        /// between users. Any context, never waits.
        /// </summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>
        /// How many bytes of <see cref="Buffer"/> hold data, from its start: set by whoever fills the block (a handler
        /// that read a sensor's FIFO, say), read by whoever takes it next (a thread that took it from a
        /// <see cref="BlockQueue"/>). 0 for every block an allocation returns. Any context, never waits, allocates
        /// nothing.
        /// </summary>
        /// <remarks>
        /// To read or write the filled part through a <c>SpanByte</c> (what <c>SpiDevice</c> and <c>I2cDevice</c>
        /// take), build it in a local: <c>SpanByte data = new SpanByte(block.Buffer, 0, block.Length);</c>. On the
        /// nanoFramework interpreter a <c>SpanByte</c> built into a local costs no allocation, but one returned from
        /// a method or passed to one is copied into a small heap object; that is why the block offers the length,
        /// not a <c>SpanByte</c>.
        /// </remarks>
        /// <exception cref="ArgumentOutOfRangeException">Set below 0 or above the pool's block size.</exception>
        /// <exception cref="InvalidOperationException">Set on a block that is not held (it was freed) or is in a
        /// <see cref="BlockQueue"/>.</exception>
        public int Length
        {
            get { return _pool.LengthOf(_slot); }
            set { _pool.SetLength(_slot, value); }
        }

        /// <summary>The pool this block belongs to. Any context, never waits.</summary>
        public BlockPool Pool
        {
            get { return _pool; }
        }

        /// <summary>
        /// The block's number within its pool (0 to the number of blocks ever created - 1); stable for the
        /// block's life, useful in logs. Any context, never waits.
        /// </summary>
        public int Index
        {
            get { return _slot - 1; }
        }

        /// <summary>
        /// A number the holder chooses to say who holds the block (e.g. "SPI task" = 3), for the holder report
        /// (<see cref="BlockPool.CopyHeldBlocks"/>) and the poisoning report. Every allocation resets it to 0;
        /// while the block is free it keeps its last holder's tag. Needs
        /// <see cref="BlockPoolOptions.OwnerTracking"/>: without it the tag reads 0 and setting it throws
        /// <see cref="InvalidOperationException"/>. Any context, never waits, allocates nothing.
        /// </summary>
        /// <exception cref="InvalidOperationException">Set in a pool without owner tracking.</exception>
        public int OwnerTag
        {
            get { return _pool.OwnerTagOf(_slot); }
            set { _pool.SetOwnerTag(_slot, value); }
        }

        /// <summary>
        /// When the current holder took the block, as UTC <see cref="DateTime"/> ticks (the time of its last
        /// allocation while it is free); 0 without <see cref="BlockPoolOptions.OwnerTracking"/>. Any context, never
        /// waits.
        /// </summary>
        public long HeldSinceTicks
        {
            get { return _pool.HeldSinceOf(_slot); }
        }

        /// <summary>
        /// Frees the block back to its pool, exactly like <c>Pool.Free(this)</c>, so that
        /// <c>using (var b = pool.Alloc()) { ... }</c> works. Any context, never waits.
        /// </summary>
        /// <exception cref="InvalidOperationException">
        /// The block is not held (it was already freed), or is in a <see cref="BlockQueue"/>.
        /// </exception>
        public void Dispose()
        {
            _pool.Free(this);
        }
    }
}
