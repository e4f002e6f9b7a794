// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;

namespace NanoMempool
{
    /// <summary>Counting and checking the pool's invariants (see the INVARIANTS block in BlockPool.cs).</summary>
    public sealed partial class BlockPool
    {
        internal long SumAllocations()
        {
            long sum = 0;
            Block[] blocks = _blocks;
            int count = _blockCount;
            for (int i = 0; i < count && i < blocks.Length; i++)
            {
                sum += blocks[i]._allocations;
            }

            return sum;
        }

        internal long SumFrees()
        {
            long sum = 0;
            Block[] blocks = _blocks;
            int count = _blockCount;
            for (int i = 0; i < count && i < blocks.Length; i++)
            {
                sum += blocks[i]._frees;
            }

            return sum;
        }

        /// <summary>
        /// Checks invariants I1, I2 and I6 and returns null, or a sentence naming the first violation.
        /// Meaningful only while no other context uses the pool. Threads only, O(number of blocks),
        /// allocates only to build a message on failure.
        /// </summary>
        internal string CheckInvariants()
        {
            int field = FreeListWord.Field(_word);
            bool[] seen = new bool[_blockCount];
            int free = 0;
            int expectedDepth = -1;
            while (FreeListWord.HasTop(field))
            {
                int index = FreeListWord.IndexOf(field);
                if (index >= _blockCount)
                {
                    return "Free list names block " + index + ", which does not exist.";
                }

                if (seen[index])
                {
                    return "Free list visits block " + index + " twice (a cycle or a double push).";
                }

                seen[index] = true;
                Block block = _blocks[index];
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
                if (block._state == Block.StateHeld)
                {
                    held++;
                }
                else if (block._state == Block.StateRetired)
                {
                    retired++;
                }
                else if (!seen[i])
                {
                    if (!_waiters.IsHandedOff(block))
                    {
                        return "Block " + i + " is neither free, held, in hand-off nor retired: it is lost.";
                    }

                    handedOff++;
                }
            }

            if (free + held + handedOff != _capacity)
            {
                return "free " + free + " + held " + held + " + in hand-off " + handedOff + " != capacity " + _capacity + ".";
            }

            if (retired + _capacity != _blockCount)
            {
                return "retired " + retired + " + capacity " + _capacity + " != blocks created " + _blockCount + ".";
            }

            if (_capacity < _targetCapacity)
            {
                return "Capacity " + _capacity + " is below its target " + _targetCapacity + ".";
            }

            if (SumAllocations() - SumFrees() != held + handedOff)
            {
                return "allocations - frees = " + (SumAllocations() - SumFrees()) + " but " + (held + handedOff) + " blocks are out.";
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
