// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Device.Gpio;
using System.Threading;
using Esp32SpiFifo;
using Esp32SpiFifo.Host;
using NanoMempool;

namespace SensorBoard
{
    /// <summary>
    /// The esp32-spi-fifo sample's logic on nanoCLR's virtual board: FifoPipeline and Mpu6500Fifo, unchanged, over
    /// the simulated MPU-6500 (the host simulation's, which is C# 7.3 for this), with the data-ready handler on the
    /// CLR's interrupt thread, fed by the virtual board's pulses on GPIO 4 (NANOCLR_GPIO_PULSES="4:5ms:400": 200
    /// rising edges, one per sample). The main thread first holds back until the queue is full and the handler has
    /// left frames in the FIFO three times, so that later blocks must carry several frames. Prints one line per check
    /// and "SENSOR DONE"; a failed check ends the run with an unhandled exception.
    /// </summary>
    public static class Program
    {
        private const int DataReadyPin = 4;
        private const int RisingEdges = 200;
        private const int BlockSize = 64;

        // Static: the GC must not collect the pin while its handler is wired.
        private static GpioController s_gpio;
        private static GpioPin s_pin;
        private static SimulatedMpu6500 s_chip;
        private static FifoPipeline s_pipeline;
        private static int s_rising;
        private static int s_expected;
        private static int s_gaps;
        private static int s_outOfOrder;

        /// <summary>Runs the checks; returns when every one passed.</summary>
        public static void Main()
        {
            s_chip = new SimulatedMpu6500();
            Mpu6500Fifo driver = new Mpu6500Fifo(s_chip, FifoPipeline.FramesPerBlock(BlockSize));
            Check(driver.Configure(4) == Mpu6500Fifo.WhoAmIMpu6500, "the driver configures the chip and reads its WHO_AM_I");

            BlockPool pool = new BlockPool(BlockSize, 16);
            BlockQueue queue = new BlockQueue(12);
            s_pipeline = new FifoPipeline(pool, queue, driver, Now);
            s_pipeline.Sink = OnFrame;

            s_gpio = new GpioController();
            s_pin = s_gpio.OpenPin(DataReadyPin, PinMode.Input);
            s_pin.ValueChanged += OnDataReady;

            // Hold back: the queue fills, then the handler leaves frames in the FIFO.
            Check(WaitUntil(HeldBack, 10000), "the queue filled and the handler left frames in the FIFO 3 times (" + s_pipeline.DeferredQueueFull + ")");

            // Process until every pulse has come and everything queued is read.
            long until = Now() + 20000000;
            while ((s_rising < RisingEdges || queue.Count > 0) && Now() < until)
            {
                s_pipeline.ProcessNext(100);
            }

            Check(s_rising == RisingEdges, "every data-ready pulse reached the handler (" + s_rising + " of " + RisingEdges + ")");

            // No more pulses: what is still in the FIFO is read by calls from here (the handler context is idle).
            for (int i = 0; i < 100 && s_chip.FifoCount >= Mpu6500Fifo.FrameSize; i++)
            {
                s_pipeline.OnDataReady();
                while (s_pipeline.ProcessNext(0))
                {
                }
            }

            int sampled = s_chip.FramesWritten + s_chip.FramesNotWritten;
            Check(sampled == RisingEdges, "one sample per pulse (" + sampled + ")");
            Check(s_pipeline.FramesProcessed == sampled && s_gaps == 0 && s_outOfOrder == 0,
                "every frame delivered once, in order (" + s_pipeline.FramesProcessed + " of " + sampled + ", gaps " + s_gaps + ", out of order " + s_outOfOrder + ")");
            Check(s_pipeline.MostFramesInABlock >= 4, "blocks of varying length: up to " + s_pipeline.MostFramesInABlock + " frames in one block");
            Check(s_pipeline.BlocksProcessed == s_pipeline.BlocksQueued, "every queued block processed (" + s_pipeline.BlocksProcessed + ")");
            Check(pool.FreeCount == pool.Capacity, "every block back in the pool (" + pool.FreeCount + " of " + pool.Capacity + ")");
            Check(s_chip.EmptyFifoReads == 0 && s_pipeline.Overflows == 0, "no read of an empty FIFO, no overflow");

            string problem;
            Check(pool.Validate(out problem), "the pool's audit: " + (problem == null ? "clean" : problem));
            Console.WriteLine("SENSOR REPORT " + s_pipeline.StatusLine());
            Console.WriteLine("SENSOR DONE");
        }

        /// <summary>GPIO handler, on the CLR's interrupt thread: the chip took a sample and pulsed INT.</summary>
        private static void OnDataReady(object sender, PinValueChangedEventArgs e)
        {
            if (e.ChangeType == PinEventTypes.Rising)
            {
                s_rising++;
                s_chip.TakeSample();
                s_pipeline.OnDataReady();
            }
        }

        /// <summary>Main thread: X carries the sample number (16 bits); checks each frame comes once, in order.</summary>
        private static void OnFrame(int x, int y, int z)
        {
            int number = s_expected + (short)(x - (short)s_expected);
            if (number < s_expected)
            {
                s_outOfOrder++;
                return;
            }

            s_gaps += number - s_expected;
            s_expected = number + 1;
        }

        private static bool HeldBack()
        {
            return s_pipeline.DeferredQueueFull >= 3;
        }

        private delegate bool Condition();

        private static bool WaitUntil(Condition condition, int milliseconds)
        {
            for (int waited = 0; waited < milliseconds; waited += 10)
            {
                if (condition())
                {
                    return true;
                }

                Thread.Sleep(10);
            }

            return condition();
        }

        private static void Check(bool passed, string what)
        {
            Console.WriteLine((passed ? "SENSOR CHECK passed: " : "SENSOR CHECK failed: ") + what);
            if (!passed)
            {
                throw new InvalidOperationException("sensor check failed: " + what);
            }
        }

        private static long Now()
        {
            return DateTime.UtcNow.Ticks / 10;
        }
    }
}
