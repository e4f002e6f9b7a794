// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    // The FIFO of threads blocked in BlockPool.Alloc(int): a small array of reusable
    // Waiter records ordered by ticket. Threads register and dispose under the pool's thread
    // lock; a freeing context (any context, including interrupt handlers) hands a block to the oldest
    // waiter without any lock, by one CAS on that waiter's word.
    // The array starts empty and grows (allocating records) only when more threads wait at once than ever
    // before; after that, waiting allocates nothing. The pool uses the queue object itself as its thread lock.
    internal sealed class WaiterQueue
    {
        private static readonly Waiter[] NoRecords = new Waiter[0];

        private Waiter[] _records = NoRecords;
        private int _nextTicket;

        // Takes an idle record and makes it Waiting with the next ticket, owned by the calling thread. Threads only:
        // the caller holds the pool's thread lock (this queue object), which serialises tickets and record reuse
        // among threads.
        // need: Blocks the owner needs at once (1 for a single-block Alloc).
        // waiter: The record. Written before it becomes Waiting, straight into the caller's local, so
        // that an exception landing anywhere in here leaves the caller knowing every record it may own.
        // word: The record's word as registered (ticket + Waiting), for later CASes.
        internal void Register(int need, out Waiter waiter, out int word)
        {
            waiter = null;
            word = 0;
            Waiter[] records = _records;
            Waiter found = null;
            for (int i = 0; i < records.Length; i++)
            {
                if (Waiter.Phase(records[i]._word) == Waiter.PhaseIdle)
                {
                    found = records[i];
                    break;
                }
            }

            if (found == null)
            {
                found = new Waiter();
                Waiter[] grown = new Waiter[records.Length == 0 ? 1 : records.Length * 2];
                for (int i = 0; i < records.Length; i++)
                {
                    grown[i] = records[i];
                }

                grown[records.Length] = found;
                for (int i = records.Length + 1; i < grown.Length; i++)
                {
                    grown[i] = new Waiter();
                }

                // A freeing context that still scans the old array cannot miss this waiter: the waiter's
                // own registration CAS on the pool word comes after this point and changes the word's tag,
                // so that context's clear-and-push CAS fails and it rescans (see BlockPool.Release).
                // Model: model/nanomempool.pml [Register.grow]
                _records = grown;
            }

            found._need = need;
            found._owner = Thread.CurrentThread;
            waiter = found;
            word = Waiter.Make(_nextTicket, Waiter.PhaseWaiting);
            _nextTicket = (_nextTicket + 1) & 0x3FFFFFFF;
            // Model: model/nanomempool.pml [Register.publish]
            Interlocked.Exchange(ref found._word, word);
        }

        // Withdraws a waiter that has not been served: Waiting -> Idle. Threads only (the owner).
        // Returns false when a hand-off or Dispose claimed the record first; the outcome is then in its word, which
        // only the owner changes from here on.
        internal static bool Withdraw(Waiter waiter, int registeredWord)
        {
            int idle = Waiter.Make(0, Waiter.PhaseIdle);
            // Model: model/nanomempool.pml [Withdraw.cas]
            return Interlocked.CompareExchange(ref waiter._word, idle, registeredWord) == registeredWord;
        }

        // For the outcome word of a record its owner found Claimed or Disposed: if Disposed, recycles the record and
        // throws ObjectDisposedException; otherwise does nothing (the owner takes the block, then recycles).
        // Threads only (the owner). The pool's name is loaded on the throw path only (on nanoCLR an ldstr makes a
        // String object: passed in, it would cost every hand-off 12 B of garbage).
        // Throws ObjectDisposedException: The outcome is Disposed.
        internal static void ThrowIfDisposedOutcome(Waiter waiter, int outcome)
        {
            if (Waiter.Phase(outcome) == Waiter.PhaseDisposed)
            {
                Recycle(waiter);
                throw new System.ObjectDisposedException("BlockPool");
            }
        }

        // Returns a record whose outcome its owner has taken to Idle. Threads only (the owner).
        internal static void Recycle(Waiter waiter)
        {
            Interlocked.Exchange(ref waiter._word, Waiter.Make(0, Waiter.PhaseIdle));
        }

        // For an owner that leaves its wait by an exception (ThreadAbortException, ThreadInterruptedException, any
        // other): settles the record it registered last, so that no freer can hand a block to a thread that is
        // gone. Returns the slot of a block already handed to the record, which the caller must give back, or 0.
        // Threads only (the owner); never waits.
        internal static int Abandon(Waiter waiter)
        {
            Thread me = Thread.CurrentThread;
            while (true)
            {
                // A fenced read, so that the owner read below is not older than this word: a record that another
                // thread registered after we left it Idle names that thread before it is Waiting again.
                int word = Interlocked.CompareExchange(ref waiter._word, 0, 0);
                if (Waiter.Phase(word) == Waiter.PhaseIdle || waiter._owner != me)
                {
                    // Withdrawn or recycled already (perhaps reused since): nothing of ours is left in it.
                    return 0;
                }

                // Waiting: withdraw; Claimed: take the handed block back out; Disposed: recycle. A claim or Dispose
                // racing us changes the word, our CAS fails, and we settle the new outcome on the next lap.
                // Model: model/nanomempool.pml [Abandon.cas]
                if (Interlocked.CompareExchange(ref waiter._word, Waiter.Make(0, Waiter.PhaseIdle), word) == word)
                {
                    return Waiter.Phase(word) == Waiter.PhaseClaimed ? Waiter.Slot(word) : 0;
                }
            }
        }

        // Hands block to the longest-waiting thread, if any. Any context, never waits,
        // takes no lock, allocates nothing. Returns false when no record is Waiting.
        internal bool TryHandOff(Block block)
        {
            while (true)
            {
                Waiter oldest = null;
                int oldestWord = 0;
                Waiter[] records = _records;
                for (int i = 0; i < records.Length; i++)
                {
                    int word = records[i]._word;
                    if (Waiter.Phase(word) == Waiter.PhaseWaiting
                        && (oldest == null || Waiter.IsOlder(Waiter.Ticket(word), Waiter.Ticket(oldestWord))))
                    {
                        oldest = records[i];
                        oldestWord = word;
                    }
                }

                if (oldest == null)
                {
                    return false;
                }

                // Model: model/nanomempool.pml [TryHandOff.claim]
                if (Interlocked.CompareExchange(ref oldest._word, Waiter.Claimed(block._slot), oldestWord) == oldestWord)
                {
                    // WAKE-UP (Set side), paired with the wait in BlockPool.AwaitHandOff: from this CAS on the
                    // block is the record's (its word names the slot), so the owner finds it by reading the word,
                    // whether it wakes from this Set(), times out (its Withdraw CAS then fails) or leaves by an
                    // exception (WaiterQueue.Abandon gives the block back). The Set() only wakes it; a Set() that
                    // arrives after the owner has already taken the block is spurious for the record's next use,
                    // which re-reads its word.
                    // Model: model/nanomempool.pml [TryHandOff.set]
                    oldest._signal.Set();
                    return true;
                }

                // The oldest withdrew, was disposed, or another freer claimed it: its word no longer
                // holds this ticket as Waiting, and never will again. Rescan.
            }
        }

        // Bulk queue only: wakes every Waiting record that needs at most available
        // blocks, handing it nothing (its owner retries its all-or-nothing take). Any context, never waits,
        // takes no lock, allocates nothing; O(records).
        // Every eligible record is woken, not just the oldest: then no bulk waiter sleeps beside its whole free
        // set unless a freer is on its way to it (the spin model's INV_BWAKE), which is what the wake-up
        // argument in BlockPool.Bulk.cs uses. Waking only one per push would still wake somebody at
        // every push (pushes add one block each; spin finds no waiter left asleep that way), but a second
        // eligible waiter could then sleep beside its set while the first runs. A woken owner that loses the
        // race re-registers and re-checks the free count.
        internal void WakeNeedingAtMost(int available)
        {
            Waiter[] records = _records;
            for (int i = 0; i < records.Length; i++)
            {
                Waiter waiter = records[i];
                int word = waiter._word;
                if (Waiter.Phase(word) == Waiter.PhaseWaiting && waiter._need <= available)
                {
                    // WAKE-UP (Set side), paired with the wait in BlockPool.AwaitBulkWake: one claim CAS,
                    // then one Set() (I5). A failed CAS means the owner withdrew, another freer claimed it, or
                    // Dispose did: each of those ends this registration.
                    // Model: model/nanomempool.pml [WakeBulk.claim]
                    if (Interlocked.CompareExchange(ref waiter._word, Waiter.Claimed(0), word) == word)
                    {
                        // Model: model/nanomempool.pml [WakeBulk.set]
                        waiter._signal.Set();
                    }
                }
            }
        }

        // Wakes every waiting thread with the Disposed outcome. Threads only: the caller holds the pool's
        // thread lock (so no thread registers concurrently) and has already marked the pool disposed.
        internal void DisposeAll()
        {
            Waiter[] records = _records;
            for (int i = 0; i < records.Length; i++)
            {
                int word = records[i]._word;
                if (Waiter.Phase(word) == Waiter.PhaseWaiting)
                {
                    int disposed = Waiter.Make(Waiter.Ticket(word), Waiter.PhaseDisposed);
                    // Model: model/nanomempool.pml [DisposeAll.cas]
                    if (Interlocked.CompareExchange(ref records[i]._word, disposed, word) == word)
                    {
                        // Model: model/nanomempool.pml [DisposeAll.set]
                        records[i]._signal.Set();
                    }
                }
            }
        }

        // The record that holds slot in a hand-off (Claimed), or null. Quiescent use only.
        internal Waiter HandedTo(int slot)
        {
            Waiter[] records = _records;
            for (int i = 0; i < records.Length; i++)
            {
                int word = records[i]._word;
                if (Waiter.Phase(word) == Waiter.PhaseClaimed && Waiter.Slot(word) == slot)
                {
                    return records[i];
                }
            }

            return null;
        }

        // A Waiting or Claimed record whose owner thread has ended (a block handed to it could never be taken),
        // or null. Quiescent use only.
        internal Waiter OrphanedRecord()
        {
            Waiter[] records = _records;
            for (int i = 0; i < records.Length; i++)
            {
                int phase = Waiter.Phase(records[i]._word);
                if ((phase == Waiter.PhaseWaiting || phase == Waiter.PhaseClaimed) && !records[i]._owner.IsAlive)
                {
                    return records[i];
                }
            }

            return null;
        }
    }
}
