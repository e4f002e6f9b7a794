// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Device.Gpio;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using NanoMempool;

namespace Esp32Irq
{
    /// <summary>
    /// ESP32 DevKit wiring for <see cref="SensorPipeline"/>: a 1 kHz HighResTimer and the BOOT button's edges feed
    /// the pipeline; the main thread runs it. All logic is in SensorPipeline.cs, which the host simulation also runs.
    /// </summary>
    public static class Program
    {
        /// <summary>GPIO 0: the DevKit's BOOT button (active low; no wiring needed).</summary>
        internal const int ButtonPin = 0;

        /// <summary>Sampling period of the HighResTimer in microseconds: 1000 µs = 1 kHz.</summary>
        internal const ulong SamplePeriodMicroseconds = 1000;

        /// <summary>Bytes per block: a sample uses 16; a packet packs (64 - 4) / 8 = 7 samples.</summary>
        private const int BlockSize = 64;

        /// <summary>
        /// Blocks reserved at start-up, enough for 20 ms of backlog at 1 kHz: 4.2 KB of managed heap on the ESP32
        /// (24 x (64 + 92) B + 552 B; the queue adds 636 B). The host simulation's report prints these figures.
        /// </summary>
        private const int BlockCount = 24;

        /// <summary>Queue room: fewer than BlockCount, so the main thread's Alloc always completes.</summary>
        private const int QueueCapacity = 20;

        /// <summary>How often the main thread prints the statistics line.</summary>
        private const int ReportIntervalMilliseconds = 5000;

        // Kept in static fields so that the GC never collects them while their events are wired.
        private static SensorPipeline s_pipeline;
        private static GpioController s_gpio;
        private static GpioPin s_button;
        private static HighResTimer s_timer;

        /// <summary>Reserves the pool, wires the handlers and runs the main loop forever.</summary>
        public static void Main()
        {
            Run(Timeout.Infinite, null);
        }

        /// <summary>When the HighResTimer was started (µs): its n-th expiry is due one period later per n.</summary>
        internal static long TimerStartedMicroseconds { get; private set; }

        /// <summary>
        /// Reserves the pool, wires the handlers and runs the main loop: forever when <paramref name="runMilliseconds"/>
        /// is <see cref="Timeout.Infinite"/> (<see cref="Main"/>), else for that long; then stops the timer, unwires
        /// the button, processes what the handlers had queued, frees every block, prints the last statistics line
        /// and returns the pipeline. <paramref name="processor"/> (may be null) sees each sample; the virtual-board
        /// run of the device tier (tests/VirtualBoard) uses both.
        /// </summary>
        internal static SensorPipeline Run(int runMilliseconds, SampleProcessor processor)
        {
            BlockPool pool = new BlockPool(BlockSize, BlockCount);
            BlockQueue queue = new BlockQueue(QueueCapacity);
            s_pipeline = new SensorPipeline(pool, queue, Now);
            s_pipeline.Processor = processor;

            s_gpio = new GpioController();
            s_button = s_gpio.OpenPin(ButtonPin, PinMode.InputPullUp);
            s_button.ValueChanged += OnButtonChanged;

            s_timer = new HighResTimer();
            s_timer.OnHighResTimerExpired += OnSampleTimer;
            TimerStartedMicroseconds = Now();
            s_timer.StartOnePeriodic(SamplePeriodMicroseconds);

            Console.WriteLine("esp32-irq: " + BlockCount + " blocks of " + BlockSize + " bytes, queue " + QueueCapacity
                + ", sampling every " + SamplePeriodMicroseconds + " us; press BOOT for edges.");
            s_pipeline.Run(ReportIntervalMilliseconds, runMilliseconds);

            // A bounded run ends here: no new events, then the ones already queued for the handlers, then every block home.
            s_button.ValueChanged -= OnButtonChanged;
            s_timer.Stop();
            WaitForQueuedEvents();
            while (s_pipeline.ProcessNext(0))
            {
            }

            s_pipeline.Stop();
            Console.WriteLine(s_pipeline.StatusLine());
            s_timer.Dispose();
            s_button.Dispose();
            s_gpio.Dispose();
            return s_pipeline;
        }

        /// <summary>
        /// Returns once the interrupt thread has run the handlers of every event posted before the call. Native events
        /// reach the handlers in the order they were posted, one at a time, so the expiry of a one-shot timer started
        /// now is handled after all of them, however far behind the interrupt thread is. Main thread.
        /// </summary>
        private static void WaitForQueuedEvents()
        {
            using (HighResTimer marker = new HighResTimer())
            {
                ManualResetEvent handled = new ManualResetEvent(false);
                marker.OnHighResTimerExpired += (sender, e) => handled.Set();
                marker.StartOneShot(1);
                handled.WaitOne();
            }
        }

        /// <summary>GPIO handler, on the managed interrupt thread: must not block.</summary>
        private static void OnButtonChanged(object sender, PinValueChangedEventArgs e)
        {
            s_pipeline.OnEdge(e.PinNumber, e.ChangeType == PinEventTypes.Rising);
        }

        /// <summary>HighResTimer handler, on the managed interrupt thread: must not block.</summary>
        private static void OnSampleTimer(HighResTimer sender, object e)
        {
            s_pipeline.OnTimerTick();
        }

        private static long Now()
        {
            return (long)HighResTimer.GetCurrent();
        }
    }
}
