// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    /// <summary>The blocking side of the pool: <see cref="Alloc()"/> and its FIFO hand-off.</summary>
    public sealed partial class BlockPool
    {
        /// <summary>
        /// Takes a block, waiting as long as it takes for one to be freed; never returns null (the
        /// <c>mempool_alloc</c> promise, which holds as long as held blocks are eventually freed).
        /// Threads only: may block. Never call it from an interrupt handler or timer callback.
        /// </summary>
        /// <returns>A block the caller now holds.</returns>
        /// <exception cref="ObjectDisposedException">The pool is disposed, before or during the wait.</exception>
        public Block Alloc()
        {
            return Alloc(Timeout.Infinite);
        }

        /// <summary>
        /// Takes a block, waiting up to <paramref name="millisecondsTimeout"/> for one to be freed. Waiting
        /// threads are served in arrival order: each freed block goes to the longest-waiting thread.
        /// Threads only: may block (except with a timeout of 0). Waiting allocates nothing once as many
        /// threads have waited at once as ever will.
        /// </summary>
        /// <param name="millisecondsTimeout">0 polls, <see cref="Timeout.Infinite"/> (-1) waits forever.</param>
        /// <returns>
        /// A block, or null if none could be had in time. A block handed over at the very moment the wait
        /// times out is returned, not lost.
        /// </returns>
        /// <exception cref="ArgumentOutOfRangeException">The timeout is negative and not -1.</exception>
        /// <exception cref="ObjectDisposedException">The pool is disposed, before or during the wait.</exception>
        public Block Alloc(int millisecondsTimeout)
        {
            Deadline.CheckTimeout(millisecondsTimeout);
            ThrowIfDisposed();

            // With a backing allocator, the allocator first (the kernel's order), then the reserve.
            Block block = _allocator != null ? TakeFromAllocator() : null;
            if (block != null)
            {
                return block;
            }

            block = TakeFree();
            if (block != null)
            {
                return block;
            }

            if (millisecondsTimeout == 0)
            {
                EventCounts.Increment(_counts, BlockPoolStatistics.TimeoutsAt);
                return null;
            }

            EventCounts.Increment(_counts, BlockPoolStatistics.WaitsAt);
            int remaining = millisecondsTimeout;
            long deadline = Deadline.After(millisecondsTimeout);
            while (true)
            {
                Waiter waiter;
                int registered;
                lock (_waiters)
                {
                    ThrowIfDisposed();
                    waiter = _waiters.Register(1, out registered);
                }

                if (PublishWaiting())
                {
                    // With an allocator the sleep is cut into slices, after each of which the allocator is
                    // asked again (memory may have been freed elsewhere; the kernel retries every 5 s).
                    int slice = WaitSlice(remaining);
                    block = AwaitHandOff(waiter, registered, slice);
                    if (block != null)
                    {
                        return block;
                    }

                    if (slice == remaining)
                    {
                        EventCounts.Increment(_counts, BlockPoolStatistics.TimeoutsAt);
                        return null;
                    }
                }
                else
                {
                    // A block became free between our pop and our registration. Withdraw and take it; if a
                    // freer (or Dispose) claimed our record first, its Set() is coming: take that outcome.
                    if (!WaiterQueue.Withdraw(waiter, registered))
                    {
                        return Collect(waiter, false);
                    }

                    block = TakeFree();
                    if (block != null)
                    {
                        return block;
                    }
                }

                if (_allocator != null)
                {
                    block = TakeFromAllocator();
                    if (block != null)
                    {
                        return block;
                    }
                }

                // A handler took that block first (or a slice ended): register again (at the back of the
                // queue), with what is left of the timeout. Lock-free, not wait-free: handlers that win every
                // race could keep us here, so the deadline is checked on every lap (the spin model's
                // done0strict shows the lap can repeat).
                remaining = Deadline.MillisecondsLeft(deadline);
                if (remaining == 0)
                {
                    EventCounts.Increment(_counts, BlockPoolStatistics.TimeoutsAt);
                    return null;
                }
            }
        }

        /// <summary>Pops a free block for a thread (the handler reserve does not apply) and records it; null if none.</summary>
        private Block TakeFree()
        {
            int freeAfter;
            int slot = Pop(0, out freeAfter);
            if (slot == 0)
            {
                return null;
            }

            Block block = _blocks[slot];
            Acquired(block, freeAfter);
            return block;
        }

        /// <summary>
        /// The registration CAS: sets the waiters flag (always bumping the tag) if the free list is empty; returns false, changing nothing, if a block is free.
        /// </summary>
        private bool PublishWaiting()
        {
            int word = _word;
            while (true)
            {
                if (FreeListWord.Top(word) != 0)
                {
                    return false;
                }

                // Model: model/nanomempool.pml [Publish.cas]
                if (Interlocked.CompareExchange(ref _word, FreeListWord.WithFlag(word, FreeListWord.WaitersBit, true), word) == word)
                {
                    return true;
                }

                word = _word;
            }
        }

        /// <summary>
        /// Sleeps until a hand-off, Dispose or the timeout, and returns the outcome: the block, or null when
        /// the timeout came first and the record was withdrawn (the caller counts the timeout).
        /// </summary>
        private Block AwaitHandOff(Waiter waiter, int registered, int millisecondsTimeout)
        {
            // WAKE-UP (wait side), paired with the Set() in WaiterQueue.TryHandOff and DisposeAll.
            // Our record was Waiting before our registration CAS set the waiters flag, so every
            // freer from then on scans the records before it may push (Release's hand-off re-check): a
            // freed block either reaches this record or an older one. The event is ours alone and carries
            // exactly one Set() per claim, so a true return means our record is Claimed or Disposed.
            // Model: model/nanomempool.pml [Await.wait]
            bool signalled = waiter._signal.WaitOne(millisecondsTimeout, false);
            if (!signalled && WaiterQueue.Withdraw(waiter, registered))
            {
                return null;
            }

            // Either signalled, or the timeout lost the race to a claim: then that claim's Set() is
            // coming (or came), and Collect consumes it.
            return Collect(waiter, signalled);
        }

        /// <summary>
        /// Takes the outcome of a claimed record: the handed block, or ObjectDisposedException.
        /// </summary>
        private Block Collect(Waiter waiter, bool signalConsumed)
        {
            if (!signalConsumed)
            {
                // The claimer's CAS is done; its Set() follows without waiting on anything, so this wait
                // is short and certain to end.
                // Model: model/nanomempool.pml [Collect.wait]
                waiter._signal.WaitOne();
            }

            WaiterQueue.ThrowIfDisposedOutcome(waiter, "BlockPool");

            // Take ownership (Held) before releasing the record, so that the block is never, even for an
            // instant, in none of the places the audit knows (I1). The free list was empty when the block was
            // handed over, but blocks may have come home since: record the low-water mark from the free count
            // now, or a late collector would report an empty pool after a reset. The handed block is not on
            // the list.
            Block block = waiter._handed;
            Acquired(block, FreeCount);
            WaiterQueue.Recycle(waiter);
            return block;
        }
    }
}
