// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Xunit;

namespace NanoMempool.HostTests
{
    /// <summary>
    /// A moderate multi-thread smoke test on real parallel threads: every way to take and give back a block,
    /// at once, on a pool smaller than the number of threads. Each taken block is stamped and checked (sole
    /// ownership), and afterwards every count is exact. The heavy 10^7-operation stress with an ownership
    /// ledger lives in another project; this one stays around a second.
    /// </summary>
    public class MultiThreadSmokeTests
    {
        private const int Threads = 4;
        private const int OperationsPerThread = 20_000;

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void MixedOperations_FourThreads_OwnershipHoldsAndCountsAreExact(int blockCount)
        {
            BlockPool pool = new BlockPool(16, blockCount);
            Worker[] workers = new Worker[Threads];
            for (int i = 0; i < Threads; i++)
            {
                workers[i] = new Worker(pool, i);
            }

            foreach (Worker worker in workers)
            {
                worker.Start();
            }

            long taken = 0;
            long timedOut = 0;
            long failedTries = 0;
            foreach (Worker worker in workers)
            {
                Assert.True(worker.Join(30_000), "a worker did not finish (a lost block would leave Alloc() waiting)");
                Assert.Null(worker.Error);
                taken += worker.Taken;
                timedOut += worker.TimedOut;
                failedTries += worker.FailedTries;
            }

            Assert.Equal(Threads * (long)OperationsPerThread, taken + timedOut + failedTries);
            Assert.Equal(taken, pool.Statistics.Allocations);
            Assert.Equal(taken, pool.Statistics.Frees);
            Assert.Equal(timedOut, pool.Statistics.Timeouts);
            Assert.Equal(failedTries, pool.Statistics.FailedTryAllocs);
            Assert.Equal(blockCount, pool.Capacity);
            Assert.Equal(blockCount, pool.FreeCount);
            PoolAssert.Valid(pool);
        }

        private sealed class Worker
        {
            internal Exception Error;
            internal long Taken;
            internal long TimedOut;
            internal long FailedTries;
            private readonly BlockPool _pool;
            private readonly int _id;
            private readonly Thread _thread;

            internal Worker(BlockPool pool, int id)
            {
                _pool = pool;
                _id = id;
                _thread = new Thread(Run) { IsBackground = true };
            }

            internal void Start()
            {
                _thread.Start();
            }

            internal bool Join(int milliseconds)
            {
                return _thread.Join(milliseconds);
            }

            private void Run()
            {
                try
                {
                    byte stamp = (byte)(_id + 1);
                    for (int i = 0; i < OperationsPerThread; i++)
                    {
                        Block block = null;
                        switch ((i + _id) % 5)
                        {
                            case 0:
                                if (!_pool.TryAlloc(out block))
                                {
                                    FailedTries++;
                                }

                                break;
                            case 1:
                                block = _pool.Alloc(0);
                                break;
                            case 2:
                                block = _pool.Alloc(1);
                                break;
                            case 3:
                                block = _pool.Alloc(50);
                                break;
                            default:
                                block = _pool.Alloc();
                                break;
                        }

                        if (block == null)
                        {
                            if ((i + _id) % 5 != 0)
                            {
                                TimedOut++;
                            }

                            continue;
                        }

                        Taken++;
                        Array.Fill(block.Buffer, stamp);
                        if ((i & 7) == 0)
                        {
                            Thread.Yield();
                        }

                        for (int k = 0; k < block.Buffer.Length; k++)
                        {
                            if (block.Buffer[k] != stamp)
                            {
                                throw new InvalidOperationException("block " + block.Index + " was written by another holder");
                            }
                        }

                        if ((i & 1) == 0)
                        {
                            _pool.Free(block);
                        }
                        else
                        {
                            block.Dispose();
                        }
                    }
                }
                catch (Exception e)
                {
                    Error = e;
                }
            }
        }
    }
}
