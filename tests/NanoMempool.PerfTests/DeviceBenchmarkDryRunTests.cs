// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.PerfTests
{
    /// <summary>
    /// The device benchmark (benchmarks/NanoMempool.DeviceBenchmarks) runs once as a dry run on the real nanoCLR
    /// interpreter of the kit (NANOCLR_KIT, else ../shared/nanoclr): it must build, convert to .pe, run to its end
    /// (every pool back to its initial state, checked by the program), and print every figure as a RESULT line.
    /// The figures' values are not checked: a dry run's timings mean nothing. Without a kit the test is reported
    /// as skipped, not passed.
    /// </summary>
    [Collection(NanoClrBenchmarkRuns.Name)]
    public class DeviceBenchmarkDryRunTests
    {
        private static readonly Regex ResultLine = new Regex(@"^RESULT (\S+) (-?[0-9]+(?:\.[0-9]+)?) (ns|B|x)$", RegexOptions.CultureInvariant);

        // One figure of each kind the benchmark measures (memory, each timed section, each kind of ratio, the .pe size).
        private static readonly string[] ExpectedResults =
        {
            "mem.64bit.blockpool.per_block_beyond_buffer",
            "mem.64bit.blockpool.fixed",
            "mem.64bit.bare_byte_array.per_block_beyond_buffer",
            "mem.64bit.blockqueue.fixed",
            "empty_loop.raw_ns",
            "pair.blockpool.net_ns",
            "pair.lockpool.net_ns",
            "pair.casstack.net_ns",
            "queue_cycle.blockpool.net_ns",
            "queue_cycle.lock.net_ns",
            "handoff.blockpool.net_ns",
            "handoff.lockpool.net_ns",
            "handoff.events.net_ns",
            "ratio.pair.blockpool.vs.pair.lockpool",
            "ratio.pair.blockpool.vs.pair.casstack",
            "ratio_best.queue_cycle.blockpool.vs.queue_cycle.lock",
            "ratio.handoff.blockpool.vs.handoff.lockpool",
            "ratio.mem.64bit.blockpool_per_block.vs.bare",
            "pe.nanomempool.bytes",
        };

        private readonly ITestOutputHelper _output;

        public DeviceBenchmarkDryRunTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [SkippableFact]
        public void DryRunOnNanoClrPrintsEveryFigure()
        {
            string text = BenchmarkDryRun.Run(_output, "NanoMempool.DeviceBenchmarks", "--bits", "64");
            Dictionary<string, double> results = BenchmarkDryRun.Results(text, ResultLine);

            Assert.Contains("BENCHMARK DONE", text);
            foreach (string name in ExpectedResults)
            {
                Assert.True(results.ContainsKey(name), "no RESULT line for " + name);
            }

            // Sizes are exact even in a dry run: a structure that costs nothing was not measured.
            Assert.True(results["mem.64bit.bare_byte_array.per_block_beyond_buffer"] > 0, "a bare byte[] measured as free");
            Assert.True(results["mem.64bit.blockpool.per_block_beyond_buffer"] > 0, "a pool block measured as free");
            Assert.True(results["pe.nanomempool.bytes"] > 0, "empty NanoMempool.pe");
        }
    }
}
