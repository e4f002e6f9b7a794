// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    // The blocking side of the pool: Alloc() and its FIFO hand-off to waiting threads (WaiterQueue, Waiter).
    public sealed partial class BlockPool
    {
        /// <summary>
        /// Takes a block, waiting as long as it takes for one to be freed; never returns null (the
        /// <c>mempool_alloc</c> promise, which holds as long as held blocks are eventually freed).
        /// Threads only: may block. Never call it from an interrupt handler or timer callback.
        /// </summary>
        /// <returns>A block the caller now holds.</returns>
        /// <exception cref="ObjectDisposedException">The pool is disposed, before or during the wait.</exception>
        /// <exception cref="InvalidOperationException">Called on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where it could stall every other interrupt.</exception>
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
        /// <exception cref="InvalidOperationException">
        /// Called with a timeout other than 0 on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where
        /// it could stall every other interrupt.
        /// </exception>
        public Block Alloc(int millisecondsTimeout)
        {
            if (millisecondsTimeout != 0 && CallingContext.IsInterruptThread())
            {
                throw CallingContext.BlockingInHandler("BlockPool.Alloc", "In a handler call TryAlloc, or Alloc(0), which never wait.");
            }

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

            return AllocWaiting(millisecondsTimeout);
        }

        // Alloc's wait, once neither the allocator nor the free list had a block and the timeout is not 0: registers
        // in the FIFO and sleeps until a block is handed over, the time runs out or the pool is disposed. Threads
        // only.
        private Block AllocWaiting(int millisecondsTimeout)
        {
            EventCounts.Increment(_counts, BlockPoolStatistics.WaitsAt);
            int remaining = millisecondsTimeout;
            long deadline = Deadline.After(millisecondsTimeout);

            // The record this thread registered last, and its word as registered: Register writes both before the
            // record is Waiting, so that if this thread leaves by an exception (Thread.Abort, Thread.Interrupt, an
            // ObjectDisposedException, anything), the finally below finds and settles the record, and gives back a
            // block already handed to it: the thread takes nothing with it, and no freer can hand a block to a
            // thread that is gone (docs/concurrency/free-list.md, "Aborted and interrupted waiters"). Every normal
            // return sets waiter to null first: the record is Idle then (withdrawn or recycled by this thread, or
            // reused by another since), so only an exception leaves the finally anything to settle, and a normal
            // return skips Abandon's reads (about a quarter of a microsecond on the interpreter).
            Waiter waiter = null;
            int registered = 0;
            try
            {
                Block block;
                while (true)
                {
                    lock (_waiters)
                    {
                        ThrowIfDisposed();
                        _waiters.Register(1, out waiter, out registered);
                    }

                    if (PublishWaiting())
                    {
                        // With an allocator the sleep is cut into slices, after each of which the allocator is
                        // asked again (memory may have been freed elsewhere; the kernel retries every 5 s).
                        int slice = WaitSlice(remaining);
                        block = AwaitHandOff(waiter, registered, slice);
                        if (block != null)
                        {
                            waiter = null;
                            return block;
                        }

                        if (slice == remaining)
                        {
                            EventCounts.Increment(_counts, BlockPoolStatistics.TimeoutsAt);
                            waiter = null;
                            return null;
                        }
                    }
                    else
                    {
                        // A block became free between our pop and our registration. Withdraw and take it; if a
                        // freer (or Dispose) claimed our record first, the outcome is in its word.
                        if (!WaiterQueue.Withdraw(waiter, registered))
                        {
                            block = TakeOutcome(waiter, waiter._word);
                            waiter = null;
                            return block;
                        }

                        block = TakeFree();
                        if (block != null)
                        {
                            waiter = null;
                            return block;
                        }
                    }

                    if (_allocator != null)
                    {
                        block = TakeFromAllocator();
                        if (block != null)
                        {
                            waiter = null;
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
                        waiter = null;
                        return null;
                    }
                }
            }
            finally
            {
                // Only an exception gets here with waiter set (see above).
                // Model: model/nanomempool.pml [Abandon.settle]
                if (waiter != null)
                {
                    GiveBackHanded(WaiterQueue.Abandon(waiter));
                }
            }
        }

        // Pops a free block for a thread (the handler reserve does not apply) and records it; null if none.
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

        // The registration CAS: sets the waiters flag (always bumping the tag) if the free list is empty; returns false, changing nothing, if a block is free.
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

        // Sleeps until a hand-off, Dispose or the timeout, and returns the outcome: the block, or null when the
        // timeout came first and the record was withdrawn (the caller counts the timeout).
        // Throws ObjectDisposedException: Dispose woke the record.
        private Block AwaitHandOff(Waiter waiter, int registered, int millisecondsTimeout)
        {
            long deadline = Deadline.After(millisecondsTimeout);
            int left = millisecondsTimeout;
            while (true)
            {
                // WAKE-UP (wait side), paired with the Set() in WaiterQueue.TryHandOff and DisposeAll. Our record
                // was Waiting before our registration CAS set the waiters flag, so every freer from then on scans the
                // records before it may push (Release's hand-off re-check): a freed block either reaches this record
                // or an older one. A claim changes the word before its Set(), and the event latches a Set() made
                // before we sleep, so a claim never finds us asleep. The word, read after the wait, is the outcome.
                // Model: model/nanomempool.pml [Await.wait]
                waiter._signal.WaitOne(Deadline.Nap(left), false);
                // Model: model/nanomempool.pml [Await.read]
                int word = waiter._word;
                if (word != registered)
                {
                    return TakeOutcome(waiter, word);
                }

                left = Deadline.MillisecondsLeft(deadline);
                if (left == 0)
                {
                    // Model: model/nanomempool.pml [Await.withdraw]
                    if (WaiterQueue.Withdraw(waiter, registered))
                    {
                        return null;
                    }

                    // A claim won the race with the timeout: the block is ours, in the word.
                    return TakeOutcome(waiter, waiter._word);
                }

                // Still Waiting: a Set() left over from this record's earlier use woke us, or a nap ended (see
                // Deadline.RecheckMilliseconds). Sleep for the rest.
            }
        }

        // Takes the outcome of a record its owner found Claimed or Disposed: the handed block, Held by the caller,
        // or ObjectDisposedException. Leaves the record Idle. Threads only (the owner).
        private Block TakeOutcome(Waiter waiter, int outcome)
        {
            WaiterQueue.ThrowIfDisposedOutcome(waiter, outcome);

            // Held first, the record Idle second: until the record is Idle an exception finds the block in it
            // (Abandon) and gives it back, so the block is never, even for an instant, in none of the places the
            // audit knows (I1). The free list was empty when the block was handed over, but blocks may have come
            // home since: record the low-water mark from the free count now, or a late collector would report an
            // empty pool after a reset. The handed block is not on the list. The free count (a CAS) is read only when
            // the record can move: while LowestFreeCount is 0, the usual state once the list has been empty, no count
            // is lower, and a pool with per-allocation options watches every allocation (its watch is above 0).
            // Model: model/nanomempool.pml [Collect.take]
            Block block = _blocks[Waiter.Slot(outcome)];
            Acquired(block, _lowWatch > BlockLink.Bound(0) ? FreeCount : 0);
            WaiterQueue.Recycle(waiter);
            return block;
        }

        // Gives back a block that was handed to a thread that is leaving by an exception (0: none): as a free if the
        // thread had already taken it (the use is counted), else as the block in transit it still is. Threads
        // only; never waits.
        private void GiveBackHanded(int slot)
        {
            if (slot == 0)
            {
                return;
            }

            if (BlockLink.IsHeld(_links[slot]))
            {
                _links[slot] = BlockLink.Owned;
                ReleaseFreed(slot);
            }
            else
            {
                Release(slot);
            }
        }
    }
}
