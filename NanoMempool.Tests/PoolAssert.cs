// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>Assertions and clocks shared by the pool tests. Static, no state.</summary>
    internal static class PoolAssert
    {
        /// <summary>
        /// Upper bound for "promptly" (a wake-up, a poll, a thread finishing). Generous on purpose: the
        /// nanoFramework interpreter switches green threads every 20 ms, and CI machines are shared.
        /// </summary>
        internal const int PromptMs = 2000;

        /// <summary>Timeout given to every Alloc that a test expects to be woken long before it expires.</summary>
        internal const int WakeTimeoutMs = 5000;

        /// <summary>Milliseconds on a monotonic-enough clock (DateTime ticks; Stopwatch is not in nano mscorlib).</summary>
        internal static long NowTicks()
        {
            return DateTime.UtcNow.Ticks;
        }

        internal static long ElapsedMs(long startTicks)
        {
            return (DateTime.UtcNow.Ticks - startTicks) / TimeSpan.TicksPerMillisecond;
        }

        /// <summary>Asserts that the pool's own audit, <see cref="BlockPool.Validate"/>, finds no problem.</summary>
        internal static void Valid(BlockPool pool)
        {
            string problem;
            bool valid = pool.Validate(out problem);
            Assert.IsNull(problem, "Validate found a problem: " + problem);
            Assert.IsTrue(valid, "Validate returned false without a problem");
        }

        /// <summary>BlockQueue.Validate's finding: null when the audit is clean.</summary>
        internal static string QueueProblem(BlockQueue queue)
        {
            string problem;
            return queue.Validate(out problem) ? null : (problem == null ? "Validate returned false without a problem." : problem);
        }

        /// <summary>
        /// Asserts, at a quiescent moment, the blocks the pool owns (<paramref name="capacity"/>) and those of them
        /// on its free list (<paramref name="free"/>), and that the pool passes its audit.
        /// </summary>
        internal static void Counts(BlockPool pool, int capacity, int free, string context)
        {
            Assert.AreEqual(capacity, pool.Capacity, context + ": Capacity");
            Assert.AreEqual(free, pool.FreeCount, context + ": FreeCount");
            Valid(pool);
        }

        /// <summary>Asserts that every block the pool owns is home (free), and that the pool passes its audit.</summary>
        internal static void AllHome(BlockPool pool, string context)
        {
            Assert.AreEqual(pool.Capacity, pool.FreeCount, context + ": FreeCount == Capacity");
            Valid(pool);
        }

        /// <summary>
        /// Takes every free block with TryAlloc and asserts they come out as the blocks with the given
        /// indices, in that order, and that the list is then empty. Proves the free list's exact content.
        /// </summary>
        internal static Block[] DrainsInOrder(BlockPool pool, int[] expectedIndices, string context)
        {
            Block[] taken = new Block[expectedIndices.Length];
            for (int i = 0; i < expectedIndices.Length; i++)
            {
                Block block;
                Assert.IsTrue(pool.TryAlloc(out block), context + ": free list shorter than expected at " + i);
                Assert.AreEqual(expectedIndices[i], block.Index, context + ": free list order at " + i);
                taken[i] = block;
            }

            Block extra;
            Assert.IsFalse(pool.TryAlloc(out extra), context + ": free list longer than expected");
            return taken;
        }

        /// <summary>Takes every free block of a pool with TryAlloc.</summary>
        internal static Block[] TakeAll(BlockPool pool)
        {
            Block[] taken = new Block[pool.FreeCount];
            for (int i = 0; i < taken.Length; i++)
            {
                Assert.IsTrue(pool.TryAlloc(out taken[i]), "TryAlloc failed while FreeCount said a block was free");
            }

            return taken;
        }

        /// <summary>Asserts that an exception caught on another thread or context has exactly the given type.</summary>
        internal static void IsExactly(Type expected, Exception actual, string context)
        {
            Assert.IsNotNull(actual, context + ": expected " + expected.Name + ", nothing was thrown");
            Assert.IsTrue(actual.GetType() == expected, context + ": expected " + expected.Name + ", got " + actual.GetType().Name + ": " + actual.Message);
        }

        /// <summary>
        /// Polls, with a deadline, until <paramref name="thread"/> is blocked and the pool has counted
        /// <paramref name="waitsSoFar"/> waits: then the thread sleeps inside Alloc (a waiting thread cannot
        /// signal anything itself). Between counting its wait and sleeping, Alloc only takes the pool's
        /// uncontended thread lock, so a blocked thread with its wait counted is in the wait proper.
        /// </summary>
        internal static void UntilWaiting(BlockPool pool, Thread thread, long waitsSoFar, string context)
        {
            long start = NowTicks();
            while (pool.Statistics.Waits < waitsSoFar || (thread.ThreadState & ThreadState.WaitSleepJoin) == 0)
            {
                if (ElapsedMs(start) > PromptMs)
                {
                    Assert.IsTrue(false, context + ": the thread did not start waiting (waits " + pool.Statistics.Waits + ", wanted " + waitsSoFar + ")");
                }

                Thread.Sleep(5);
            }
        }
    }
}
