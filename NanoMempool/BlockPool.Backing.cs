// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    // The optional backing allocator (BlockPoolOptions.BackingAllocator), as in the kernel's mempool_alloc /
    // mempool_free: threads take buffers from the allocator first and fall back to the reserve, then wait; handlers
    // use the reserve only; a freed block refills the reserve while it is below its size and otherwise goes back to
    // the allocator.
    //
    // Bookkeeping with an allocator. Blocks are interchangeable, as kernel mempool elements are: a block whose buffer
    // came from the allocator may refill the reserve, and a reserve block may go back to the allocator. Capacity
    // counts the live blocks (reserve + held + in hand-off), and every change of it moves the capacity and the target
    // of _sizes together, so a pool with an allocator never has a Resize-style surplus (I6 is idle). The reserve's
    // size is _reserveLimit instead:
    //
    // I7 Reserve bound. While quiescent, the free list holds at most _reserveLimit blocks. Every push carries the
    // alert (I9: an allocator keeps it set), and one that makes the list longer is followed, after the push CAS's
    // fence, by a trim (TrimReserve) that pops the excess and gives it back; Resize and Dispose lower the limit with
    // an interlocked exchange and then trim, so either their trim sees the push or the pusher sees the new limit.
    // Refill first: a trim re-reads the limit after each pop, so a Resize that raises it meanwhile either sees the
    // pop (and fills the block in from the allocator) or makes the trimmer put the block back
    // (docs/concurrency/backing-allocator.md). In a pool without an allocator _reserveLimit is NoReserveLimit, and
    // the trim check (run only after an alerted push) is never true.
    public sealed partial class BlockPool
    {
        // A buffer from the allocator, checked, or null when the allocator has none (counted). Threads only.
        // Throws InvalidOperationException: The allocator returned a buffer of the wrong size (given back).
        private byte[] AllocateBuffer()
        {
            byte[] buffer = _allocator.Allocate(_blockSize);
            if (buffer == null)
            {
                EventCounts.Increment(_counts, BlockPoolStatistics.BackingFailuresAt);
                return null;
            }

            if (buffer.Length != _blockSize)
            {
                _allocator.Release(buffer);
                throw new InvalidOperationException("The backing allocator returned " + buffer.Length + " bytes; the block size is " + _blockSize + ".");
            }

            EventCounts.Increment(_counts, BlockPoolStatistics.BackingAllocationsAt);
            return buffer;
        }

        // Constructor only: a buffer for reserve slot slot. Slots are made from the last down,
        // so if the allocator fails, the buffers of slots slot + 1 to
        // blockCount (already made) go back to it before the exception leaves the
        // constructor, and nothing is lost.
        // Throws OutOfMemoryException: The allocator returned null.
        // Throws InvalidOperationException: The allocator returned a buffer of the wrong size.
        private byte[] ReserveBuffer(int slot, int blockCount)
        {
            byte[] buffer;
            try
            {
                buffer = AllocateBuffer();
            }
            catch (Exception)
            {
                GiveBackReserve(slot + 1, blockCount);
                throw;
            }

            if (buffer == null)
            {
                GiveBackReserve(slot + 1, blockCount);
                throw new OutOfMemoryException("The backing allocator could not supply the reserve of " + blockCount + " blocks.");
            }

            return buffer;
        }

        // Constructor only: gives back the buffers of reserve slots first to last.
        private void GiveBackReserve(int first, int last)
        {
            for (int slot = first; slot <= last; slot++)
            {
                GiveBack(_blocks[slot]._buffer);
            }
        }

        // Gives a buffer back to the allocator, counted. Any context, never waits.
        private void GiveBack(byte[] buffer)
        {
            EventCounts.Increment(_counts, BlockPoolStatistics.BackingReleasesAt);
            _allocator.Release(buffer);
        }

        // A new block around a new allocator buffer, in a block slot (a retired one if any) and counted live.
        // The block is Owned by the caller and in no place yet: the caller allocates or releases it. Threads
        // only: the allocator is called outside the thread lock, the slot is taken under it. Returns null when
        // the allocator has no buffer, or when every slot up to MaxCapacity is live (the buffer then goes back).
        private Block NewBlockFromAllocator()
        {
            byte[] buffer = AllocateBuffer();
            if (buffer == null)
            {
                return null;
            }

            Block block;
            lock (_waiters)
            {
                if (_disposed != 0)
                {
                    // Counted like every give-back, so that "allocations - releases == Capacity" holds after a
                    // Dispose that lands while a thread is inside the allocator.
                    GiveBack(buffer);
                    throw new ObjectDisposedException("BlockPool");
                }

                block = AdoptBufferLocked(buffer);
            }

            return block;
        }

        // Wraps an allocator buffer in a block slot and counts it live (see NewBlockFromAllocator),
        // for a caller that holds the thread lock.
        private Block AdoptBufferLocked(byte[] buffer)
        {
            Block block = ReviveOrCreateBlock(buffer);
            if (block == null)
            {
                GiveBack(buffer);
                return null;
            }

            // Model: model/nanomempool.pml [Backing.adopt]
            AddLive(1);
            return block;
        }

        // A block made from a new allocator buffer, allocated to the caller; null if none. Threads only.
        private Block TakeFromAllocator()
        {
            Block block = NewBlockFromAllocator();
            if (block != null)
            {
                // Always the slow path: an allocator block raises the use without lowering the free count.
                _links[block._slot] = BlockLink.Held;
                OnAllocatedSlow(block, FreeCount);
            }

            return block;
        }

        // Takes a whole set from the allocator, or nothing: if the allocator runs out part-way, the blocks
        // already made go back at once (refilling the reserve first), so the caller never holds part of a set
        // while it goes on to wait. Threads only.
        private bool TakeManyFromAllocator(Block[] into, int count)
        {
            // The blocks made so far, chained through their links (next slot only: a private chain, on no
            // list), so that `into` stays untouched unless the whole set is had.
            int chain = 0;
            int got = 0;
            try
            {
                while (got < count)
                {
                    Block block = NewBlockFromAllocator();
                    if (block == null)
                    {
                        break;
                    }

                    _links[block._slot] = BlockLink.Make(0, chain);
                    chain = block._slot;
                    got++;
                }
            }
            catch (Exception)
            {
                GiveBackChain(chain);
                throw;
            }

            if (got < count)
            {
                GiveBackChain(chain);
                return false;
            }

            int free = FreeCount;
            for (int i = 0; i < count; i++)
            {
                int next = BlockLink.Next(_links[chain]);
                into[i] = _blocks[chain];
                _links[chain] = BlockLink.Held;
                OnAllocatedSlow(into[i], free);
                chain = next;
            }

            return true;
        }

        // Releases every block of a chain made by TakeManyFromAllocator. Threads only.
        private void GiveBackChain(int chain)
        {
            while (chain != 0)
            {
                int next = BlockLink.Next(_links[chain]);
                _links[chain] = BlockLink.Owned;
                Release(chain);
                chain = next;
            }
        }

        // Pops free blocks beyond the reserve's size and gives them back to the allocator (I7). Any context,
        // never waits, lock-free; does work only when the reserve is over its size.
        private void TrimReserve()
        {
            int freeAfter;
            int slot;
            // Model: model/nanomempool.pml [Trim.pop]
            while ((slot = Pop(_reserveLimit, out freeAfter)) != 0)
            {
                // REFILL RE-CHECK, paired with ResizeReserve's exchange of the limit followed by its read of
                // FreeCount. The limit above was read before our pop: a Resize that raised it in between found
                // our block still free, filled nothing for it, and returned with the reserve one short although
                // the allocator had buffers (spin, model/nanomempool.pml -DRELIABLE_ALLOC; Coyote, BackingScenarioTests).
                // Our pop CAS (a full fence) precedes this read, so either we see the raised limit here and the
                // block refills the reserve (to a waiting thread first), or Resize's FreeCount read sees our pop
                // and fills the block in from the allocator. Release trims again if the reserve is full by then.
                // Model: model/nanomempool.pml [Trim.recheck]
                if (freeAfter < _reserveLimit)
                {
                    Release(slot);
                    return;
                }

                ReleaseToAllocator(slot);
            }
        }

        // Moves the live count by delta (+1 adopt, -1 give back), capacity and target
        // together, so that a pool with an allocator never shows a Resize-style surplus (I6 stays idle).
        // Any context, never waits, lock-free.
        private void AddLive(int delta)
        {
            int sizes = _sizes;
            while (true)
            {
                int live = PoolSizes.Capacity(sizes) + delta;
                int seen = Interlocked.CompareExchange(ref _sizes, PoolSizes.Make(live, live), sizes);
                if (seen == sizes)
                {
                    return;
                }

                sizes = seen;
            }
        }

        // Gives a block the caller owns (Owned, on no list) back to the allocator: one fewer live block.
        // Any context, never waits (the allocator's Release must not either).
        private void ReleaseToAllocator(int slot)
        {
            Block block = _blocks[slot];
            byte[] buffer = block._buffer;
            block._buffer = null;

            // Model: model/nanomempool.pml [Trim.retire]
            AddLive(-1);

            // Publishes the slot for reuse (AdoptBufferLocked) only after its buffer is gone (a full fence).
            Interlocked.Exchange(ref _links[slot], BlockLink.Retired);
            GiveBack(buffer);
        }

        // Resize with an allocator: sets the reserve's size, fills it from the allocator (waiting threads
        // first) as far as the allocator can, and gives back any excess. Threads only, under the thread lock.
        private void ResizeReserve(int newSize)
        {
            // Model: model/nanomempool.pml [ResizeReserve.limit]
            Interlocked.Exchange(ref _reserveLimit, newSize);
            if (_bulkWaiting != 0)
            {
                WakeBulkWaiters(EveryBulkWaiter);
            }

            int missing = newSize - FreeCount;
            for (int i = 0; i < missing; i++)
            {
                byte[] buffer = AllocateBuffer();
                Block block = buffer != null ? AdoptBufferLocked(buffer) : null;
                if (block == null)
                {
                    // Like mempool_resize: frees will refill the reserve later.
                    break;
                }

                Release(block._slot);
            }

            TrimReserve();
        }

        // With an allocator, how long the next sleep may be before the allocator is asked again.
        private int WaitSlice(int remaining)
        {
            if (_allocator == null || (remaining != Timeout.Infinite && remaining <= _backingRetryMs))
            {
                return remaining;
            }

            return _backingRetryMs;
        }
    }
}
