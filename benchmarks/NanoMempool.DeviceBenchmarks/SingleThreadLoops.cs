// Licensed under the MIT License. See LICENSE in the repository root.

using NanoMempool.DeviceBenchmarks.Baselines;

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>
    /// The timed single-thread loops. Each runs <c>n</c> iterations of one pattern with the same loop shape as
    /// <see cref="EmptyLoop"/>, whose time is subtracted from the others, and returns the elapsed 100 ns ticks.
    /// Results are not checked inside the loop (a failed TryAlloc would throw at the Free or the enqueue that
    /// follows); <see cref="TimedRun"/> checks every pool afterwards.
    /// </summary>
    internal static class SingleThreadLoops
    {
        /// <summary>The loop alone: the overhead subtracted from every timed figure.</summary>
        internal static long EmptyLoop(int n)
        {
            long start = Clock.Ticks();
            for (int i = 0; i < n; i++)
            {
            }

            return Clock.Ticks() - start;
        }

        /// <summary>BlockPool: TryAlloc then Free, uncontended.</summary>
        internal static long BlockPoolPair(BlockPool pool, int n)
        {
            long start = Clock.Ticks();
            for (int i = 0; i < n; i++)
            {
                Block block;
                pool.TryAlloc(out block);
                pool.Free(block);
            }

            return Clock.Ticks() - start;
        }

        /// <summary>Baseline: the lock pool's TryAlloc then Free.</summary>
        internal static long LockPoolPair(LockPool pool, int n)
        {
            long start = Clock.Ticks();
            for (int i = 0; i < n; i++)
            {
                byte[] buffer;
                pool.TryAlloc(out buffer);
                pool.Free(buffer);
            }

            return Clock.Ticks() - start;
        }

        /// <summary>Baseline: the tagged-CAS index stack's pop then push.</summary>
        internal static long CasStackPair(CasIndexStack stack, int n)
        {
            long start = Clock.Ticks();
            for (int i = 0; i < n; i++)
            {
                int index = stack.TryPop();
                stack.Push(index);
            }

            return Clock.Ticks() - start;
        }

        /// <summary>BlockPool + BlockQueue: TryAlloc, TryEnqueue, TryDequeue, Free (a handler's capture and the thread's consume).</summary>
        internal static long BlockPoolQueueCycle(BlockPool pool, BlockQueue queue, int n)
        {
            long start = Clock.Ticks();
            for (int i = 0; i < n; i++)
            {
                Block block;
                pool.TryAlloc(out block);
                queue.TryEnqueue(block);
                Block taken;
                queue.TryDequeue(out taken);
                pool.Free(taken);
            }

            return Clock.Ticks() - start;
        }

        /// <summary>Baseline: the same four operations on the lock pool and the lock ring queue.</summary>
        internal static long LockPoolQueueCycle(LockPool pool, LockRingQueue queue, int n)
        {
            long start = Clock.Ticks();
            for (int i = 0; i < n; i++)
            {
                byte[] buffer;
                pool.TryAlloc(out buffer);
                queue.TryEnqueue(buffer);
                byte[] taken;
                queue.TryDequeue(out taken);
                pool.Free(taken);
            }

            return Clock.Ticks() - start;
        }
    }
}
