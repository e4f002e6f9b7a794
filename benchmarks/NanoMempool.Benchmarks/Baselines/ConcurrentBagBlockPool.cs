// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Concurrent;

namespace NanoMempool.Benchmarks.Baselines
{
    /// <summary>
    /// Baseline: a fixed pool of byte[] blocks with BlockPool's TryAlloc/Free shape over a
    /// <see cref="ConcurrentBag{T}"/> (per-thread lock-free lists with work stealing). No checks, no statistics.
    /// </summary>
    public sealed class ConcurrentBagBlockPool
    {
        private readonly ConcurrentBag<byte[]> _bag = new ConcurrentBag<byte[]>();

        public ConcurrentBagBlockPool(int blockSize, int blockCount)
        {
            for (int i = 0; i < blockCount; i++)
            {
                _bag.Add(new byte[blockSize]);
            }
        }

        public bool TryAlloc(out byte[] block)
        {
            return _bag.TryTake(out block);
        }

        public void Free(byte[] block)
        {
            if (block == null)
            {
                throw new ArgumentNullException(nameof(block));
            }

            _bag.Add(block);
        }
    }
}
