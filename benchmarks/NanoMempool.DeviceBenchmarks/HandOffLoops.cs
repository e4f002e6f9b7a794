// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using NanoMempool.DeviceBenchmarks.Baselines;

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>
    /// The blocking hand-off round trip, between the main thread and one worker, with a pool of one block.
    /// The worker loops: <c>Alloc()</c> (it sleeps there, the pool being empty), then passes the block back through a
    /// static field and sets <c>back</c>. The main thread loops: <c>Free(block)</c>, which wakes the worker, then waits
    /// on <c>back</c> and takes the block. Each side blocks on an event at every step, so nanoCLR switches threads at
    /// the block and never by the 20 ms quantum. One round trip = one Free that wakes a blocked Alloc, one event
    /// Set/WaitOne, two thread switches. <see cref="Events"/> is the same ping-pong with two bare events, for reference.
    /// The main thread's wait is bounded (<see cref="StallMilliseconds"/>) so that a dead worker fails the run instead of hanging it.
    /// </summary>
    internal static class HandOffLoops
    {
        /// <summary>A round trip taking longer than this means the worker is gone.</summary>
        internal const int StallMilliseconds = 10000;

        private static readonly AutoResetEvent s_started = new AutoResetEvent(false);
        private static readonly AutoResetEvent s_back = new AutoResetEvent(false);
        private static readonly AutoResetEvent s_ping = new AutoResetEvent(false);
        private static int s_rounds;
        private static BlockPool s_blockPool;
        private static Block s_passedBlock;
        private static LockWaitPool s_lockPool;
        private static byte[] s_passedBuffer;

        /// <summary>BlockPool: <paramref name="n"/> round trips; <paramref name="pool"/> has one block, held by the caller as <paramref name="held"/> (held again on return).</summary>
        internal static long BlockPoolRoundTrips(BlockPool pool, ref Block held, int n)
        {
            s_blockPool = pool;
            s_rounds = n;
            Thread worker = Start(BlockPoolWorker);
            Block block = held;
            long start = Clock.Ticks();
            for (int i = 0; i < n; i++)
            {
                pool.Free(block);
                WaitBack();
                block = s_passedBlock;
            }

            long elapsed = Clock.Ticks() - start;
            worker.Join();
            held = block;
            s_passedBlock = null;
            return elapsed;
        }

        /// <summary>Baseline: the same with the lock pool whose Alloc waits on an AutoResetEvent.</summary>
        internal static long LockPoolRoundTrips(LockWaitPool pool, ref byte[] held, int n)
        {
            s_lockPool = pool;
            s_rounds = n;
            Thread worker = Start(LockPoolWorker);
            byte[] buffer = held;
            long start = Clock.Ticks();
            for (int i = 0; i < n; i++)
            {
                pool.Free(buffer);
                WaitBack();
                buffer = s_passedBuffer;
            }

            long elapsed = Clock.Ticks() - start;
            worker.Join();
            held = buffer;
            s_passedBuffer = null;
            return elapsed;
        }

        /// <summary>Reference: the same ping-pong with two AutoResetEvents and no pool.</summary>
        internal static long Events(int n)
        {
            s_rounds = n;
            Thread worker = Start(EventWorker);
            long start = Clock.Ticks();
            for (int i = 0; i < n; i++)
            {
                s_ping.Set();
                WaitBack();
            }

            long elapsed = Clock.Ticks() - start;
            worker.Join();
            return elapsed;
        }

        private static Thread Start(ThreadStart body)
        {
            Thread worker = new Thread(body);
            worker.Start();

            // The worker sets s_started and runs on until it blocks in its first wait: only then does this thread
            // run again (green threads switch at a block, or after a 20 ms quantum).
            if (!s_started.WaitOne(StallMilliseconds, false))
            {
                throw new InvalidOperationException("hand-off worker did not start");
            }

            return worker;
        }

        private static void WaitBack()
        {
            if (!s_back.WaitOne(StallMilliseconds, false))
            {
                throw new InvalidOperationException("hand-off worker stalled");
            }
        }

        private static void BlockPoolWorker()
        {
            BlockPool pool = s_blockPool;
            int n = s_rounds;
            s_started.Set();
            for (int i = 0; i < n; i++)
            {
                s_passedBlock = pool.Alloc();
                s_back.Set();
            }
        }

        private static void LockPoolWorker()
        {
            LockWaitPool pool = s_lockPool;
            int n = s_rounds;
            s_started.Set();
            for (int i = 0; i < n; i++)
            {
                s_passedBuffer = pool.Alloc();
                s_back.Set();
            }
        }

        private static void EventWorker()
        {
            int n = s_rounds;
            s_started.Set();
            for (int i = 0; i < n; i++)
            {
                s_ping.WaitOne();
                s_back.Set();
            }
        }
    }
}
