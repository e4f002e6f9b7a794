// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// The main thread's other work on the heap, the same in every way: every <see cref="Every"/> samples it allocates
    /// a buffer of 256 bytes up to a largest size (sizes from a fixed-seed generator, so every way sees the same
    /// sequence) and keeps the last few of them, dropping the oldest: message assembly, strings, a network stack's
    /// buffers. Large blocks of varying sizes, freed out of order, are what fragments a heap that small blocks are
    /// also taken from. An OutOfMemoryException is counted and the slot left empty. Main thread.
    /// </summary>
    internal sealed class OtherAllocations
    {
        /// <summary>Samples between two allocations.</summary>
        internal const int Every = 50;

        private const int MinSize = 256;

        private readonly byte[][] _kept;
        private readonly int _maxSize;
        private uint _seed = 0x2545F491;
        private int _next;
        private int _lastAt;
        private int _allocations;
        private int _outOfMemory;

        /// <summary>Keeps <paramref name="kept"/> buffers of 256 to <paramref name="maxSize"/> bytes alive at once.</summary>
        internal OtherAllocations(int kept, int maxSize)
        {
            _kept = new byte[kept][];
            _maxSize = maxSize;
        }

        /// <summary>Buffers allocated.</summary>
        internal int Allocations
        {
            get { return _allocations; }
        }

        /// <summary>Allocations that threw OutOfMemoryException.</summary>
        internal int OutOfMemory
        {
            get { return _outOfMemory; }
        }

        /// <summary>Allocates the next buffer once <see cref="Every"/> more samples have been processed.</summary>
        internal void Step(int processed)
        {
            if (processed - _lastAt < Every)
            {
                return;
            }

            _lastAt = processed;
            _seed = (_seed * 1664525) + 1013904223;
            int size = MinSize + (int)((_seed >> 8) % (uint)(_maxSize - MinSize + 1));
            _kept[_next] = null;
            try
            {
                _kept[_next] = new byte[size];
                _kept[_next][size - 1] = 1;
                _allocations++;
            }
            catch (OutOfMemoryException)
            {
                _outOfMemory++;
            }

            _next = (_next + 1) % _kept.Length;
        }

        /// <summary>Lets every kept buffer go.</summary>
        internal void Release()
        {
            for (int i = 0; i < _kept.Length; i++)
            {
                _kept[i] = null;
            }
        }
    }
}
