// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    // Growing and shrinking the pool, like mempool_resize.
    public sealed partial class BlockPool
    {
        /// <summary>
        /// Changes the number of blocks the pool owns, up to <see cref="BlockPoolOptions.MaxCapacity"/>. Growing
        /// reserves the new blocks at once (reusing blocks retired by an earlier shrink before creating new ones)
        /// and hands them to waiting threads first. Shrinking never takes a block from its holder, nor from a
        /// waiting thread: free blocks are retired now, and held ones as they come home, except while threads wait
        /// (a thread in <see cref="Alloc(int)"/> gets a freed block first, and nothing is retired while a thread
        /// waits in the bulk <see cref="Alloc(Block[], int, int)"/>), so <see cref="Capacity"/> reaches
        /// <paramref name="newCapacity"/> only when enough blocks are freed. With a <see cref="BlockPoolOptions.BackingAllocator"/> it changes the reserve's size
        /// instead, like <c>mempool_resize</c>: growing fills the reserve from the allocator as far as the
        /// allocator can (waiting threads first; frees refill the rest), shrinking gives free blocks beyond the
        /// new size back to it. Threads only: takes the pool's thread lock (and calls the allocator under it);
        /// never waits for a block (growing may yield for a moment to a free that is retiring a block).
        /// </summary>
        /// <param name="newCapacity">
        /// The capacity wanted: more than <see cref="BlockPoolOptions.HandlerReserve"/> (or the handlers could
        /// never allocate), and at most <see cref="BlockPoolOptions.MaxCapacity"/>.
        /// </param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="newCapacity"/> is out of range; the pool is unchanged.</exception>
        /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
        /// <exception cref="InvalidOperationException">Called on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where it could stall every other interrupt.</exception>
        public void Resize(int newCapacity)
        {
            if (CallingContext.IsInterruptThread())
            {
                throw CallingContext.BlockingInHandler("BlockPool.Resize", "Resize the pool from a thread.");
            }

            ThrowIfDisposed();
            lock (_waiters)
            {
                ThrowIfDisposed();

                // _tryFloor is the handler reserve's bound until Dispose raises it to RefuseEveryTry (before taking
                // this lock, after setting _disposed): read once, it tells a racing Dispose from a capacity out of range.
                // Model: model/nanomempool.pml [Resize.floor]
                int floor = _tryFloor;
                if (floor == RefuseEveryTry)
                {
                    throw new ObjectDisposedException("BlockPool");
                }

                int reserve = BlockLink.Depth(floor);

                if (newCapacity <= reserve || newCapacity > _maxCapacity)
                {
                    throw new ArgumentOutOfRangeException(
                        "newCapacity", "Must be more than the handler reserve (" + reserve + ") and at most MaxCapacity (" + _maxCapacity + ").");
                }

                if (_allocator != null)
                {
                    ResizeReserve(newCapacity);
                    ResetLowestFree();
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

                // A surplus needs every push to re-check (I6, I9): raise the alert before our own retire loop.
                if (PoolSizes.HasSurplus(_sizes))
                {
                    RaiseAlert();
                }

                // Bulk waiters whose set no longer fits must learn it (they re-check under this lock and
                // throw); the others simply retry. Waking them costs nothing when none waits.
                if (_bulkWaiting != 0)
                {
                    WakeBulkWaiters(EveryBulkWaiter);
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
                        Block block;
                        // Model: model/nanomempool.pml [Resize.revive]
                        while ((block = ReviveOrCreateBlock(null)) == null)
                        {
                            // Every slot is in use, and the one our count gained is a block whose retirer has made
                            // its capacity CAS but not yet its next step, the Retired mark (TryRetire). Only we
                            // revive (under the thread lock), so the slot is ours once that step runs: let it run.
                            Thread.Sleep(0);
                        }

                        Release(block._slot);
                    }
                }

                SettleSurplus();
                ClearAlertIfIdle();
                ResetLowestFree();
            }
        }

        // Retires surplus free blocks, unless a thread waits in the bulk Alloc: its demand comes first (I4), and
        // the last bulk caller to leave settles the surplus itself. Any context, never waits, lock-free.
        // Paired with the bulk caller's decrement of _bulkWaiting followed by its own SettleSurplus: our
        // caller's push or target CAS (a full fence) precedes our read of _bulkWaiting, and the decrement
        // precedes the bulk caller's reads, so either we see no bulk caller and retire, or the leaving bulk caller
        // sees our block and our target.
        private void SettleSurplus()
        {
            // Model: model/nanomempool.pml [Surplus.bulk]
            if (_bulkWaiting == 0 && PoolSizes.HasSurplus(_sizes))
            {
                RetireSurplus();
            }
        }

        // Retires free blocks while the pool owns more than its target. Any context, never waits,
        // lock-free; does work only during a shrink, at most one pop per surplus block.
        private void RetireSurplus()
        {
            int freeAfter;
            // Model: model/nanomempool.pml [Surplus.check]
            while (PoolSizes.HasSurplus(_sizes))
            {
                int slot = Pop(0, out freeAfter);
                if (slot == 0)
                {
                    return;
                }

                if (!TryRetire(slot))
                {
                    // Someone else retired the last surplus block meanwhile: this one goes back home
                    // (to a waiter first). That Release finds no surplus unless yet another shrink races,
                    // so the recursion is as deep as the number of racing shrinks.
                    Release(slot);
                    return;
                }
            }
        }

        // Retires a block the caller owns if the pool owns more blocks than its target, and clears the alert
        // when that settles the shrink. Any context, never waits, lock-free. Returns false (changing nothing)
        // when no retirement is due.
        private bool TryRetire(int slot)
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
                int retired = PoolSizes.Make(PoolSizes.Target(sizes), PoolSizes.Capacity(sizes) - 1);
                int seen = Interlocked.CompareExchange(ref _sizes, retired, sizes);
                if (seen == sizes)
                {
                    _links[slot] = BlockLink.Retired;
                    if (!PoolSizes.HasSurplus(retired))
                    {
                        ClearAlertIfIdle();
                    }

                    return true;
                }

                sizes = seen;
            }
        }

        // A retired block brought back, or a new one, Owned by the caller; null when every slot up to MaxCapacity
        // is in use. buffer is null in a fixed pool (a revived block keeps its own buffer, a
        // new one gets a new array); with a backing allocator it is the allocator's buffer. Poisoned when
        // poisoning is on. Threads only, under the thread lock.
        private Block ReviveOrCreateBlock(byte[] buffer)
        {
            Block block = null;
            for (int slot = 1; slot <= _slotCount; slot++)
            {
                if (_links[slot] == BlockLink.Retired)
                {
                    block = _blocks[slot];
                    if (buffer != null)
                    {
                        block._buffer = buffer;
                    }

                    break;
                }
            }

            if (block == null)
            {
                if (_slotCount == _maxCapacity)
                {
                    return null;
                }

                int slot = _slotCount + 1;
                block = new Block(this, slot, buffer != null ? buffer : new byte[_blockSize]);
                _blocks[slot] = block;
                _slotCount = slot;
            }

            _links[block._slot] = BlockLink.Owned;
            if ((_options & OptionPoisoning) != 0)
            {
                Poison(block._buffer);
            }

            return block;
        }
    }
}
