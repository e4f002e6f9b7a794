// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Device.Gpio;
using System.Device.Spi;
using nanoFramework.Hardware.Esp32;
using NanoMempool;

namespace Esp32SpiFifo
{
    /// <summary>
    /// ESP32 DevKit wiring for <see cref="FifoPipeline"/>: an MPU-6500 on SPI bus 1 (VSPI pins) samples at 200 Hz into
    /// its FIFO and pulses GPIO 4 at every sample; the pin's handler drains the FIFO into pool blocks, the main thread
    /// reads them. All logic is in FifoPipeline.cs and Mpu6500Fifo.cs, which the host simulation also runs.
    /// </summary>
    public static class Program
    {
        /// <summary>SPI bus 1 on the ESP32's VSPI pins: MOSI 23, MISO 19, SCK 18; chip select on GPIO 5.</summary>
        private const int SpiBusId = 1;
        private const int MosiPin = 23;
        private const int MisoPin = 19;
        private const int ClockPin = 18;
        private const int ChipSelectPin = 5;

        /// <summary>The MPU-6500 takes 1 MHz for every register (20 MHz for sensor reads only).</summary>
        private const int SpiClockHertz = 1000000;

        /// <summary>GPIO 4: the sensor's INT pin, a 50 us high pulse at every sample.</summary>
        private const int DataReadyPin = 4;

        /// <summary>1 kHz / (1 + 4) = 200 samples per second.</summary>
        private const byte SampleRateDivider = 4;

        /// <summary>Bytes per block: the 5-byte header and up to 9 frames of 6 bytes.</summary>
        private const int BlockSize = 64;

        /// <summary>Blocks reserved at start-up: 3.0 KB of managed heap on the ESP32 (16 x (64 + 92) B + 552 B).</summary>
        private const int BlockCount = 16;

        /// <summary>Queue room: fewer than BlockCount, so that a thread's Alloc from the pool always completes.</summary>
        private const int QueueCapacity = 12;

        /// <summary>How often the main thread prints the statistics line.</summary>
        private const int ReportIntervalMilliseconds = 5000;

        // Kept in static fields so that the GC never collects them while their events are wired.
        private static FifoPipeline s_pipeline;
        private static SpiDevice s_spi;
        private static GpioController s_gpio;
        private static GpioPin s_dataReady;

        /// <summary>Opens the bus, configures the sensor, wires the handler and runs the main loop forever.</summary>
        public static void Main()
        {
            try
            {
                Configuration.SetPinFunction(MosiPin, DeviceFunction.SPI1_MOSI);
                Configuration.SetPinFunction(MisoPin, DeviceFunction.SPI1_MISO);
                Configuration.SetPinFunction(ClockPin, DeviceFunction.SPI1_CLOCK);
                SpiConnectionSettings settings = new SpiConnectionSettings(SpiBusId, ChipSelectPin);
                settings.Mode = SpiMode.Mode3;
                settings.ClockFrequency = SpiClockHertz;
                s_spi = SpiDevice.Create(settings);
            }
            catch (Exception e)
            {
                // nanoCLR on a PC has no SPI or pin-function driver: say so and stop, instead of an unhandled exception.
                Console.WriteLine("esp32-spi-fifo: cannot open SPI bus " + SpiBusId + " on this target (" + e.GetType().FullName + ": "
                    + e.Message + "). Run it on an ESP32 with the MPU-6500 wired as README.md shows.");
                return;
            }

            Mpu6500Fifo sensor = new Mpu6500Fifo(new SpiBus(s_spi), FifoPipeline.FramesPerBlock(BlockSize));
            byte id = sensor.Configure(SampleRateDivider);

            BlockPool pool = new BlockPool(BlockSize, BlockCount);
            BlockQueue queue = new BlockQueue(QueueCapacity);
            s_pipeline = new FifoPipeline(pool, queue, sensor, Now);

            s_gpio = new GpioController();
            s_dataReady = s_gpio.OpenPin(DataReadyPin, PinMode.Input);
            s_dataReady.ValueChanged += OnDataReady;

            Console.WriteLine("esp32-spi-fifo: MPU-6500 (WHO_AM_I 0x" + id.ToString("X2") + ") at " + (1000 / (1 + SampleRateDivider))
                + " Hz; " + BlockCount + " blocks of " + BlockSize + " bytes, queue " + QueueCapacity + ".");
            s_pipeline.Run(ReportIntervalMilliseconds);
        }

        /// <summary>GPIO handler, on the managed interrupt thread: must not block. The INT pulse's rising edge only.</summary>
        private static void OnDataReady(object sender, PinValueChangedEventArgs e)
        {
            if (e.ChangeType == PinEventTypes.Rising)
            {
                s_pipeline.OnDataReady();
            }
        }

        private static long Now()
        {
            return (long)HighResTimer.GetCurrent();
        }
    }
}
