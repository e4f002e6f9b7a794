// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// The case for the pool: the same capture pipeline at 1 kHz, three ways, one after the other in one run (a fresh,
    /// compacted heap before each): (a) <see cref="PoolWay"/>, (b) <see cref="HeapWay"/>, (c) <see cref="LockPoolWay"/>,
    /// each for the same number of handler calls, with the main thread also doing <see cref="OtherAllocations"/>.
    /// Meant for the 32-bit interpreter with an ESP32's heap (NANOCLR_HEAP_BYTES=110000). Prints one table row per way
    /// and RESULT lines.
    /// </summary>
    internal static class ThreeWay
    {
        private const int PeriodMicros = 1000;
        private const int Blocks = 24;
        private const int QueueCapacity = 20;

        /// <summary>Runs the three ways for <paramref name="events"/> handler calls each.</summary>
        internal static void Run(int events, int loadKept, int loadMaxSize, Results results)
        {
            Console.WriteLine("");
            Console.WriteLine("== three ways at 1 kHz, " + events.ToString() + " handler calls each; pool " + Blocks.ToString() + " x "
                + Packing.BufferSize.ToString() + " B, queue " + QueueCapacity.ToString() + "; main thread also keeps "
                + loadKept.ToString() + " buffers of 256.." + loadMaxSize.ToString() + " B (about " + (loadKept * (256 + loadMaxSize) / 2048).ToString()
                + " KB), a new one every " + OtherAllocations.Every.ToString() + " samples");
            GcCounter collections = new GcCounter();
            WayResult[] rows = new WayResult[3];
            for (int w = 0; w < 3; w++)
            {
                NativeGC.Run(true);
                CaptureWay way = w == 0 ? (CaptureWay)new PoolWay(Blocks, QueueCapacity)
                    : w == 1 ? (CaptureWay)new HeapWay(QueueCapacity)
                    : new LockPoolWay(Blocks, QueueCapacity);
                OtherAllocations load = new OtherAllocations(loadKept, loadMaxSize);
                Console.WriteLine("PHASE start " + Key(w));
                rows[w] = PipelineRun.Run(way, PeriodMicros, events, load, collections);
                load.Release();
                way = null;
                Console.WriteLine("PHASE end " + Key(w));
                Print(rows[w], NativeGC.Run(false));
                Record(results, Key(w), rows[w]);
            }

            Console.WriteLine("");
            Console.WriteLine(Text.Left("way", 28) + Text.Right("events", 8) + Text.Right("lost", 6) + Text.Right("drops", 7)
                + Text.Right("OOM h", 7) + Text.Right("OOM m", 7) + Text.Right("GCs", 6) + Text.Right("late p50", 10) + Text.Right("p99", 8)
                + Text.Right("max", 8) + Text.Right("in h p99", 10) + Text.Right("max", 8) + "  adds up");
            for (int w = 0; w < 3; w++)
            {
                WayResult r = rows[w];
                Console.WriteLine(Text.Left(r.Name, 28) + Text.Right(r.Events.ToString(), 8) + Text.Right(r.LostBeforeHandler.ToString(), 6)
                    + Text.Right(r.HandlerDrops.ToString(), 7) + Text.Right((r.HandlerOutOfMemory + r.OtherHandlerOutOfMemory).ToString(), 7)
                    + Text.Right((r.MainFailures + r.MainOutOfMemory + r.LoadOutOfMemory).ToString(), 7)
                    + Text.Right(r.Collections.ToString(), 6) + Text.Right(r.LatenessP50.ToString(), 10)
                    + Text.Right(r.LatenessP99.ToString(), 8) + Text.Right(r.LatenessMax.ToString(), 8)
                    + Text.Right(r.HandlerP99.ToString(), 10) + Text.Right(r.HandlerMax.ToString(), 8)
                    + "  " + (r.AddsUp ? "yes" : "NO: " + (r.Audit == null ? "counts" : r.Audit)));
            }

            Console.WriteLine("(lost: expiries that never reached the handler; drops: samples lost in the handler, all causes; OOM h: OutOfMemoryExceptions"
                + " in the handler; OOM m: on the main thread, packet buffer, loop or other allocations; latencies in us: timer expiry to handler entry,"
                + " and handler entry to exit)");
        }

        /// <summary>
        /// The same three ways at each main-thread load in <paramref name="keptLevels"/> (buffers kept, 256 to
        /// <paramref name="maxSize"/> bytes each), <paramref name="events"/> handler calls each: where each way first
        /// meets an OutOfMemoryException.
        /// </summary>
        internal static void LoadSweep(int events, int[] keptLevels, int maxSize, Results results)
        {
            Console.WriteLine("");
            Console.WriteLine("== main-thread load sweep at 1 kHz, " + events.ToString() + " handler calls per way and level; buffers of 256.."
                + maxSize.ToString() + " B, a new one every " + OtherAllocations.Every.ToString() + " samples");
            Console.WriteLine(Text.Left("kept (KB)", 12) + Text.Left("way", 28) + Text.Right("lost", 6) + Text.Right("drops", 7) + Text.Right("OOM h", 7)
                + Text.Right("OOM m", 7) + Text.Right("GCs", 6) + Text.Right("late p99", 10) + "  adds up");
            GcCounter collections = new GcCounter();
            for (int l = 0; l < keptLevels.Length; l++)
            {
                int kept = keptLevels[l];
                for (int w = 0; w < 3; w++)
                {
                    NativeGC.Run(true);
                    CaptureWay way = w == 0 ? (CaptureWay)new PoolWay(Blocks, QueueCapacity)
                        : w == 1 ? (CaptureWay)new HeapWay(QueueCapacity)
                        : new LockPoolWay(Blocks, QueueCapacity);
                    OtherAllocations load = new OtherAllocations(kept, maxSize);
                    WayResult r = PipelineRun.Run(way, PeriodMicros, events, load, collections);
                    load.Release();
                    int handlerOom = r.HandlerOutOfMemory + r.OtherHandlerOutOfMemory;
                    int mainOom = r.MainFailures + r.MainOutOfMemory + r.LoadOutOfMemory;
                    Console.WriteLine(Text.Left(kept.ToString() + " (" + (kept * (256 + maxSize) / 2048).ToString() + ")", 12) + Text.Left(r.Name, 28)
                        + Text.Right(r.LostBeforeHandler.ToString(), 6) + Text.Right(r.HandlerDrops.ToString(), 7) + Text.Right(handlerOom.ToString(), 7)
                        + Text.Right(mainOom.ToString(), 7) + Text.Right(r.Collections.ToString(), 6) + Text.Right(r.LatenessP99.ToString(), 10)
                        + "  " + (r.AddsUp ? "yes" : "NO: " + (r.Audit == null ? "counts" : r.Audit)));
                    string p = "loadsweep." + kept.ToString() + "." + Key(w) + ".";
                    results.Add(p + "handler_oom", handlerOom, "n");
                    results.Add(p + "main_oom", mainOom, "n");
                    results.Add(p + "drops", r.HandlerDrops + r.LostBeforeHandler, "n");
                }
            }
        }

        private static string Key(int w)
        {
            return w == 0 ? "pool" : w == 1 ? "new_byte" : "lock_pool";
        }

        private static void Print(WayResult r, long freeAfter)
        {
            Console.WriteLine(r.Name + ": " + r.Events.ToString() + " handler calls in " + (r.ElapsedMicros / 1000).ToString() + " ms ("
                + r.LostBeforeHandler.ToString() + " expiries lost before the handler), captured " + r.Captured.ToString() + ", dropped " + r.HandlerDrops.ToString()
                + " (no buffer " + r.NoBuffer.ToString() + ", queue full " + r.QueueFull.ToString() + ", OutOfMemoryException in the way's "
                + "allocation " + r.HandlerOutOfMemory.ToString() + ", elsewhere in the handler " + r.OtherHandlerOutOfMemory.ToString()
                + "), processed " + r.Processed.ToString() + ", left queued " + r.Drained.ToString()
                + "; main thread: no packet buffer " + r.MainFailures.ToString() + " times, OutOfMemoryException in its loop " + r.MainOutOfMemory.ToString()
                + ", other allocations " + r.LoadAllocations.ToString() + " (OutOfMemoryException " + r.LoadOutOfMemory.ToString() + "); collections "
                + r.Collections.ToString()
                + "; expiry to handler p50 " + r.LatenessP50.ToString() + ", p99 " + r.LatenessP99.ToString() + ", max " + r.LatenessMax.ToString()
                + " us; in the handler p50 " + r.HandlerP50.ToString() + ", p99 " + r.HandlerP99.ToString() + ", max " + r.HandlerMax.ToString()
                + " us; free heap " + r.FreeBefore.ToString() + " B at the start, " + freeAfter.ToString() + " B after (its buffers released); "
                + (r.AddsUp ? "accounting adds up, every buffer home" : "ACCOUNTING FAILED: " + (r.Audit == null ? "counts differ" : r.Audit)));
        }

        private static void Record(Results results, string key, WayResult r)
        {
            string p = "threeway." + key + ".";
            results.Add(p + "events", r.Events, "n");
            results.Add(p + "lost_before_handler", r.LostBeforeHandler, "n");
            results.Add(p + "handler_drops", r.HandlerDrops, "n");
            results.Add(p + "handler_oom", r.HandlerOutOfMemory, "n");
            results.Add(p + "handler_other_oom", r.OtherHandlerOutOfMemory, "n");
            results.Add(p + "main_oom", r.MainOutOfMemory, "n");
            results.Add(p + "main_no_packet", r.MainFailures, "n");
            results.Add(p + "load_oom", r.LoadOutOfMemory, "n");
            results.Add(p + "collections", r.Collections, "n");
            results.Add(p + "lateness_p50", r.LatenessP50, "us");
            results.Add(p + "lateness_p99", r.LatenessP99, "us");
            results.Add(p + "lateness_max", r.LatenessMax, "us");
            results.Add(p + "handler_p99", r.HandlerP99, "us");
            results.Add(p + "handler_max", r.HandlerMax, "us");
            results.Add(p + "adds_up", r.AddsUp ? 1 : 0, "bool");
        }
    }
}
