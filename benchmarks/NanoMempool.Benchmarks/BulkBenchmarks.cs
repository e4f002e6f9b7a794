// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using BenchmarkDotNet.Attributes;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// Four blocks at once: the non-blocking bulk TryAlloc(into, 4) + Free(into, 4) (one pop CAS for the chain),
    /// the blocking bulk Alloc(into, 4, 0) when the set is free (the same take, plus argument checks), against
    /// four single TryAlloc + Free pairs (the baseline).
    /// </summary>
    public class BulkBenchmarks
    {
        private const int PoolBlocks = 16;
        private const int SetSize = 4;

        private readonly Block[] _set = new Block[SetSize];
        private BlockPool _pool;

        [Params(64, 512, 4096)]
        public int BlockSize { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _pool = new BlockPool(BlockSize, PoolBlocks);
        }

        [Benchmark(Baseline = true, Description = "4 x (TryAlloc + Free)")]
        public Block Singles()
        {
            for (int i = 0; i < SetSize; i++)
            {
                if (!_pool.TryAlloc(out _set[i]))
                {
                    throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
                }
            }

            for (int i = 0; i < SetSize; i++)
            {
                _pool.Free(_set[i]);
            }

            return _set[0];
        }

        [Benchmark(Description = "TryAlloc(into, 4) + Free(into, 4)")]
        public Block BulkTryAlloc()
        {
            if (!_pool.TryAlloc(_set, SetSize))
            {
                throw new InvalidOperationException("Bulk TryAlloc failed on a pool with free blocks.");
            }

            _pool.Free(_set, SetSize);
            return _set[0];
        }

        [Benchmark(Description = "Alloc(into, 4, 0) + Free(into, 4)")]
        public Block BulkAlloc()
        {
            if (!_pool.Alloc(_set, SetSize, 0))
            {
                throw new InvalidOperationException("Bulk Alloc failed on a pool with free blocks.");
            }

            _pool.Free(_set, SetSize);
            return _set[0];
        }
    }
}
