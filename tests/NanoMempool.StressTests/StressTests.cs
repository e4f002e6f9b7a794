// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.StressTests
{
    /// <summary>
    /// Real threads and timers hammering one pool, checked by an independent ownership ledger and an exact
    /// audit at the end. Complements the Coyote tests (few operations, every interleaving explored) with
    /// many operations under real preemption and real memory ordering.
    /// </summary>
    public sealed class StressTests
    {
        private const int Threads = 4;
        private const long OperationsPerThread = 10_000_000; // 4 x 10^7 operations in total (>= 10^7 asked)
        private const long TrackedOperationsPerThread = 1_000_000;
        private const int InitialBlocks = 4;
        private const int MaxResize = 8;
        private const int MaxBlocks = 64;
        private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("NANOMEMPOOL_STRESS_WATCHDOG") == null ? 120 : int.Parse(Environment.GetEnvironmentVariable("NANOMEMPOOL_STRESS_WATCHDOG")));

        private readonly ITestOutputHelper _output;

        public StressTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// 4 threads, over 10^7 operations: TryAlloc, Alloc(0), Alloc(1), Alloc(5), Alloc(), Free,
        /// Block.Dispose, Resize and statistics reads. Each thread holds at most 2 blocks and calls the
        /// untimed Alloc() only while holding none, so the workload itself cannot deadlock; the watchdog
        /// turns a pool deadlock or lost wake-up into a failure instead of a hang. Thread 1 resizes the
        /// pool to 3..8 blocks every 4096 operations; MaxCapacity is 8, so once the pool has grown to 8 its
        /// slot table is full and every later grow revives a retired block.
        /// </summary>
        [Fact]
        public void Threads_MixedOperations_LedgerAndAudit()
        {
            BlockPool pool = new BlockPool(16, InitialBlocks, Options(false));
            RunMixedAndAudit(pool, "threads", OperationsPerThread, false);
        }

        /// <summary>
        /// The same workload on a pool with owner tracking and poisoning (frees take the checked path, every
        /// allocation verifies the poison fill and records the owner): each holder checks that its block came with
        /// owner tag 0 and a hold time, tags it and fills it with its id, and checks both before it frees it, so a
        /// block held twice, or written by a stale holder, shows in the data as well as in the ledger. At the end the
        /// pool must have counted no poison violation. Fewer operations: every allocation and free is slower.
        /// </summary>
        [Fact]
        public void Threads_MixedOperations_OwnerTrackingAndPoisoning()
        {
            BlockPool pool = new BlockPool(16, InitialBlocks, Options(true));
            RunMixedAndAudit(pool, "threads, owner tracking + poisoning", TrackedOperationsPerThread, true);
            Assert.Equal(0, pool.Statistics.PoisonViolations);
        }

        /// <summary>
        /// The same kind of body from System.Threading.Timer callbacks (the host's stand-in for interrupt
        /// handlers: TryAlloc and Free only, never waiting, keeping up to 2 blocks between callbacks), while
        /// the main worker thread takes blocks with the untimed Alloc() and so really sleeps until a
        /// callback frees one. .NET may run callbacks of different timers at once on pool threads (more
        /// concurrency than nanoFramework's single dispatch thread); a callback that overlaps its own timer's
        /// previous one returns at once, like a device handler that is not re-entered. Runs for 3 s of
        /// wall time (the timers' pace sets the number of operations), longer if it has not yet seen 20 real waits.
        /// </summary>
        [Fact]
        public void TimerCallbacks_AgainstThreadBlockedInAlloc()
        {
            const int Timers = 4;
            // 3 s, and on until the thread has waited FewestWaits times (on an idle machine it waited 140 times in
            // 3 s; a loaded one runs the timers less often): a run that saw no wait would prove nothing, and a
            // machine too busy to make one in 3 s is no bug. Only 60 s without one fails.
            const long FewestWaits = 20;
            TimeSpan runFor = TimeSpan.FromSeconds(3);
            TimeSpan longestRun = TimeSpan.FromSeconds(60);
            BlockPool pool = new BlockPool(16, 2);
            OwnershipLedger ledger = new OwnershipLedger(MaxBlocks);
            HandlerState[] handlers = new HandlerState[Timers];
            Timer[] timers = new Timer[Timers];
            for (int i = 0; i < Timers; i++)
            {
                handlers[i] = new HandlerState(pool, ledger, 100 + i);
            }

            Counts mainCounts = new Counts();
            Exception mainFailure = null;
            Thread main = new Thread(() =>
            {
                try
                {
                    Stopwatch mainWatch = Stopwatch.StartNew();
                    while (mainWatch.Elapsed < runFor
                        || (mainWatch.Elapsed < longestRun && pool.Statistics.Waits < FewestWaits))
                    {
                        mainCounts.WaitingCalls++;
                        Block block = pool.Alloc();
                        ledger.Acquire(block, 1);
                        mainCounts.Allocations++;
                        ledger.Release(block, 1);
                        block.Dispose();
                        mainCounts.Frees++;
                        mainCounts.Operations += 2;
                    }
                }
                catch (Exception e)
                {
                    mainFailure = e;
                }
            });
            main.IsBackground = true;

            Stopwatch watch = Stopwatch.StartNew();
            for (int i = 0; i < Timers; i++)
            {
                HandlerState state = handlers[i];
                timers[i] = new Timer(_ => state.Callback(), null, 0, 1);
            }

            // Start the thread only once every timer has run, so that it meets busy handlers.
            Assert.True(
                SpinWait.SpinUntil(() => Array.TrueForAll(handlers, h => Volatile.Read(ref h.Counts.Operations) > 0), TimeSpan.FromSeconds(10)),
                "the timers did not start");
            main.Start();
            Assert.True(main.Join(Watchdog), "the thread in Alloc() did not finish within " + Watchdog + " (lost wake-up?)");

            // Stop the timers and wait until no callback runs any more, then give back what handlers hold.
            foreach (Timer timer in timers)
            {
                using (ManualResetEvent done = new ManualResetEvent(false))
                {
                    timer.Dispose(done);
                    Assert.True(done.WaitOne(TimeSpan.FromSeconds(10)), "a timer callback did not stop");
                }
            }

            watch.Stop();
            Assert.True(mainFailure == null, "main thread failed: " + mainFailure);
            Counts total = new Counts();
            total.Add(mainCounts);
            foreach (HandlerState state in handlers)
            {
                Assert.True(state.Failure == null, "a callback failed: " + state.Failure);
                state.FreeAll();
                total.Add(state.Counts);
            }

            Report("timers", watch, total, pool);
            Assert.True(pool.Statistics.Waits >= FewestWaits, "the main thread waited only " + pool.Statistics.Waits + " times in " + watch.Elapsed);
            Audit.AllHomeAndCounted(pool, ledger, total, 2);
        }

        /// <summary>MaxCapacity for the resizer's largest size, plus owner tracking and poisoning when asked.</summary>
        private static BlockPoolOptions Options(bool tracked)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.MaxCapacity = MaxResize;
            options.OwnerTracking = tracked;
            options.Poisoning = tracked;
            return options;
        }

        private void RunMixedAndAudit(BlockPool pool, string name, long operationsPerThread, bool tracked)
        {
            OwnershipLedger ledger = new OwnershipLedger(MaxBlocks);
            Counts[] counts = new Counts[Threads];
            Counts total = StressThreads.Run(
                counts,
                (id, mine) => RunMixed(pool, ledger, id, mine, id == 1, operationsPerThread, tracked),
                Watchdog,
                () => Describe(pool, ledger, counts),
                out Stopwatch watch);

            Report(name, watch, total, pool);
            Assert.True(total.Operations >= Threads * operationsPerThread, "only " + total.Operations + " operations");
            Assert.True(pool.Statistics.Waits > 0, "no Alloc ever waited: the stress did not exercise the hand-off");
            Audit.AllHomeAndCounted(pool, ledger, total, counts[0].LastResize != 0 ? counts[0].LastResize : InitialBlocks);
        }

        private static void RunMixed(BlockPool pool, OwnershipLedger ledger, int id, Counts c, bool resizer, long operations, bool tracked)
        {
            Random random = new Random(id * 7919);
            Block[] held = new Block[2];
            int heldCount = 0;
            for (long op = 0; op < operations; op++)
            {
                c.Operations++;
                if (resizer && (op & 4095) == 4095)
                {
                    // Any size from 3 to 8, growing and shrinking in any order. Never below 3: a pool of 1 or
                    // 2 blocks for 4 threads turns most operations into millisecond timed waits (a convoy).
                    int target = 3 + random.Next(MaxResize - 2);
                    Volatile.Write(ref c.Current, 5);
                    pool.Resize(target);
                    Volatile.Write(ref c.Current, 0);
                    c.Resizes++;
                    c.LastResize = target;
                    continue;
                }

                int r = random.Next(100);
                if (heldCount == 2 || (heldCount > 0 && r >= 50))
                {
                    // Free one held block, half the time through Block.Dispose.
                    heldCount--;
                    Block block = held[heldCount];
                    held[heldCount] = null;
                    if (tracked)
                    {
                        HolderMark.Check(block, id);
                    }

                    ledger.Release(block, id);
                    Volatile.Write(ref c.Current, 4);
                    if ((op & 1) == 0)
                    {
                        pool.Free(block);
                    }
                    else
                    {
                        block.Dispose();
                    }

                    c.Frees++;
                    continue;
                }

                if (r >= 48)
                {
                    BlockPoolStatistics s = pool.Statistics;
                    long sum = s.Allocations + s.Frees + s.FailedTryAllocs + s.Waits + s.Timeouts + s.PeakInUse + s.LowestFreeCount + pool.FreeCount + pool.Capacity;
                    if (sum < 0)
                    {
                        throw new InvalidOperationException("negative statistics");
                    }

                    c.StatisticsReads++;
                    continue;
                }

                Block got;
                if (r < 30)
                {
                    if (!pool.TryAlloc(out got))
                    {
                        c.FailedTryAllocs++;
                        continue;
                    }
                }
                else
                {
                    int timeout = r < 38 ? 0 : r < 44 ? 1 : r < 46 ? 5 : (heldCount == 0 ? Timeout.Infinite : 1);
                    if (timeout != 0)
                    {
                        c.WaitingCalls++;
                    }

                    Volatile.Write(ref c.Current, timeout == Timeout.Infinite ? 3 : 2);
                    got = timeout == Timeout.Infinite ? pool.Alloc() : pool.Alloc(timeout);
                    Volatile.Write(ref c.Current, 0);
                    if (got == null)
                    {
                        if (timeout == Timeout.Infinite)
                        {
                            throw new InvalidOperationException("Alloc() returned null");
                        }

                        c.Timeouts++;
                        if (timeout > 0)
                        {
                            c.TimedOutWaits++;
                        }

                        continue;
                    }
                }

                ledger.Acquire(got, id);
                c.Allocations++;
                if (tracked)
                {
                    HolderMark.Take(got, id);
                }

                held[heldCount++] = got;
            }

            while (heldCount > 0)
            {
                heldCount--;
                if (tracked)
                {
                    HolderMark.Check(held[heldCount], id);
                }

                ledger.Release(held[heldCount], id);
                pool.Free(held[heldCount]);
                c.Frees++;
            }
        }

        /// <summary>A snapshot of the pool and of every thread, for a watchdog failure.</summary>
        private static string Describe(BlockPool pool, OwnershipLedger ledger, Counts[] counts)
        {
            string text = "capacity " + pool.Capacity + ", target " + pool.ReserveSize
                + ", free " + pool.FreeCount + ", waits " + pool.Statistics.Waits + ", timeouts " + pool.Statistics.Timeouts
                + ", ledger held " + ledger.HeldCount()
                + ", ledger violations " + ledger.Violations + " (first: " + ledger.FirstViolation + "), Validate: " + ValidateWithin(pool, TimeSpan.FromSeconds(5)) + "; threads:";
            for (int t = 0; t < counts.Length; t++)
            {
                text += " [" + (t + 1) + ": doing " + Volatile.Read(ref counts[t].Current) + ", holds " + (counts[t].Allocations - counts[t].Frees) + ", ops " + counts[t].Operations + "]";
            }

            return text + " (doing: 1 TryAlloc, 2 Alloc(timeout), 3 Alloc(), 4 Free, 5 Resize, 0 other)";
        }

        /// <summary>
        /// Validate's finding ("ok" when clean) from another thread, or a note when it does not return in time
        /// (Validate takes the thread lock, which a hung Resize or Alloc registration may hold).
        /// </summary>
        private static string ValidateWithin(BlockPool pool, TimeSpan timeout)
        {
            string result = null;
            Thread validator = new Thread(() => result = Audit.Problem(pool) ?? "ok") { IsBackground = true };
            validator.Start();
            return validator.Join(timeout) ? result : "did not return within " + timeout + " (the thread lock is held)";
        }

        private void Report(string name, Stopwatch watch, Counts total, BlockPool pool)
        {
            BlockPoolStatistics s = pool.Statistics;
            string line = "stress " + name + ": " + watch.Elapsed.TotalSeconds.ToString("F1") + " s, " + total
                + "; pool: waits " + s.Waits + ", peak in use " + s.PeakInUse + ", capacity " + pool.Capacity;
            _output.WriteLine(line);
            Console.WriteLine(line);
        }

        /// <summary>One timer's handler: TryAlloc/Free only, at most 2 blocks kept between callbacks.</summary>
        private sealed class HandlerState
        {
            private const int OperationsPerCallback = 64;
            private readonly BlockPool _pool;
            private readonly OwnershipLedger _ledger;
            private readonly int _id;
            private readonly Block[] _held = new Block[2];
            private readonly Random _random;
            private int _heldCount;
            private int _busy;

            internal HandlerState(BlockPool pool, OwnershipLedger ledger, int id)
            {
                _pool = pool;
                _ledger = ledger;
                _id = id;
                _random = new Random(id);
            }

            internal Counts Counts { get; } = new Counts();

            internal Exception Failure { get; private set; }

            internal void Callback()
            {
                if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
                {
                    return;
                }

                try
                {
                    for (int i = 0; i < OperationsPerCallback; i++)
                    {
                        Counts.Operations++;
                        if (_heldCount < 2 && _random.Next(2) == 0)
                        {
                            Block block;
                            if (_pool.TryAlloc(out block))
                            {
                                _ledger.Acquire(block, _id);
                                Counts.Allocations++;
                                _held[_heldCount++] = block;
                            }
                            else
                            {
                                Counts.FailedTryAllocs++;
                            }
                        }
                        else if (_heldCount > 0)
                        {
                            FreeOne();
                        }
                    }
                }
                catch (Exception e)
                {
                    Failure = Failure ?? e;
                }
                finally
                {
                    Volatile.Write(ref _busy, 0);
                }
            }

            /// <summary>After the timer has stopped: give back what the handler still holds.</summary>
            internal void FreeAll()
            {
                while (_heldCount > 0)
                {
                    FreeOne();
                }
            }

            private void FreeOne()
            {
                _heldCount--;
                Block block = _held[_heldCount];
                _held[_heldCount] = null;
                _ledger.Release(block, _id);
                _pool.Free(block);
                Counts.Frees++;
                Counts.Operations++;
            }
        }
    }
}
