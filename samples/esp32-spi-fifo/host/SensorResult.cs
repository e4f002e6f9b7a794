// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Esp32Irq.Host;

namespace Esp32SpiFifo.Host
{
    /// <summary>What one sensor simulation measured, and the report printed from it.</summary>
    public sealed class SensorResult
    {
        public Options Options;
        public byte WhoAmI;
        public long SamplePeriodMicroseconds;
        public double Seconds;

        /// <summary>Samples the sensor took; each was written to its FIFO or not (the FIFO was full).</summary>
        public int FramesSampled;
        public int FramesNotWritten;

        /// <summary>Frames a FIFO reset threw away unread (after an overflow).</summary>
        public int FramesDiscardedByReset;
        public int FramesLeftInFifo;
        public int EmptyFifoReads;
        public int SensorFifoPeak;

        /// <summary>Frames the main thread read, and the gaps and reorderings it saw in their sample numbers.</summary>
        public int FramesDelivered;
        public long Gaps;
        public int OutOfOrder;

        /// <summary>The sample number after the last frame delivered.</summary>
        public long NextExpected;
        public int FramesLostQueueFull;

        public int Events;
        public int DrainCalls;
        public int BlocksQueued;
        public int BlocksProcessed;
        public int DeferredPoolEmpty;
        public int DeferredQueueFull;
        public int EmptyReads;
        public int Overflows;
        public int PoolPeakInUse;
        public int QueueHighWater;
        public int FreeAtEnd;

        public int[] FramesPerBlock = new int[0];
        public long[] LatenessMicroseconds = new long[0];
        public long[] FrameAgeMicroseconds = new long[0];

        /// <summary>Frames lost, wherever: never written (FIFO full), thrown away by a reset, read but not queued.</summary>
        public int FramesLost => FramesNotWritten + FramesDiscardedByReset + FramesLostQueueFull;

        /// <summary>
        /// Null when every frame is accounted for: each sample was delivered once, in order, or lost for a counted
        /// reason, the gaps the main thread saw are exactly the lost frames, every block came back, and the driver
        /// never read an empty FIFO. Else what does not add up.
        /// </summary>
        public string AccountingError()
        {
            if (FramesDelivered + FramesLost + FramesLeftInFifo != FramesSampled)
            {
                return "delivered " + FramesDelivered + " + lost " + FramesLost + " + left in the FIFO " + FramesLeftInFifo + " != sampled " + FramesSampled + ".";
            }

            if (OutOfOrder != 0)
            {
                return OutOfOrder + " frames arrived out of order or twice.";
            }

            // Lost frames show as gaps in the sample numbers, or come after the last frame delivered.
            long trailing = FramesSampled - NextExpected - FramesLeftInFifo;
            if (Gaps + trailing != FramesLost)
            {
                return "the main thread saw " + Gaps + " missing frames (+" + trailing + " after the last), but " + FramesLost + " were lost.";
            }

            if (BlocksProcessed != BlocksQueued)
            {
                return "queued " + BlocksQueued + " blocks but processed " + BlocksProcessed + ".";
            }

            if (FramesPerBlock.Sum() != FramesDelivered)
            {
                return "the blocks carried " + FramesPerBlock.Sum() + " frames but " + FramesDelivered + " were delivered.";
            }

            if (FreeAtEnd != Options.PoolSize)
            {
                return "only " + FreeAtEnd + " of " + Options.PoolSize + " blocks are free after the run.";
            }

            if (EmptyFifoReads != 0)
            {
                return "the driver read " + EmptyFifoReads + " bytes from an empty FIFO.";
            }

            return null;
        }

        /// <summary>The last line: whether the sensor's FIFO and the pool carry the load without losing a frame.</summary>
        public string Verdict()
        {
            string error = AccountingError();
            if (error != null)
            {
                return "the frames do not add up: a bug in the pipeline, the driver or the pool (see accounting)";
            }

            if (FramesLost == 0)
            {
                return "no frame lost: the sensor's FIFO (peak " + SensorFifoPeak + " of " + Mpu6500Fifo.FifoSize + " B) and " + Options.PoolSize
                    + " blocks (peak " + PoolPeakInUse + " in use) absorb this load";
            }

            return FramesLost + " frames lost (FIFO full " + FramesNotWritten + ", thrown away by " + Overflows + " FIFO resets " + FramesDiscardedByReset
                + "): the main thread's stalls outlast what the sensor's FIFO and the queue hold; shorten them, or take more blocks";
        }

        /// <summary>The report.</summary>
        public string Format()
        {
            Options o = Options;
            int maxFrames = FifoPipeline.FramesPerBlock(o.BlockSize);
            int[] perBlock = FramesPerBlock.Length > 0 ? FramesPerBlock : new[] { 0 };
            StringBuilder s = new StringBuilder();
            s.AppendLine("esp32-spi-fifo host simulation (simulated time): " + F(Seconds, 1) + " s, MPU-6500 (WHO_AM_I 0x" + WhoAmI.ToString("X2", CultureInfo.InvariantCulture)
                + ") at " + F(1e6 / SamplePeriodMicroseconds, 0) + " Hz into its FIFO, SPI " + F(o.SpiClockHertz / 1e6, 1) + " MHz; interrupt thread busy "
                + o.IrqBusyMilliseconds + " ms every " + o.IrqBusyEveryMilliseconds + " ms; main thread " + o.ProcessMicrosecondsPerFrame
                + " us per frame, stalled " + o.StallMilliseconds + " ms every " + o.StallEveryMilliseconds + " ms");
            s.AppendLine("pool " + o.PoolSize + " blocks x " + o.BlockSize + " B (5-byte header + up to " + maxFrames + " frames), queue " + o.QueueCapacity);
            s.AppendLine("RAM, 32-bit ESP32  " + DeviceRam.Describe(o.BlockSize, o.PoolSize, o.QueueCapacity));
            s.AppendLine();
            s.AppendLine("frames             " + FramesSampled + " sampled, " + FramesDelivered + " delivered once each, in order; lost " + FramesLost
                + " (FIFO full " + FramesNotWritten + ", thrown away by a FIFO reset " + FramesDiscardedByReset + ", read but not queued " + FramesLostQueueFull + ")");
            s.AppendLine("blocks             " + BlocksQueued + " filled; frames per block min " + perBlock.Min() + ", mean "
                + F(perBlock.Average(), 2) + ", max " + perBlock.Max() + " (Block.Length " + (FifoPipeline.HeaderSize + (Mpu6500Fifo.FrameSize * perBlock.Min())) + " to "
                + (FifoPipeline.HeaderSize + (Mpu6500Fifo.FrameSize * perBlock.Max())) + " B)");
            s.AppendLine("data-ready calls   " + Events + " (+" + DrainCalls + " after sampling stopped): " + BlocksQueued + " queued a block, " + EmptyReads
                + " found the FIFO empty, " + (DeferredPoolEmpty + DeferredQueueFull) + " left the frames in the FIFO (pool empty " + DeferredPoolEmpty
                + ", queue full " + DeferredQueueFull + ")");
            s.AppendLine("sensor FIFO        peak " + SensorFifoPeak + " of " + Mpu6500Fifo.FifoSize + " B; " + Overflows + " overflows (found full, reset)");
            s.AppendLine("high-water marks   pool " + PoolPeakInUse + " of " + o.PoolSize + " blocks in use, queue " + QueueHighWater + " of " + o.QueueCapacity);
            long[] late = Sorted(LatenessMicroseconds);
            long[] age = Sorted(FrameAgeMicroseconds);
            s.AppendLine("handler lateness   p50 " + Ms(Stats.Percentile(late, 50)) + " ms  p99 " + Ms(Stats.Percentile(late, 99)) + " ms  max " + Ms(Stats.Max(late))
                + " ms   (data-ready pulse to handler: the interrupt thread was busy)");
            s.AppendLine("frame latency      p50 " + Ms(Stats.Percentile(age, 50)) + " ms  p99 " + Ms(Stats.Percentile(age, 99)) + " ms  max " + Ms(Stats.Max(age))
                + " ms   (sample to main thread)");
            string error = AccountingError();
            s.AppendLine("accounting         " + (error == null ? "every frame delivered or lost for a counted reason; all " + o.PoolSize + " blocks back in the pool" : "WRONG: " + error));
            s.Append("verdict            " + Verdict());
            return s.ToString();
        }

        private static long[] Sorted(long[] values)
        {
            long[] copy = (long[])values.Clone();
            Array.Sort(copy);
            return copy;
        }

        private static string Ms(long microseconds) => F(microseconds / 1000.0, 2);

        private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }
}
