// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    /// <summary>Growing and shrinking the pool, like <c>mempool_resize</c>.</summary>
    public sealed partial class BlockPool
    {
        /// <summary>
        /// Changes the number of blocks the pool owns. Growing reserves the new blocks at once (reusing
        /// blocks retired by an earlier shrink before creating new ones) and hands them to waiting threads
        /// first. Shrinking never takes a block from its holder: free blocks are retired now, and held ones
        /// as they come home, so <see cref="Capacity"/> reaches <paramref name="newCapacity"/> only when
        /// enough blocks are freed. With a <see cref="BlockPoolOptions.BackingAllocator"/> it changes the
        /// reserve's size instead, like <c>mempool_resize</c>: growing fills the reserve from the allocator as
        /// far as the allocator can (waiting threads first; frees refill the rest), shrinking gives free blocks
        /// beyond the new size back to it. Threads only: takes the pool's thread lock (and calls the allocator
        /// under it); never waits for a block.
        /// </summary>
        /// <param name="newCapacity">The capacity wanted: 1 to 65534.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="newCapacity"/> is out of range.</exception>
        /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
        public void Resize(int newCapacity)
        {
            if (newCapacity < 1 || newCapacity > FreeListWord.MaxBlocks)
            {
                throw new ArgumentOutOfRangeException("newCapacity", "Capacity must be 1 to 65534.");
            }

            ThrowIfDisposed();
            lock (_threadLock)
            {
                ThrowIfDisposed();
                if (_allocator != null)
                {
                    ResizeReserve(newCapacity);
                    return;
                }

                // Publish the target first, by CAS on the word that also holds the capacity: a freer's
                // retire CAS made against the old target now fails, and it re-reads (I6, PoolSizes).
                // Model: model/nanomempool.pml [Resize.target]
                int sizes = _sizes;
                while (true)
                {
                    int seen = Interlocked.CompareExchange(
                        ref _sizes, PoolSizes.Make(newCapacity, PoolSizes.Capacity(sizes)), sizes);
                    if (seen == sizes)
                    {
                        break;
                    }

                    sizes = seen;
                }

                // Bulk waiters whose set no longer fits must learn it (they re-check under this lock and
                // throw); the others simply retry. Waking them costs nothing when none waits.
                if (_bulkWaiting != 0)
                {
                    WakeBulkWaiters(int.MaxValue);
                }

                while (true)
                {
                    sizes = _sizes;
                    int capacity = PoolSizes.Capacity(sizes);
                    if (capacity >= newCapacity)
                    {
                        break;
                    }

                    // Model: model/nanomempool.pml [Resize.grow]
                    if (Interlocked.CompareExchange(ref _sizes, PoolSizes.Make(newCapacity, capacity + 1), sizes) == sizes)
                    {
                        Release(ReviveOrCreateBlock(null));
                    }
                }

                RetireSurplus();
            }
        }

        /// <summary>
        /// Retires free blocks while the pool owns more than its target. Any context, never waits,
        /// lock-free; does work only during a shrink, at most one pop per surplus block.
        /// </summary>
        private void RetireSurplus()
        {
            Block block;
            int freeAfter;
            // Model: model/nanomempool.pml [Surplus.check]
            while (PoolSizes.HasSurplus(_sizes) && TryPop(0, out block, out freeAfter))
            {
                if (!TryRetire(block))
                {
                    // Someone else retired the last surplus block meanwhile: this one goes back home
                    // (to a waiter first). That Release finds no surplus unless yet another shrink races,
                    // so the recursion is as deep as the number of racing shrinks.
                    Release(block);
                    return;
                }
            }
        }

        /// <summary>
        /// Retires a home-coming block if the pool owns more blocks than its target. Any context, never
        /// waits, lock-free. Returns false (changing nothing) when no retirement is due.
        /// </summary>
        private bool TryRetire(Block block)
        {
            int sizes = _sizes;
            while (true)
            {
                if (!PoolSizes.HasSurplus(sizes))
                {
                    return false;
                }

                // One CAS on capacity and target together: it fails if a Resize moved the target since we
                // read it, so a retire decided on an old target never lands (I6).
                // Model: model/nanomempool.pml [TryRetire.cas]
                int seen = Interlocked.CompareExchange(
                    ref _sizes, PoolSizes.Make(PoolSizes.Target(sizes), PoolSizes.Capacity(sizes) - 1), sizes);
                if (seen == sizes)
                {
                    block._state = Block.StateRetired;
                    return true;
                }

                sizes = seen;
            }
        }

        /// <summary>
        /// A retired block brought back, or a new one, in state Free; null when all 65534 slots are in use.
        /// <paramref name="buffer"/> is null in a fixed pool (a revived block keeps its own buffer, a new one
        /// gets a new array); with a backing allocator it is the allocator's buffer. Threads only, under
        /// _threadLock.
        /// </summary>
        private Block ReviveOrCreateBlock(byte[] buffer)
        {
            for (int i = 0; i < _blockCount; i++)
            {
                Block retired = _blocks[i];
                if (retired._state == Block.StateRetired)
                {
                    if (buffer != null)
                    {
                        retired._buffer = buffer;
                    }

                    retired._state = Block.StateFree;
                    return retired;
                }
            }

            if (_blockCount == FreeListWord.MaxBlocks)
            {
                return null;
            }

            if (_blockCount == _blocks.Length)
            {
                int length = _blocks.Length * 2;
                if (length > FreeListWord.MaxBlocks)
                {
                    length = FreeListWord.MaxBlocks;
                }

                Block[] grown = new Block[length];
                Array.Copy(_blocks, grown, _blockCount);
                _blocks = grown;
            }

            Block block = new Block(this, _blockCount, buffer != null ? buffer : new byte[_blockSize]);
            _blocks[_blockCount] = block;
            _blockCount++;
            return block;
        }
    }
}
