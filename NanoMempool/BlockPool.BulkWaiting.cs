// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// The blocking bulk allocation (after Linux 6.19's <c>mempool_alloc_bulk</c>): a whole set of blocks,
    /// waiting for them without ever holding part of the set.
    /// </summary>
    /// <remarks>
    /// <para>Why no deadlock. A bulk caller that cannot take its whole set at once takes nothing and sleeps
    /// holding nothing. So no bulk caller waits while holding blocks another bulk caller waits for: the
    /// hold-and-wait condition of a deadlock never arises, whatever the set sizes.</para>
    /// <para>Protocol (the spin model's BULKWAIT configuration and the Coyote bulk scenarios check it):
    /// a bulk waiter raises <c>_bulkWaiting</c>, registers a record in its own queue with the set size as
    /// its need, and only then re-reads the free count; a freer, after every push, reads
    /// <c>_bulkWaiting</c> and, when it is not 0, wakes every registered record whose need is at most the
    /// free count its push produced. Both sides' first step is an interlocked operation (a full fence), so
    /// either the waiter's re-read sees the push or the freer's scan sees the record: a wake-up cannot be
    /// lost. The free count only rises by pushes, one block at a time, so the first push that makes the
    /// set available after a registration is one that wakes it.</para>
    /// <para>Priority. Freed blocks go to threads waiting in the single-block <see cref="Alloc(int)"/> first
    /// (the FIFO hand-off); bulk waiters are woken only by blocks that reach the free list. A bulk caller
    /// therefore never starves single callers, and may itself be overtaken by them, by handlers and by other
    /// bulk callers: it completes when its whole set is free at one moment and it wins the race for it.</para>
    /// </remarks>
    public sealed partial class BlockPool
    {
        /// <summary>
        /// Threads inside a blocking bulk <see cref="Alloc(Block[], int, int, int)"/> that may sleep; every push
        /// reads it (one plain load) and scans the bulk queue only when it is not 0.
        /// </summary>
        private int _bulkWaiting;

        /// <summary>Records of the sleeping bulk callers; created by the first one, under _threadLock.</summary>
        private WaiterQueue _bulkQueue;

        /// <summary>
        /// Takes <paramref name="count"/> blocks at once, waiting as long as it takes for the whole set to be
        /// free; never holds part of the set while it waits. Threads only: may block.
        /// </summary>
        /// <param name="into">Receives the blocks in positions 0 to count - 1.</param>
        /// <param name="count">How many blocks: 1 to <c>into.Length</c>, and at most the pool's capacity.</param>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
        /// <exception cref="InvalidOperationException">A <see cref="Resize"/> shrank the pool below <paramref name="count"/> during the wait.</exception>
        /// <exception cref="ObjectDisposedException">The pool is disposed, before or during the wait.</exception>
        public void Alloc(Block[] into, int count)
        {
            Alloc(into, count, Timeout.Infinite, NoOwner);
        }

        /// <summary>
        /// Takes <paramref name="count"/> blocks at once, or none, waiting up to
        /// <paramref name="millisecondsTimeout"/> for the whole set to be free. Never holds part of the set while
        /// it waits, so two bulk callers cannot deadlock. Threads only: may block (except with a timeout of 0).
        /// </summary>
        /// <param name="into">Receives the blocks in positions 0 to count - 1 (untouched on failure).</param>
        /// <param name="count">How many blocks: 1 to <c>into.Length</c>, and at most the pool's capacity.</param>
        /// <param name="millisecondsTimeout">0 polls, <see cref="Timeout.Infinite"/> (-1) waits forever.</param>
        /// <returns>True with the whole set; false, having taken nothing, when the time ran out.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">
        /// <paramref name="count"/> is out of range, or the timeout is negative and not -1.
        /// </exception>
        /// <exception cref="InvalidOperationException">A <see cref="Resize"/> shrank the pool below <paramref name="count"/> during the wait.</exception>
        /// <exception cref="ObjectDisposedException">The pool is disposed, before or during the wait.</exception>
        public bool Alloc(Block[] into, int count, int millisecondsTimeout)
        {
            return Alloc(into, count, millisecondsTimeout, NoOwner);
        }

        /// <summary>
        /// Like <see cref="Alloc(Block[], int, int)"/>, recording <paramref name="ownerTag"/> and the time on
        /// every block taken. Threads only: may block (except with a timeout of 0).
        /// </summary>
        /// <param name="into">Receives the blocks in positions 0 to count - 1 (untouched on failure).</param>
        /// <param name="count">How many blocks: 1 to <c>into.Length</c>, and at most the pool's capacity.</param>
        /// <param name="millisecondsTimeout">0 polls, <see cref="Timeout.Infinite"/> (-1) waits forever.</param>
        /// <param name="ownerTag">The holder's tag, or <see cref="NoOwner"/>.</param>
        /// <returns>True with the whole set; false, having taken nothing, when the time ran out.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">
        /// <paramref name="count"/> is out of range, or the timeout is negative and not -1.
        /// </exception>
        /// <exception cref="InvalidOperationException">A <see cref="Resize"/> shrank the pool below <paramref name="count"/> during the wait.</exception>
        /// <exception cref="ObjectDisposedException">The pool is disposed, before or during the wait.</exception>
        public bool Alloc(Block[] into, int count, int millisecondsTimeout, int ownerTag)
        {
            if (into == null)
            {
                throw new ArgumentNullException("into");
            }

            if (count < 1 || count > into.Length)
            {
                throw new ArgumentOutOfRangeException("count", "Must be 1 to into.Length.");
            }

            if (millisecondsTimeout < Timeout.Infinite)
            {
                throw new ArgumentOutOfRangeException("millisecondsTimeout", "Use -1 (Timeout.Infinite), 0 or a positive number of milliseconds.");
            }

            ThrowIfDisposed();
            if (count > ReserveSize)
            {
                throw new ArgumentOutOfRangeException("count", "More blocks than the pool's reserve: the set could never be free at once.");
            }

            // With a backing allocator: the allocator first (the whole set or nothing), then the reserve.
            if ((_allocator != null && TakeManyFromAllocator(into, count, ownerTag)) || TryTakeMany(into, count, 0, ownerTag))
            {
                return true;
            }

            if (millisecondsTimeout == 0)
            {
                _statistics._timeouts.Increment();
                return false;
            }

            _statistics._waits.Increment();
            long deadline = Deadline.After(millisecondsTimeout);
            int remaining = millisecondsTimeout;
            // Model: model/nanomempool.pml [BulkWait.inc]
            Interlocked.Increment(ref _bulkWaiting);
            try
            {
                while (true)
                {
                    Waiter waiter;
                    int registered;
                    lock (_threadLock)
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

                        waiter = _bulkQueue.Register(count, out registered);
                    }

                    AwaitBulkWake(waiter, registered, count, WaitSlice(remaining));
                    if (TryTakeMany(into, count, 0, ownerTag)
                        || (_allocator != null && TakeManyFromAllocator(into, count, ownerTag)))
                    {
                        return true;
                    }

                    remaining = Deadline.MillisecondsLeft(deadline);
                    if (remaining == 0)
                    {
                        _statistics._timeouts.Increment();
                        return false;
                    }
                }
            }
            finally
            {
                // Model: model/nanomempool.pml [BulkWait.dec]
                Interlocked.Decrement(ref _bulkWaiting);
            }
        }

        /// <summary>
        /// Sleeps on a registered bulk record until a freer wakes it, Dispose, or the timeout, and leaves the
        /// record Idle. Throws ObjectDisposedException for the Disposed outcome. Threads only.
        /// </summary>
        private void AwaitBulkWake(Waiter waiter, int registered, int count, int millisecondsTimeout)
        {
            // WAKE-UP (wait side), paired with the Set() in WaiterQueue.WakeNeedingAtMost. Our record is
            // Waiting (Register's interlocked exchange, a full fence) before this read of the free count;
            // a freer reads _bulkWaiting and scans the records after its push CAS (also a full fence). So
            // either this read sees that push, or that freer sees our record and wakes us. Sleeping only
            // when the set is not free now therefore never sleeps through the push that completes it.
            // Model: model/nanomempool.pml [BulkWait.recheck]
            bool woken = FreeCount < count && waiter._signal.WaitOne(millisecondsTimeout, false);
            if (!woken && !WaiterQueue.Withdraw(waiter, registered))
            {
                // A freer (or Dispose) claimed the record before our withdrawal: its Set() follows without
                // waiting on anything; consume it so that none stays latched for the record's next use (I5).
                // Model: model/nanomempool.pml [BulkWait.collect]
                waiter._signal.WaitOne();
                woken = true;
            }

            if (woken)
            {
                bool disposed = Waiter.Phase(waiter._word) == Waiter.PhaseDisposed;
                WaiterQueue.Recycle(waiter);
                if (disposed)
                {
                    throw new ObjectDisposedException("BlockPool");
                }
            }
        }

        /// <summary>
        /// After a push that left <paramref name="freeNow"/> blocks free: wakes the bulk waiters whose set is
        /// now available. Any context, never waits, allocates nothing.
        /// </summary>
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
