// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.HostTests
{
    /// <summary>
    /// A thread interrupted (Thread.Interrupt: ThreadInterruptedException out of its wait) while it waits in a
    /// blocking member takes nothing with it and leaves no record a later free could hand a block to. Host .NET has
    /// no Thread.Abort; the device tests (NanoMempool.Tests/AbortedWaiterTests.cs) abort waiters on nanoCLR.
    /// "Before the hand-off" interrupts a waiter asleep; "around the hand-off" interrupts a sleeping waiter and frees
    /// the block at once (and the other way round), many times, so that the free's claim and the interrupted
    /// waiter's withdrawal race: in every round the block must end with the waiter (which then holds it) or at home.
    /// Which way each round went is a matter of timing and is only reported; no assertion depends on it.
    /// </summary>
    public class InterruptedWaiterTests
    {
        private const int Rounds = 300;

        private readonly ITestOutputHelper _output;

        public InterruptedWaiterTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Alloc_InterruptedAsleep_TakesNothing_AndTheNextWaiterIsServed()
        {
            BlockPool pool = new BlockPool(8, 1);
            Block held = pool.Alloc(0);
            Waiter doomed = Waiter.Start(pool, () => pool.Alloc(), 1);

            doomed.Thread.Interrupt();
            Assert.True(doomed.Thread.Join(5_000), "the interrupted waiter did not end");
            Assert.IsType<ThreadInterruptedException>(doomed.Error);
            AssertValid(pool);

            Waiter live = Waiter.Start(pool, () => pool.Alloc(5_000), 2);
            pool.Free(held);
            Assert.True(live.Thread.Join(5_000), "the live waiter was not served");
            Assert.Null(live.Error);
            Assert.Same(held, live.Block);
            pool.Free(live.Block);
            Assert.Equal(1, pool.FreeCount);
            AssertValid(pool);
        }

        [Theory]
        [InlineData(-1)]
        [InlineData(5_000)]
        public void Alloc_InterruptedAroundTheHandOff_NeverLosesTheBlock(int timeout)
        {
            BlockPool pool = new BlockPool(8, 1);
            Block held = pool.Alloc(0);
            int interrupted = 0;
            for (int round = 0; round < Rounds; round++)
            {
                Waiter waiter = Waiter.Start(pool, () => pool.Alloc(timeout), round + 1);
                if (round % 2 == 0)
                {
                    waiter.Thread.Interrupt();
                    pool.Free(held);
                }
                else
                {
                    pool.Free(held);
                    waiter.Thread.Interrupt();
                }

                Assert.True(waiter.Thread.Join(5_000), "round " + round + ": the waiter did not end");
                if (waiter.Error is ThreadInterruptedException)
                {
                    interrupted++;
                    Assert.Equal(1, pool.FreeCount);
                    held = pool.Alloc(0);
                }
                else
                {
                    Assert.Null(waiter.Error);
                    Assert.NotNull(waiter.Block);
                    held = waiter.Block;
                }

                Assert.Equal(0, pool.FreeCount);
                AssertValid(pool);
            }

            pool.Free(held);
            Assert.Equal(1, pool.FreeCount);
            Assert.Equal(pool.Statistics.Allocations, pool.Statistics.Frees);
            AssertValid(pool);
            _output.WriteLine(interrupted + " of " + Rounds + " rounds ended with ThreadInterruptedException, the others with the block.");
        }

        [Fact]
        public void BulkAlloc_InterruptedAsleep_TakesNothing_AndTheNextBulkWaiterIsServed()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block[] held = new Block[2];
            Assert.True(pool.TryAlloc(held, 2));
            Waiter doomed = Waiter.Start(pool, () => { pool.Alloc(new Block[2], 2, Timeout.Infinite); return null; }, 1);

            doomed.Thread.Interrupt();
            Assert.True(doomed.Thread.Join(5_000), "the interrupted bulk waiter did not end");
            Assert.IsType<ThreadInterruptedException>(doomed.Error);
            AssertValid(pool);

            Block[] set = new Block[2];
            Waiter live = Waiter.Start(pool, () => pool.Alloc(set, 2, 5_000) ? set[0] : null, 2);
            pool.Free(held, 2);
            Assert.True(live.Thread.Join(5_000), "the live bulk waiter was not served");
            Assert.Null(live.Error);
            Assert.NotNull(live.Block);
            pool.Free(set, 2);
            Assert.Equal(2, pool.FreeCount);
            AssertValid(pool);
        }

        [Fact]
        public void Dequeue_InterruptedAroundAWake_NeverLosesTheBlockNorTheWake()
        {
            BlockPool pool = new BlockPool(8, 2);
            BlockQueue queue = new BlockQueue(1);
            for (int round = 0; round < Rounds; round++)
            {
                Block got = null;
                Exception error = null;
                long waits = queue.Statistics.Waits;
                Thread first = new Thread(() =>
                {
                    try
                    {
                        got = queue.Dequeue(5_000);
                    }
                    catch (Exception e)
                    {
                        error = e;
                    }
                });
                first.Start();
                SpinUntil(() => queue.Statistics.Waits > waits && (first.ThreadState & ThreadState.WaitSleepJoin) != 0, "the consumer did not wait");

                Block block = pool.Alloc(0);
                if (round % 2 == 0)
                {
                    first.Interrupt();
                    Assert.True(queue.TryEnqueue(block));
                }
                else
                {
                    Assert.True(queue.TryEnqueue(block));
                    first.Interrupt();
                }

                Assert.True(first.Join(5_000), "round " + round + ": the consumer did not end");

                // The block went to the consumer (which holds it now), or is still queued, or went home.
                if (got != null)
                {
                    Assert.Same(block, got);
                    got.Dispose();
                }
                else
                {
                    Assert.IsType<ThreadInterruptedException>(error);
                    Block taken;
                    if (queue.TryDequeue(out taken))
                    {
                        Assert.Same(block, taken);
                        taken.Dispose();
                    }
                }

                Assert.Equal(0, queue.Count);
                Assert.Equal(2, pool.FreeCount);
                AssertValid(pool);
            }
        }

        private static void AssertValid(BlockPool pool)
        {
            string problem;
            Assert.True(pool.Validate(out problem), problem);
        }

        private static void SpinUntil(Func<bool> condition, string failure)
        {
            Assert.True(SpinWait.SpinUntil(condition, 5_000), failure);
        }

        /// <summary>A thread in one blocking call, with its outcome.</summary>
        private sealed class Waiter
        {
            internal Thread Thread { get; private set; }

            internal Block Block { get; private set; }

            internal Exception Error { get; private set; }

            /// <summary>Starts the call and returns once the thread sleeps in it (the pool's n-th wait).</summary>
            internal static Waiter Start(BlockPool pool, Func<Block> call, long waitsSoFar)
            {
                Waiter waiter = new Waiter();
                waiter.Thread = new Thread(() =>
                {
                    try
                    {
                        waiter.Block = call();
                    }
                    catch (Exception e)
                    {
                        waiter.Error = e;
                    }
                });
                waiter.Thread.Start();
                SpinUntil(
                    () => pool.Statistics.Waits >= waitsSoFar && (waiter.Thread.ThreadState & ThreadState.WaitSleepJoin) != 0,
                    "the waiter did not start waiting");
                return waiter;
            }
        }
    }
}
