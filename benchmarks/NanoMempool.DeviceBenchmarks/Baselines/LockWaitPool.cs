// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool.DeviceBenchmarks.Baselines
{
    /// <summary>
    /// Baseline for the blocking hand-off: the lock pool with a waiting <see cref="Alloc"/>. nanoFramework has no
    /// <c>Monitor.Wait</c>, so a waiter sleeps on an <see cref="AutoResetEvent"/> that every <see cref="Free"/>
    /// sets. No checks, no fairness (a running thread may take a freed buffer before the woken one).
    /// </summary>
    internal sealed class LockWaitPool
    {
        private readonly object _sync = new object();
        private readonly AutoResetEvent _freed = new AutoResetEvent(false);
        private readonly byte[][] _free;
        private int _count;

        /// <summary>Allocates <paramref name="count"/> buffers of <paramref name="blockSize"/> bytes. Threads only.</summary>
        internal LockWaitPool(int blockSize, int count)
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

        /// <summary>Takes a buffer, waiting as long as none is free. Threads only.</summary>
        internal byte[] Alloc()
        {
            while (true)
            {
                lock (_sync)
                {
                    if (_count > 0)
                    {
                        byte[] buffer = _free[--_count];
                        if (_count > 0)
                        {
                            // Two frees may have set the event once: pass the wake-up on to the next waiter.
                            _freed.Set();
                        }

                        return buffer;
                    }
                }

                _freed.WaitOne();
            }
        }

        /// <summary>Gives a buffer back (not checked) and wakes one waiter. Takes the lock.</summary>
        internal void Free(byte[] buffer)
        {
            lock (_sync)
            {
                _free[_count++] = buffer;
            }

            _freed.Set();
        }
    }
}
