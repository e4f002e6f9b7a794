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
    /// Runs one nanoCLR benchmark's run.sh as a dry run on the kit (NANOCLR_KIT, else ../shared/nanoclr; the test is
    /// skipped without it), fails on a non-zero exit or a run longer than 15 minutes, and returns its output and its
    /// RESULT lines (each figure once, every line that starts with RESULT well formed).
    /// </summary>
    internal static class BenchmarkDryRun
    {
        internal static string Run(ITestOutputHelper log, string benchmark, params string[] arguments)
        {
            string kit = Environment.GetEnvironmentVariable("NANOCLR_KIT");
            if (string.IsNullOrEmpty(kit))
            {
                kit = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "nanoclr"));
            }

            Skip.IfNot(File.Exists(Path.Combine(kit, "run-nf-app.sh")), "no nanoCLR kit at " + kit + " (set NANOCLR_KIT): " + benchmark + " was not run");

            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = TestPaths.RepoRoot,
            };
            start.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "benchmarks", benchmark, "run.sh"));
            start.ArgumentList.Add("--dry-run");
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

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
                    Assert.Fail(benchmark + "/run.sh --dry-run did not end within 15 minutes:\n" + Tail(output));
                }

                process.WaitForExit();
                exitCode = process.ExitCode;
            }

            string text;
            lock (output)
            {
                text = output.ToString();
            }

            log.WriteLine(text);
            log.WriteLine(benchmark + "/run.sh --dry-run took " + clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
            Assert.True(exitCode == 0, benchmark + "/run.sh --dry-run exited " + exitCode + ":\n" + Tail(output));
            return text;
        }

        /// <summary>The figures of the RESULT lines that match <paramref name="resultLine"/> (groups: name, value).</summary>
        internal static Dictionary<string, double> Results(string text, Regex resultLine)
        {
            var results = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (string line in text.Split('\n'))
            {
                Match match = resultLine.Match(line.TrimEnd('\r'));
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

            return results;
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
