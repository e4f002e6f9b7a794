// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// One process's part of the CPU-time figure: one way at 2 kHz for a number of handler calls with no other
    /// allocations, or (way 0) an idle program that sleeps as long. run.sh runs each in its own nanoCLR process under
    /// /usr/bin/time: a way's user + system time less the idle program's, divided by its events, is what one event
    /// costs the interpreter (timer dispatch, handler, main thread). It depends far less on the machine's load than
    /// latencies do, and its inverse bounds the rate one core can sustain.
    /// </summary>
    internal static class CpuFigures
    {
        private const int PeriodMicros = 500;
        private const int Blocks = 24;
        private const int QueueCapacity = 20;

        /// <summary>Runs way <paramref name="way"/> (1 pool, 2 new byte[], 3 lock pool; 0 idle) for <paramref name="events"/> calls.</summary>
        internal static void Run(int way, int events, Results results)
        {
            Console.WriteLine("");
            NativeGC.Run(true);
            if (way == 0)
            {
                Console.WriteLine("== CPU time per event: the idle program, " + (events * PeriodMicros / 1000).ToString() + " ms asleep");
                Thread.Sleep(events * PeriodMicros / 1000);
                results.Add("cpu.idle.events", 0, "n");
                return;
            }

            CaptureWay pipeline = way == 1 ? (CaptureWay)new PoolWay(Blocks, QueueCapacity)
                : way == 2 ? (CaptureWay)new HeapWay(QueueCapacity)
                : new LockPoolWay(Blocks, QueueCapacity);
            string key = way == 1 ? "pool" : way == 2 ? "new_byte" : "lock_pool";
            Console.WriteLine("== CPU time per event: " + pipeline.Name + " at 2 kHz for " + events.ToString() + " handler calls, no other allocations");
            WayResult r = PipelineRun.Run(pipeline, PeriodMicros, events, null, new GcCounter());
            Console.WriteLine(r.Name + ": " + r.Events.ToString() + " handler calls in " + (r.ElapsedMicros / 1000).ToString() + " ms, dropped "
                + r.HandlerDrops.ToString() + ", lost before the handler " + r.LostBeforeHandler.ToString() + ", collections " + r.Collections.ToString()
                + (r.AddsUp ? string.Empty : ", ACCOUNTING FAILED"));
            results.Add("cpu." + key + ".events", r.Events, "n");
        }
    }
}
