// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using VirtualBoard;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// Runs one <see cref="CaptureWay"/> on the virtual board: a HighResTimer at the given period whose handler (on
    /// the CLR's interrupt thread) records its lateness (expiry n is due n periods after the start), captures one
    /// sample and records its own duration; the main thread processes samples (and, if given, does its other
    /// allocations) until the handler has run the given number of times; then stops the timer, processes what is
    /// left, and audits the buffers. The handler is the same for every way.
    /// </summary>
    internal static class PipelineRun
    {
        private const int DrainPollMilliseconds = 100;
        private const int GraceMicros = 500000;

        // Handler state (written by the handler only while the timer runs).
        private static CaptureWay s_way;
        private static HighResTimer s_timer;
        private static long s_start;
        private static long s_period;
        private static int s_calls;
        private static int s_captured;
        private static int s_noBuffer;
        private static int s_queueFull;
        private static int s_outOfMemory;
        private static int s_otherOutOfMemory;
        // Reused by every run, so that a run's figures cost the heap nothing once the first run made them.
        private static readonly LatencyHistogram s_lateness = new LatencyHistogram();
        private static readonly LatencyHistogram s_handlerTime = new LatencyHistogram();
        private static readonly ManualResetEvent s_marked = new ManualResetEvent(false);

        /// <summary>Runs <paramref name="way"/> for <paramref name="events"/> handler calls, one every <paramref name="periodMicros"/>.</summary>
        internal static WayResult Run(CaptureWay way, int periodMicros, int events, OtherAllocations load, GcCounter collections)
        {
            WayResult r = new WayResult();
            r.Name = way.Name;
            r.PeriodMicros = periodMicros;
            s_way = way;
            s_period = periodMicros;
            s_calls = 0;
            s_captured = 0;
            s_noBuffer = 0;
            s_queueFull = 0;
            s_outOfMemory = 0;
            s_otherOutOfMemory = 0;
            s_lateness.Reset();
            s_handlerTime.Reset();
            r.FreeBefore = NativeGC.Run(false);
            collections.Reset();

            HighResTimer timer = new HighResTimer();
            timer.OnHighResTimerExpired += OnTick;
            s_timer = timer;
            s_start = Now();
            timer.StartOnePeriodic((ulong)periodMicros);
            // Bounded by twice the nominal time plus a second: once the heap is exhausted the handler may fail before
            // it counts its call (the run's figures then show it).
            long giveUpAt = s_start + (2L * events * periodMicros) + 1000000;
            while (s_calls < events && Now() < giveUpAt)
            {
                try
                {
                    way.ProcessNext(20);
                    collections.Poll();
                    if (load != null)
                    {
                        load.Step(way.Processed);
                    }
                }
                catch (OutOfMemoryException)
                {
                    r.MainOutOfMemory++;
                }
            }

            // How far behind its timer the handler is now: the age of the expiry it handled last.
            r.LagAtEndMicros = Now() - (s_start + ((long)s_calls * periodMicros));

            // Lost expiries: those due by now that have not reached the handler after a grace time in which the timer
            // keeps running (the virtual board's timer thread may post late, never fewer).
            long dueNow = (Now() - s_start) / periodMicros;
            long graceUntil = Now() + GraceMicros;
            while (s_calls < dueNow && Now() < graceUntil)
            {
                way.ProcessNext(5);
            }

            r.LostBeforeHandler = dueNow > s_calls ? dueNow - s_calls : 0;
            timer.Stop();
            long stoppedAt = Now();

            // A handler that fell behind still has events queued in the CLR after Stop. Native events reach the
            // handlers in the order they were posted, so once a one-shot timer started now has been handled, so has
            // every expiry of ours: then nothing can capture any more, and the queue is emptied for the audit.
            s_marked.Reset();
            using (HighResTimer marker = new HighResTimer())
            {
                marker.OnHighResTimerExpired += OnMarker;
                marker.StartOneShot(1);
                while (!s_marked.WaitOne(DrainPollMilliseconds, false))
                {
                    way.ProcessNext(0);
                    collections.Poll();
                }
            }

            while (way.ProcessNext(0))
            {
                collections.Poll();
            }

            r.Drained = way.Drain();
            timer.Dispose();
            s_timer = null;
            r.Collections = collections.Count;

            r.Events = s_calls;
            r.ElapsedMicros = stoppedAt - s_start;
            r.Captured = s_captured;
            r.NoBuffer = s_noBuffer;
            r.QueueFull = s_queueFull;
            r.HandlerOutOfMemory = s_outOfMemory;
            r.OtherHandlerOutOfMemory = s_otherOutOfMemory;
            r.Processed = way.Processed;
            r.MainFailures = way.MainFailures;
            if (load != null)
            {
                r.LoadAllocations = load.Allocations;
                r.LoadOutOfMemory = load.OutOfMemory;
            }

            r.Audit = way.Audit();
            r.LatenessP50 = s_lateness.Percentile(500);
            r.LatenessP99 = s_lateness.Percentile(990);
            r.LatenessMax = s_lateness.Max;
            r.HandlerP50 = s_handlerTime.Percentile(500);
            r.HandlerP99 = s_handlerTime.Percentile(990);
            r.HandlerMax = s_handlerTime.Max;
            s_way = null;
            return r;
        }

        private static void OnMarker(HighResTimer sender, object e)
        {
            s_marked.Set();
        }

        private static long Now()
        {
            return (long)HighResTimer.GetCurrent();
        }

        // The handler: the same for every way; only s_way.Capture differs.
        // An OutOfMemoryException can come from any call once the heap is exhausted, because nanoCLR takes every
        // stack frame from the managed heap: it is counted, and the call's sample is lost (with its buffer, if the
        // way had taken one; the audit then says so).
        private static void OnTick(HighResTimer sender, object e)
        {
            long entered = (long)HighResTimer.GetCurrent();
            if (sender != s_timer)
            {
                // Not this run's timer: an earlier run drained its own events before it ended, so none should come;
                // one that did would not be counted here.
                return;
            }

            int call = s_calls;
            s_calls = call + 1;
            try
            {
                s_lateness.Add(entered - (s_start + ((call + 1) * s_period)));
                switch (s_way.Capture(call, entered))
                {
                    case CaptureWay.Captured: s_captured++; break;
                    case CaptureWay.NoBuffer: s_noBuffer++; break;
                    case CaptureWay.QueueFull: s_queueFull++; break;
                    default: s_outOfMemory++; break;
                }

                s_handlerTime.Add((long)HighResTimer.GetCurrent() - entered);
            }
            catch (OutOfMemoryException)
            {
                s_otherOutOfMemory++;
            }
        }
    }
}
