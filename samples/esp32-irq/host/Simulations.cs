// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using NanoMempool;

namespace Esp32Irq.Host
{
    /// <summary>
    /// Runs the unchanged <see cref="SensorPipeline"/> with real threads (--stress): a "timer interrupt" thread, a
    /// "GPIO edge" thread and the main thread as consumer. On the device both handlers run one at a time on
    /// nanoFramework's single interrupt thread; here they run on two threads at once, a harder test of the lock-free
    /// paths. Its drops depend on the host's scheduling: it records how late each interrupt ran and how long the
    /// main thread was held up, so that the report can tell a starved run from a small pool.
    /// </summary>
    public static class RealTimeSimulation
    {
        /// <summary>The GPIO pin number the simulated edges report (the sample's data-ready/button pin).</summary>
        public const int EdgePin = 0;

        public static SimulationResult Run(Options o, Action<string> progress)
        {
            int poolSize = o.PoolSize;
            BlockPool pool = new BlockPool(o.BlockSize, poolSize);
            BlockQueue queue = new BlockQueue(o.QueueFor(poolSize));
            long origin = Stopwatch.GetTimestamp();
            MicrosecondClock clock = () => Clocks.Microseconds(Stopwatch.GetTimestamp() - origin);
            SensorPipeline pipeline = new SensorPipeline(pool, queue, clock);

            // Never needed if no block leaks (see SensorPipeline's forward-progress argument); bounds a broken run.
            pipeline.PacketAllocTimeout = 2000;

            List<long> ages = new List<long>();
            List<long> heldUp = new List<long>();
            pipeline.Processor = (block, age) =>
            {
                ages.Add(age);
                long started = clock();
                Clocks.Work(clock, o.ProcessMicroseconds);
                heldUp.Add(Math.Max(0, clock() - started - o.ProcessMicroseconds));
            };

            long end = (long)(o.DurationSeconds * 1000000);
            List<long> timerTimes = new List<long>();
            List<long> edgeTimes = new List<long>();
            List<long> timerLate = new List<long>();
            List<long> edgeLate = new List<long>();
            Thread timer = new Thread(() =>
            {
                for (long due = o.TimerPeriodMicroseconds; due < end; due += o.TimerPeriodMicroseconds)
                {
                    Clocks.WaitUntil(clock, due);
                    long t0 = Stopwatch.GetTimestamp();
                    timerLate.Add(Clocks.Microseconds(t0 - origin) - due);
                    pipeline.OnTimerTick();
                    timerTimes.Add(Clocks.Nanoseconds(Stopwatch.GetTimestamp() - t0));
                }
            });
            Thread gpio = new Thread(() =>
            {
                foreach (long due in EdgeSchedule.Times(o, end))
                {
                    Clocks.WaitUntil(clock, due);
                    long t0 = Stopwatch.GetTimestamp();
                    edgeLate.Add(Clocks.Microseconds(t0 - origin) - due);
                    pipeline.OnEdge(EdgePin, (edgeTimes.Count & 1) == 0);
                    edgeTimes.Add(Clocks.Nanoseconds(Stopwatch.GetTimestamp() - t0));
                }
            });
            timer.Priority = ThreadPriority.Highest;
            gpio.Priority = ThreadPriority.Highest;
            timer.Start();
            gpio.Start();

            long nextProgress = 0;
            while (clock() < end)
            {
                pipeline.ProcessNext(20);
                if (progress != null && clock() >= nextProgress)
                {
                    nextProgress = clock() + 200000;
                    progress(ProgressLine(pipeline, clock()));
                }
            }

            timer.Join();
            gpio.Join();
            if (progress != null)
            {
                progress(ProgressLine(pipeline, clock()));
            }

            SimulationResult r = Collect(o, pipeline, poolSize, false);
            r.TimerEvents = timerTimes.Count;
            r.EdgeEvents = edgeTimes.Count;
            List<long> handler = new List<long>(timerTimes);
            handler.AddRange(edgeTimes);
            r.HandlerNanoseconds = handler.ToArray();
            r.SampleAgeMicroseconds = ages.ToArray();
            List<long> late = new List<long>(timerLate);
            late.AddRange(edgeLate);
            r.LatenessMicroseconds = late.ToArray();
            r.MainHeldUpMicroseconds = heldUp.ToArray();
            r.QueueWaits = queue.Statistics.Waits;
            r.LongestWaitMicroseconds = pipeline.LongestWaitMicroseconds;
            r.Seconds = end / 1e6;
            return r;
        }

        /// <summary>The live line: blocks in use, queue depth, misses, waits.</summary>
        public static string ProgressLine(SensorPipeline p, long nowMicroseconds)
        {
            return SimulationResult.F(nowMicroseconds / 1e6, 1) + " s | blocks in use " + (p.Pool.Capacity - p.Pool.FreeCount) + "/" + p.Pool.Capacity
                + " | queue " + p.Queue.Count + "/" + p.Queue.Capacity
                + " | captured " + p.Captured + " | misses " + (p.DroppedPoolEmpty + p.DroppedQueueFull)
                + " (pool empty " + p.DroppedPoolEmpty + ", queue full " + p.DroppedQueueFull + ")"
                + " | waits " + (p.Queue.Statistics.Waits + p.Pool.Statistics.Waits);
        }

        /// <summary>After Stop, through the public API: every block home, every enqueue matched by a dequeue.</summary>
        internal static string CheckQuiescent(BlockPool pool, BlockQueue queue)
        {
            if (pool.Statistics.Allocations != pool.Statistics.Frees)
            {
                return "pool: " + pool.Statistics.Allocations + " allocations but " + pool.Statistics.Frees + " frees.";
            }

            if (pool.FreeCount != pool.Capacity)
            {
                return "pool: only " + pool.FreeCount + " of " + pool.Capacity + " blocks are free.";
            }

            if (queue.Count != 0 || queue.Statistics.Enqueued != queue.Statistics.Dequeued)
            {
                return "queue: " + queue.Count + " left, " + queue.Statistics.Enqueued + " enqueued, " + queue.Statistics.Dequeued + " dequeued.";
            }

            return null;
        }

        /// <summary>Stops the pipeline (drains and frees) and reads the counters common to both modes.</summary>
        internal static SimulationResult Collect(Options o, SensorPipeline pipeline, int poolSize, bool isVirtual)
        {
            SimulationResult r = new SimulationResult();
            r.Virtual = isVirtual;
            r.PoolSize = poolSize;
            r.QueueCapacity = pipeline.Queue.Capacity;
            r.BlockSize = o.BlockSize;
            r.LeftInQueue = pipeline.Stop();
            r.PipelineEvents = pipeline.Events;
            r.Captured = pipeline.Captured;
            r.DroppedPoolEmpty = pipeline.DroppedPoolEmpty;
            r.DroppedQueueFull = pipeline.DroppedQueueFull;
            r.Processed = pipeline.Processed;
            r.PacketsSent = pipeline.PacketsSent;
            r.PoolWaits = pipeline.Pool.Statistics.Waits;
            r.PoolPeakInUse = pipeline.Pool.Statistics.PeakInUse;
            r.QueueHighWater = pipeline.Queue.Statistics.HighWater;
            r.FreeAtEnd = pipeline.Pool.FreeCount;
            r.InvariantViolation = CheckQuiescent(pipeline.Pool, pipeline.Queue);
            return r;
        }
    }

    /// <summary>
    /// Runs the same load in simulated time on one thread: handlers run at their exact due times, also while the
    /// main thread is "working" on a sample (it holds the block meanwhile), and the main thread idles when the
    /// queue is empty. Repeatable to the event, and instant: the default run, --sweep, and the reference of --stress.
    /// </summary>
    public static class VirtualSimulation
    {
        public static SimulationResult Run(Options o, int poolSize)
        {
            long now = 0;
            BlockPool pool = new BlockPool(o.BlockSize, poolSize);
            BlockQueue queue = new BlockQueue(o.QueueFor(poolSize));
            SensorPipeline pipeline = new SensorPipeline(pool, queue, () => now);

            // One thread: a waiting Alloc could never be served, and by the forward-progress argument it never has
            // to wait. Poll, so that a leak fails the run instead of hanging it.
            pipeline.PacketAllocTimeout = 0;
            long end = (long)(o.DurationSeconds * 1000000);

            long period = o.TimerPeriodMicroseconds;
            long nextTick = period;
            IEnumerator<long> edges = EdgeSchedule.Times(o, end).GetEnumerator();
            long nextEdge = edges.MoveNext() ? edges.Current : long.MaxValue;
            List<long> handler = new List<long>();
            List<long> ages = new List<long>();
            int timerEvents = 0;
            int edgeEvents = 0;

            Func<long> nextEvent = () => Math.Min(nextTick < end ? nextTick : long.MaxValue, nextEdge);
            Action dispatch = () =>
            {
                long t0 = Stopwatch.GetTimestamp();
                if (nextTick < end && nextTick <= nextEdge)
                {
                    now = nextTick;
                    pipeline.OnTimerTick();
                    nextTick += period;
                    timerEvents++;
                }
                else
                {
                    now = nextEdge;
                    pipeline.OnEdge(RealTimeSimulation.EdgePin, (edgeEvents & 1) == 0);
                    nextEdge = edges.MoveNext() ? edges.Current : long.MaxValue;
                    edgeEvents++;
                }

                handler.Add(Clocks.Nanoseconds(Stopwatch.GetTimestamp() - t0));
            };

            // The main thread works on a sample for --process us while holding its block; interrupts due in that
            // time run "during" the work.
            pipeline.Processor = (block, age) =>
            {
                ages.Add(age);
                long done = now + o.ProcessMicroseconds;
                while (nextEvent() <= done)
                {
                    dispatch();
                }

                now = done;
            };

            long waits = 0;
            long longestWait = 0;
            while (true)
            {
                if (queue.Count > 0)
                {
                    pipeline.ProcessNext(0);
                    continue;
                }

                long t = nextEvent();
                if (t == long.MaxValue)
                {
                    break;
                }

                // Queue empty: the main thread sleeps in Dequeue until the next handler enqueues.
                waits++;
                if (t - now > longestWait)
                {
                    longestWait = t - now;
                }

                dispatch();
            }

            SimulationResult r = RealTimeSimulation.Collect(o, pipeline, poolSize, true);
            r.TimerEvents = timerEvents;
            r.EdgeEvents = edgeEvents;
            r.HandlerNanoseconds = handler.ToArray();
            r.SampleAgeMicroseconds = ages.ToArray();
            r.QueueWaits = waits;
            r.LongestWaitMicroseconds = longestWait;
            r.Seconds = end / 1e6;
            return r;
        }
    }

    /// <summary>When the simulated GPIO edges happen: bursts in the middle of each --burst-every interval.</summary>
    public static class EdgeSchedule
    {
        public static IEnumerable<long> Times(Options o, long endMicroseconds)
        {
            if (o.BurstSize == 0)
            {
                yield break;
            }

            long every = o.BurstEveryMilliseconds * 1000L;
            for (long start = every / 2; start < endMicroseconds; start += every)
            {
                for (int j = 0; j < o.BurstSize; j++)
                {
                    long t = start + ((long)j * o.BurstSpacingMicroseconds);
                    if (t >= endMicroseconds)
                    {
                        yield break;
                    }

                    yield return t;
                }
            }
        }
    }

    /// <summary>Stopwatch conversions, waiting for a due time, and simulated work.</summary>
    internal static class Clocks
    {
        internal static long Microseconds(long ticks)
        {
            return (long)(ticks * (1000000.0 / Stopwatch.Frequency));
        }

        internal static long Nanoseconds(long ticks)
        {
            return (long)(ticks * (1000000000.0 / Stopwatch.Frequency));
        }

        /// <summary>Sleeps while the due time is far, then yields/spins (a 1 ms sleep is too coarse for 1 kHz).</summary>
        internal static void WaitUntil(MicrosecondClock clock, long dueMicroseconds)
        {
            while (true)
            {
                long left = dueMicroseconds - clock();
                if (left <= 0)
                {
                    return;
                }

                if (left > 2000)
                {
                    Thread.Sleep((int)((left - 1000) / 1000));
                }
                else if (left > 100)
                {
                    Thread.Yield();
                }
                else
                {
                    Thread.SpinWait(50);
                }
            }
        }

        /// <summary>Keeps the calling thread busy (it is "working") for the given time.</summary>
        internal static void Work(MicrosecondClock clock, long microseconds)
        {
            WaitUntil(clock, clock() + microseconds);
        }
    }
}
