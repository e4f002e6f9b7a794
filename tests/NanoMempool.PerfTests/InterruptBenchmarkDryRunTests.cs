// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.PerfTests
{
    /// <summary>
    /// The interrupt-path benchmark (benchmarks/NanoMempool.InterruptBenchmarks) runs once as a dry run on the kit's
    /// virtual board, 32-bit (ESP32 heap) and 64-bit: it must build, run to its end and print every figure as a RESULT
    /// line. Checked beyond that, because they hold on any machine: every way's accounting adds up (every handler call
    /// captured or dropped by cause, every capture processed, every buffer home) and IsInterruptThread allocates
    /// nothing on the main thread or on a thread at Highest. Latencies, drops and rates are not checked: a dry run's
    /// figures mean nothing. Without a kit the test is reported as skipped. In the device benchmark's collection:
    /// both build the library through benchmarks/NanoMempool.DeviceBenchmarks/Library, which one build at a time may use.
    /// </summary>
    [Collection(NanoClrBenchmarkRuns.Name)]
    public class InterruptBenchmarkDryRunTests
    {
        private static readonly Regex ResultLine = new Regex(@"^RESULT (\S+) (-?[0-9]+) (n|us|ns|Hz|x100|bool)$", RegexOptions.CultureInvariant);

        private static readonly string[] Ways = { "pool", "new_byte", "lock_pool" };

        private readonly ITestOutputHelper _output;

        public InterruptBenchmarkDryRunTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [SkippableFact]
        public void DryRunOnTheVirtualBoardPrintsEveryFigure()
        {
            string text = BenchmarkDryRun.Run(_output, "NanoMempool.InterruptBenchmarks");
            Dictionary<string, double> results = BenchmarkDryRun.Results(text, ResultLine);

            Assert.Equal(2, Regex.Matches(text, "^BENCHMARK DONE ", RegexOptions.Multiline).Count);
            var expected = new List<string>
            {
                "alloc.main_collections", "alloc.highest_collections", "alloc.handler_collections",
                "cost.empty_loop_raw_ns_x100", "cost.main_ns_x100", "cost.highest_ns_x100", "cost.handler_ns_x100", "cost.pair_ns_x100",
                "cost.alloc_free_ns_x100", "cost.ratio.main_vs_alloc_free",
            };
            foreach (string way in Ways)
            {
                expected.Add("threeway." + way + ".events");
                expected.Add("threeway." + way + ".collections");
                expected.Add("threeway." + way + ".lateness_p99");
                expected.Add("threeway." + way + ".handler_max");
                expected.Add("threeway." + way + ".adds_up");
                expected.Add("rate." + way + ".24.zero_drop_hz.0");
                expected.Add("rate." + way + ".240.zero_drop_hz.0");
            }

            foreach (string name in expected)
            {
                Assert.True(results.ContainsKey(name), "no RESULT line for " + name);
            }

            foreach (string way in Ways)
            {
                Assert.True(results["threeway." + way + ".events"] >= 300, way + ": fewer handler calls than asked for");
                Assert.True(results["threeway." + way + ".adds_up"] == 1, way + ": the accounting does not add up (see the output)");
            }

            Assert.True(results["alloc.main_collections"] == 0, "IsInterruptThread allocated on the main thread");
            Assert.True(results["alloc.highest_collections"] == 0, "IsInterruptThread allocated on a thread at Highest");
        }
    }
}
