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
            string kit = Environment.GetEnvironmentVariable("NANOCLR_KIT");
            if (string.IsNullOrEmpty(kit))
            {
                kit = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "nanoclr"));
            }

            Skip.IfNot(File.Exists(Path.Combine(kit, "run-nf-app.sh")), "no nanoCLR kit at " + kit + " (set NANOCLR_KIT): the interrupt benchmark was not run");

            string script = Path.Combine(TestPaths.RepoRoot, "benchmarks", "NanoMempool.InterruptBenchmarks", "run.sh");
            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = TestPaths.RepoRoot,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add("--dry-run");
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

            var results = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (string line in text.Split('\n'))
            {
                Match match = ResultLine.Match(line.TrimEnd('\r'));
                if (match.Success)
                {
                    Assert.False(results.ContainsKey(match.Groups[1].Value), "figure printed twice: " + match.Groups[1].Value);
                    results[match.Groups[1].Value] = long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                }
                else
                {
                    Assert.False(line.StartsWith("RESULT", StringComparison.Ordinal), "malformed result line: " + line);
                }
            }

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
