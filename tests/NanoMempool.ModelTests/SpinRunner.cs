// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using NanoMempool.TestTiers;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.ModelTests
{
    /// <summary>The outcome of one spin + gcc + pan run.</summary>
    public sealed class SpinResult
    {
        public int Errors;
        public long StatesStored;
        public int DepthReached;
        public string PanOutput;
        public string Trail;
        public double Seconds;

        public bool Complete
        {
            get { return !PanOutput.Contains("Search not completed") || Errors > 0; }
        }
    }

    /// <summary>
    /// Runs spin on a model of model/ in a temporary directory: spin -a (generates pan.c), gcc (compiles the
    /// verifier), pan (searches), and on a violation spin -t (replays the trail). In the quick tier
    /// (NANOMEMPOOL_TIER=quick) only the runs marked quick run; runs marked deep run only in the deep tier
    /// (NANOMEMPOOL_TIER=deep); the others are reported as skipped.
    /// </summary>
    public static class SpinRunner
    {
        /// <summary>
        /// How long one spin, gcc or pan process may run: 8 minutes, 30 in the deep tier. A hang guard, not a
        /// measure: the longest quick or full run searches for about 20 s of CPU, which a loaded machine (these
        /// runs are at nice 10 in ./test.sh) can stretch several times; 8 minutes stays under the per-test hang
        /// timeout of ./test.sh --quick (10 minutes), so the failure names the process.
        /// </summary>
        private static readonly int ProcessTimeoutMs = TestTier.IsDeep ? 1800000 : 480000;

        public static string ModelPath
        {
            get { return FindModel("nanomempool.pml"); }
        }

        /// <summary>The path of model/<paramref name="file"/> above the test binaries.</summary>
        public static string FindModel(string file)
        {
            string dir = AppContext.BaseDirectory;
            while (dir != null)
            {
                string candidate = Path.Combine(dir, "model", file);
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                dir = Path.GetDirectoryName(dir);
            }

            throw new FileNotFoundException("model/" + file + " not found above " + AppContext.BaseDirectory);
        }

        /// <param name="name">Label for the output.</param>
        /// <param name="spinFlags">-D options for the model (configuration, seeded bug).</param>
        /// <param name="gccFlags">-D options for the verifier (NOCLAIM, COLLAPSE, ...).</param>
        /// <param name="panFlags">Options for the search (-a -f -N claim, -m depth).</param>
        /// <param name="quick">True for the few runs that the quick tier keeps as a smoke test; in the quick tier
        /// every other run is reported as skipped.</param>
        /// <param name="model">The model file in model/ (default nanomempool.pml).</param>
        /// <param name="deep">True for a run that only the deep tier makes: a larger configuration whose code paths and
        /// seeded bugs a smaller full-tier run covers, or a property the full tier proves another way
        /// (docs/concurrency/README.md, "Running the checks").</param>
        /// <remarks>
        /// pan is compiled with -O0: measured on the largest full-tier run (safety resize, 8.3 M states), -O0 took
        /// 2.9 s to compile and 18.4 s to search, -O1 10.4 + 14.4 s, -O2 19.2 + 13.6 s (CPU seconds), and every other
        /// run searches for less time than that. The verifier of one model, configuration and set of gcc options is
        /// compiled once per test process and reused by the runs that differ only in pan's options (the liveness
        /// claims of one configuration).
        /// </remarks>
        public static SpinResult Run(ITestOutputHelper output, string name, string spinFlags, string gccFlags, string panFlags, bool quick = false, string model = "nanomempool.pml", bool deep = false)
        {
            Skip.If(deep && !TestTier.IsDeep, "deep tier only (./test.sh --deep, NANOMEMPOOL_TIER=deep)");
            Skip.If(TestTier.IsQuick && !quick, "skipped in --quick (NANOMEMPOOL_TIER=quick); the full tier runs it");
            string spin = FindTool("spin");
            FindTool("gcc");
            Stopwatch total = Stopwatch.StartNew();
            Verifier verifier = Compile(spin, model, spinFlags, gccFlags);
            lock (verifier)
            {
                string trailFile = Path.Combine(verifier.Directory, "m.pml.trail");
                File.Delete(trailFile);
                Stopwatch search = Stopwatch.StartNew();
                string pan = Exec(Path.Combine(verifier.Directory, "pan"), panFlags, verifier.Directory, false);
                search.Stop();

                SpinResult result = new SpinResult();
                result.PanOutput = pan;
                result.Errors = ParseInt(pan, @"errors:\s*(\d+)");
                result.StatesStored = (long)ParseDouble(pan, @"([0-9.e+]+) states, stored");
                result.DepthReached = ParseInt(pan, @"depth reached (\d+)");
                if (File.Exists(trailFile))
                {
                    result.Trail = Exec(spin, spinFlags + " -t m.pml", verifier.Directory, false);
                }

                total.Stop();
                result.Seconds = search.Elapsed.TotalSeconds;
                output.WriteLine(string.Format(
                    "[{0}] spin {1} | gcc {2} | pan {3}", name, spinFlags, gccFlags, panFlags));
                output.WriteLine(string.Format(
                    "[{0}] errors: {1}, states stored: {2}, depth: {3}, search {4:F2} s, total with compile {5:F2} s{6}",
                    name, result.Errors, result.StatesStored, result.DepthReached, result.Seconds, total.Elapsed.TotalSeconds,
                    verifier.Runs++ > 0 ? " (verifier compiled for an earlier run)" : ""));
                foreach (string line in pan.Split('\n'))
                {
                    if (line.Contains("violated") || line.Contains("acceptance cycle") || line.Contains("invalid end state (")
                        || line.Contains("max search depth too small") || line.Contains("MEMLIM"))
                    {
                        output.WriteLine("  pan: " + Shorten(line.Trim(), 300));
                    }
                }

                if (result.Trail != null)
                {
                    output.WriteLine("  trail (spin -t), last lines:");
                    string[] lines = result.Trail.Split('\n');
                    for (int i = Math.Max(0, lines.Length - 12); i < lines.Length; i++)
                    {
                        output.WriteLine("    " + Shorten(lines[i], 200));
                    }
                }

                return result;
            }
        }

        /// <summary>Skips the calling test unless the tier is deep (./test.sh --deep).</summary>
        public static void RequireDeepTier()
        {
            Skip.IfNot(TestTier.IsDeep, "deep tier only (./test.sh --deep, NANOMEMPOOL_TIER=deep)");
        }

        /// <summary>A compiled verifier (pan) in its own temporary directory, with the model as m.pml.</summary>
        private sealed class Verifier
        {
            internal string Directory;
            internal int Runs;
        }

        private static readonly Dictionary<string, Verifier> Verifiers = new Dictionary<string, Verifier>();

        private static Verifier Compile(string spin, string model, string spinFlags, string gccFlags)
        {
            string key = model + "|" + spinFlags + "|" + gccFlags;
            Verifier verifier;
            lock (Verifiers)
            {
                if (!Verifiers.TryGetValue(key, out verifier))
                {
                    verifier = new Verifier();
                    Verifiers.Add(key, verifier);
                    if (Verifiers.Count == 1)
                    {
                        DeleteLeftovers();
                        AppDomain.CurrentDomain.ProcessExit += (s, e) => DeleteVerifiers();
                    }
                }
            }

            lock (verifier)
            {
                if (verifier.Directory == null)
                {
                    string dir = Path.Combine(Root, Guid.NewGuid().ToString("N"));
                    System.IO.Directory.CreateDirectory(dir);
                    File.Copy(FindModel(model), Path.Combine(dir, "m.pml"));
                    Exec(spin, spinFlags + " -a m.pml", dir, true);
                    Exec(FindTool("gcc"), "-O0 -w -DMEMLIM=2048 " + gccFlags + " -o pan pan.c", dir, true);
                    verifier.Directory = dir;
                }
            }

            return verifier;
        }

        /// <summary>
        /// This process's folder for its verifiers: the test host is often ended without running ProcessExit, so a
        /// later run deletes the folders of processes that no longer exist (<see cref="DeleteLeftovers"/>).
        /// </summary>
        private static readonly string Root = Path.Combine(Path.GetTempPath(), "nanomempool-model-pid" + Environment.ProcessId);

        private static void DeleteLeftovers()
        {
            foreach (string dir in System.IO.Directory.GetDirectories(Path.GetTempPath(), "nanomempool-model-pid*"))
            {
                int pid;
                if (!int.TryParse(Path.GetFileName(dir).Substring("nanomempool-model-pid".Length), out pid) || pid == Environment.ProcessId)
                {
                    continue;
                }

                try
                {
                    using (Process.GetProcessById(pid))
                    {
                        continue;
                    }
                }
                catch (ArgumentException)
                {
                    // No such process: its folder is a leftover.
                }

                try
                {
                    System.IO.Directory.Delete(dir, true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        private static void DeleteVerifiers()
        {
            lock (Verifiers)
            {
                try
                {
                    if (System.IO.Directory.Exists(Root))
                    {
                        System.IO.Directory.Delete(Root, true);
                    }
                }
                catch (IOException)
                {
                }
            }
        }

        /// <summary>Asserts a complete search with no error.</summary>
        public static void AssertHolds(SpinResult result)
        {
            Assert.True(result.PanOutput.Contains("errors: 0"), "spin found a violation:\n" + result.PanOutput + "\n" + result.Trail);
            Assert.False(result.PanOutput.Contains("max search depth too small"), "search depth too small:\n" + result.PanOutput);
            Assert.False(result.PanOutput.Contains("reached -DMEMLIM bound"), "out of memory:\n" + result.PanOutput);
            Assert.False(result.PanOutput.Contains("Search not completed"), "search not completed:\n" + result.PanOutput);
            Assert.True(result.StatesStored > 0, "no states explored");
        }

        /// <summary>
        /// Asserts that pan itself reported a violation whose message (a "pan:" line: "assertion violated ...",
        /// "invalid end state", "acceptance cycle") contains <paramref name="expected"/>. Only pan's own message counts,
        /// never the trail, whose listing of the model's variables would match almost any name. pan cuts the text of a
        /// long assertion (its line ends after about 1,000 characters): the expected text must come early in it.
        /// </summary>
        public static void AssertViolationReported(SpinResult result, string expected)
        {
            Assert.True(result.Errors > 0, "spin found no violation, but one was expected:\n" + result.PanOutput);
            foreach (string line in result.PanOutput.Split('\n'))
            {
                if (line.StartsWith("pan:", StringComparison.Ordinal) && line.Contains(expected))
                {
                    return;
                }
            }

            Assert.Fail("pan reported a different violation than '" + expected + "':\n" + result.PanOutput + "\n" + result.Trail);
        }

        private static string FindTool(string tool)
        {
            string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
            foreach (string dir in path.Split(Path.PathSeparator))
            {
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, tool)))
                {
                    return Path.Combine(dir, tool);
                }
            }

            // Fail, never skip: the model check is part of the test suite.
            Assert.Fail("'" + tool + "' is not installed (apt-get install -y spin gcc); the model tests cannot run.");
            return null;
        }

        private static string Exec(string file, string args, string dir, bool mustSucceed)
        {
            ProcessStartInfo info = new ProcessStartInfo(file, args);
            info.WorkingDirectory = dir;
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            info.UseShellExecute = false;
            StringBuilder text = new StringBuilder();
            using (Process process = new Process())
            {
                process.StartInfo = info;
                process.OutputDataReceived += (s, e) => { if (e.Data != null) { lock (text) { text.AppendLine(e.Data); } } };
                process.ErrorDataReceived += (s, e) => { if (e.Data != null) { lock (text) { text.AppendLine(e.Data); } } };
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                if (!process.WaitForExit(ProcessTimeoutMs))
                {
                    process.Kill(true);
                    Assert.Fail(Path.GetFileName(file) + " " + args + " did not finish in " + (ProcessTimeoutMs / 1000) + " s");
                }

                process.WaitForExit();
                if (mustSucceed && process.ExitCode != 0)
                {
                    Assert.Fail(Path.GetFileName(file) + " " + args + " failed (exit " + process.ExitCode + "):\n" + text);
                }

                lock (text)
                {
                    return text.ToString();
                }
            }
        }

        private static int ParseInt(string text, string pattern)
        {
            Match match = Regex.Match(text, pattern);
            return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }

        private static double ParseDouble(string text, string pattern)
        {
            Match match = Regex.Match(text, pattern);
            return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }

        private static string Shorten(string line, int max)
        {
            return line.Length <= max ? line : line.Substring(0, max) + " ...";
        }
    }
}
