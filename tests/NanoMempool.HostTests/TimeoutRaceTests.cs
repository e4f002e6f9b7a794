// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.Threading;
using Xunit;

namespace NanoMempool.HostTests
{
    /// <summary>
    /// A block handed to a waiter at the very moment its wait times out is kept (returned by that Alloc),
    /// never lost. The library has no hook to stop a thread between its wait timing out and its withdrawal,
    /// so this test makes the coincidence frequent instead: it frees the pool's only block after a delay
    /// that tracks the waiter's 1 ms timeout (one step later after a served round, one step earlier after a
    /// timed-out one), so the frees cluster around the instant the wait expires, thousands of times. The step is
    /// 1 microsecond after a change of outcome and doubles with every round of the same outcome, so that the delay
    /// finds the instant however late a loaded machine wakes the waiter; the test runs its 2,000 rounds, and on (up
    /// to 20,000) until both outcomes have happened. After each round the block must be either with the waiter or
    /// back on the free list; a lost block fails the round at once.
    /// </summary>
    public class TimeoutRaceTests
    {
        private const int Rounds = 2_000;

        /// <summary>The most rounds, if both outcomes have not happened after <see cref="Rounds"/>.</summary>
        private const int MostRounds = 20_000;

        /// <summary>The smallest move of the free delay: 1 microsecond.</summary>
        private static readonly long s_stepTicks = Math.Max(1, Stopwatch.Frequency / 1_000_000);

        [Fact]
        public void FreeAtTheMomentOfTimeout_BlockIsNeverLost_CountsExact()
        {
            BlockPool pool = new BlockPool(8, 1);
            RoundWaiter waiter = new RoundWaiter(pool, MostRounds);
            Block held = pool.Alloc(0);
            waiter.Start();
            long kept = 0;
            long timedOut = 0;
            long delay = Stopwatch.Frequency / 1_000;
            long step = s_stepTicks;
            bool lastKept = false;
            int round;

            for (round = 0; round < Rounds || ((kept == 0 || timedOut == 0) && round < MostRounds); round++)
            {
                waiter.Go.Set();
                SpinUntil(() => pool.Statistics.Waits > round, "round " + round + ": the waiter did not wait");
                long start = Stopwatch.GetTimestamp();
                while (Stopwatch.GetTimestamp() - start < delay)
                {
                    Thread.SpinWait(10);
                }

                pool.Free(held);
                Assert.True(waiter.Returned.WaitOne(5_000), "round " + round + ": the waiter did not return");
                Assert.Null(waiter.Error);
                Block got = waiter.TakeBlock();
                step = round > 0 && (got != null) == lastKept ? Math.Min(step * 2, Stopwatch.Frequency / 100) : s_stepTicks;
                lastKept = got != null;
                if (got != null)
                {
                    kept++;
                    held = got;
                    delay += step;
                }
                else
                {
                    timedOut++;
                    delay = Math.Max(0, delay - step);
                    Assert.True(pool.TryAlloc(out held), "round " + round + ": the block is neither with the waiter nor free: lost");
                }
            }

            waiter.Stop();
            Assert.Equal(round, kept + timedOut);
            Assert.Equal(timedOut, pool.Statistics.Timeouts);
            Assert.Equal(1 + round, pool.Statistics.Allocations);
            pool.Free(held);
            PoolAssert.Valid(pool);
            Assert.Equal(1, pool.FreeCount);

            // Both outcomes must have happened, or the delays missed the timeout and proved nothing.
            Assert.True(kept > 0, "no round of " + round + " was served");
            Assert.True(timedOut > 0, "no round of " + round + " timed out");
        }

        private static void SpinUntil(Func<bool> condition, string message)
        {
            long deadline = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
            while (!condition())
            {
                Assert.True(Stopwatch.GetTimestamp() < deadline, message);
                Thread.SpinWait(1);
            }
        }

        private sealed class RoundWaiter
        {
            internal readonly AutoResetEvent Go = new AutoResetEvent(false);
            internal readonly AutoResetEvent Returned = new AutoResetEvent(false);
            internal Exception Error;
            private readonly BlockPool _pool;
            private readonly int _rounds;
            private readonly Thread _thread;
            private Block _block;
            private int _stop;

            internal RoundWaiter(BlockPool pool, int rounds)
            {
                _pool = pool;
                _rounds = rounds;
                _thread = new Thread(Run) { IsBackground = true };
            }

            internal void Start()
            {
                _thread.Start();
            }

            internal void Stop()
            {
                Volatile.Write(ref _stop, 1);
                Go.Set();
                Assert.True(_thread.Join(5_000));
            }

            internal Block TakeBlock()
            {
                return Interlocked.Exchange(ref _block, null);
            }

            private void Run()
            {
                try
                {
                    for (int round = 0; round < _rounds; round++)
                    {
                        if (!Go.WaitOne(10_000) || Volatile.Read(ref _stop) != 0)
                        {
                            return;
                        }

                        Interlocked.Exchange(ref _block, _pool.Alloc(1));
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
