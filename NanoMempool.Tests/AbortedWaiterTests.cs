// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// A thread aborted (Thread.Abort, common on nanoFramework for watchdog and restart patterns) while it waits in a
    /// blocking member takes nothing with it: not the block it waits for, not one just handed to it, and it leaves no
    /// record a later free could hand a block to. Each test aborts the waiter before the hand-off (asleep) and just
    /// after it (handed a block, not yet run), then checks that the block is home, that a live waiter is served, and
    /// that Validate agrees. Host .NET has no Thread.Abort (the host tests interrupt waiters instead), so there these
    /// tests report themselves skipped.
    /// </summary>
    [TestClass]
    public class AbortedWaiterTests
    {
        private static Exception s_error;

        [TestMethod]
        public void Alloc_AbortedWhileAsleep_TakesNothing_AndTheNextWaiterIsServed()
        {
            BlockPool pool = new BlockPool(8, 1);
            Block held = pool.Alloc(0);
            Thread doomed = StartWaiting(pool, () => pool.Alloc().Dispose(), 1, "Alloc()");

            Abort(doomed, pool);
            Assert.IsTrue(doomed.Join(PoolAssert.PromptMs), "the aborted waiter did not end");
            PoolAssert.Valid(pool);

            AllocThread live = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, 2, "live waiter");
            held.Dispose();
            Block handed = live.AssertGotBlock("the live waiter after the abort");
            Assert.AreSame(held, handed, "the freed block went to the live waiter, not to the aborted one");
            handed.Dispose();
            PoolAssert.AllHome(pool, "after the live waiter freed");
        }

        [TestMethod]
        public void Alloc_AbortedJustAfterTheHandOff_GivesTheBlockBack()
        {
            BlockPool pool = new BlockPool(8, 1);
            Block held = pool.Alloc(0);
            Thread doomed = StartWaiting(pool, () => pool.Alloc().Dispose(), 1, "Alloc()");

            // The free hands the block to the sleeping waiter (its record is Claimed) and makes it ready; on the
            // interpreter this thread runs on until it blocks or its 20 ms quantum ends, so the abort lands before
            // the waiter runs. (Should the quantum end in between, the waiter frees the block itself: the outcome
            // checked below is the same.)
            held.Dispose();
            Abort(doomed, pool);
            Assert.IsTrue(doomed.Join(PoolAssert.PromptMs), "the aborted waiter did not end");

            PoolAssert.AllHome(pool, "after aborting the thread the block was handed to");
            Assert.AreEqual(pool.Statistics.Allocations, pool.Statistics.Frees, "allocations and frees after the abort");
            Block again;
            Assert.IsTrue(pool.TryAlloc(out again), "the block can be taken again");
            again.Dispose();
        }

        [TestMethod]
        public void AllocWithTimeout_AbortedBeforeAndAfterTheHandOff_TakesNothing()
        {
            BlockPool pool = new BlockPool(8, 1);
            Block held = pool.Alloc(0);
            Thread asleep = StartWaiting(pool, () => FreeIfAny(pool.Alloc(PoolAssert.WakeTimeoutMs)), 1, "Alloc(ms) asleep");
            Abort(asleep, pool);
            Assert.IsTrue(asleep.Join(PoolAssert.PromptMs), "the waiter aborted asleep did not end");

            Thread handed = StartWaiting(pool, () => FreeIfAny(pool.Alloc(PoolAssert.WakeTimeoutMs)), 2, "Alloc(ms) handed");
            held.Dispose();
            Abort(handed, pool);
            Assert.IsTrue(handed.Join(PoolAssert.PromptMs), "the waiter aborted after the hand-off did not end");

            PoolAssert.AllHome(pool, "after both aborts");
            Assert.AreEqual(0L, pool.Statistics.Timeouts, "an aborted wait is not a timeout");
        }

        [TestMethod]
        public void BulkAlloc_AbortedWhileAsleep_TakesNothing_AndLeavesNoRecord()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block[] held = new Block[2];
            Assert.IsTrue(pool.TryAlloc(held, 2));
            Thread doomed = StartWaiting(pool, () => pool.Alloc(new Block[2], 2, Timeout.Infinite), 1, "bulk Alloc");

            Abort(doomed, pool);
            Assert.IsTrue(doomed.Join(PoolAssert.PromptMs), "the aborted bulk waiter did not end");
            PoolAssert.Valid(pool);

            BulkAllocThread live = BulkAllocThread.StartWaiting(pool, 2, PoolAssert.WakeTimeoutMs, true, 2, "live bulk waiter");
            pool.Free(held, 2);
            Assert.IsTrue(live.Finished(PoolAssert.PromptMs), "the live bulk waiter was not served");
            Assert.IsNull(live.Error, "the live bulk waiter threw");
            Assert.IsTrue(live.Result, "the live bulk waiter got its set");
            PoolAssert.AllHome(pool, "after the live bulk waiter freed");
        }

        [TestMethod]
        public void Dequeue_AbortedWhileAsleep_ThenAfterAWake_LosesNoBlock()
        {
            BlockPool pool = new BlockPool(8, 2);
            BlockQueue queue = new BlockQueue(1);
            Thread asleep = StartDequeue(queue);
            Abort(asleep, queue);
            Assert.IsTrue(asleep.Join(PoolAssert.PromptMs), "the consumer aborted asleep did not end");

            // The enqueue wakes the sleeping consumer (its Set is taken by the thread made ready); the abort then
            // lands before it runs. The block must still reach a consumer.
            Thread woken = StartDequeue(queue);
            Block block = pool.Alloc(0);
            Assert.IsTrue(queue.TryEnqueue(block));
            Abort(woken, queue);
            Assert.IsTrue(woken.Join(PoolAssert.PromptMs), "the consumer aborted after a wake did not end");

            // The block is still queued (or was passed on and queued again), or it went home (a consumer that took
            // it frees it; one leaving by an exception that could not queue it again frees it too).
            Block taken;
            if (queue.TryDequeue(out taken))
            {
                Assert.AreSame(block, taken, "the next consumer gets the block");
                taken.Dispose();
            }

            PoolAssert.AllHome(pool, "after the aborted consumers");
            Assert.AreEqual(0, queue.Count, "nothing left in the queue");
        }

        [TestMethod]
        public void Dequeue_ConsumerAbortedAfterItsWake_PassesTheWakeOnToTheOtherSleeper()
        {
            BlockPool pool = new BlockPool(8, 2);
            BlockQueue queue = new BlockQueue(1);
            Thread first = StartDequeue(queue);
            DequeueThread second = DequeueThread.StartWaiting(queue, PoolAssert.WakeTimeoutMs);

            // One enqueue, one Set: the event releases one of the two sleepers (on the interpreter, the one that
            // slept first). That one is aborted before it runs: leaving, it must pass the wake on, or the other
            // sleeps beside a ready block until its timeout.
            Block block = pool.Alloc(0);
            Assert.IsTrue(queue.TryEnqueue(block));
            Abort(first, queue);
            Assert.IsTrue(first.Join(PoolAssert.PromptMs), "the aborted consumer did not end");

            Assert.IsTrue(second.Finished(PoolAssert.PromptMs), "the other consumer was not woken for the ready block");
            Assert.AreSame(block, second.Result, "the other consumer got the block");
            second.Result.Dispose();
            PoolAssert.AllHome(pool, "after the second consumer freed");
        }

        /// <summary>A thread that runs <paramref name="call"/> and sleeps in it (counted as the pool's n-th wait).</summary>
        private static Thread StartWaiting(BlockPool pool, ThreadStart call, long waitsSoFar, string context)
        {
            s_error = null;
            Thread thread = new Thread(() => Run(call));
            thread.Start();
            PoolAssert.UntilWaiting(pool, thread, waitsSoFar, context);
            return thread;
        }

        private static Thread StartDequeue(BlockQueue queue)
        {
            s_error = null;
            long waits = queue.Statistics.Waits;
            Thread thread = new Thread(() => Run(() => queue.Dequeue().Dispose()));
            thread.Start();
            long start = PoolAssert.NowTicks();
            while (queue.Statistics.Waits == waits || (thread.ThreadState & ThreadState.WaitSleepJoin) == 0)
            {
                Assert.IsTrue(PoolAssert.ElapsedMs(start) < PoolAssert.PromptMs, "the consumer did not start waiting");
                Thread.Sleep(5);
            }

            return thread;
        }

        /// <summary>Runs a waiting call; anything but the abort itself is recorded as a failure of the test.</summary>
        private static void Run(ThreadStart call)
        {
            try
            {
                call();
            }
            catch (ThreadAbortException)
            {
                // Expected: the interpreter raises it again when this handler ends, and the thread ends.
            }
            catch (Exception e)
            {
                s_error = e;
            }
        }

        private static void FreeIfAny(Block block)
        {
            if (block != null)
            {
                block.Dispose();
            }
        }

        /// <summary>
        /// Aborts a thread, or, where Thread.Abort does not exist (host .NET), disposes what it waits on (so that it
        /// ends) and skips the test.
        /// </summary>
        private static void Abort(Thread thread, IDisposable waitedOn)
        {
            Assert.IsNull(s_error, "the waiting call failed before the abort");
            try
            {
                thread.Abort();
            }
            catch (PlatformNotSupportedException)
            {
                waitedOn.Dispose();
                thread.Join();
                Assert.SkipTest("Thread.Abort is not supported on this runtime (host .NET); tests/NanoMempool.HostTests interrupts waiters instead.");
            }
        }
    }
}
