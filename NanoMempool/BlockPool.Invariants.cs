// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;

namespace NanoMempool
{
    /// <summary>Counting and checking the pool's invariants (see the INVARIANTS block in BlockPool.cs).</summary>
    public sealed partial class BlockPool
    {
        /// <summary>Allocations so far: the per-block counts summed. Any context, never waits.</summary>
        internal long SumAllocations()
        {
            return SumPerBlock(false);
        }

        /// <summary>Frees so far: the per-block counts summed. Any context, never waits.</summary>
        internal long SumFrees()
        {
            return SumPerBlock(true);
        }

        /// <summary>Sums one per-block counter over every block ever created (a snapshot).</summary>
        private long SumPerBlock(bool frees)
        {
            long sum = 0;
            Block[] blocks = _blocks;
            int count = _blockCount;
            for (int i = 0; i < count && i < blocks.Length; i++)
            {
                sum += frees ? blocks[i]._frees : blocks[i]._allocations;
            }

            return sum;
        }

        /// <summary>
        /// On-demand integrity audit: checks that every block is in exactly one place (free list, held, in
        /// hand-off to a waiter, or retired), that the free list has no cycle and its depths are right, and
        /// that the counts and statistics add up. Returns a clear result instead of throwing.
        /// Threads only (takes the pool's thread lock briefly; never waits for a block); O(number of
        /// blocks); allocates nothing unless it finds a problem. The result is exact while no other context
        /// allocates or frees; run it at a quiet moment (a handler racing it can make it report a transient
        /// inconsistency, never hide a lasting one).
        /// </summary>
        /// <param name="problem">null when consistent, else a sentence naming the first inconsistency.</param>
        /// <returns>True when consistent.</returns>
        public bool Validate(out string problem)
        {
            problem = CheckInvariants();
            return problem == null;
        }

        /// <summary>The audit behind <see cref="Validate"/>: null, or the first violation. Threads only.</summary>
        internal string CheckInvariants()
        {
            lock (_threadLock)
            {
                _auditEpoch++;
                if (_auditEpoch == 0)
                {
                    _auditEpoch = 1;
                }

                return Audit(_auditEpoch);
            }
        }

        private string Audit(int epoch)
        {
            int field = FreeListWord.Field(_word);
            int free = 0;
            int expectedDepth = -1;
            while (FreeListWord.HasTop(field))
            {
                int index = FreeListWord.IndexOf(field);
                if (index >= _blockCount)
                {
                    return "Free list names block " + index + ", which does not exist.";
                }

                Block block = _blocks[index];
                if (block._auditMark == epoch)
                {
                    return "Free list visits block " + index + " twice (a cycle or a double push).";
                }

                block._auditMark = epoch;
                if (block._state != Block.StateFree)
                {
                    return "Block " + index + " is on the free list but its state is " + block._state + ".";
                }

                if (expectedDepth >= 0 && block._depth != expectedDepth)
                {
                    return "Block " + index + " has depth " + block._depth + ", expected " + expectedDepth + ".";
                }

                expectedDepth = block._depth - 1;
                free++;
                field = block._next;
            }

            if (expectedDepth > 0)
            {
                return "The free list ends " + expectedDepth + " blocks early for its depths.";
            }

            if (FreeCount != free)
            {
                return "FreeCount says " + FreeCount + " but the free list holds " + free + ".";
            }

            int held = 0;
            int handedOff = 0;
            int retired = 0;
            for (int i = 0; i < _blockCount; i++)
            {
                Block block = _blocks[i];
                // A fixed pool keeps every buffer (a retired block may be revived); with an allocator only
                // live blocks have one (a retired block's buffer went back to the allocator).
                bool bufferExpected = _allocator == null || block._state != Block.StateRetired;
                if (bufferExpected != (block._buffer != null))
                {
                    return "Block " + i + (bufferExpected ? " has no buffer." : " is retired but still has its buffer.");
                }

                if (block._state == Block.StateHeld)
                {
                    held++;
                }
                else if (block._state == Block.StateRetired)
                {
                    retired++;
                }
                else if (block._auditMark != epoch)
                {
                    if (!_waiters.IsHandedOff(block))
                    {
                        return "Block " + i + " is neither free, held, in hand-off nor retired: it is lost.";
                    }

                    handedOff++;
                }
            }

            int sizes = _sizes;
            int capacity = PoolSizes.Capacity(sizes);
            int target = PoolSizes.Target(sizes);
            if (free + held + handedOff != capacity)
            {
                return "free " + free + " + held " + held + " + in hand-off " + handedOff + " != capacity " + capacity + ".";
            }

            if (retired + capacity != _blockCount)
            {
                return "retired " + retired + " + capacity " + capacity + " != blocks created " + _blockCount + ".";
            }

            if (capacity < target)
            {
                return "Capacity " + capacity + " is below its target " + target + ".";
            }

            if (capacity > target && free > 0)
            {
                return "Capacity " + capacity + " is above its target " + target + " while " + free + " blocks are free.";
            }

            if (free > _reserveLimit)
            {
                return "The reserve holds " + free + " free blocks, more than its size " + _reserveLimit + " (I7).";
            }

            if (_allocator != null && _statistics.BackingAllocations - _statistics.BackingReleases != capacity)
            {
                return "buffers from the allocator " + _statistics.BackingAllocations + " - given back " + _statistics.BackingReleases + " != capacity " + capacity + ".";
            }

            // A block in hand-off has been freed and not yet allocated again, so it is not counted here.
            if (SumAllocations() - SumFrees() != held)
            {
                return "allocations - frees = " + (SumAllocations() - SumFrees()) + " but " + held + " blocks are held.";
            }

            return null;
        }

        /// <summary>DEBUG builds only: asserts <see cref="CheckInvariants"/> at a quiescent point.</summary>
        [Conditional("DEBUG")]
        internal void AssertInvariants()
        {
            string violation = CheckInvariants();
            Debug.Assert(violation == null, violation);
        }
    }
}
