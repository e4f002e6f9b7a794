// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// A test backing allocator: hands out at most <see cref="Budget"/> buffers at a time (then returns null,
    /// like a full heap), counts what it gave and got back, and can be told to return a wrong-sized buffer.
    /// Allocate is called from threads, Release from any context: the counts are interlocked.
    /// </summary>
    internal sealed class CountingAllocator : IBlockAllocator
    {
        private int _budget;
        private int _allocations;
        private int _releases;
        private int _refusals;
        private bool _wrongSize;

        internal CountingAllocator(int budget)
        {
            _budget = budget;
        }

        /// <summary>Most buffers outstanding at once; may be raised while a pool waits.</summary>
        internal int Budget
        {
            get { return _budget; }
            set { Interlocked.Exchange(ref _budget, value); }
        }

        /// <summary>When true, the next Allocate returns a buffer one byte too long.</summary>
        internal bool WrongSize
        {
            set { _wrongSize = value; }
        }

        internal int Allocations
        {
            get { return _allocations; }
        }

        internal int Releases
        {
            get { return _releases; }
        }

        /// <summary>Allocate calls that returned null.</summary>
        internal int Refusals
        {
            get { return _refusals; }
        }

        /// <summary>Buffers handed out and not given back: what the pool still owns.</summary>
        internal int Outstanding
        {
            get { return _allocations - _releases; }
        }

        public byte[] Allocate(int blockSize)
        {
            if (_wrongSize)
            {
                _wrongSize = false;
                Interlocked.Increment(ref _allocations);
                return new byte[blockSize + 1];
            }

            if (Outstanding >= _budget)
            {
                Interlocked.Increment(ref _refusals);
                return null;
            }

            Interlocked.Increment(ref _allocations);
            return new byte[blockSize];
        }

        public void Release(byte[] buffer)
        {
            Interlocked.Increment(ref _releases);
        }
    }
}
