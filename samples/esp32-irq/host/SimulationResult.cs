// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Globalization;
using System.Text;

namespace Esp32Irq.Host
{
    /// <summary>What one simulation run measured, and the report printed from it.</summary>
    public sealed class SimulationResult
    {
        public bool Virtual;
        public double Seconds;
        public int PoolSize;
        public int QueueCapacity;
        public int BlockSize;

        public int TimerEvents;
        public int EdgeEvents;

        /// <summary>Handler calls the pipeline counted (must equal TimerEvents + EdgeEvents).</summary>
        public int PipelineEvents;
        public int Captured;
        public int DroppedPoolEmpty;
        public int DroppedQueueFull;
        public int Processed;
        public int LeftInQueue;
        public int PacketsSent;

        public long QueueWaits;
        public long PoolWaits;
        public long LongestWaitMicroseconds;
        public int PoolPeakInUse;
        public int QueueHighWater;

        /// <summary>Time inside each handler call (TryAlloc + fill + TryEnqueue), in nanoseconds.</summary>
        public long[] HandlerNanoseconds = new long[0];

        /// <summary>Real-thread runs: how late each simulated interrupt ran after its due time, in microseconds.</summary>
        public long[] LatenessMicroseconds;

        /// <summary>Capture-to-main-thread age of each processed sample, in microseconds.</summary>
        public long[] SampleAgeMicroseconds = new long[0];

        /// <summary>Free blocks after the run (all of them, if nothing leaked).</summary>
        public int FreeAtEnd;

        /// <summary>null, or the first pool/queue invariant violation found after the run.</summary>
        public string InvariantViolation;

        public int Events
        {
            get { return TimerEvents + EdgeEvents; }
        }

        public int Dropped
        {
            get { return DroppedPoolEmpty + DroppedQueueFull; }
        }

        public long MainThreadWaits
        {
            get { return QueueWaits + PoolWaits; }
        }

        /// <summary>
        /// Null when the counts add up: every event was captured or dropped for one reason, every captured sample was
        /// processed or left in the queue (and freed), and every block is back in the pool. Else what does not.
        /// </summary>
        public string AccountingError()
        {
            if (PipelineEvents != Events)
            {
                return "the handlers ran " + Events + " times but the pipeline counted " + PipelineEvents + ".";
            }

            if (Captured + DroppedPoolEmpty + DroppedQueueFull != Events)
            {
                return "captured " + Captured + " + dropped " + Dropped + " != events " + Events + ".";
            }

            if (Processed + LeftInQueue != Captured)
            {
                return "processed " + Processed + " + left in queue " + LeftInQueue + " != captured " + Captured + ".";
            }

            if (FreeAtEnd != PoolSize)
            {
                return "only " + FreeAtEnd + " of " + PoolSize + " blocks are free after the run.";
            }

            return InvariantViolation;
        }

        /// <summary>The final report.</summary>
        public string Format(Options options)
        {
            long[] handler = Sorted(HandlerNanoseconds);
            long[] age = Sorted(SampleAgeMicroseconds);
            StringBuilder s = new StringBuilder();
            s.AppendLine("esp32-irq host simulation (" + (Virtual ? "simulated time" : "real threads") + "): "
                + F(Seconds, 1) + " s, timer " + options.RateHz + " Hz, bursts of " + options.BurstSize + " edges every "
                + options.BurstEveryMilliseconds + " ms (" + options.BurstSpacingMicroseconds + " us apart), processing "
                + options.ProcessMicroseconds + " us/sample");
            s.AppendLine("pool " + PoolSize + " blocks x " + BlockSize + " B, queue " + QueueCapacity);
            s.AppendLine();
            s.AppendLine("events             " + Events + " (timer " + TimerEvents + ", GPIO edges " + EdgeEvents + ")");
            s.AppendLine("samples captured   " + Captured);
            s.AppendLine("dropped            " + Dropped + " (pool empty " + DroppedPoolEmpty + ", queue full " + DroppedQueueFull + ")"
                + (Events > 0 ? "  = " + F(100.0 * Dropped / Events, 2) + " %" : string.Empty));
            s.AppendLine("processed          " + Processed + " (+" + LeftInQueue + " still queued at stop, freed); packets sent " + PacketsSent);
            s.AppendLine("main-thread waits  " + MainThreadWaits + " (queue empty " + QueueWaits + ", pool empty " + PoolWaits + "), longest "
                + F(LongestWaitMicroseconds / 1000.0, 2) + " ms");
            s.AppendLine("high-water marks   pool " + PoolPeakInUse + " of " + PoolSize + " blocks in use, queue " + QueueHighWater + " of " + QueueCapacity);
            s.AppendLine("handler latency    p50 " + F(Stats.Percentile(handler, 50) / 1000.0, 1) + " us  p99 "
                + F(Stats.Percentile(handler, 99) / 1000.0, 1) + " us  max " + F(Stats.Max(handler) / 1000.0, 1)
                + " us   (time inside a handler: TryAlloc + fill + TryEnqueue)");
            s.AppendLine("sample latency     p50 " + F(Stats.Percentile(age, 50) / 1000.0, 2) + " ms  p99 "
                + F(Stats.Percentile(age, 99) / 1000.0, 2) + " ms  max " + F(Stats.Max(age) / 1000.0, 2) + " ms   (capture to main thread)");
            if (LatenessMicroseconds != null)
            {
                long[] late = Sorted(LatenessMicroseconds);
                s.AppendLine("interrupt lateness p50 " + F(Stats.Percentile(late, 50) / 1000.0, 2) + " ms  p99 "
                    + F(Stats.Percentile(late, 99) / 1000.0, 2) + " ms  max " + F(Stats.Max(late) / 1000.0, 2)
                    + " ms   (host scheduling: late ticks arrive back to back, like a backed-up event queue)");
            }

            string error = AccountingError();
            s.Append("accounting         " + (error == null ? "adds up; all " + PoolSize + " blocks back in the pool" : "WRONG: " + error));
            return s.ToString();
        }

        internal static long[] Sorted(long[] values)
        {
            long[] copy = (long[])values.Clone();
            Array.Sort(copy);
            return copy;
        }

        internal static string F(double value, int decimals)
        {
            return value.ToString("F" + decimals, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Percentiles by the nearest-rank method.</summary>
    public static class Stats
    {
        /// <summary>
        /// The smallest value such that at least <paramref name="percent"/> % of the values are at or below it
        /// (nearest rank: index ceil(p/100 * n) - 1). 0 for no values.
        /// </summary>
        public static long Percentile(long[] sortedValues, double percent)
        {
            if (percent <= 0 || percent > 100)
            {
                throw new ArgumentOutOfRangeException("percent");
            }

            int n = sortedValues.Length;
            if (n == 0)
            {
                return 0;
            }

            int rank = (int)Math.Ceiling(percent / 100.0 * n);
            if (rank < 1)
            {
                rank = 1;
            }

            return sortedValues[Math.Min(rank, n) - 1];
        }

        /// <summary>The largest value; 0 for no values.</summary>
        public static long Max(long[] sortedValues)
        {
            return sortedValues.Length == 0 ? 0 : sortedValues[sortedValues.Length - 1];
        }
    }
}
