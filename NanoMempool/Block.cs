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
    /// after freeing it: the pool hands the very same object to its next user.
    /// </remarks>
    public sealed class Block : IDisposable
    {
        /// <summary>Ownership state: on the free list, or in a hand-off to a waiting thread.</summary>
        internal const int StateFree = 0;

        /// <summary>Ownership state: held by exactly one caller.</summary>
        internal const int StateHeld = 1;

        /// <summary>
        /// Ownership state: removed from the pool by a shrinking <see cref="BlockPool.Resize"/>, or (with a
        /// backing allocator) its buffer given back to the allocator.
        /// </summary>
        internal const int StateRetired = 2;

        private readonly BlockPool _pool;
        private readonly int _index;

        /// <summary>
        /// The buffer. Fixed for the block's life in a fixed pool; with a backing allocator it is null while the
        /// block is retired (given back) and replaced when the slot is reused. Written under the pool's thread
        /// lock, or by the one context retiring the block, before the state change that publishes it.
        /// </summary>
        internal byte[] _buffer;

        /// <summary>Ownership word (StateFree/StateHeld/StateRetired); Free changes it with one CAS.</summary>
        internal int _state;

        /// <summary>While on the free list: the <see cref="FreeListWord"/> field of the next free block.</summary>
        internal int _next;

        /// <summary>While on the free list: how many free blocks are at and below this one.</summary>
        internal int _depth;

        /// <summary>Owner tag given by the current (or last) holder; BlockPool.NoOwner if none.</summary>
        internal int _ownerTag;

        /// <summary>DateTime ticks (UTC) when a tagged allocation took the block; 0 if not recorded.</summary>
        internal long _heldSinceTicks;

        /// <summary>Audit epoch mark used by BlockPool.Validate (threads only, under the thread lock).</summary>
        internal int _auditMark;

        /// <summary>Times this block was allocated. Written only by the thread that just took it.</summary>
        internal long _allocations;

        /// <summary>Times this block was freed. Written only by the thread that frees it, before release.</summary>
        internal long _frees;

        internal Block(BlockPool pool, int index, byte[] buffer)
        {
            _pool = pool;
            _index = index;
            _buffer = buffer;
            _state = StateFree;
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
            get { return _index; }
        }

        /// <summary>
        /// The owner tag given by the block's current holder (or its last one, while the block is free);
        /// <see cref="BlockPool.NoOwner"/> when the allocation gave none. Any context, never waits.
        /// </summary>
        public int OwnerTag
        {
            get { return _ownerTag; }
        }

        /// <summary>
        /// When a tagged allocation took the block, as UTC <see cref="DateTime"/> ticks; 0 when the allocation
        /// gave no owner tag (untagged allocations do not read the clock). Any context, never waits.
        /// </summary>
        public long HeldSinceTicks
        {
            get { return _heldSinceTicks; }
        }

        /// <summary>
        /// Frees the block back to its pool, exactly like <c>Pool.Free(this)</c>, so that
        /// <c>using (var b = pool.Alloc()) { ... }</c> works. Any context, never waits.
        /// </summary>
        /// <exception cref="InvalidOperationException">The block is not held (it was already freed).</exception>
        public void Dispose()
        {
            _pool.Free(this);
        }
    }
}
