// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NanoMempool.Benchmarks;
using Xunit;

namespace NanoMempool.PerfTests
{
    /// <summary>
    /// Every benchmark runs once (BenchmarkDotNet's Dry job, in this process), so a benchmark that no longer
    /// builds, throws, deadlocks or times out fails CI. The numbers are not checked: they mean nothing here.
    /// </summary>
    public class BenchmarkDryRunTests
    {
        [Fact]
        public void EveryBenchmarkRunsOnceInADryJob()
        {
            string artifacts = Path.Combine(Path.GetTempPath(), "nanomempool-bench-dry-" + Guid.NewGuid().ToString("N"));
            var log = new AccumulationLogger();
            Stopwatch clock = Stopwatch.StartNew();
            try
            {
                Summary[] summaries = BenchmarkRunner.Run(BenchmarkConfig.BenchmarkTypes, BenchmarkConfig.CreateInProcessDry(artifacts, log));
                clock.Stop();
                string output = log.GetLog();
                Assert.Equal(BenchmarkConfig.BenchmarkTypes.Length, summaries.Length);
                int cases = 0;
                foreach (Summary summary in summaries)
                {
                    Assert.False(summary.HasCriticalValidationErrors, "Validation errors:\n" + output);
                    Assert.NotEmpty(summary.BenchmarksCases);
                    Assert.Equal(summary.BenchmarksCases.Length, summary.Reports.Length);
                    BenchmarkReport failed = summary.Reports.FirstOrDefault(r => !r.Success || r.ResultStatistics == null);
                    Assert.True(failed == null, "Benchmark failed: " + failed?.BenchmarkCase.DisplayInfo + "\n" + Tail(output));
                    cases += summary.Reports.Length;
                }

                // 15 single-thread pairs, 15 two-thread pairs, 2 hand-off round trips, 8 constructions,
                // 12 diagnostics options (4 x 3 sizes), 4 queue paths, 9 bulk (3 x 3 sizes), 12 backing
                // allocator (4 x 3 sizes).
                Assert.Equal(77, cases);
                TimeSpan budget = TimeSpan.FromSeconds(90 * Oversubscription());
                Assert.True(clock.Elapsed < budget, "The dry run took " + clock.Elapsed + " (budget " + budget.TotalSeconds.ToString("F0") + " s).");
            }
            finally
            {
                if (Directory.Exists(artifacts))
                {
                    Directory.Delete(artifacts, true);
                }
            }
        }

        /// <summary>
        /// The 90 s budget is for a machine that gives this test about a core. ./test.sh runs two test projects at
        /// once and CI may share the machine, so the budget grows with the one-minute load average per core when that
        /// is above 1 (Linux /proc/loadavg; 1 elsewhere).
        /// </summary>
        private static double Oversubscription()
        {
            try
            {
                string first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                double load = double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
                return Math.Max(1.0, load / Environment.ProcessorCount);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is FormatException)
            {
                return 1.0;
            }
        }

        private static string Tail(string text)
        {
            return text.Length <= 4000 ? text : text.Substring(text.Length - 4000);
        }
    }
}
