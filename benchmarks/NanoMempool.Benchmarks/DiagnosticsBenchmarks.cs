// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using BenchmarkDotNet.Attributes;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// The cost of each opt-in diagnostic on one TryAlloc+Free pair, against the same pair with every
    /// option off (the baseline): owner tag (reads the clock), health marks (plain reads; no event fires
    /// here), handler reserve, and poisoning (a fill on free and a check on allocation, O(block size)).
    /// </summary>
    public class DiagnosticsBenchmarks
    {
        private const int PoolBlocks = 16;
        private const int SomeTag = 3;

        private BlockPool _plain;
        private BlockPool _health;
        private BlockPool _reserve;
        private BlockPool _poisoned;

        [Params(64, 512, 4096)]
        public int BlockSize { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _plain = new BlockPool(BlockSize, PoolBlocks);

            BlockPoolOptions health = new BlockPoolOptions();
            health.LowWaterMark = 2;
            health.RecoveredMark = 8;
            _health = new BlockPool(BlockSize, PoolBlocks, health);

            BlockPoolOptions reserve = new BlockPoolOptions();
            reserve.HandlerReserve = 4;
            _reserve = new BlockPool(BlockSize, PoolBlocks, reserve);

            BlockPoolOptions poison = new BlockPoolOptions();
            poison.Poisoning = true;
            _poisoned = new BlockPool(BlockSize, PoolBlocks, poison);
        }

        [Benchmark(Baseline = true, Description = "all options off")]
        public byte[] Plain()
        {
            return Pair(_plain, BlockPool.NoOwner);
        }

        [Benchmark(Description = "owner tag (clock read)")]
        public byte[] Tagged()
        {
            return Pair(_plain, SomeTag);
        }

        [Benchmark(Description = "health marks on")]
        public byte[] Health()
        {
            return Pair(_health, BlockPool.NoOwner);
        }

        [Benchmark(Description = "handler reserve 4")]
        public byte[] Reserve()
        {
            return Pair(_reserve, BlockPool.NoOwner);
        }

        [Benchmark(Description = "poisoning")]
        public byte[] Poisoned()
        {
            return Pair(_poisoned, BlockPool.NoOwner);
        }

        private static byte[] Pair(BlockPool pool, int tag)
        {
            Block block;
            if (!pool.TryAlloc(out block, tag))
            {
                throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
            }

            pool.Free(block);
            return block.Buffer;
        }
    }
}
