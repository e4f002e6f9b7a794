// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Esp32SpiFifo;
using Esp32SpiFifo.Host;
using NanoMempool;
using Xunit;

namespace NanoMempool.SimulationTests
{
    /// <summary>
    /// The esp32-spi-fifo sample's logic (FifoPipeline, Mpu6500Fifo, unchanged) against the simulated MPU-6500: the SPI
    /// protocol, blocks that carry their length, and runs in simulated time that account for every frame.
    /// </summary>
    [Collection(ConsoleCollection.Name)]
    public class SensorSampleTests
    {
        [Fact]
        public void Driver_ConfiguresTheChip_AndDrainsItsFifoInOneBurst()
        {
            SimulatedMpu6500 chip = new SimulatedMpu6500();
            Mpu6500Fifo driver = new Mpu6500Fifo(chip, 9);
            Assert.Equal(Mpu6500Fifo.WhoAmIMpu6500, driver.Configure(4));
            Assert.True(chip.Sampling);
            Assert.Equal(5000, chip.SamplePeriodMicroseconds);
            Assert.Equal(0, driver.FifoCount());

            chip.StartClock(0);
            Assert.Equal(3, chip.AdvanceTo(15000));
            Assert.Equal(18, driver.FifoCount());

            // Two frames into a buffer from index 4: [4] is what came back while the address went out, then 12 bytes.
            byte[] buffer = new byte[20];
            int transfers = chip.Transfers;
            driver.ReadFrames(buffer, 4, 2);
            Assert.Equal(transfers + 1, chip.Transfers);
            Assert.Equal(SimulatedMpu6500.AddressPhaseByte, buffer[4]);
            Assert.Equal(new byte[] { 0, 0 }, buffer.Skip(5).Take(2));              // frame 0: X = 0
            Assert.Equal(new byte[] { 0x20, 0x00 }, buffer.Skip(9).Take(2));        // Z = 8192 (1 g)
            Assert.Equal(new byte[] { 0, 1 }, buffer.Skip(11).Take(2));             // frame 1: X = 1
            Assert.Equal(0, buffer[3]);
            Assert.Equal(0, buffer[17]);
            Assert.Equal(6, driver.FifoCount());

            driver.ResetFifo();
            Assert.Equal(0, driver.FifoCount());
            Assert.Equal(1, chip.FramesDiscardedByReset);
            Assert.Throws<ArgumentOutOfRangeException>(() => driver.ReadFrames(buffer, 4, 10));
        }

        [Fact]
        public void Driver_SaysSo_WhenNoMpu6500Answers()
        {
            Mpu6500Fifo driver = new Mpu6500Fifo(new SilentBus(), 9);
            InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => driver.Configure(4));
            Assert.Contains("WHO_AM_I reads 0x00, not 0x70, 0x71 or 0x73", e.Message);
        }

        [Fact]
        public void DefaultRun_DeliversEveryFrameOnce_InOrder_InBlocksOfVaryingLength()
        {
            SensorResult r = SensorSimulation.Run(Options.Parse(new string[0]));
            Assert.Null(r.AccountingError());
            Assert.Equal(1999, r.FramesSampled);        // 200 Hz for 10 s: samples at 5, 10, ... 9995 ms
            Assert.Equal(r.FramesSampled, r.FramesDelivered);
            Assert.Equal(0, r.FramesLost);
            Assert.Equal(0, r.Gaps);

            // The busy interrupt thread and the stalls make the FIFO hold several frames now and then.
            Assert.Equal(1, r.FramesPerBlock.Min());
            Assert.Equal(9, r.FramesPerBlock.Max());
            Assert.True(r.EmptyReads > 0, "late handler calls find the FIFO already drained");
            Assert.True(r.DeferredQueueFull > 0, "the stalls fill the queue, and the frames wait in the FIFO");
            Assert.Equal(0, r.DeferredPoolEmpty);
            Assert.Equal(r.Events, r.BlocksQueued + r.EmptyReads + r.DeferredQueueFull + r.DeferredPoolEmpty);
            Assert.StartsWith("no frame lost", r.Verdict());
        }

        [Fact]
        public void WithoutDelays_EachDataReadyCarriesOneFrame()
        {
            SensorResult r = SensorSimulation.Run(Options.Parse(new[] { "--stall", "0", "--irq-busy", "0", "--duration", "2" }));
            Assert.Null(r.AccountingError());
            Assert.Equal(399, r.FramesDelivered);
            Assert.All(r.FramesPerBlock, n => Assert.Equal(1, n));
            Assert.Equal(0, r.EmptyReads + r.DeferredQueueFull);
        }

        [Fact]
        public void LongStalls_OverflowTheSensorsFifo_AndEveryLostFrameIsCounted()
        {
            SensorResult r = SensorSimulation.Run(Options.Parse(new[] { "--stall", "700", "--stall-every", "2000" }));
            Assert.Null(r.AccountingError());
            Assert.True(r.Overflows > 0);
            Assert.True(r.FramesNotWritten > 0 && r.FramesDiscardedByReset > 0);
            Assert.Equal(r.FramesSampled, r.FramesDelivered + r.FramesLost);
            Assert.Equal(0, r.FramesLostQueueFull);
            Assert.StartsWith(r.FramesLost + " frames lost", r.Verdict());
        }

        [Fact]
        public void Accounting_NamesWhatDoesNotAddUp()
        {
            SensorResult r = SensorSimulation.Run(Options.Parse(new[] { "--duration", "1" }));
            Assert.Null(r.AccountingError());

            r.FramesDelivered--;
            Assert.Contains("delivered 198 + lost 0 + left in the FIFO 0 != sampled 199", r.AccountingError());
            r.FramesDelivered++;
            r.Gaps = 1;
            Assert.Contains("the main thread saw 1 missing frames", r.AccountingError());
            r.Gaps = 0;
            r.OutOfOrder = 1;
            Assert.Contains("out of order", r.AccountingError());
            r.OutOfOrder = 0;
            r.FreeAtEnd--;
            Assert.Contains("only 15 of 16 blocks", r.AccountingError());
            Assert.Contains("WRONG", r.Format());
        }

        [Fact]
        public void Main_PrintsTheReport_WithItsRam_AndTheBoardsDefaults()
        {
            TextWriter output = Console.Out;
            StringWriter captured = new StringWriter();
            int code;
            try
            {
                Console.SetOut(captured);
                code = Esp32SpiFifo.Host.Program.Main(new string[0]);
            }
            finally
            {
                Console.SetOut(output);
            }

            Assert.Equal(0, code);
            string report = captured.ToString();
            Assert.Contains("pool 16 blocks x 64 B (5-byte header + up to 9 frames), queue 12", report);
            Assert.Contains("RAM, 32-bit ESP32  " + Esp32Irq.Host.DeviceRam.Describe(64, 16, 12), report);
            Assert.Contains("verdict            no frame lost", report);

            string program = File.ReadAllText(Path.Combine(Repository.Root, "samples", "esp32-spi-fifo", "Program.cs"));
            Options o = new Options();
            Assert.Equal(o.PoolSize, Constant(program, "BlockCount"));
            Assert.Equal(o.QueueCapacity, Constant(program, "QueueCapacity"));
            Assert.Equal(o.BlockSize, Constant(program, "BlockSize"));
            Assert.Equal(o.Divider, Constant(program, "SampleRateDivider"));
            Assert.Equal(o.SpiClockHertz, Constant(program, "SpiClockHertz"));
        }

        [Theory]
        [InlineData("--queue (16) must be smaller than --pool (16)", "--queue", "16")]
        [InlineData("--block-size needs a whole number from 11 to 1535, not '10'", "--block-size", "10")]
        [InlineData("--stall (1000 ms) must be shorter than --stall-every (1000 ms)", "--stall", "1000")]
        [InlineData("Unknown option '--virtual'", "--virtual")]
        public void BadOptions_GiveAClearMessage(string message, params string[] args)
        {
            Esp32SpiFifo.Host.OptionException e = Assert.Throws<Esp32SpiFifo.Host.OptionException>(() => Options.Parse(args));
            Assert.Contains(message, e.Message);
        }

        [Fact]
        public void Pipeline_RefusesAQueueAsLargeAsThePool_AndBlocksWithoutRoomForAFrame()
        {
            Mpu6500Fifo driver = new Mpu6500Fifo(new SimulatedMpu6500(), 9);
            ArgumentException e = Assert.Throws<ArgumentException>(() => new FifoPipeline(new BlockPool(64, 4), new BlockQueue(4), driver, () => 0));
            Assert.Equal("queue", e.ParamName);
            e = Assert.Throws<ArgumentException>(() => new FifoPipeline(new BlockPool(10, 4), new BlockQueue(2), driver, () => 0));
            Assert.Equal("pool", e.ParamName);
            Assert.Equal(9, FifoPipeline.FramesPerBlock(64));
            Assert.Equal(255, FifoPipeline.FramesPerBlock(4096));
        }

        [Fact]
        public void MainThread_RefusesABlockWhoseLengthDisagreesWithItsFrameCount_AndStillFreesIt()
        {
            BlockPool pool = new BlockPool(64, 4);
            BlockQueue queue = new BlockQueue(2);
            FifoPipeline pipeline = new FifoPipeline(pool, queue, new Mpu6500Fifo(new SimulatedMpu6500(), 9), () => 0);
            Block block;
            Assert.True(pool.TryAlloc(out block));
            block.Buffer[4] = 2;                  // says 2 frames...
            block.Length = 5 + 6;                 // ...but holds one
            Assert.True(queue.TryEnqueue(block));
            InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => pipeline.ProcessNext(0));
            Assert.Contains("A block of 11 bytes says it holds 2 frames", e.Message);
            Assert.Equal(4, pool.FreeCount);
        }

        [Fact]
        public void HostSpanByte_ChecksItsBounds()
        {
            byte[] array = { 1, 2, 3, 4 };
            SpanByte middle = new SpanByte(array, 1, 2);
            Assert.Equal(2, middle.Length);
            Assert.Equal(3, middle[1]);
            Assert.Throws<ArgumentOutOfRangeException>(() => new SpanByte(array, 1, 2)[2]);
            Assert.Throws<ArgumentOutOfRangeException>(() => new SpanByte(array, 3, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => new SpanByte(null, 0, 1));
            Assert.Equal(0, new SpanByte(null, 0, 0).Length);
        }

        private static long Constant(string source, string name)
        {
            Match m = Regex.Match(source, "const (?:int|byte|long) " + name + " = (?<value>[0-9]+);");
            Assert.True(m.Success, "Program.cs declares no constant " + name);
            return long.Parse(m.Groups["value"].Value);
        }

        /// <summary>A bus with nothing on it: every byte read is 0.</summary>
        private sealed class SilentBus : ISpiTransfer
        {
            public void TransferFullDuplex(byte[] write, byte[] read, int readAt, int count)
            {
                Array.Clear(read, readAt, count);
            }
        }
    }
}
