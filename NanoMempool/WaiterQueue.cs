// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// The FIFO of threads blocked in <see cref="BlockPool.Alloc(int)"/>: a small array of reusable
    /// <see cref="Waiter"/> records ordered by ticket. Threads register and dispose under the pool's thread
    /// lock; a freeing context (any context, including interrupt handlers) hands a block to the oldest
    /// waiter without any lock, by one CAS on that waiter's word.
    /// </summary>
    /// <remarks>
    /// The array starts empty and grows (allocating records) only when more threads wait at once than ever
    /// before; after that, waiting allocates nothing. The pool uses the queue object itself as its thread lock.
    /// </remarks>
    internal sealed class WaiterQueue
    {
        private static readonly Waiter[] NoRecords = new Waiter[0];

        private Waiter[] _records = NoRecords;
        private int _nextTicket;

        /// <summary>
        /// Takes an idle record and makes it Waiting with the next ticket. Threads only: the caller holds
        /// the pool's thread lock (this queue object), which serialises tickets and record reuse among threads.
        /// </summary>
        /// <param name="need">Blocks the owner needs at once (1 for a single-block Alloc).</param>
        /// <param name="word">The record's word as registered (ticket + Waiting), for later CASes.</param>
        internal Waiter Register(int need, out int word)
        {
            Waiter waiter = null;
            Waiter[] records = _records;
            for (int i = 0; i < records.Length; i++)
            {
                if (Waiter.Phase(records[i]._word) == Waiter.PhaseIdle)
                {
                    waiter = records[i];
                    break;
                }
            }

            if (waiter == null)
            {
                waiter = new Waiter();
                Waiter[] grown = new Waiter[records.Length == 0 ? 1 : records.Length * 2];
                for (int i = 0; i < records.Length; i++)
                {
                    grown[i] = records[i];
                }

                grown[records.Length] = waiter;
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

            waiter._need = need;
            word = Waiter.Make(_nextTicket, Waiter.PhaseWaiting);
            _nextTicket = (_nextTicket + 1) & 0x3FFFFFFF;
            // Model: model/nanomempool.pml [Register.publish]
            Interlocked.Exchange(ref waiter._word, word);
            return waiter;
        }

        /// <summary>
        /// Withdraws a waiter that has not been served: Waiting -> Idle. Threads only (the owner).
        /// Returns false when a hand-off or Dispose claimed the record first; then exactly one Set() is on
        /// its way and the owner must consume it before reading the outcome.
        /// </summary>
        internal static bool Withdraw(Waiter waiter, int registeredWord)
        {
            int idle = Waiter.Make(Waiter.Ticket(registeredWord), Waiter.PhaseIdle);
            // Model: model/nanomempool.pml [Withdraw.cas]
            return Interlocked.CompareExchange(ref waiter._word, idle, registeredWord) == registeredWord;
        }

        /// <summary>
        /// For a record whose Set() its owner has consumed: if Dispose claimed it, recycles it and throws
        /// ObjectDisposedException; otherwise does nothing (the owner takes the outcome, then recycles). Threads only.
        /// </summary>
        /// <exception cref="System.ObjectDisposedException">The record's outcome is Disposed.</exception>
        internal static void ThrowIfDisposedOutcome(Waiter waiter, string objectName)
        {
            if (Waiter.Phase(waiter._word) == Waiter.PhaseDisposed)
            {
                Recycle(waiter);
                throw new System.ObjectDisposedException(objectName);
            }
        }

        /// <summary>Returns a served record to Idle once its owner has consumed the Set(). Threads only.</summary>
        internal static void Recycle(Waiter waiter)
        {
            waiter._handed = null;
            Interlocked.Exchange(ref waiter._word, Waiter.Make(Waiter.Ticket(waiter._word), Waiter.PhaseIdle));
        }

        /// <summary>
        /// Hands <paramref name="block"/> to the longest-waiting thread, if any. Any context, never waits,
        /// takes no lock, allocates nothing. Returns false when no record is Waiting.
        /// </summary>
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

                int claimed = Waiter.Make(Waiter.Ticket(oldestWord), Waiter.PhaseClaimed);
                // Model: model/nanomempool.pml [TryHandOff.claim]
                if (Interlocked.CompareExchange(ref oldest._word, claimed, oldestWord) == oldestWord)
                {
                    // WAKE-UP (Set side), paired with the wait in BlockPool.AwaitHandOff: the record is
                    // ours alone now (no other CAS can leave Claimed), so write the block, then Set()
                    // exactly once. The owner reads _handed only after that WaitOne returns true, so it
                    // sees this block. If its wait timed out meanwhile, its Withdraw CAS fails and it
                    // waits again, untimed, for this very Set(): the block is kept, never lost.
                    oldest._handed = block;
                    // Model: model/nanomempool.pml [TryHandOff.set]
                    oldest._signal.Set();
                    return true;
                }

                // The oldest withdrew, was disposed, or another freer claimed it: its word no longer
                // holds this ticket as Waiting, and never will again. Rescan.
            }
        }

        /// <summary>
        /// Bulk queue only: wakes every Waiting record that needs at most <paramref name="available"/>
        /// blocks, handing it nothing (its owner retries its all-or-nothing take). Any context, never waits,
        /// takes no lock, allocates nothing; O(records).
        /// </summary>
        /// <remarks>
        /// Every eligible record is woken, not just the oldest: then no bulk waiter sleeps beside its whole free
        /// set unless a freer is on its way to it (the spin model's INV_BWAKE), which is what the wake-up
        /// argument in BlockPool.BulkWaiting.cs uses. Waking only one per push would still wake somebody at
        /// every push (pushes add one block each; spin finds no waiter left asleep that way), but a second
        /// eligible waiter could then sleep beside its set while the first runs. A woken owner that loses the
        /// race re-registers and re-checks the free count.
        /// </remarks>
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
                    // then exactly one Set() (I5). A failed CAS means the owner withdrew, another freer
                    // claimed it, or Dispose did: each of those ends this registration.
                    // Model: model/nanomempool.pml [WakeBulk.claim]
                    int claimed = Waiter.Make(Waiter.Ticket(word), Waiter.PhaseClaimed);
                    if (Interlocked.CompareExchange(ref waiter._word, claimed, word) == word)
                    {
                        // Model: model/nanomempool.pml [WakeBulk.set]
                        waiter._signal.Set();
                    }
                }
            }
        }

        /// <summary>
        /// Wakes every waiting thread with the Disposed outcome. Threads only: the caller holds the pool's
        /// thread lock (so no thread registers concurrently) and has already marked the pool disposed.
        /// </summary>
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

        /// <summary>
        /// Number of records now in <paramref name="phase"/> (Waiter.PhaseWaiting, PhaseClaimed, ...), for
        /// diagnostics. Any context, never waits; a snapshot.
        /// </summary>
        internal int CountInPhase(int phase)
        {
            int count = 0;
            Waiter[] records = _records;
            for (int i = 0; i < records.Length; i++)
            {
                if (Waiter.Phase(records[i]._word) == phase)
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>True when <paramref name="block"/> is in a hand-off (Claimed record). Quiescent use only.</summary>
        internal bool IsHandedOff(Block block)
        {
            Waiter[] records = _records;
            for (int i = 0; i < records.Length; i++)
            {
                if (Waiter.Phase(records[i]._word) == Waiter.PhaseClaimed && records[i]._handed == block)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
