// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// The highest timer rate each way sustains with zero drops (none dropped in the handler, no expiry lost before
    /// it): for each way, rates in ascending order, each for a fixed time, until the first rate with a drop; the
    /// whole ladder <paramref name="repeats"/> times. The pipeline only: no other allocations on the main thread.
    /// Meant for the 64-bit interpreter (timing).
    /// </summary>
    internal static class Rates
    {
        private const int Blocks = 24;
        private const int QueueCapacity = 20;

        // Timer periods to try, µs: 1, 2, 4, 5, 8, 10, 12.5, 16.7, 20, 25, 33, 40, 50 kHz.
        private static readonly int[] Periods = { 1000, 500, 250, 200, 125, 100, 80, 60, 50, 40, 30, 25, 20 };

        /// <summary>Runs the ladder; each step lasts <paramref name="stepMillis"/> of timer time.</summary>
        internal static void Run(int stepMillis, int repeats, int maxSteps, Results results)
        {
            Console.WriteLine("");
            Console.WriteLine("== highest rate with zero drops: each rate for " + stepMillis.ToString() + " ms, ladder "
                + repeats.ToString() + " times; pool " + Blocks.ToString() + ", queue " + QueueCapacity.ToString() + ", no other allocations");
            GcCounter collections = new GcCounter();
            int steps = maxSteps < Periods.Length ? maxSteps : Periods.Length;
            for (int w = 0; w < 3; w++)
            {
                long[] best = new long[repeats];
                string name = null;
                for (int rep = 0; rep < repeats; rep++)
                {
                    best[rep] = 0;
                    for (int s = 0; s < steps; s++)
                    {
                        int period = Periods[s];
                        int events = (int)((stepMillis * 1000L) / period);
                        NativeGC.Run(true);
                        CaptureWay way = w == 0 ? (CaptureWay)new PoolWay(Blocks, QueueCapacity)
                            : w == 1 ? (CaptureWay)new HeapWay(QueueCapacity)
                            : new LockPoolWay(Blocks, QueueCapacity);
                        WayResult r = PipelineRun.Run(way, period, events, null, collections);
                        name = r.Name;
                        long hz = 1000000 / period;
                        Console.WriteLine("  " + r.Name + ", " + hz.ToString() + " Hz: " + r.Events.ToString() + " calls, dropped "
                            + r.HandlerDrops.ToString() + " (no buffer " + r.NoBuffer.ToString() + ", queue full " + r.QueueFull.ToString()
                            + ", oom " + r.HandlerOutOfMemory.ToString() + "), lost before the handler " + r.LostBeforeHandler.ToString()
                            + ", expiry to handler p99 " + r.LatenessP99.ToString() + ", max " + r.LatenessMax.ToString() + " us" + (r.AddsUp ? string.Empty : ", ACCOUNTING FAILED"));
                        if (!r.AddsUp)
                        {
                            throw new InvalidOperationException(r.Name + " at " + hz.ToString() + " Hz: the accounting does not add up");
                        }

                        if (!r.ZeroDrops)
                        {
                            break;
                        }

                        best[rep] = hz;
                    }
                }

                string key = w == 0 ? "pool" : w == 1 ? "new_byte" : "lock_pool";
                string list = string.Empty;
                for (int rep = 0; rep < repeats; rep++)
                {
                    list += (rep == 0 ? string.Empty : ", ") + best[rep].ToString();
                    results.Add("rate." + key + ".zero_drop_hz." + rep.ToString(), best[rep], "Hz");
                }

                Console.WriteLine(name + ": highest rate with zero drops, per ladder: " + list + " Hz");
            }
        }
    }
}
