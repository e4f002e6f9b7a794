// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Xunit;

namespace NanoMempool.HostTests
{
    /// <summary>
    /// The pool allocates no managed memory after construction: TryAlloc/Free, Alloc(0), the statistics and
    /// a blocking hand-off, each measured with GC.GetAllocatedBytesForCurrentThread after a warm-up (JIT
    /// tiering, first-use statics and the waiter records are allowed to allocate before the measurement).
    /// </summary>
    public class AllocationFreeTests
    {
        private const int WarmUp = 2_000;
        private const int Pairs = 100_000;

        /// <summary>
        /// Runs <paramref name="calls"/> WarmUp times, then Pairs times, and returns the bytes this thread
        /// allocated during the second run (the delegate is made before, by the caller).
        /// </summary>
        private static long AllocatedAfterWarmUp(Action<int> calls)
        {
            calls(WarmUp);
            long before = GC.GetAllocatedBytesForCurrentThread();
            calls(Pairs);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        [Fact]
        public void TryAllocFree_100000PairsAfterWarmUp_AllocateZeroBytes()
        {
            BlockPool pool = new BlockPool(32, 4);
            long allocated = AllocatedAfterWarmUp(n => TryAllocFreePairs(pool, n));

            Assert.Equal(0, allocated);
            Assert.Equal(WarmUp + Pairs, pool.Statistics.Allocations);
            PoolAssert.Valid(pool);
        }

        [Fact]
        public void FailedTryAlloc_100000CallsAfterWarmUp_AllocateZeroBytes()
        {
            BlockPool pool = new BlockPool(32, 1);
            Assert.True(pool.TryAlloc(out Block held));
            long allocated = AllocatedAfterWarmUp(n => FailedTryAllocs(pool, n));

            Assert.Equal(0, allocated);
            Assert.Equal(WarmUp + Pairs, pool.Statistics.FailedTryAllocs);
            pool.Free(held);
        }

        [Fact]
        public void AllocZeroFree_100000PairsAfterWarmUp_AllocateZeroBytes()
        {
            BlockPool pool = new BlockPool(32, 4);
            long allocated = AllocatedAfterWarmUp(n => AllocZeroFreePairs(pool, n));

            Assert.Equal(0, allocated);
            Assert.Equal(WarmUp + Pairs, pool.Statistics.Allocations);
            PoolAssert.Valid(pool);
        }

        [Fact]
        public void AllocZeroOnEmptyPool_100000PollsAfterWarmUp_AllocateZeroBytes()
        {
            BlockPool pool = new BlockPool(32, 1);
            Block held = pool.Alloc(0);
            long allocated = AllocatedAfterWarmUp(n => FailedPolls(pool, n));

            Assert.Equal(0, allocated);
            Assert.Equal(WarmUp + Pairs, pool.Statistics.Timeouts);
            pool.Free(held);
        }

        [Fact]
        public void StatisticsAndCounts_ReadAfterWarmUp_AllocateZeroBytes()
        {
            BlockPool pool = new BlockPool(32, 8);
            Block held = pool.Alloc(0);
            long sink = ReadEverything(pool);

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                sink += ReadEverything(pool);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.NotEqual(0, sink);
            pool.Free(held);
        }

        /// <summary>
        /// A thread blocks in Alloc, the test thread frees a block, the block is handed to the sleeping
        /// thread; the block then travels back to the test thread by a plain field. Only the waiting
        /// thread's Alloc calls are measured, each one proven to have gone to sleep first.
        /// </summary>
        [Fact]
        public void BlockingHandOff_RoundTripsAfterWarmUp_AllocateZeroBytesOnTheWaitingThread()
        {
            const int warmUpRounds = 200;
            const int rounds = 2_000;
            BlockPool pool = new BlockPool(32, 1);
            HandOffWaiter waiter = new HandOffWaiter(pool, warmUpRounds, rounds);
            Block held = pool.Alloc(0);
            waiter.Start();

            for (int round = 0; round < warmUpRounds + rounds; round++)
            {
                waiter.UntilAsleepInAlloc(round + 1);
                pool.Free(held);
                Assert.True(waiter.Returned.WaitOne(5_000), "round " + round + ": the waiter did not get the block");
                Assert.Null(waiter.Error);
                held = waiter.TakeBlock();
            }

            Assert.True(waiter.Join(5_000));
            Assert.Null(waiter.Error);
            Assert.Equal(0, waiter.MeasuredBytes);
            Assert.Equal(warmUpRounds + rounds, pool.Statistics.Waits);
            Assert.Equal(0, pool.Statistics.Timeouts);
            pool.Free(held);
            PoolAssert.Valid(pool);
        }

        private static void TryAllocFreePairs(BlockPool pool, int pairs)
        {
            for (int i = 0; i < pairs; i++)
            {
                if (!pool.TryAlloc(out Block block))
                {
                    throw new InvalidOperationException("TryAlloc failed on a pool with free blocks");
                }

                pool.Free(block);
            }
        }

        private static void FailedTryAllocs(BlockPool pool, int calls)
        {
            for (int i = 0; i < calls; i++)
            {
                if (pool.TryAlloc(out Block block))
                {
                    throw new InvalidOperationException("TryAlloc succeeded on an empty pool");
                }
            }
        }

        private static void AllocZeroFreePairs(BlockPool pool, int pairs)
        {
            for (int i = 0; i < pairs; i++)
            {
                Block block = pool.Alloc(0) ?? throw new InvalidOperationException("Alloc(0) failed on a pool with free blocks");
                pool.Free(block);
            }
        }

        private static void FailedPolls(BlockPool pool, int calls)
        {
            for (int i = 0; i < calls; i++)
            {
                if (pool.Alloc(0) != null)
                {
                    throw new InvalidOperationException("Alloc(0) succeeded on an empty pool");
                }
            }
        }

        private static long ReadEverything(BlockPool pool)
        {
            BlockPoolStatistics s = pool.Statistics;
            return pool.Capacity + pool.FreeCount + (pool.FreeCount == pool.Capacity ? 1 : 0) + (pool.IsDisposed ? 1 : 0)
                + s.Allocations + s.Frees + s.FailedTryAllocs + s.Waits + s.Timeouts + s.PeakInUse + s.LowestFreeCount;
        }

        private sealed class HandOffWaiter
        {
            internal readonly AutoResetEvent Returned = new AutoResetEvent(false);
            internal Exception Error;
            internal long MeasuredBytes;
            private readonly BlockPool _pool;
            private readonly int _warmUpRounds;
            private readonly int _rounds;
            private readonly Thread _thread;
            private Block _block;

            internal HandOffWaiter(BlockPool pool, int warmUpRounds, int rounds)
            {
                _pool = pool;
                _warmUpRounds = warmUpRounds;
                _rounds = rounds;
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

            internal Block TakeBlock()
            {
                return Interlocked.Exchange(ref _block, null);
            }

            /// <summary>Returns once the pool counted the round's wait and the thread is blocked.</summary>
            internal void UntilAsleepInAlloc(long waits)
            {
                DateTime deadline = DateTime.UtcNow.AddSeconds(5);
                while (_pool.Statistics.Waits < waits || (_thread.ThreadState & ThreadState.WaitSleepJoin) == 0)
                {
                    Assert.Null(Error);
                    Assert.True(DateTime.UtcNow < deadline, "the waiter did not go to sleep in Alloc (waits " + _pool.Statistics.Waits + ")");
                    Thread.Yield();
                }
            }

            private void Run()
            {
                try
                {
                    for (int round = 0; round < _warmUpRounds + _rounds; round++)
                    {
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        Block block = _pool.Alloc(5_000);
                        long after = GC.GetAllocatedBytesForCurrentThread();
                        if (round >= _warmUpRounds)
                        {
                            MeasuredBytes += after - before;
                        }

                        if (block == null)
                        {
                            throw new InvalidOperationException("round " + round + ": Alloc timed out");
                        }

                        Interlocked.Exchange(ref _block, block);
                        Returned.Set();
                    }
                }
                catch (Exception e)
                {
                    Error = e;
                    Returned.Set();
                }
            }
        }
    }
}
