// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.DeviceBenchmarks.Baselines
{
    /// <summary>
    /// Baseline: a bounded FIFO of <c>byte[]</c> in a ring behind one <c>lock</c>, without checks and without
    /// waiting: what a user would write next to <see cref="LockPool"/>.
    /// </summary>
    internal sealed class LockRingQueue
    {
        private readonly object _sync = new object();
        private readonly byte[][] _slots;
        private int _head;
        private int _count;

        /// <summary>An empty queue of <paramref name="capacity"/> slots. Threads only.</summary>
        internal LockRingQueue(int capacity)
        {
            _slots = new byte[capacity][];
        }

        /// <summary>Buffers queued. Any thread (reads one field).</summary>
        internal int Count
        {
            get { return _count; }
        }

        /// <summary>Appends a buffer, or returns false when full. Takes the lock.</summary>
        internal bool TryEnqueue(byte[] buffer)
        {
            lock (_sync)
            {
                if (_count == _slots.Length)
                {
                    return false;
                }

                int tail = _head + _count;
                if (tail >= _slots.Length)
                {
                    tail -= _slots.Length;
                }

                _slots[tail] = buffer;
                _count++;
                return true;
            }
        }

        /// <summary>Removes the oldest buffer, or returns false when empty. Takes the lock.</summary>
        internal bool TryDequeue(out byte[] buffer)
        {
            lock (_sync)
            {
                if (_count == 0)
                {
                    buffer = null;
                    return false;
                }

                buffer = _slots[_head];
                _slots[_head] = null;
                _head++;
                if (_head == _slots.Length)
                {
                    _head = 0;
                }

                _count--;
                return true;
            }
        }
    }
}
