// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    // All-or-nothing bulk allocation and free (after Linux 6.19's mempool_alloc_bulk): TryAlloc(into) and
    // Free(into), any context; and the blocking Alloc(into), which waits for a whole set without ever holding part
    // of it.
    //
    // Why no deadlock. A bulk caller that cannot take its whole set at once takes nothing and sleeps holding nothing.
    // So no bulk caller waits while holding blocks another bulk caller waits for: the hold-and-wait condition of a
    // deadlock never arises, whatever the set sizes.
    //
    // Protocol (the spin model's BULKWAIT configuration and the Coyote bulk scenarios check it): a bulk waiter
    // increments _bulkWaiting and raises the pool's alert, registers a record in its own queue with the set size as
    // its need, and only then re-reads the free count; a freer, after every push that carried the alert, reads
    // _bulkWaiting and, when it is not 0, wakes every registered record whose need is at most the free count its push
    // produced. A push that did not carry the alert came before the raise, so the waiter's re-read sees it; one that
    // did is followed by the freer's scan, and either that scan sees the record or the re-read (after the
    // registration, a full fence) sees the push: a wake-up cannot be lost. The free count only rises by pushes, one
    // block at a time, so the first push that makes the set available after a registration is one that wakes it.
    //
    // Priority. Freed blocks go to threads waiting in the single-block Alloc(int) first (the FIFO hand-off); bulk
    // waiters are woken only by blocks that reach the free list. A bulk caller therefore never starves single
    // callers, and may itself be overtaken by them, by handlers and by other bulk callers: it completes when its
    // whole set is free at one moment and it wins the race for it.
    public sealed partial class BlockPool
    {
        /// <summary>
        /// Takes <paramref name="count"/> free blocks at once, or none. Any context: never waits, takes no
        /// lock, allocates nothing; O(count). Respects
        /// <see cref="BlockPoolOptions.HandlerReserve"/> like <see cref="TryAlloc(out Block)"/>.
        /// </summary>
        /// <param name="into">Receives the blocks in positions 0 to count - 1 (untouched on failure).</param>
        /// <param name="count">How many blocks; 1 to <c>into.Length</c>.</param>
        /// <returns>False when fewer than <paramref name="count"/> blocks could be taken; then nothing was taken.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
        /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
        public bool TryAlloc(Block[] into, int count)
        {
            CheckSet(into, count);
            // The handler reserve, as a depth (RefuseEveryTry's depth field, 32767, is above every depth).
            return TryTakeMany(into, count, BlockLink.Depth(_tryFloor)) || TryAllocFailed();
        }

        /// <summary>
        /// Frees the first <paramref name="count"/> blocks of <paramref name="blocks"/>, all or none: if any
        /// of them is null, foreign, not held, or listed twice, nothing is freed and the pool is exactly as it
        /// was. Any context: never waits, takes no lock, allocates nothing.
        /// </summary>
        /// <param name="blocks">The blocks; positions 0 to count - 1 are freed.</param>
        /// <param name="count">How many; 0 to <c>blocks.Length</c>.</param>
        /// <exception cref="ArgumentNullException"><paramref name="blocks"/> or one of the blocks is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
        /// <exception cref="ArgumentException">A block belongs to another pool.</exception>
        /// <exception cref="InvalidOperationException">A block is not held, is in a <see cref="BlockQueue"/>, or is listed twice.</exception>
        public void Free(Block[] blocks, int count)
        {
            if (blocks == null)
            {
                throw new ArgumentNullException("blocks");
            }

            if (count < 0 || count > blocks.Length)
            {
                throw new ArgumentOutOfRangeException("count", "Must be 0 to blocks.Length.");
            }

            for (int i = 0; i < count; i++)
            {
                if (blocks[i] == null)
                {
                    throw new ArgumentNullException("blocks", "blocks[" + i + "] is null.");
                }

                if (blocks[i]._pool != this)
                {
                    throw new ArgumentException("blocks[" + i + "] belongs to another pool.", "blocks");
                }
            }

            // Take ownership of all of them first (held -> Owned, one CAS each); a block listed twice fails
            // its second CAS. On any failure, give back what we took and change nothing else.
            int held = HeldLink;
            for (int i = 0; i < count; i++)
            {
                // Model: model/nanomempool.pml [BulkFree.own]
                if (Interlocked.CompareExchange(ref _links[blocks[i]._slot], BlockLink.Owned, held) != held)
                {
                    for (int j = 0; j < i; j++)
                    {
                        _links[blocks[j]._slot] = held;
                    }

                    throw new InvalidOperationException("blocks[" + i + "] is not held (already freed, or listed twice).");
                }
            }

            for (int i = 0; i < count; i++)
            {
                ReleaseFreed(blocks[i]._slot);
            }
        }

        // Checks the arguments of a bulk allocation. Any context.
        private static void CheckSet(Block[] into, int count)
        {
            if (into == null)
            {
                throw new ArgumentNullException("into");
            }

            if (count < 1 || count > into.Length)
            {
                throw new ArgumentOutOfRangeException("count", "Must be 1 to into.Length.");
            }
        }

        /// <summary>
        /// Takes <paramref name="count"/> blocks at once, or none, waiting up to
        /// <paramref name="millisecondsTimeout"/> for the whole set to be free. Never holds part of the set while
        /// it waits, so two bulk callers cannot deadlock. Threads only: may block (except with a timeout of 0).
        /// </summary>
        /// <param name="into">Receives the blocks in positions 0 to count - 1 (untouched on failure).</param>
        /// <param name="count">How many blocks: 1 to <c>into.Length</c>, and at most the pool's reserve.</param>
        /// <param name="millisecondsTimeout">0 polls, <see cref="Timeout.Infinite"/> (-1) waits forever.</param>
        /// <returns>True with the whole set; false, having taken nothing, when the time ran out.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">
        /// <paramref name="count"/> is out of range, or the timeout is negative and not -1.
        /// </exception>
        /// <exception cref="InvalidOperationException">
        /// A <see cref="Resize"/> shrank the pool below <paramref name="count"/> during the wait; or the call (with a
        /// timeout other than 0) was made on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where it
        /// could stall every other interrupt.
        /// </exception>
        /// <exception cref="ObjectDisposedException">The pool is disposed, before or during the wait.</exception>
        public bool Alloc(Block[] into, int count, int millisecondsTimeout)
        {
            if (millisecondsTimeout != 0 && CallingContext.IsInterruptThread())
            {
                throw CallingContext.BlockingInHandler("BlockPool.Alloc(Block[], int, int)", "In a handler call TryAlloc(Block[], int), which never waits.");
            }

            CheckSet(into, count);
            Deadline.CheckTimeout(millisecondsTimeout);
            ThrowIfDisposed();
            if (count > ReserveSize)
            {
                throw new ArgumentOutOfRangeException("count", "More blocks than the pool's reserve: the set could never be free at once.");
            }

            // With a backing allocator: the allocator first (the whole set or nothing), then the reserve.
            if ((_allocator != null && TakeManyFromAllocator(into, count)) || TryTakeMany(into, count, 0))
            {
                return true;
            }

            if (millisecondsTimeout == 0)
            {
                EventCounts.Increment(_counts, BlockPoolStatistics.TimeoutsAt);
                return false;
            }

            EventCounts.Increment(_counts, BlockPoolStatistics.WaitsAt);
            long deadline = Deadline.After(millisecondsTimeout);
            int remaining = millisecondsTimeout;
            // Counted, then the alert raised (I9), before the first registration: every push from the raise on
            // reads _bulkWaiting.
            // Model: model/nanomempool.pml [BulkWait.inc]
            Interlocked.Increment(ref _bulkWaiting);
            Waiter waiter = null;
            int registered = 0;
            try
            {
                // Inside the try: an exception in this CAS loop (Thread.Abort) still leaves through the finally,
                // which takes the count back.
                RaiseAlert();
                while (true)
                {
                    lock (_waiters)
                    {
                        ThrowIfDisposed();
                        if (count > ReserveSize)
                        {
                            throw new InvalidOperationException("A Resize shrank the pool below the set size while this Alloc waited.");
                        }

                        if (_bulkQueue == null)
                        {
                            _bulkQueue = new WaiterQueue();
                        }

                        _bulkQueue.Register(count, out waiter, out registered);
                    }

                    AwaitBulkWake(waiter, registered, count, WaitSlice(remaining));
                    if (TryTakeMany(into, count, 0)
                        || (_allocator != null && TakeManyFromAllocator(into, count)))
                    {
                        // While we wait, retirement waits for us (SettleSurplus), so the set may be made of blocks a
                        // shrink has already counted out. If the reserve is now below the set, the shrink came
                        // during our wait: give the set back, untouched and uncounted, and say so.
                        // Model: model/nanomempool.pml [BulkWait.fits]
                        if (count <= ReserveSize)
                        {
                            return true;
                        }

                        GiveBackSet(into, count);
                        throw new InvalidOperationException("A Resize shrank the pool below the set size while this Alloc waited.");
                    }

                    remaining = Deadline.MillisecondsLeft(deadline);
                    if (remaining == 0)
                    {
                        EventCounts.Increment(_counts, BlockPoolStatistics.TimeoutsAt);
                        return false;
                    }
                }
            }
            finally
            {
                // A caller leaving by an exception settles its record (a bulk claim hands no block: nothing to give
                // back); on a normal exit the record is Idle already.
                if (waiter != null)
                {
                    WaiterQueue.Abandon(waiter);
                }

                // Retirement waited for us (I4): the last bulk caller to leave settles the surplus (SettleSurplus).
                // Model: model/nanomempool.pml [BulkWait.dec]
                Interlocked.Decrement(ref _bulkWaiting);
                SettleSurplus();
                ClearAlertIfIdle();
            }
        }

        // Releases a set the caller has just taken and will not keep, as if it had never been allocated (no free
        // counted), and clears into. Threads only; never waits.
        private void GiveBackSet(Block[] into, int count)
        {
            for (int i = 0; i < count; i++)
            {
                int slot = into[i]._slot;
                into[i] = null;
                _links[slot] = BlockLink.Owned;
                Release(slot);
            }
        }

        // Sleeps on a registered bulk record until a freer wakes it, Dispose, or the timeout, and leaves the
        // record Idle. Throws ObjectDisposedException for the Disposed outcome. Threads only.
        private void AwaitBulkWake(Waiter waiter, int registered, int count, int millisecondsTimeout)
        {
            // WAKE-UP (wait side), paired with the Set() in WaiterQueue.WakeNeedingAtMost. Our record is
            // Waiting (Register's interlocked exchange, a full fence) before this read of the free count;
            // a freer reads _bulkWaiting and scans the records after its push CAS (also a full fence). So
            // either this read sees that push, or that freer sees our record and wakes us. Sleeping only
            // when the set is not free now therefore never sleeps through the push that completes it.
            // Model: model/nanomempool.pml [BulkWait.recheck]
            if (FreeCount < count)
            {
                waiter._signal.WaitOne(Deadline.Nap(millisecondsTimeout), false);
            }

            // Whatever woke us (a claim, Dispose, the timeout or a nap's end, a Set left over from the record's
            // earlier use), the word is the outcome: withdraw if nobody claimed the record, else take what the claim
            // says. A claim hands no block here: the caller retries its all-or-nothing take either way.
            // Model: model/nanomempool.pml [BulkWait.collect]
            if (!WaiterQueue.Withdraw(waiter, registered))
            {
                WaiterQueue.ThrowIfDisposedOutcome(waiter, waiter._word);
                WaiterQueue.Recycle(waiter);
            }
        }

        // After a push that left freeNow blocks free: wakes the bulk waiters whose set is
        // now available. Any context, never waits, allocates nothing.
        private void WakeBulkWaiters(int freeNow)
        {
            // Null only before the first bulk waiter registered: then that waiter's re-check, which follows
            // its registration, sees our push.
            // Model: model/nanomempool.pml [WakeBulk.records]
            WaiterQueue queue = _bulkQueue;
            if (queue != null)
            {
                queue.WakeNeedingAtMost(freeNow);
            }
        }
    }
}
