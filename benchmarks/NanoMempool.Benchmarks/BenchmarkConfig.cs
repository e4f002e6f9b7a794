// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace NanoMempool.Benchmarks
{
    /// <summary>The one configuration every benchmark here runs with.</summary>
    public static class BenchmarkConfig
    {
        /// <summary>
        /// The job used when the command line names none: one launch, 5 warm-up and 20 measured iterations
        /// of ~100 ms each. Shorter than BenchmarkDotNet's default (which takes far too long on a 2-core
        /// machine shared with other work) but with enough iterations for a meaningful P95/P99.
        /// </summary>
        public static Job Quick
        {
            get
            {
                return Job.Default
                    .WithLaunchCount(1)
                    .WithWarmupCount(5)
                    .WithIterationCount(20)
                    .WithIterationTime(TimeInterval.FromMilliseconds(100))
                    .WithId("Quick");
            }
        }

        /// <summary>Columns and diagnosers shared by the real run and the dry run.</summary>
        public static ManualConfig Create(Job job)
        {
            ManualConfig config = ManualConfig.CreateEmpty()
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .AddColumn(StatisticColumn.P95, new P99Column())
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddExporter(MarkdownExporter.GitHub)
                .AddLogger(ConsoleLogger.Default)
                .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Nanosecond));
            if (job != null)
            {
                config.AddJob(job);
            }

            return config;
        }

        /// <summary>
        /// Every benchmark once, in this process (no generated project, no child process): for the CI
        /// dry-run test, so that the benchmarks build and run but take seconds, not minutes.
        /// </summary>
        public static ManualConfig CreateInProcessDry(string artifactsPath, ILogger logger)
        {
            ManualConfig config = ManualConfig.CreateEmpty()
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.DontLogOutput).WithId("InProcessDry"))
                .AddLogger(logger)
                .WithArtifactsPath(artifactsPath)
                .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile);
            return config;
        }

        /// <summary>All benchmark classes, in report order.</summary>
        public static Type[] BenchmarkTypes
        {
            get
            {
                return new[]
                {
                    typeof(PairBenchmarks),
                    typeof(ContendedPairBenchmarks),
                    typeof(HandOffBenchmarks),
                    typeof(ConstructionBenchmarks),
                    typeof(DiagnosticsBenchmarks),
                    typeof(QueueBenchmarks),
                    typeof(BulkBenchmarks),
                    typeof(BackingAllocatorBenchmarks),
                };
            }
        }

        /// <summary>
        /// The 99th percentile of the measured iterations. Like BenchmarkDotNet's own P95 column it is a
        /// percentile of per-iteration means (each iteration averages many operations), not of single calls.
        /// </summary>
        private sealed class P99Column : IColumn
        {
            public string Id
            {
                get { return "P99Column"; }
            }

            public string ColumnName
            {
                get { return "P99"; }
            }

            public bool AlwaysShow
            {
                get { return true; }
            }

            public ColumnCategory Category
            {
                get { return ColumnCategory.Statistics; }
            }

            public int PriorityInCategory
            {
                get { return 10; }
            }

            public bool IsNumeric
            {
                get { return true; }
            }

            public UnitType UnitType
            {
                get { return UnitType.Time; }
            }

            public string Legend
            {
                get { return "99th percentile of the iteration means (ns per operation)"; }
            }

            public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
            {
                return GetValue(summary, benchmarkCase, summary.Style);
            }

            public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
            {
                BenchmarkReport report = summary[benchmarkCase];
                if (report == null || report.ResultStatistics == null)
                {
                    return "NA";
                }

                double nanoseconds = report.ResultStatistics.Percentiles.Percentile(99);
                return nanoseconds.ToString("N2", CultureInfo.InvariantCulture) + " ns";
            }

            public bool IsAvailable(Summary summary)
            {
                return true;
            }

            public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase)
            {
                return false;
            }
        }
    }
}
