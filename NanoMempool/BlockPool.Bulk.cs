// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// All-or-nothing bulk allocation and free (after Linux 6.19's <c>mempool_alloc_bulk</c>): the
    /// non-blocking form. The blocking form is in BlockPool.BulkWaiting.cs; neither ever holds part of a set.
    /// </summary>
    public sealed partial class BlockPool
    {
        /// <summary>
        /// Takes <paramref name="count"/> free blocks at once, or none. Any context: never waits, takes no
        /// lock, allocates nothing; one CAS detaches the whole chain when uncontended. Respects
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
            return TryTakeMany(into, count, _tryFloor) || TryAllocFailed();
        }

        /// <summary>Checks the arguments of a bulk allocation. Any context.</summary>
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
        /// Pops <paramref name="count"/> blocks in one CAS unless no more than <paramref name="keep"/> would be
        /// left, and records them as allocated. Any context, never waits, lock-free. False changes nothing.
        /// </summary>
        private bool TryTakeMany(Block[] into, int count, int keep)
        {
            int word = _word;
            while (true)
            {
                int top = FreeListWord.Top(word);
                // Model: model/nanomempool.pml [Bulk.depth]
                int depth = BlockLink.Depth(_links[top]);
                if (depth - count < keep)
                {
                    // Refuse only on the top's own link (see TryAlloc).
                    // Model: model/nanomempool.pml [Refusal.reread]
                    if (!WordUnchanged(ref word))
                    {
                        continue;
                    }

                    return false;
                }

                // Walk count blocks down from the top. The reads are only trusted if the CAS below proves the word
                // (and so, since every change bumps its tag, the whole list) unchanged since we read it; a walk
                // that meets a link that is not a free one is a torn read and simply retries.
                int last = top;
                bool torn = false;
                for (int i = 1; i < count; i++)
                {
                    // A negative link (the block was popped meanwhile) names no next slot: stop before using it.
                    // Model: model/nanomempool.pml [Bulk.walk]
                    int link = _links[last];
                    if (link < 0 || BlockLink.Next(link) == 0)
                    {
                        torn = true;
                        break;
                    }

                    last = BlockLink.Next(link);
                }

                // Model: model/nanomempool.pml [Bulk.last] [Bulk.cas]
                int lastLink = torn ? -1 : _links[last];
                if (lastLink >= 0
                    && Interlocked.CompareExchange(ref _word, FreeListWord.AfterPop(word, BlockLink.Next(lastLink)), word) == word)
                {
                    // Ours now: mark every block before handing any out, then record them.
                    int slot = top;
                    for (int i = 0; i < count; i++)
                    {
                        int next = BlockLink.Next(_links[slot]);
                        _links[slot] = BlockLink.Owned;
                        into[i] = _blocks[slot];
                        slot = next;
                    }

                    for (int i = 0; i < count; i++)
                    {
                        Acquired(into[i], depth - count);
                    }

                    return true;
                }

                // Model: model/nanomempool.pml [Bulk.torn]
                word = _word;
            }
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
    }
}
