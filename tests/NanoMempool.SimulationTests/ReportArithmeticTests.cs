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
