// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
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
            string kit = Environment.GetEnvironmentVariable("NANOCLR_KIT");
            if (string.IsNullOrEmpty(kit))
            {
                kit = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "nanoclr"));
            }

            Skip.IfNot(File.Exists(Path.Combine(kit, "run-nf-app.sh")), "no nanoCLR kit at " + kit + " (set NANOCLR_KIT): the device benchmark was not run");

            string script = Path.Combine(TestPaths.RepoRoot, "benchmarks", "NanoMempool.DeviceBenchmarks", "run.sh");
            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = TestPaths.RepoRoot,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add("--dry-run");
            start.ArgumentList.Add("--bits");
            start.ArgumentList.Add("64");
            start.ArgumentList.Add("--timeout");
            start.ArgumentList.Add("300");
            start.Environment["NANOCLR_KIT"] = kit;

            var output = new StringBuilder();
            Stopwatch clock = Stopwatch.StartNew();
            int exitCode;
            using (Process process = new Process { StartInfo = start })
            {
                process.OutputDataReceived += (sender, e) => Append(output, e.Data);
                process.ErrorDataReceived += (sender, e) => Append(output, e.Data);
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
                {
                    process.Kill(true);
                    process.WaitForExit();
                    Assert.Fail("run.sh --dry-run did not end within 15 minutes:\n" + Tail(output));
                }

                process.WaitForExit();
                exitCode = process.ExitCode;
            }

            string text;
            lock (output)
            {
                text = output.ToString();
            }

            _output.WriteLine(text);
            _output.WriteLine("run.sh --dry-run took " + clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
            Assert.True(exitCode == 0, "run.sh --dry-run exited " + exitCode + ":\n" + Tail(output));

            var results = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (string line in text.Split('\n'))
            {
                Match match = ResultLine.Match(line.TrimEnd('\r'));
                if (match.Success)
                {
                    Assert.False(results.ContainsKey(match.Groups[1].Value), "figure printed twice: " + match.Groups[1].Value);
                    results[match.Groups[1].Value] = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                }
                else
                {
                    Assert.False(line.StartsWith("RESULT", StringComparison.Ordinal), "malformed result line: " + line);
                }
            }

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

        private static void Append(StringBuilder output, string line)
        {
            if (line == null)
            {
                return;
            }

            lock (output)
            {
                output.Append(line).Append('\n');
            }
        }

        private static string Tail(StringBuilder output)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            return text.Length <= 6000 ? text : text.Substring(text.Length - 6000);
        }
    }
}
