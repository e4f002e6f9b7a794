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
            return TryAlloc(into, count, NoOwner);
        }

        /// <summary>
        /// Like <see cref="TryAlloc(Block[], int)"/>, recording <paramref name="ownerTag"/> and the time on
        /// every block taken. Any context, never waits.
        /// </summary>
        /// <param name="into">Receives the blocks in positions 0 to count - 1 (untouched on failure).</param>
        /// <param name="count">How many blocks; 1 to <c>into.Length</c>.</param>
        /// <param name="ownerTag">The holder's tag, or <see cref="NoOwner"/>.</param>
        /// <returns>False when fewer than <paramref name="count"/> blocks could be taken; then nothing was taken.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="into"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
        /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
        public bool TryAlloc(Block[] into, int count, int ownerTag)
        {
            if (into == null)
            {
                throw new ArgumentNullException("into");
            }

            if (count < 1 || count > into.Length)
            {
                throw new ArgumentOutOfRangeException("count", "Must be 1 to into.Length.");
            }

            ThrowIfDisposed();
            if (TryTakeMany(into, count, _handlerReserve, ownerTag))
            {
                return true;
            }

            _statistics._failedTryAllocs.Increment();
            Latch(PoolHealth.Exhausted);
            return false;
        }

        /// <summary>
        /// Pops <paramref name="count"/> blocks in one CAS unless no more than <paramref name="keep"/> would be
        /// left, and records them as allocated. Any context, never waits, lock-free. False changes nothing.
        /// </summary>
        private bool TryTakeMany(Block[] into, int count, int keep, int ownerTag)
        {
            int word = _word;
            while (true)
            {
                int field = FreeListWord.Field(word);
                Block top = FreeListWord.HasTop(field) ? BlockAt(FreeListWord.IndexOf(field)) : null;
                // Model: model/nanomempool.pml [Bulk.depth]
                int depth = top != null ? top._depth : 0;
                if (depth - count < keep)
                {
                    return false;
                }

                // Walk count blocks down from the top. The reads are only trusted if the CAS below proves
                // the word (and so, since every change bumps its tag, the whole list) unchanged since we
                // read it; a walk that runs off the list is a torn read and simply retries.
                Block last = top;
                bool torn = false;
                for (int i = 1; i < count; i++)
                {
                    // Model: model/nanomempool.pml [Bulk.walk]
                    int next = last._next;
                    if (!FreeListWord.HasTop(next))
                    {
                        torn = true;
                        break;
                    }

                    last = BlockAt(FreeListWord.IndexOf(next));
                }

                if (!torn)
                {
                    // Model: model/nanomempool.pml [Bulk.last] [Bulk.cas]
                    int seen = Interlocked.CompareExchange(ref _word, FreeListWord.Successor(word, last._next), word);
                    if (seen == word)
                    {
                        Block block = top;
                        for (int i = 0; i < count; i++)
                        {
                            Block following = i + 1 < count ? BlockAt(FreeListWord.IndexOf(block._next)) : null;
                            into[i] = block;
                            OnAllocated(block, depth - count, ownerTag);
                            block = following;
                        }

                        return true;
                    }

                    word = seen;
                }
                else
                {
                    // Model: model/nanomempool.pml [Bulk.torn]
                    word = _word;
                }
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
        /// <exception cref="InvalidOperationException">A block is not held, or is listed twice.</exception>
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

                if (blocks[i].Pool != this)
                {
                    throw new ArgumentException("blocks[" + i + "] belongs to another pool.", "blocks");
                }
            }

            // Take ownership of all of them first (Held -> Free, one CAS each); a block listed twice fails
            // its second CAS. On any failure, give back what we took and change nothing else.
            for (int i = 0; i < count; i++)
            {
                // Model: model/nanomempool.pml [BulkFree.own]
                if (Interlocked.CompareExchange(ref blocks[i]._state, Block.StateFree, Block.StateHeld) != Block.StateHeld)
                {
                    for (int j = 0; j < i; j++)
                    {
                        blocks[j]._state = Block.StateHeld;
                    }

                    throw new InvalidOperationException("blocks[" + i + "] is not held (already freed, or listed twice).");
                }
            }

            for (int i = 0; i < count; i++)
            {
                Block block = blocks[i];
                block._frees++;
                if (_poisoning)
                {
                    Poison(block);
                }

                Release(block);
            }
        }
    }
}
