// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;
using Microsoft.Coyote.Specifications;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// An ownership ledger kept beside the pool, independent of it: one owner slot per block index,
    /// changed only with Interlocked. A worker claims the slot (0 -> its id) right after the pool gives it a
    /// block and clears it (its id -> 0) right before it gives the block back, so a block that the pool
    /// hands to two holders at once makes the second claim fail.
    /// </summary>
    internal sealed class Ledger
    {
        private readonly int[] _owner;

        internal Ledger(int maxBlocks)
        {
            _owner = new int[maxBlocks];
        }

        internal void Acquire(BlockPool pool, Block block, int worker)
        {
            Specification.Assert(block != null, "The pool returned a null block where a block was promised.");
            Specification.Assert(block.Pool == pool, "The pool returned a block of another pool.");
            Specification.Assert(block.Index >= 0 && block.Index < _owner.Length, "Block index {0} is out of range.", block.Index);
            int previous = Interlocked.CompareExchange(ref _owner[block.Index], worker, 0);
            Specification.Assert(
                previous == 0,
                "OWNERSHIP: block {0} was given to worker {1} while worker {2} still held it.",
                block.Index, worker, previous);
        }

        internal void Release(Block block, int worker)
        {
            int previous = Interlocked.CompareExchange(ref _owner[block.Index], 0, worker);
            Specification.Assert(
                previous == worker,
                "OWNERSHIP: worker {0} frees block {1}, which the ledger gives to worker {2}.",
                worker, block.Index, previous);
        }

        /// <summary>Blocks the ledger says are held now (quiescent use only).</summary>
        internal int HeldCount()
        {
            int held = 0;
            for (int i = 0; i < _owner.Length; i++)
            {
                if (_owner[i] != 0)
                {
                    held++;
                }
            }

            return held;
        }
    }
}
