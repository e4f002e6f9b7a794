// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.StressTests
{
    /// <summary>
    /// The reads the protocol needs to happen really happen on host .NET (x64 here; the same code on ARM64): a
    /// snapshot member read in a tight loop by one thread while others allocate and free stays within its bounds.
    /// FreeCount rests on two reads of the pool's word around a link read; if the optimising JIT merged the two
    /// word reads into one load (as it did before they were made fenced), a link read after its block was popped
    /// (negative: depth 0xFFFF) would be returned as the free count. The counters must never decrease as seen by
    /// one reader. The loops run long enough for the JIT's tier-1 code (on-stack replacement included) to run.
    /// </summary>
    public sealed class SnapshotReadTests
    {
        private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

        private readonly ITestOutputHelper _output;

        public SnapshotReadTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void FreeCount_UnderLoad_StaysWithinZeroAndCapacity()
        {
            BlockPool pool = new BlockPool(8, 2);
            int stop = 0;
            Thread[] workers = StartWorkers(pool, () => Volatile.Read(ref stop) != 0);
            long reads = 0;
            int lowest = int.MaxValue;
            int highest = int.MinValue;
            Stopwatch clock = Stopwatch.StartNew();
            while (clock.Elapsed < Duration)
            {
                int free = ReadFreeCount(pool, 4096, ref lowest, ref highest);
                reads += 4096;
                Assert.True(free >= 0 && free <= 2, "FreeCount read " + free + " on a 2-block pool");
            }

            Volatile.Write(ref stop, 1);
            JoinAll(workers);
            _output.WriteLine(reads + " reads, lowest " + lowest + ", highest " + highest);
            Assert.True(lowest >= 0 && highest <= 2, "FreeCount ranged " + lowest + " to " + highest + " on a 2-block pool");
            Assert.Equal(2, pool.FreeCount);
        }

        [Fact]
        public void Counters_UnderLoad_NeverDecreaseForOneReader()
        {
            BlockPool pool = new BlockPool(8, 2);
            int stop = 0;
            Thread[] workers = StartWorkers(pool, () => Volatile.Read(ref stop) != 0);
            long previousAllocations = 0;
            long previousFrees = 0;
            long previousFailed = 0;
            long reads = 0;
            Stopwatch clock = Stopwatch.StartNew();
            while (clock.Elapsed < Duration)
            {
                long allocations = pool.Statistics.Allocations;
                long frees = pool.Statistics.Frees;
                long failed = pool.Statistics.FailedTryAllocs;
                Assert.True(allocations >= previousAllocations, "Allocations went from " + previousAllocations + " to " + allocations);
                Assert.True(frees >= previousFrees, "Frees went from " + previousFrees + " to " + frees);
                Assert.True(failed >= previousFailed, "FailedTryAllocs went from " + previousFailed + " to " + failed);
                previousAllocations = allocations;
                previousFrees = frees;
                previousFailed = failed;
                reads++;
            }

            Volatile.Write(ref stop, 1);
            JoinAll(workers);
            _output.WriteLine(reads + " reads; allocations " + previousAllocations + ", frees " + previousFrees);
            Assert.Equal(pool.Statistics.Allocations, pool.Statistics.Frees);
        }

        /// <summary>The read loop, in a method of its own so that the JIT compiles it as it would a user's.</summary>
        private static int ReadFreeCount(BlockPool pool, int count, ref int lowest, ref int highest)
        {
            int free = 0;
            for (int i = 0; i < count; i++)
            {
                free = pool.FreeCount;
                if (free < lowest)
                {
                    lowest = free;
                }

                if (free > highest)
                {
                    highest = free;
                }

                if (free < 0 || free > 2)
                {
                    return free;
                }
            }

            return free;
        }

        /// <summary>Two threads that take and free blocks (TryAlloc and Free) until told to stop.</summary>
        private static Thread[] StartWorkers(BlockPool pool, Func<bool> stopped)
        {
            Thread[] workers = new Thread[2];
            for (int t = 0; t < workers.Length; t++)
            {
                workers[t] = new Thread(() =>
                {
                    while (!stopped())
                    {
                        Block block;
                        if (pool.TryAlloc(out block))
                        {
                            pool.Free(block);
                        }
                    }
                });
                workers[t].Start();
            }

            return workers;
        }

        private static void JoinAll(Thread[] threads)
        {
            foreach (Thread thread in threads)
            {
                Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "a worker did not stop");
            }
        }
    }
}
