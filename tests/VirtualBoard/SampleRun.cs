// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Device.Gpio;
using System.Threading;
using Esp32Irq;
using nanoFramework.Hardware.Esp32;
using NanoMempool;

namespace VirtualBoard
{
    /// <summary>
    /// The esp32-irq sample itself (its Program.cs wiring and handlers, compiled into this program) for a bounded
    /// time: its 1 kHz HighResTimer, and its BOOT pin GPIO0 wired (NANOCLR_GPIO_WIRES "2>0") to GPIO2, which a driver
    /// thread toggles in bursts like a bouncing button. Sees every sample the main thread processes, then checks the
    /// accounting (every event captured or dropped by cause, every captured sample processed, every block home) and
    /// reports drops, high-water marks and latencies: timer expiry to handler entry (expiry n is due n periods after
    /// the timer started, the virtual board's esp_timer schedule) and toggle to handler entry, both from
    /// HighResTimer.GetCurrent.
    /// </summary>
    internal static class SampleRun
    {
        private const string Part = "sample";
        private const int RunMilliseconds = 4000;
        private const int DriverPin = 2;
        private const int EdgesPerBurst = 4;
        private const int BurstEveryMilliseconds = 50;

        // The driver stops this long before the sample's run ends, so that all its edges reach a subscribed handler.
        private const int DriverMarginMilliseconds = 500;
        private const int MaxEdges = (RunMilliseconds / BurstEveryMilliseconds + 1) * EdgesPerBurst;

        private static readonly LatencyHistogram s_timerLateness = new LatencyHistogram();
        private static readonly LatencyHistogram s_edgeLatency = new LatencyHistogram();
        private static readonly long[] s_toggledAt = new long[MaxEdges];
        private static readonly ManualResetEvent s_sampling = new ManualResetEvent(false);
        private static GpioPin s_driver;
        private static int s_toggles;
        private static int s_samples;
        private static int s_timerSamples;
        private static int s_edgeSamples;
        private static int s_malformed;
        private static int s_nextTimerSequence;
        private static int s_nextEdgeSequence;
        private static long s_lastTimerCapture;

        /// <summary>Runs the sample and prints its verdicts and figures. Main thread.</summary>
        internal static void Run(Checks checks)
        {
            GpioController gpio = new GpioController();
            s_driver = gpio.OpenPin(DriverPin, PinMode.Output);
            Thread driver = new Thread(Drive);
            driver.Start();

            SensorPipeline pipeline = Esp32Irq.Program.Run(RunMilliseconds, OnSample);
            driver.Join(RunMilliseconds);
            s_driver.Dispose();
            gpio.Dispose();

            BlockPool pool = pipeline.Pool;
            BlockQueue queue = pipeline.Queue;
            int dropped = pipeline.DroppedPoolEmpty + pipeline.DroppedQueueFull;
            int timerCalls = s_nextTimerSequence;
            long dueByLast = (s_lastTimerCapture - Esp32Irq.Program.TimerStartedMicroseconds) / (long)Esp32Irq.Program.SamplePeriodMicroseconds;

            checks.That(pipeline.Events == pipeline.Captured + dropped, Part, "every event captured or dropped by cause",
                "events " + pipeline.Events.ToString() + ", captured " + pipeline.Captured.ToString() + ", dropped " + dropped.ToString());
            checks.That(pipeline.Processed == pipeline.Captured, Part, "every captured sample processed",
                "captured " + pipeline.Captured.ToString() + ", processed " + pipeline.Processed.ToString());
            checks.That(s_samples == pipeline.Processed && s_samples == s_timerSamples + s_edgeSamples, Part, "every processed sample seen, as a timer or an edge sample",
                "processed " + pipeline.Processed.ToString() + ", seen " + s_samples.ToString() + " (timer " + s_timerSamples.ToString() + ", edge " + s_edgeSamples.ToString() + ")");
            checks.That(s_malformed == 0, Part, "samples well formed and in order", s_malformed.ToString() + " samples with a wrong kind, pin or sequence");
            string problem;
            checks.That(pool.Validate(out problem), Part, "every block home: Validate", problem);
            checks.That(pool.FreeCount == pool.Capacity && queue.Count == 0, Part, "every block home: FreeCount == Capacity, queue empty",
                "free " + pool.FreeCount.ToString() + " of " + pool.Capacity.ToString() + ", queued " + queue.Count.ToString());
            checks.That(s_timerSamples > 0 && timerCalls <= dueByLast && s_timerLateness.Min >= 0, Part, "the timer handler ran, never before its expiry was due",
                timerCalls.ToString() + " calls, " + dueByLast.ToString() + " expiries due by the last one, earliest " + s_timerLateness.Min.ToString() + " us after its expiry");
            checks.That(s_edgeSamples > 0 && s_edgeSamples <= s_toggles, Part, "the GPIO handler ran, at most once per toggle",
                s_edgeSamples.ToString() + " edge samples for " + s_toggles.ToString() + " toggles");

            BlockPoolStatistics ps = pool.Statistics;
            BlockQueueStatistics qs = queue.Statistics;
            checks.Report(Part, "events " + pipeline.Events.ToString() + " (timer calls " + timerCalls.ToString() + " for " + dueByLast.ToString() + " expiries, edges "
                + s_edgeSamples.ToString() + " of " + s_toggles.ToString() + " toggles), dropped " + dropped.ToString() + " (pool empty "
                + pipeline.DroppedPoolEmpty.ToString() + ", queue full " + pipeline.DroppedQueueFull.ToString() + "), peak pool "
                + ps.PeakInUse.ToString() + "/" + pool.Capacity.ToString() + " queue " + qs.HighWater.ToString() + "/" + queue.Capacity.ToString()
                + ", timer expiry to handler " + s_timerLateness.Describe() + ", toggle to handler " + s_edgeLatency.Describe());
        }

        // Main thread (SensorPipeline.ProcessNext), with the sample's block still held.
        private static void OnSample(Block sample, long ageMicroseconds)
        {
            byte[] b = sample.Buffer;
            int sequence = b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24);
            long capturedAt = ReadInt64(b, 8);
            s_samples++;
            if (s_samples == 1)
            {
                s_sampling.Set();
            }

            if (b[0] == SensorPipeline.KindTimer && b[1] == 0)
            {
                s_timerSamples++;
                if (sequence < s_nextTimerSequence || capturedAt < s_lastTimerCapture)
                {
                    s_malformed++;
                }

                s_nextTimerSequence = sequence + 1;
                s_lastTimerCapture = capturedAt;
                long due = Esp32Irq.Program.TimerStartedMicroseconds + ((sequence + 1) * (long)Esp32Irq.Program.SamplePeriodMicroseconds);
                s_timerLateness.Add(capturedAt - due);
            }
            else if (b[0] == SensorPipeline.KindEdge && b[1] == Esp32Irq.Program.ButtonPin)
            {
                s_edgeSamples++;
                if (sequence < s_nextEdgeSequence || sequence >= s_toggles)
                {
                    s_malformed++;
                }
                else
                {
                    s_edgeLatency.Add(capturedAt - s_toggledAt[sequence]);
                }

                s_nextEdgeSequence = sequence + 1;
            }
            else
            {
                s_malformed++;
            }
        }

        // Driver thread: bursts of EdgesPerBurst toggles 1 ms apart, every BurstEveryMilliseconds, once the sample runs.
        private static void Drive()
        {
            s_sampling.WaitOne(RunMilliseconds, false);
            long stopAt = (long)HighResTimer.GetCurrent() + ((RunMilliseconds - DriverMarginMilliseconds) * 1000L);
            while ((long)HighResTimer.GetCurrent() < stopAt && s_toggles + EdgesPerBurst <= MaxEdges)
            {
                for (int i = 0; i < EdgesPerBurst; i++)
                {
                    s_toggledAt[s_toggles] = (long)HighResTimer.GetCurrent();
                    s_toggles++;
                    s_driver.Toggle();
                    Thread.Sleep(1);
                }

                Thread.Sleep(BurstEveryMilliseconds);
            }
        }

        private static long ReadInt64(byte[] buffer, int at)
        {
            long value = 0;
            for (int i = 7; i >= 0; i--)
            {
                value = (value << 8) | buffer[at + i];
            }

            return value;
        }
    }
}
