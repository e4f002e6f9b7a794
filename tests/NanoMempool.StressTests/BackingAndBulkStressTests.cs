// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.StressTests
{
    /// <summary>
    /// The blocking bulk Alloc and the backing allocator under real threads: 4 threads mix single and bulk
    /// TryAlloc/Alloc/Free against a pool whose reserve sits behind a small, often-exhausted allocator, while
    /// thread 1 resizes the reserve. Checked by the ownership ledger, the allocator's own count (its
    /// outstanding buffers must equal the pool's live blocks at the end) and the exact end audit.
    /// </summary>
    public sealed class BackingAndBulkStressTests
    {
        private const int Threads = 4;
        private const long FixedPoolOperationsPerThread = 200_000;
        private const int AllocatorBudget = 10;
        private const int MaxBlocks = 64;
        private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(120);

        private readonly ITestOutputHelper _output;

        public BackingAndBulkStressTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// 1.6 x 10^7 operations (4 x 10^6 per thread). Each thread holds at most 4 blocks and makes untimed calls (Alloc(), bulk
        /// Alloc of 2) only while holding none, so the workload cannot deadlock by itself: the watchdog turns
        /// a pool deadlock or lost wake-up into a failure. The allocator hands out at most 10 buffers at once,
        /// so threads keep falling back to the reserve and waiting, with 1 ms retry slices.
        /// </summary>
        [Fact]
        public void Threads_BulkAndSingle_WithABackingAllocator()
        {
            BudgetAllocator allocator = new BudgetAllocator(AllocatorBudget);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.BackingRetryMilliseconds = 1;
            BlockPool pool = new BlockPool(16, 4, options);
            BlockPoolStatistics s = RunThreads(pool, "backing+bulk", 4_000_000, 4, true);
            Assert.True(s.BackingFailures > 0, "the allocator never ran out: the fallback was not exercised");
            Assert.True(s.BackingReleases > 0, "no block ever went back to the allocator");
            Assert.Equal(allocator.Outstanding, pool.Capacity);
            Assert.Equal(s.BackingAllocations - s.BackingReleases, (long)pool.Capacity);
        }

        /// <summary>
        /// The same workload on a fixed pool (no allocator): bulk and single waiters share the pool. Fewer
        /// operations: without the allocator most allocations of 4 threads on 3 to 6 blocks are millisecond
        /// waits.
        /// </summary>
        [Fact]
        public void Threads_BulkAndSingle_FixedPool()
        {
            BlockPool pool = new BlockPool(16, 6);
            BlockPoolStatistics s = RunThreads(pool, "bulk, fixed pool", FixedPoolOperationsPerThread, 6, false);
            Assert.Equal(0L, s.BackingAllocations);
        }

        /// <summary>
        /// Runs the workload on 4 threads and audits the pool: <paramref name="initial"/> is its block count (the
        /// reserve's size with an allocator), which thread 1's Resize calls replace.
        /// </summary>
        private BlockPoolStatistics RunThreads(BlockPool pool, string name, long operationsPerThread, int initial, bool backing)
        {
            OwnershipLedger ledger = new OwnershipLedger(MaxBlocks);
            Counts[] counts = new Counts[Threads];
            Counts total = StressThreads.Run(
                counts, (id, mine) => Run(pool, ledger, id, mine, id == 1, operationsPerThread), Watchdog, () => "live " + pool.Capacity + ", free " + pool.FreeCount + ", ledger held " + ledger.HeldCount(), out Stopwatch watch);

            BlockPoolStatistics s = pool.Statistics;
            string line = "stress " + name + ": " + watch.Elapsed.TotalSeconds.ToString("F1") + " s, " + total
                + "; pool: waits " + s.Waits + ", allocator buffers " + s.BackingAllocations + " / given back " + s.BackingReleases
                + " / refusals " + s.BackingFailures + ", live " + pool.Capacity + ", reserve " + pool.ReserveSize;
            _output.WriteLine(line);
            Console.WriteLine(line);

            Assert.True(s.Waits > 0, "nothing ever waited");
            Assert.True(pool.FreeCount <= pool.ReserveSize, "the reserve is over its size (I7)");
            int target = counts[0].LastResize != 0 ? counts[0].LastResize : initial;
            if (backing)
            {
                Audit.AllHomeWithReserve(pool, ledger, total, target);
            }
            else
            {
                Audit.AllHomeAndCounted(pool, ledger, total, target);
            }

            return s;
        }

        private static void Run(BlockPool pool, OwnershipLedger ledger, int id, Counts c, bool resizer, long operations)
        {
            Random random = new Random(id * 104729);
            Block[] held = new Block[4];
            Block[] pair = new Block[2];
            int heldCount = 0;
            for (long op = 0; op < operations; op++)
            {
                c.Operations++;
                if (resizer && (op & 4095) == 4095)
                {
                    int target = 3 + random.Next(4);
                    pool.Resize(target);
                    c.Resizes++;
                    c.LastResize = target;
                    continue;
                }

                int r = random.Next(100);
                if (heldCount == 4 || (heldCount > 0 && r >= 55))
                {
                    if (heldCount >= 2 && r >= 80)
                    {
                        pair[0] = held[--heldCount];
                        pair[1] = held[--heldCount];
                        ledger.Release(pair[0], id);
                        ledger.Release(pair[1], id);
                        pool.Free(pair, 2);
                        c.Frees += 2;
                    }
                    else
                    {
                        Block block = held[--heldCount];
                        ledger.Release(block, id);
                        pool.Free(block);
                        c.Frees++;
                    }

                    continue;
                }

                int got = 0;
                if (r < 20)
                {
                    Block block;
                    if (pool.TryAlloc(out block))
                    {
                        pair[0] = block;
                        got = 1;
                    }
                    else
                    {
                        c.FailedTryAllocs++;
                    }
                }
                else if (r < 30 && heldCount <= 2)
                {
                    if (pool.TryAlloc(pair, 2))
                    {
                        got = 2;
                    }
                    else
                    {
                        c.FailedTryAllocs++;
                    }
                }
                else if (r < 42 && heldCount <= 2)
                {
                    int timeout = heldCount == 0 && r < 34 ? Timeout.Infinite : r < 38 ? 0 : 2;
                    if (timeout != 0)
                    {
                        c.WaitingCalls++;
                    }

                    pair[0] = null;
                    pair[1] = null;
                    if (pool.Alloc(pair, 2, timeout))
                    {
                        got = 2;
                    }
                    else
                    {
                        Assert.True(timeout != Timeout.Infinite, "bulk Alloc() returned false");
                        Assert.True(pair[0] == null && pair[1] == null, "a failed bulk Alloc wrote into its array");
                        c.Timeouts++;
                        if (timeout > 0)
                        {
                            c.TimedOutWaits++;
                        }
                    }
                }
                else
                {
                    int timeout = heldCount == 0 && r < 48 ? Timeout.Infinite : r < 50 ? 0 : 1;
                    if (timeout != 0)
                    {
                        c.WaitingCalls++;
                    }

                    Block block = timeout == Timeout.Infinite ? pool.Alloc() : pool.Alloc(timeout);
                    if (block != null)
                    {
                        pair[0] = block;
                        got = 1;
                    }
                    else
                    {
                        Assert.True(timeout != Timeout.Infinite, "Alloc() returned null");
                        c.Timeouts++;
                        if (timeout > 0)
                        {
                            c.TimedOutWaits++;
                        }
                    }
                }

                for (int i = 0; i < got; i++)
                {
                    ledger.Acquire(pair[i], id);
                    c.Allocations++;
                    held[heldCount++] = pair[i];
                    pair[i] = null;
                }
            }

            while (heldCount > 0)
            {
                Block block = held[--heldCount];
                ledger.Release(block, id);
                pool.Free(block);
                c.Frees++;
            }
        }

        /// <summary>An allocator with at most a fixed number of buffers out at once; interlocked counts.</summary>
        private sealed class BudgetAllocator : IBlockAllocator
        {
            private readonly int _budget;
            private int _outstanding;

            internal BudgetAllocator(int budget)
            {
                _budget = budget;
            }

            internal int Outstanding => Volatile.Read(ref _outstanding);

            public byte[] Allocate(int blockSize)
            {
                while (true)
                {
                    int now = Volatile.Read(ref _outstanding);
                    if (now >= _budget)
                    {
                        return null;
                    }

                    if (Interlocked.CompareExchange(ref _outstanding, now + 1, now) == now)
                    {
                        return new byte[blockSize];
                    }
                }
            }

            public void Release(byte[] buffer)
            {
                Assert.NotNull(buffer);
                Interlocked.Decrement(ref _outstanding);
            }
        }
    }
}
