// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool.Benchmarks.Baselines
{
    /// <summary>
    /// Baseline: a fixed pool of byte[] blocks with BlockPool's API shape (TryAlloc/Free, a waiting Alloc),
    /// protected by one <c>lock</c>: a stack of free arrays, Monitor.Wait/PulseAll for waiting threads.
    /// It checks nothing (no double-free or ownership check, no statistics), so it is a lower bound for
    /// "the obvious locked pool".
    /// </summary>
    public sealed class LockBlockPool
    {
        private readonly object _lock = new object();
        private readonly byte[][] _free;
        private int _count;
        private int _waiting;

        public LockBlockPool(int blockSize, int blockCount)
        {
            _free = new byte[blockCount][];
            for (int i = 0; i < blockCount; i++)
            {
                _free[i] = new byte[blockSize];
            }

            _count = blockCount;
        }

        /// <summary>Threads now sleeping in <see cref="Alloc"/> (they took the lock, then released it in Monitor.Wait).</summary>
        public int WaitingThreads
        {
            get { return Volatile.Read(ref _waiting); }
        }

        public bool TryAlloc(out byte[] block)
        {
            lock (_lock)
            {
                if (_count == 0)
                {
                    block = null;
                    return false;
                }

                block = _free[--_count];
                _free[_count] = null;
                return true;
            }
        }

        /// <summary>Waits up to <paramref name="millisecondsTimeout"/> for a block; null on timeout.</summary>
        public byte[] Alloc(int millisecondsTimeout)
        {
            lock (_lock)
            {
                while (_count == 0)
                {
                    _waiting++;
                    bool signalled = Monitor.Wait(_lock, millisecondsTimeout);
                    _waiting--;
                    if (!signalled && _count == 0)
                    {
                        return null;
                    }
                }

                byte[] block = _free[--_count];
                _free[_count] = null;
                return block;
            }
        }

        public void Free(byte[] block)
        {
            if (block == null)
            {
                throw new ArgumentNullException(nameof(block));
            }

            lock (_lock)
            {
                _free[_count++] = block;
                if (_waiting > 0)
                {
                    Monitor.Pulse(_lock);
                }
            }
        }
    }
}
