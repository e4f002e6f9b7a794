// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.DeviceBenchmarks.Baselines
{
    /// <summary>
    /// Baseline: the pool a user would write in thirty lines: a stack of <c>byte[]</c> behind one <c>lock</c>,
    /// without checks (a foreign or double free is not detected) and without waiting.
    /// </summary>
    internal sealed class LockPool
    {
        private readonly object _sync = new object();
        private readonly byte[][] _free;
        private int _count;

        /// <summary>Allocates <paramref name="count"/> buffers of <paramref name="blockSize"/> bytes. Threads only.</summary>
        internal LockPool(int blockSize, int count)
        {
            _free = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                _free[i] = new byte[blockSize];
            }

            _count = count;
        }

        /// <summary>Free buffers. Any thread (reads one field).</summary>
        internal int FreeCount
        {
            get { return _count; }
        }

        /// <summary>Takes a buffer, or returns false when none is free. Takes the lock.</summary>
        internal bool TryAlloc(out byte[] buffer)
        {
            lock (_sync)
            {
                if (_count == 0)
                {
                    buffer = null;
                    return false;
                }

                buffer = _free[--_count];
                return true;
            }
        }

        /// <summary>Gives a buffer back (not checked). Takes the lock.</summary>
        internal void Free(byte[] buffer)
        {
            lock (_sync)
            {
                _free[_count++] = buffer;
            }
        }
    }
}
