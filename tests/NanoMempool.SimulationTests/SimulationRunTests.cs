// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Esp32Irq;
using Esp32Irq.Host;
using NanoMempool;
using Xunit;

namespace NanoMempool.SimulationTests
{
    /// <summary>
    /// End-to-end runs of the unchanged SensorPipeline: a short real-thread run (counts must add up whatever the
    /// timing), simulated-time runs (exact, repeatable counts and drop causes), and the sweep's answer.
    /// </summary>
    [Collection(ConsoleCollection.Name)]
    public class SimulationRunTests
    {
        [Fact]
        public void RealThreads_ShortRun_AccountsForEveryEvent_AndFreesEveryBlock()
        {
            Options o = Options.Parse(new[] { "--duration", "0.5", "--no-progress", "--stress" });
            List<string> progress = new List<string>();
            SimulationResult r = RealTimeSimulation.Run(o, progress.Add);

            Assert.Null(r.AccountingError());

            // Ticks at 1, 2, ... 499 ms; bursts of 16 edges at 125 and 375 ms: exact whatever the machine's load.
            Assert.Equal(499, r.TimerEvents);
            Assert.Equal(32, r.EdgeEvents);
            Assert.True(r.Captured > 0);
            Assert.Equal(r.Events, r.HandlerNanoseconds.Length);
            Assert.Equal(r.Processed, r.SampleAgeMicroseconds.Length);
            Assert.Equal(r.Events, r.LatenessMicroseconds.Length);
            Assert.All(r.LatenessMicroseconds, late => Assert.True(late >= 0));
            Assert.Equal(r.Processed, r.MainHeldUpMicroseconds.Length);
            Assert.All(r.MainHeldUpMicroseconds, held => Assert.True(held >= 0));
            Assert.True(r.PoolPeakInUse >= 1 && r.PoolPeakInUse <= r.PoolSize);
            Assert.True(r.QueueHighWater >= 1 && r.QueueHighWater <= r.QueueCapacity);
            Assert.NotEmpty(progress);
            Assert.Contains("blocks in use", progress[progress.Count - 1]);
            Assert.Contains("misses", progress[progress.Count - 1]);
        }

        [Fact]
        public void SimulatedTime_IsExact_AndRepeatable()
        {
            Options o = Options.Parse(new[] { "--virtual" });
            SimulationResult a = VirtualSimulation.Run(o, o.PoolSize);
            SimulationResult b = VirtualSimulation.Run(o, o.PoolSize);

            Assert.Null(a.AccountingError());
            Assert.Equal(2999, a.TimerEvents);
            Assert.Equal(12 * 16, a.EdgeEvents);
            Assert.Equal(0, a.Dropped);
            Assert.Equal(a.Captured, a.Processed);

            // Every processed sample went into a packet of 7 records; Stop sends the last, partial one.
            Assert.Equal((a.Processed + 6) / 7, a.PacketsSent);
            Assert.Equal(
                new object[] { a.Captured, a.Processed, a.PoolPeakInUse, a.QueueHighWater, a.QueueWaits, a.LongestWaitMicroseconds },
                new object[] { b.Captured, b.Processed, b.PoolPeakInUse, b.QueueHighWater, b.QueueWaits, b.LongestWaitMicroseconds });
            Assert.Equal(a.SampleAgeMicroseconds, b.SampleAgeMicroseconds);
        }

        [Fact]
        public void Drops_AreCharged_ToTheirCause()
        {
            // A small pool with the queue one smaller: the pool runs dry first.
            Options poolBound = Options.Parse(new[] { "--virtual", "--pool", "6", "--queue", "5" });
            SimulationResult p = VirtualSimulation.Run(poolBound, poolBound.PoolSize);
            Assert.Null(p.AccountingError());
            Assert.True(p.DroppedPoolEmpty > 0);
            Assert.Equal(0, p.DroppedQueueFull);

            // A big pool behind a 2-block queue: the queue fills first, and every refused block is freed.
            Options queueBound = Options.Parse(new[] { "--virtual", "--pool", "40", "--queue", "2" });
            SimulationResult q = VirtualSimulation.Run(queueBound, queueBound.PoolSize);
            Assert.Null(q.AccountingError());
            Assert.True(q.DroppedQueueFull > 0);
            Assert.Equal(0, q.DroppedPoolEmpty);
            Assert.Equal(2, q.QueueHighWater);
        }

        [Fact]
        public void Sweep_FindsTheSmallestZeroDropPool_AndDropsNeverGrowWithThePool()
        {
            Options o = Options.Parse(new[] { "--sweep", "--sweep-max", "24" });
            SweepResult sweep = SweepResult.Run(o);

            Assert.Equal(Enumerable.Range(2, 23), sweep.Points.Select(p => p.PoolSize));
            Assert.True(sweep.Answer > 2, "the default burst needs more than the smallest pool");
            Assert.True(sweep.ZeroDropsFromAnswerUp);
            for (int i = 1; i < sweep.Points.Count; i++)
            {
                Assert.True(sweep.Points[i].Dropped <= sweep.Points[i - 1].Dropped, "drops grew at pool " + sweep.Points[i].PoolSize);
            }

            // Consistent with single runs: zero at the answer, some just below it.
            Assert.Equal(0, VirtualSimulation.Run(o, sweep.Answer).Dropped);
            Assert.True(VirtualSimulation.Run(o, sweep.Answer - 1).Dropped > 0);

            // A heavier main thread never needs a smaller pool.
            Options slower = Options.Parse(new[] { "--sweep", "--sweep-max", "24", "--process", "400" });
            SweepResult slowerSweep = SweepResult.Run(slower);
            Assert.True(slowerSweep.Answer == -1 || slowerSweep.Answer >= sweep.Answer);
        }

        [Fact]
        public void Sweep_GivesEveryRowsRam_AndTheAnswersRam()
        {
            Options o = Options.Parse(new[] { "--sweep", "--sweep-max", "24" });
            SweepResult sweep = SweepResult.Run(o);
            Assert.All(sweep.Points, p =>
            {
                Assert.Equal(o.QueueFor(p.PoolSize), p.QueueCapacity);
                Assert.Equal(DeviceRam.Pool(64, p.PoolSize), p.PoolBytes);
                Assert.Equal(DeviceRam.Queue(p.QueueCapacity), p.QueueBytes);
            });
            string table = sweep.Table();
            Assert.StartsWith(" pool  queue  dropped  pool-empty  queue-full  latency-p99-ms  latency-max-ms  peak-in-use  pool-B  queue-B  RAM-B", table);
            SweepPoint answer = sweep.AnswerPoint;
            Assert.Equal(sweep.Answer, answer.PoolSize);
            Assert.Contains(string.Format("{0,5}  {1,5}", answer.PoolSize, answer.QueueCapacity), table);
            Assert.EndsWith(string.Format("  {0,6}  {1,7}  {2,5}", answer.PoolBytes, answer.QueueBytes, answer.TotalBytes), table.Split('\n')[answer.PoolSize - 1].TrimEnd());

            string plot = Path.Combine(Path.GetTempPath(), "nanomempool-sweep-" + Guid.NewGuid().ToString("N") + ".svg");
            try
            {
                string printed = RunMain("--sweep", "--sweep-max", "24", "--plot", plot).Output;
                Assert.Contains(
                    "smallest pool with zero drops: " + answer.PoolSize + " blocks (queue " + answer.QueueCapacity + "), RAM on a 32-bit ESP32 "
                    + DeviceRam.Describe(64, answer.PoolSize, answer.QueueCapacity),
                    printed);
            }
            finally
            {
                File.Delete(plot);
            }
        }

        [Fact]
        public void FirstCommand_GivesTheSameVerdictEveryRun_AndTheStressRunSharesIt()
        {
            // The README's first command, with no options: simulated time and the board's sizes.
            (int code, string first) = RunMain();
            (int code2, string second) = RunMain();
            Assert.Equal(0, code);
            Assert.Equal(0, code2);
            Assert.Contains("pool 24 blocks x 64 B, queue 20", first);
            Assert.Contains("RAM, 32-bit ESP32  4,932 B (4.8 KB)", first);
            string verdict = Line(first, "verdict");
            Assert.Equal("verdict            the pool and queue hold the load: no sample lost in simulated time, at most 16 of 24 blocks in use", verdict);

            // Everything but the host CPU time inside the handlers is the same, to the character.
            Assert.Equal(WithoutHostTimes(first), WithoutHostTimes(second));

            // A short real-thread run: its own drops depend on this machine; its verdict is simulated time's.
            (int stressCode, string stress) = RunMain("--stress", "--duration", "0.5", "--no-progress");
            Assert.Equal(0, stressCode);
            Assert.Equal(Line(RunMain("--duration", "0.5").Output, "verdict"), Line(stress, "verdict"));
            Assert.StartsWith("this run", Line(stress, "this run"));
            Assert.Contains("interrupt lateness", stress);
            Assert.Contains("main thread held", stress);
        }

        [Fact]
        public void Sweep_SaysSo_WhenNoPoolIsEnough()
        {
            // 1.5 ms of work per 1 ms sample: the backlog grows without bound.
            Options o = Options.Parse(new[] { "--sweep", "--sweep-max", "10", "--process", "1500", "--duration", "1" });
            SweepResult sweep = SweepResult.Run(o);
            Assert.Equal(-1, sweep.Answer);
            Assert.False(sweep.ZeroDropsFromAnswerUp);
            Assert.All(sweep.Points, p => Assert.True(p.Dropped > 0));
        }

        [Fact]
        public void SweepPlot_IsAnSvg_WithOnePointPerPoolSize()
        {
            Options o = Options.Parse(new[] { "--sweep", "--sweep-max", "20", "--duration", "1" });
            SweepResult sweep = SweepResult.Run(o);
            XDocument svg = XDocument.Parse(sweep.Svg("test <plot>"));
            XNamespace ns = "http://www.w3.org/2000/svg";
            Assert.Equal(ns + "svg", svg.Root.Name);
            List<XElement> lines = svg.Descendants(ns + "polyline").ToList();
            Assert.Equal(2, lines.Count);
            foreach (XElement line in lines)
            {
                Assert.Equal(sweep.Points.Count, line.Attribute("points").Value.Split(' ').Length);
            }

            Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "test <plot>");
            Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "zero drops from " + sweep.Answer + " blocks");
        }

        private static (int Code, string Output) RunMain(params string[] args)
        {
            TextWriter output = System.Console.Out;
            StringWriter captured = new StringWriter();
            try
            {
                System.Console.SetOut(captured);
                int code = Program.Main(args);
                return (code, captured.ToString());
            }
            finally
            {
                System.Console.SetOut(output);
            }
        }

        private static string Line(string report, string label)
        {
            return report.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith(label, StringComparison.Ordinal));
        }

        private static string WithoutHostTimes(string report)
        {
            return string.Join("\n", report.Split('\n').Where(l => !l.StartsWith("handler latency", StringComparison.Ordinal)));
        }

        [Fact]
        public void Pipeline_RefusesAQueueAsLargeAsThePool()
        {
            BlockPool pool = new BlockPool(64, 4);
            ArgumentException e = Assert.Throws<ArgumentException>(() => new SensorPipeline(pool, new BlockQueue(4), () => 0));
            Assert.Equal("queue", e.ParamName);
            Assert.Throws<ArgumentException>(() => new SensorPipeline(new BlockPool(8, 4), new BlockQueue(2), () => 0));
        }
    }
}
