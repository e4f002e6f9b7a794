// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool.StressTests
{
    /// <summary>
    /// Independent of the pool: one owner slot per block index, changed only by Interlocked.CompareExchange.
    /// Acquire (0 -> owner) must succeed right after the pool gives a block; Release (owner -> 0) must
    /// succeed right before the block is given back. A block handed to two holders at once, or freed by a
    /// context that does not hold it, makes a CAS fail; the first such violation is kept for the report.
    /// </summary>
    internal sealed class OwnershipLedger
    {
        private readonly int[] _owner;
        private int _violations;
        private string _first;

        internal OwnershipLedger(int maxBlocks)
        {
            _owner = new int[maxBlocks];
        }

        internal int Violations => Volatile.Read(ref _violations);

        internal string FirstViolation => Volatile.Read(ref _first);

        internal void Acquire(Block block, int owner)
        {
            int previous = Interlocked.CompareExchange(ref _owner[block.Index], owner, 0);
            if (previous != 0)
            {
                Violate("block " + block.Index + " given to " + owner + " while " + previous + " holds it");
            }
        }

        internal void Release(Block block, int owner)
        {
            int previous = Interlocked.CompareExchange(ref _owner[block.Index], 0, owner);
            if (previous != owner)
            {
                Violate("block " + block.Index + " freed by " + owner + " but the ledger says " + previous);
            }
        }

        internal int HeldCount()
        {
            int held = 0;
            for (int i = 0; i < _owner.Length; i++)
            {
                if (Volatile.Read(ref _owner[i]) != 0)
                {
                    held++;
                }
            }

            return held;
        }

        private void Violate(string message)
        {
            Interlocked.CompareExchange(ref _first, message, null);
            Interlocked.Increment(ref _violations);
        }
    }
}
