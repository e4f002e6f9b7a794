// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool
{
    // The on-demand integrity audit: the INVARIANTS (BlockPool.FreeList.cs) checked at a quiet moment.
    public sealed partial class BlockPool
    {
        /// <summary>
        /// On-demand integrity audit: checks that every block is in exactly one place (free list, held, in
        /// hand-off to a waiter, or retired), that the free list's depths are right, and that the counts and
        /// statistics add up. Returns a clear result instead of throwing. Threads only (takes the pool's thread
        /// lock briefly; never waits for a block); O(number of blocks); allocates nothing unless it finds a
        /// problem. The result is exact while no other context allocates or frees; run it at a quiet moment (a
        /// handler racing it can make it report a transient inconsistency, never hide a lasting one).
        /// </summary>
        /// <param name="problem">null when consistent, else a sentence naming the first inconsistency.</param>
        /// <returns>True when consistent.</returns>
        /// <exception cref="InvalidOperationException">Called on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where it could stall every other interrupt.</exception>
        public bool Validate(out string problem)
        {
            if (CallingContext.IsInterruptThread())
            {
                throw CallingContext.BlockingInHandler("BlockPool.Validate", "Audit the pool from a thread.");
            }

            lock (_waiters)
            {
                problem = Audit();
            }

            return problem == null;
        }

        // The audit behind Validate: null, or the first violation. Threads only, under the thread lock.
        private string Audit()
        {
            // The list: depths fall by one from the top to the sentinel, so the walk visits distinct slots and
            // ends (a cycle would need a depth to repeat).
            int top = FreeListWord.Top(_word);
            if ((_word & FreeListWord.WaitersBit) != 0 && top != 0)
            {
                return "The waiters flag is set on a non-empty free list.";
            }

            int free = 0;
            int slot = top;
            int expected = top != 0 ? BlockLink.Depth(_links[top]) : 0;
            while (slot != 0)
            {
                if (slot > _slotCount)
                {
                    return "The free list names slot " + slot + ", which is not in use.";
                }

                int link = _links[slot];
                if (link < 0 || BlockLink.Depth(link) != expected)
                {
                    return "Block " + (slot - 1) + " is on the free list with link " + link + ", expected depth " + expected + ".";
                }

                free++;
                expected--;
                slot = BlockLink.Next(link);
            }

            if (expected != 0)
            {
                return "The free list ends " + expected + " blocks early for its depths.";
            }

            // A record of a thread that has ended (it left Alloc without settling its record: an exception inside
            // that settling itself, or a thread killed some other way) can never take what it is handed.
            Waiter orphan = _waiters.OrphanedRecord();
            if (orphan == null && _bulkQueue != null && _bulkQueue.OrphanedRecord() != null)
            {
                return "A thread that has ended is still registered as waiting in the bulk Alloc.";
            }

            if (orphan != null)
            {
                int word = orphan._word;
                return Waiter.Phase(word) == Waiter.PhaseClaimed
                    ? "Block " + (Waiter.Slot(word) - 1) + " was handed to a thread that has ended: it can never come back."
                    : "A thread that has ended is still registered as waiting in Alloc: the next freed block would be handed to it and lost.";
            }

            int onList = 0;
            int held = 0;
            int inTransit = 0;
            int retired = 0;
            int heldLink = HeldLink;
            for (int s = 1; s <= _slotCount; s++)
            {
                int link = _links[s];
                Block block = _blocks[s];
                // A fixed pool keeps every buffer (a retired block may be revived); with an allocator only
                // live blocks have one (a retired block's buffer went back to the allocator).
                bool bufferExpected = _allocator == null || link != BlockLink.Retired;
                if (block == null || block._slot != s || bufferExpected != (block._buffer != null))
                {
                    return "Block " + (s - 1) + " has a wrong slot or buffer.";
                }

                if (link >= 0)
                {
                    onList++;
                    if (BlockUse.Length(_uses[s]) != 0)
                    {
                        return "Block " + (s - 1) + " is free with a used length of " + BlockUse.Length(_uses[s]) + ".";
                    }
                }
                else if (link == heldLink || link == heldLink - BlockLink.QueuedOffset)
                {
                    // Held by a caller, or inside a BlockQueue (which the pool cannot see into).
                    held++;
                }
                else if (link == BlockLink.Retired)
                {
                    retired++;
                }
                else if (link == BlockLink.Owned && _waiters.HandedTo(s) != null)
                {
                    inTransit++;
                }
                else
                {
                    return "Block " + (s - 1) + " is neither free, held, in hand-off nor retired (link " + link + "): it is lost.";
                }
            }

            if (onList != free)
            {
                return onList + " blocks have free links but the free list holds " + free + ".";
            }

            int sizes = _sizes;
            int capacity = PoolSizes.Capacity(sizes);
            int target = PoolSizes.Target(sizes);
            if (free + held + inTransit != capacity)
            {
                return "free " + free + " + held " + held + " + in hand-off " + inTransit + " != capacity " + capacity + ".";
            }

            if (retired + capacity != _slotCount)
            {
                return "retired " + retired + " + capacity " + capacity + " != blocks created " + _slotCount + ".";
            }

            if (capacity < target)
            {
                return "Capacity " + capacity + " is below its target " + target + ".";
            }

            // A surplus is retired as it comes home, except while a thread waits in the bulk Alloc (demand first,
            // I4): then free blocks may wait beside a surplus, and the last bulk caller to leave retires them.
            if (capacity > target && free > 0 && _bulkWaiting == 0)
            {
                return "Capacity " + capacity + " is above its target " + target + " while " + free + " blocks are free.";
            }

            bool alertNeeded = _allocator != null || _bulkWaiting != 0 || capacity > target;
            if (alertNeeded && (_word & FreeListWord.AlertBit) == 0)
            {
                return "The alert flag is clear while a bulk waiter, a surplus or an allocator needs it (I9).";
            }

            if (free > _reserveLimit)
            {
                return "The reserve holds " + free + " free blocks, more than its size " + _reserveLimit + " (I7).";
            }

            long fromAllocator = _statistics.BackingAllocations - _statistics.BackingReleases;
            if (_allocator != null && fromAllocator != capacity)
            {
                return "buffers from the allocator " + _statistics.BackingAllocations + " - given back " + _statistics.BackingReleases + " != capacity " + capacity + ".";
            }

            return null;
        }
    }
}
