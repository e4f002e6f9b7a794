// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using BenchmarkDotNet.Attributes;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// The cost of each opt-in diagnostic on one TryAlloc+Free pair, against the same pair with every
    /// option off (the baseline): owner tracking (a clock read per allocation, plus the holder's tag), handler
    /// reserve, and poisoning (a fill on free and a check on allocation, O(block size)).
    /// </summary>
    public class DiagnosticsBenchmarks
    {
        private const int PoolBlocks = 16;
        private const int SomeTag = 3;

        private BlockPool _plain;
        private BlockPool _tracked;
        private BlockPool _reserve;
        private BlockPool _poisoned;

        [Params(64, 512, 4096)]
        public int BlockSize { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _plain = new BlockPool(BlockSize, PoolBlocks);

            BlockPoolOptions tracking = new BlockPoolOptions();
            tracking.OwnerTracking = true;
            _tracked = new BlockPool(BlockSize, PoolBlocks, tracking);

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
            return Pair(_plain, false);
        }

        [Benchmark(Description = "owner tracking, tag set")]
        public byte[] Tracked()
        {
            return Pair(_tracked, true);
        }

        [Benchmark(Description = "handler reserve 4")]
        public byte[] Reserve()
        {
            return Pair(_reserve, false);
        }

        [Benchmark(Description = "poisoning")]
        public byte[] Poisoned()
        {
            return Pair(_poisoned, false);
        }

        private static byte[] Pair(BlockPool pool, bool tag)
        {
            Block block;
            if (!pool.TryAlloc(out block))
            {
                throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
            }

            if (tag)
            {
                block.OwnerTag = SomeTag;
            }

            pool.Free(block);
            return block.Buffer;
        }
    }
}
