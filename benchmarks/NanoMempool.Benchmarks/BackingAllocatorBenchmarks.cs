// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using BenchmarkDotNet.Attributes;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// What a backing allocator (ManagedHeapAllocator) costs. The handler pair TryAlloc + Free on a pool with an
    /// allocator (the reserve stays at its size, so no trim: it should cost what the fixed pool's pair does), and
    /// the thread pair Alloc(0) + Free, which with an allocator takes a new buffer from the heap (allocator first,
    /// the kernel's order) and gives it back on Free because the reserve is full (push, trim pop, live-count CAS).
    /// The fixed pool's pairs are the baselines to compare with; allocated bytes per op show the heap buffer.
    /// </summary>
    public class BackingAllocatorBenchmarks
    {
        private const int Reserve = 16;

        private BlockPool _fixed;
        private BlockPool _backed;

        [Params(64, 512, 4096)]
        public int BlockSize { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _fixed = new BlockPool(BlockSize, Reserve);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = new ManagedHeapAllocator();
            _backed = new BlockPool(BlockSize, Reserve, options);
        }

        [Benchmark(Baseline = true, Description = "fixed: TryAlloc + Free")]
        public byte[] FixedHandlerPair()
        {
            return HandlerPair(_fixed);
        }

        [Benchmark(Description = "with allocator: TryAlloc + Free")]
        public byte[] BackedHandlerPair()
        {
            return HandlerPair(_backed);
        }

        [Benchmark(Description = "fixed: Alloc(0) + Free")]
        public byte[] FixedThreadPair()
        {
            return ThreadPair(_fixed);
        }

        [Benchmark(Description = "with allocator: Alloc(0) + Free (heap buffer, given back)")]
        public byte[] BackedThreadPair()
        {
            return ThreadPair(_backed);
        }

        private static byte[] HandlerPair(BlockPool pool)
        {
            Block block;
            if (!pool.TryAlloc(out block))
            {
                throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
            }

            pool.Free(block);
            return block.Buffer;
        }

        private static byte[] ThreadPair(BlockPool pool)
        {
            Block block = pool.Alloc(0);
            if (block == null)
            {
                throw new InvalidOperationException("Alloc(0) failed.");
            }

            byte[] buffer = block.Buffer;
            pool.Free(block);
            return buffer;
        }
    }
}
