// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool.DeviceBenchmarks.Baselines
{
    /// <summary>
    /// Baseline: the bare lock-free core of a pool. A Treiber stack of buffer indexes whose top lives in one
    /// <c>int</c> (high 16 bits: a version tag against ABA; low 16 bits: the top index, 0xFFFF = empty), with the
    /// links in an <c>int[]</c>, changed only by <see cref="Interlocked.CompareExchange(ref int, int, int)"/>.
    /// No checks (a foreign or double free corrupts it), no statistics, no waiting.
    /// </summary>
    internal sealed class CasIndexStack
    {
        private const int IndexMask = 0xFFFF;
        private const int Empty = 0xFFFF;
        private const int TagUnit = 0x10000;

        private readonly int[] _next;
        private readonly byte[][] _buffers;
        private int _top;

        /// <summary>Allocates <paramref name="count"/> (at most 65535) buffers of <paramref name="blockSize"/> bytes, all free. Threads only.</summary>
        internal CasIndexStack(int blockSize, int count)
        {
            _buffers = new byte[count][];
            _next = new int[count];
            for (int i = 0; i < count; i++)
            {
                _buffers[i] = new byte[blockSize];
                _next[i] = i + 1 < count ? i + 1 : Empty;
            }

            _top = 0;
        }

        /// <summary>The buffers, by index. Any context.</summary>
        internal byte[][] Buffers
        {
            get { return _buffers; }
        }

        /// <summary>Pops a free index, or returns -1 when the stack is empty. Any context, never waits.</summary>
        internal int TryPop()
        {
            while (true)
            {
                int top = _top;
                int index = top & IndexMask;
                if (index == Empty)
                {
                    return -1;
                }

                int word = ((top + TagUnit) & ~IndexMask) | _next[index];
                if (Interlocked.CompareExchange(ref _top, word, top) == top)
                {
                    return index;
                }
            }
        }

        /// <summary>Pushes a held index back (not checked). Any context, never waits.</summary>
        internal void Push(int index)
        {
            while (true)
            {
                int top = _top;
                _next[index] = top & IndexMask;
                int word = ((top + TagUnit) & ~IndexMask) | index;
                if (Interlocked.CompareExchange(ref _top, word, top) == top)
                {
                    return;
                }
            }
        }

        /// <summary>Free indexes, counted by walking the stack. Single thread only (a test check).</summary>
        internal int CountFree()
        {
            int count = 0;
            for (int index = _top & IndexMask; index != Empty; index = _next[index])
            {
                count++;
            }

            return count;
        }
    }
}
