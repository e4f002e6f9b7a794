// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Buffers;
using BenchmarkDotNet.Attributes;
using NanoMempool.Benchmarks.Baselines;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// Two threads at once on one shared pool: each does <see cref="PairsPerThread"/> take+give-back pairs.
    /// The time per operation is the wall time divided by <see cref="PairsPerThread"/>, i.e. the time one
    /// pair takes on one thread while the other thread hammers the same pool. The pool has
    /// <see cref="PoolBlocks"/> blocks, enough for both, so a take never fails.
    /// </summary>
    public class ContendedPairBenchmarks
    {
        public const int PairsPerThread = 10000;
        public const int PoolBlocks = 16;

        private BlockPool _pool;
        private LockBlockPool _lockPool;
        private ConcurrentBagBlockPool _bagPool;
        private TwoThreadRunner _runner;
        private Action _nano;
        private Action _arrayPool;
        private Action _newArray;
        private Action _bag;
        private Action _lock;

        [Params(64, 512, 4096)]
        public int BlockSize { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _pool = new BlockPool(BlockSize, PoolBlocks);
            _lockPool = new LockBlockPool(BlockSize, PoolBlocks);
            _bagPool = new ConcurrentBagBlockPool(BlockSize, PoolBlocks);
            _runner = new TwoThreadRunner();
            _nano = NanoLoop;
            _arrayPool = ArrayPoolLoop;
            _newArray = NewArrayLoop;
            _bag = BagLoop;
            _lock = LockLoop;
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _runner.Dispose();
            _pool.Dispose();
        }

        [Benchmark(OperationsPerInvoke = PairsPerThread, Description = "NanoMempool TryAlloc+Free, 2 threads")]
        public void NanoMempoolPair()
        {
            _runner.Run(_nano, _nano);
        }

        [Benchmark(OperationsPerInvoke = PairsPerThread, Baseline = true, Description = "ArrayPool.Shared Rent+Return, 2 threads")]
        public void ArrayPoolPair()
        {
            _runner.Run(_arrayPool, _arrayPool);
        }

        [Benchmark(OperationsPerInvoke = PairsPerThread, Description = "new byte[n], 2 threads")]
        public void NewArray()
        {
            _runner.Run(_newArray, _newArray);
        }

        [Benchmark(OperationsPerInvoke = PairsPerThread, Description = "ConcurrentBag pool TryAlloc+Free, 2 threads")]
        public void ConcurrentBagPair()
        {
            _runner.Run(_bag, _bag);
        }

        [Benchmark(OperationsPerInvoke = PairsPerThread, Description = "lock pool TryAlloc+Free, 2 threads")]
        public void LockPair()
        {
            _runner.Run(_lock, _lock);
        }

        private void NanoLoop()
        {
            BlockPool pool = _pool;
            for (int i = 0; i < PairsPerThread; i++)
            {
                Block block;
                if (!pool.TryAlloc(out block))
                {
                    throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
                }

                pool.Free(block);
            }
        }

        private void ArrayPoolLoop()
        {
            ArrayPool<byte> pool = ArrayPool<byte>.Shared;
            int size = BlockSize;
            for (int i = 0; i < PairsPerThread; i++)
            {
                pool.Return(pool.Rent(size));
            }
        }

        private void NewArrayLoop()
        {
            int size = BlockSize;
            byte[] last = null;
            for (int i = 0; i < PairsPerThread; i++)
            {
                last = new byte[size];
            }

            GC.KeepAlive(last);
        }

        private void BagLoop()
        {
            ConcurrentBagBlockPool pool = _bagPool;
            for (int i = 0; i < PairsPerThread; i++)
            {
                byte[] block;
                if (!pool.TryAlloc(out block))
                {
                    throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
                }

                pool.Free(block);
            }
        }

        private void LockLoop()
        {
            LockBlockPool pool = _lockPool;
            for (int i = 0; i < PairsPerThread; i++)
            {
                byte[] block;
                if (!pool.TryAlloc(out block))
                {
                    throw new InvalidOperationException("TryAlloc failed on a pool with free blocks.");
                }

                pool.Free(block);
            }
        }
    }
}
