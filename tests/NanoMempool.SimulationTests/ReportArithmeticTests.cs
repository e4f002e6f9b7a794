// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using Esp32Irq.Host;
using Xunit;

namespace NanoMempool.SimulationTests
{
    /// <summary>The report's numbers: nearest-rank percentiles and the drop accounting identity.</summary>
    public class ReportArithmeticTests
    {
        [Theory]
        [InlineData(50, 50)]
        [InlineData(99, 99)]
        [InlineData(100, 100)]
        [InlineData(1, 1)]
        [InlineData(0.5, 1)]
        [InlineData(99.5, 100)]
        public void Percentile_UsesNearestRank_OnOneToHundred(double percent, long expected)
        {
            long[] values = new long[100];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = i + 1;
            }

            Assert.Equal(expected, Stats.Percentile(values, percent));
        }

        [Fact]
        public void Percentile_OfFewValues_PicksAnExistingValue()
        {
            long[] values = { 10, 20, 30, 1000 };
            Assert.Equal(20, Stats.Percentile(values, 50));
            Assert.Equal(1000, Stats.Percentile(values, 99));
            Assert.Equal(1000, Stats.Max(values));
            Assert.Equal(7, Stats.Percentile(new long[] { 7 }, 99));
        }

        [Fact]
        public void Percentile_OfNothing_IsZero_AndBadPercentThrows()
        {
            Assert.Equal(0, Stats.Percentile(new long[0], 50));
            Assert.Equal(0, Stats.Max(new long[0]));
            Assert.Throws<ArgumentOutOfRangeException>(() => Stats.Percentile(new long[] { 1 }, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => Stats.Percentile(new long[] { 1 }, 101));
        }

        [Fact]
        public void Accounting_AddsUp_ForConsistentCounts()
        {
            SimulationResult r = Consistent();
            Assert.Null(r.AccountingError());
            Assert.Equal(10, r.Dropped);
            Assert.Equal(110, r.Events);
            Assert.Equal(7, r.MainThreadWaits);

            string report = r.Format(new Options());
            Assert.Contains("dropped            10 (pool empty 6, queue full 4)  = 9.09 %", report);
            Assert.Contains("processed          97 (+3 still queued at stop, freed)", report);
            Assert.Contains("main-thread waits  7 (queue empty 5, pool empty 2)", report);
            Assert.Contains("adds up", report);
        }

        [Fact]
        public void Accounting_NamesWhatDoesNotAddUp()
        {
            SimulationResult lostEvent = Consistent();
            lostEvent.Captured--;
            Assert.Contains("captured 99 + dropped 10 != events 110", lostEvent.AccountingError());

            SimulationResult lostSample = Consistent();
            lostSample.Processed--;
            Assert.Contains("processed 96 + left in queue 3 != captured 100", lostSample.AccountingError());

            SimulationResult leak = Consistent();
            leak.FreeAtEnd = 15;
            Assert.Contains("only 15 of 16 blocks", leak.AccountingError());

            SimulationResult miscounted = Consistent();
            miscounted.PipelineEvents = 111;
            Assert.NotNull(miscounted.AccountingError());
            Assert.Contains("WRONG", miscounted.Format(new Options()));
        }

        [Fact]
        public void Report_ShowsLatencyPercentiles_InTheirUnits()
        {
            SimulationResult r = Consistent();
            r.HandlerNanoseconds = new long[] { 3000, 1000, 2000, 50000 };
            r.SampleAgeMicroseconds = new long[] { 1500, 500, 2500 };
            string report = r.Format(new Options());
            Assert.Contains("handler latency    p50 2.0 us  p99 50.0 us  max 50.0 us", report);
            Assert.Contains("sample latency     p50 1.50 ms  p99 2.50 ms  max 2.50 ms", report);
        }

        [Fact]
        public void Report_PrintsTheRamOfTheConfiguration_OnA32BitEsp32()
        {
            SimulationResult r = Consistent();
            r.BlockSize = 64;
            string report = r.Format(new Options());
            Assert.Contains("RAM, 32-bit ESP32  " + DeviceRam.Describe(64, 16, 15), report);
            Assert.Contains("pool " + DeviceRam.Bytes(DeviceRam.Pool(64, 16)) + " = 552 + 16 x 156 (64 data + 92)", report);
        }

        [Fact]
        public void Verdict_InSimulatedTime_SaysWhetherThePoolHoldsTheLoad()
        {
            SimulationResult holds = Consistent();
            holds.Virtual = true;
            holds.Captured += holds.Dropped;
            holds.Processed += holds.Dropped;
            holds.DroppedPoolEmpty = 0;
            holds.DroppedQueueFull = 0;
            holds.PoolPeakInUse = 9;
            Assert.Null(holds.AccountingError());
            Assert.Equal("the pool and queue hold the load: no sample lost in simulated time, at most 9 of 16 blocks in use", holds.Verdict());
            Assert.Null(holds.RealThreadNote());
            Assert.EndsWith("verdict            " + holds.Verdict(), holds.Format(new Options()));

            SimulationResult small = Consistent();
            small.Virtual = true;
            Assert.Equal("too small for this load: 10 samples lost in simulated time (pool empty 6, queue full 4); --sweep finds the smallest pool that loses none", small.Verdict());

            SimulationResult broken = Consistent();
            broken.Virtual = true;
            broken.FreeAtEnd--;
            Assert.StartsWith("the counts do not add up", broken.Verdict());
        }

        [Fact]
        public void RealThreadRun_TakesItsVerdictFromSimulatedTime_AndSaysWhenTheHostStarvedIt()
        {
            SimulationResult model = Consistent();
            model.Virtual = true;

            // More drops than the model, interrupts late by more than 1 ms: the host starved the run.
            SimulationResult starved = RealThreads(model, dropped: 30, late: new long[] { 10, 1001, 50 }, held: new long[] { 0, 0 });
            Assert.Equal(model.Verdict(), starved.Verdict());
            Assert.True(starved.HostStarved);
            Assert.Equal(
                "30 lost (simulated time: 10): THE HOST STARVED THIS RUN (1 interrupts ran more than 1 ms late, the main thread was held up 0 times by more than 1 ms); the extra drops measure this machine's load, not the pool",
                starved.RealThreadNote());
            string report = starved.Format(new Options());
            Assert.Contains("this run           " + starved.RealThreadNote(), report);
            Assert.Contains("simulated time     10 dropped (pool empty 6, queue full 4)", report);
            Assert.Contains("interrupt lateness p50 0.05 ms  p99 1.00 ms  max 1.00 ms; 1 over 1 ms", report);
            Assert.EndsWith("verdict            " + model.Verdict(), report);

            // A main thread held up counts as well.
            Assert.True(RealThreads(model, dropped: 30, late: new long[] { 0 }, held: new long[] { 2500 }).HostStarved);

            // More drops but no delay over 1 ms: not blamed on the host.
            SimulationResult unexplained = RealThreads(model, dropped: 30, late: new long[] { 999 }, held: new long[] { 1000 });
            Assert.False(unexplained.HostStarved);
            Assert.StartsWith("30 lost (simulated time: 10), with no interrupt or main-thread delay over 1 ms", unexplained.RealThreadNote());

            // No more drops than the model, late or not.
            SimulationResult same = RealThreads(model, dropped: 10, late: new long[] { 5000 }, held: new long[] { 0 });
            Assert.False(same.HostStarved);
            Assert.Equal("10 lost (simulated time: 10): no more than the model", same.RealThreadNote());
        }

        private static SimulationResult RealThreads(SimulationResult model, int dropped, long[] late, long[] held)
        {
            SimulationResult r = Consistent();
            r.DroppedPoolEmpty = dropped;
            r.DroppedQueueFull = 0;
            r.Captured = r.Events - dropped;
            r.Processed = r.Captured - r.LeftInQueue;
            r.LatenessMicroseconds = late;
            r.MainHeldUpMicroseconds = held;
            r.SimulatedTime = model;
            Assert.Null(r.AccountingError());
            return r;
        }

        private static SimulationResult Consistent()
        {
            SimulationResult r = new SimulationResult();
            r.PoolSize = 16;
            r.QueueCapacity = 15;
            r.TimerEvents = 100;
            r.EdgeEvents = 10;
            r.PipelineEvents = 110;
            r.Captured = 100;
            r.DroppedPoolEmpty = 6;
            r.DroppedQueueFull = 4;
            r.Processed = 97;
            r.LeftInQueue = 3;
            r.FreeAtEnd = 16;
            r.QueueWaits = 5;
            r.PoolWaits = 2;
            return r;
        }
    }
}
