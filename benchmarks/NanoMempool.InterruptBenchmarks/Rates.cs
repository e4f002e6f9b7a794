// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// The highest timer rate each way sustains with zero drops: none dropped in the handler, no expiry lost before it,
    /// and the handler keeping up (at the end of the step, at most 20 ms, a quantum, behind its timer): for each way, rates in ascending order, each for a fixed time, until the first rate with a drop; the whole
    /// ladder a few times. The pipeline only: no other allocations on the main thread. Twice: with the esp32-irq
    /// sample's sizes (24 blocks, queue 20), and with ten times as many (240, queue 200), which absorb ten times
    /// longer stalls of the interrupt thread's host. Meant for the 64-bit interpreter (timing).
    /// </summary>
    internal static class Rates
    {
        // Pool and queue sizes of each ladder: the sample's, then ten times as many.
        private static readonly int[] Blocks = { 24, 240 };
        private static readonly int[] QueueCapacity = { 20, 200 };

        // A handler this far behind its timer at the end of a step has not kept up: the nanoCLR quantum, µs.
        private const long MaxLagMicros = 20000;

        // Timer periods to try, µs: 1, 2, 4, 5, 8, 10, 12.5, 16.7, 20, 25, 33, 40, 50 kHz.
        private static readonly int[] Periods = { 1000, 500, 250, 200, 125, 100, 80, 60, 50, 40, 30, 25, 20 };

        /// <summary>Runs the ladders; each step lasts <paramref name="stepMillis"/> of timer time.</summary>
        internal static void Run(int stepMillis, int repeats, int maxSteps, Results results)
        {
            for (int size = 0; size < Blocks.Length; size++)
            {
                Console.WriteLine("");
                Console.WriteLine("== highest rate with zero drops: each rate for " + stepMillis.ToString() + " ms, ladder "
                    + repeats.ToString() + " times; pool " + Blocks[size].ToString() + ", queue " + QueueCapacity[size].ToString() + ", no other allocations");
                for (int w = 0; w < 3; w++)
                {
                    Ladders(size, w, stepMillis, repeats, maxSteps, results);
                }
            }
        }

        private static void Ladders(int size, int w, int stepMillis, int repeats, int maxSteps, Results results)
        {
            GcCounter collections = new GcCounter();
            int steps = maxSteps < Periods.Length ? maxSteps : Periods.Length;
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
                    CaptureWay way = w == 0 ? (CaptureWay)new PoolWay(Blocks[size], QueueCapacity[size])
                        : w == 1 ? (CaptureWay)new HeapWay(QueueCapacity[size])
                        : new LockPoolWay(Blocks[size], QueueCapacity[size]);
                    WayResult r = PipelineRun.Run(way, period, events, null, collections);
                    name = r.Name;
                    long hz = 1000000 / period;
                    Console.WriteLine("  " + r.Name + ", " + hz.ToString() + " Hz: " + r.Events.ToString() + " calls, dropped "
                        + r.HandlerDrops.ToString() + " (no buffer " + r.NoBuffer.ToString() + ", queue full " + r.QueueFull.ToString()
                        + ", oom " + r.HandlerOutOfMemory.ToString() + "), lost before the handler " + r.LostBeforeHandler.ToString()
                        + ", behind at the end " + (r.LagAtEndMicros / 1000).ToString() + " ms, expiry to handler p99 " + r.LatenessP99.ToString() + ", max " + r.LatenessMax.ToString() + " us" + (r.AddsUp ? string.Empty : ", ACCOUNTING FAILED"));
                    if (!r.AddsUp)
                    {
                        throw new InvalidOperationException(r.Name + " at " + hz.ToString() + " Hz: the accounting does not add up");
                    }

                    if (!r.ZeroDrops || r.LagAtEndMicros > MaxLagMicros)
                    {
                        break;
                    }

                    best[rep] = hz;
                }
            }

            string key = (w == 0 ? "pool" : w == 1 ? "new_byte" : "lock_pool") + "." + Blocks[size].ToString();
            string list = string.Empty;
            for (int rep = 0; rep < repeats; rep++)
            {
                list += (rep == 0 ? string.Empty : ", ") + best[rep].ToString();
                results.Add("rate." + key + ".zero_drop_hz." + rep.ToString(), best[rep], "Hz");
            }

            Console.WriteLine(name + ", pool " + Blocks[size].ToString() + ": highest rate with zero drops, per ladder: " + list + " Hz");
        }
    }
}
