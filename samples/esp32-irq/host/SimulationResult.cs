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

        /// <summary>
        /// Real-thread runs: for each processed sample, how much longer than --process the main thread's work on it
        /// took, in microseconds (the time the host took the main thread away).
        /// </summary>
        public long[] MainHeldUpMicroseconds;

        /// <summary>Real-thread runs: the same load and sizes in simulated time, to compare the drops with.</summary>
        public SimulationResult SimulatedTime;

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

        /// <summary>
        /// A wait on the host longer than this (an interrupt run late, the main thread held up) counts as the host
        /// starving a real-thread run: at the default 1 kHz it is a whole timer period.
        /// </summary>
        public const long StarvedMicroseconds = 1000;

        /// <summary>Real-thread runs: interrupts run more than <see cref="StarvedMicroseconds"/> late.</summary>
        public int LateInterrupts
        {
            get { return CountAbove(LatenessMicroseconds, StarvedMicroseconds); }
        }

        /// <summary>Real-thread runs: samples whose processing the host held up by more than <see cref="StarvedMicroseconds"/>.</summary>
        public int MainHoldUps
        {
            get { return CountAbove(MainHeldUpMicroseconds, StarvedMicroseconds); }
        }

        /// <summary>
        /// Real-thread runs: true when this run dropped more than the same load in simulated time and the host was
        /// seen to starve it (late interrupts or a held-up main thread): the extra drops measure the host's load.
        /// </summary>
        public bool HostStarved
        {
            get { return SimulatedTime != null && Dropped > SimulatedTime.Dropped && (LateInterrupts > 0 || MainHoldUps > 0); }
        }

        /// <summary>
        /// Whether the pool and queue hold the load, from the simulated-time run (this one, or the reference of a
        /// real-thread run): the same on every machine, however busy.
        /// </summary>
        public string Verdict()
        {
            if (AccountingError() != null)
            {
                return "the counts do not add up: a bug in the pipeline or the pool (see accounting)";
            }

            SimulationResult model = Virtual ? this : SimulatedTime;
            if (model == null)
            {
                return "none: no simulated-time run of this load to judge the pool by";
            }

            return model.Dropped == 0
                ? "the pool and queue hold the load: no sample lost in simulated time, at most " + model.PoolPeakInUse + " of " + PoolSize + " blocks in use"
                : "too small for this load: " + model.Dropped + " samples lost in simulated time (pool empty " + model.DroppedPoolEmpty
                    + ", queue full " + model.DroppedQueueFull + "); --sweep finds the smallest pool that loses none";
        }

        /// <summary>Real-thread runs: what this run's drops say beside the verdict; null in simulated time.</summary>
        public string RealThreadNote()
        {
            if (Virtual || SimulatedTime == null)
            {
                return null;
            }

            string lost = Dropped + " lost (simulated time: " + SimulatedTime.Dropped + ")";
            string limit = F(StarvedMicroseconds / 1000.0, 0) + " ms";
            if (Dropped <= SimulatedTime.Dropped)
            {
                return lost + ": no more than the model";
            }

            if (HostStarved)
            {
                return lost + ": THE HOST STARVED THIS RUN (" + LateInterrupts + " interrupts ran more than " + limit
                    + " late, the main thread was held up " + MainHoldUps + " times by more than " + limit
                    + "); the extra drops measure this machine's load, not the pool";
            }

            return lost + ", with no interrupt or main-thread delay over " + limit
                + ": real threads differ from the model (two handlers run at once here, one at a time on the device)";
        }

        /// <summary>The final report.</summary>
        public string Format(Options options)
        {
            long[] handler = Sorted(HandlerNanoseconds);
            long[] age = Sorted(SampleAgeMicroseconds);
            StringBuilder s = new StringBuilder();
            s.AppendLine("esp32-irq host simulation (" + (Virtual ? "simulated time" : "real threads, --stress") + "): "
                + F(Seconds, 1) + " s, timer " + options.RateHz + " Hz, bursts of " + options.BurstSize + " edges every "
                + options.BurstEveryMilliseconds + " ms (" + options.BurstSpacingMicroseconds + " us apart), processing "
                + options.ProcessMicroseconds + " us/sample");
            s.AppendLine("pool " + PoolSize + " blocks x " + BlockSize + " B, queue " + QueueCapacity);
            s.AppendLine("RAM, 32-bit ESP32  " + DeviceRam.Describe(BlockSize, PoolSize, QueueCapacity));
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
                + " us   (host CPU time inside a handler: TryAlloc + fill + TryEnqueue)");
            s.AppendLine("sample latency     p50 " + F(Stats.Percentile(age, 50) / 1000.0, 2) + " ms  p99 "
                + F(Stats.Percentile(age, 99) / 1000.0, 2) + " ms  max " + F(Stats.Max(age) / 1000.0, 2) + " ms   (capture to main thread"
                + (Virtual ? ", simulated time)" : ")"));
            if (LatenessMicroseconds != null)
            {
                long[] late = Sorted(LatenessMicroseconds);
                s.AppendLine("interrupt lateness p50 " + F(Stats.Percentile(late, 50) / 1000.0, 2) + " ms  p99 "
                    + F(Stats.Percentile(late, 99) / 1000.0, 2) + " ms  max " + F(Stats.Max(late) / 1000.0, 2)
                    + " ms; " + LateInterrupts + " over " + F(StarvedMicroseconds / 1000.0, 0) + " ms   (host scheduling: late ticks arrive back to back)");
            }

            if (MainHeldUpMicroseconds != null)
            {
                long[] held = Sorted(MainHeldUpMicroseconds);
                s.AppendLine("main thread held   p99 " + F(Stats.Percentile(held, 99) / 1000.0, 2) + " ms  max " + F(Stats.Max(held) / 1000.0, 2)
                    + " ms; " + MainHoldUps + " over " + F(StarvedMicroseconds / 1000.0, 0) + " ms   (host scheduling: work on a sample took longer than --process)");
            }

            if (SimulatedTime != null)
            {
                s.AppendLine("simulated time     " + SimulatedTime.Dropped + " dropped (pool empty " + SimulatedTime.DroppedPoolEmpty + ", queue full "
                    + SimulatedTime.DroppedQueueFull + "), same load and sizes, on any machine");
            }

            string error = AccountingError();
            s.AppendLine("accounting         " + (error == null ? "adds up; all " + PoolSize + " blocks back in the pool" : "WRONG: " + error));
            string note = RealThreadNote();
            if (note != null)
            {
                s.AppendLine("this run           " + note);
            }

            s.Append("verdict            " + Verdict());
            return s.ToString();
        }

        private static int CountAbove(long[] values, long limit)
        {
            int n = 0;
            if (values != null)
            {
                foreach (long v in values)
                {
                    if (v > limit)
                    {
                        n++;
                    }
                }
            }

            return n;
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
