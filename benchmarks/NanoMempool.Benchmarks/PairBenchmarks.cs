// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Buffers;
using BenchmarkDotNet.Attributes;
using NanoMempool.Benchmarks.Baselines;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// One thread: take one block and give it back, per operation. The pool holds <see cref="PoolBlocks"/>
    /// blocks, so every take succeeds; ArrayPool.Shared is the baseline (Ratio column).
    /// </summary>
    public class PairBenchmarks
    {
        /// <summary>Blocks in each fixed pool.</summary>
        public const int PoolBlocks = 16;

        private BlockPool _pool;
        private LockBlockPool _lockPool;
        private ConcurrentBagBlockPool _bagPool;

        [Params(64, 512, 4096)]
        public int BlockSize { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _pool = new BlockPool(BlockSize, PoolBlocks);
            _lockPool = new LockBlockPool(BlockSize, PoolBlocks);
            _bagPool = new ConcurrentBagBlockPool(BlockSize, PoolBlocks);
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _pool.Dispose();
        }

        [Benchmark(Description = "NanoMempool TryAlloc+Free")]
        public byte[] NanoMempoolPair()
        {
            Block block;
            if (!_pool.TryAlloc(out block))
            {
                throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
            }

            _pool.Free(block);
            return block.Buffer;
        }

        [Benchmark(Baseline = true, Description = "ArrayPool.Shared Rent+Return")]
        public byte[] ArrayPoolPair()
        {
            byte[] array = ArrayPool<byte>.Shared.Rent(BlockSize);
            ArrayPool<byte>.Shared.Return(array);
            return array;
        }

        [Benchmark(Description = "new byte[n]")]
        public byte[] NewArray()
        {
            return new byte[BlockSize];
        }

        [Benchmark(Description = "ConcurrentBag pool TryAlloc+Free")]
        public byte[] ConcurrentBagPair()
        {
            byte[] block;
            if (!_bagPool.TryAlloc(out block))
            {
                throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
            }

            _bagPool.Free(block);
            return block;
        }

        [Benchmark(Description = "lock pool TryAlloc+Free")]
        public byte[] LockPair()
        {
            byte[] block;
            if (!_lockPool.TryAlloc(out block))
            {
                throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
            }

            _lockPool.Free(block);
            return block;
        }
    }
}
