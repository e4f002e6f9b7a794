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
        /// enough blocks are freed. Threads only: takes the pool's thread lock; never waits for a block.
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

                // Publish the target first (a fenced write): a freer that reads _capacity and then the
                // target either sees this target or fails its retire CAS against our changes below (I6).
                // Model: model/nanomempool.pml [Resize.target]
                Interlocked.Exchange(ref _targetCapacity, newCapacity);

                while (true)
                {
                    int capacity = _capacity;
                    if (capacity >= newCapacity)
                    {
                        break;
                    }

                    // Model: model/nanomempool.pml [Resize.grow]
                    if (Interlocked.CompareExchange(ref _capacity, capacity + 1, capacity) == capacity)
                    {
                        Release(ReviveOrCreateBlock());
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
            while (_capacity > _targetCapacity && TryPop(0, out block, out freeAfter))
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
            while (true)
            {
                int capacity = _capacity;

                // Fenced read of the target, after the capacity read (see Resize). The target is never 0,
                // so this CAS never writes.
                int target = Interlocked.CompareExchange(ref _targetCapacity, 0, 0);
                if (capacity <= target)
                {
                    return false;
                }

                // Model: model/nanomempool.pml [TryRetire.cas]
                if (Interlocked.CompareExchange(ref _capacity, capacity - 1, capacity) == capacity)
                {
                    block._state = Block.StateRetired;
                    return true;
                }
            }
        }

        /// <summary>A retired block brought back, or a new one. Threads only, under _threadLock.</summary>
        private Block ReviveOrCreateBlock()
        {
            for (int i = 0; i < _blockCount; i++)
            {
                Block retired = _blocks[i];
                if (retired._state == Block.StateRetired)
                {
                    retired._state = Block.StateFree;
                    return retired;
                }
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

            Block block = new Block(this, _blockCount, _blockSize);
            _blocks[_blockCount] = block;
            _blockCount++;
            return block;
        }
    }
}
