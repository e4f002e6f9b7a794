// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
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
    /// Runs spin on model/nanomempool.pml in a fresh temporary directory: spin -a (generates pan.c),
    /// gcc (compiles the verifier), pan (searches), and on a violation spin -t (replays the trail).
    /// </summary>
    public static class SpinRunner
    {
        private const int ProcessTimeoutMs = 180000;

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
        /// <param name="big">True for runs of millions of states: compile pan with -O1 (slower to compile,
        /// faster to run); small runs use -O0, which compiles in a fraction of the time.</param>
        /// <param name="model">The model file in model/ (default nanomempool.pml).</param>
        public static SpinResult Run(ITestOutputHelper output, string name, string spinFlags, string gccFlags, string panFlags, bool big = false, string model = "nanomempool.pml")
        {
            string spin = FindTool("spin");
            string gcc = FindTool("gcc");
            string dir = Path.Combine(Path.GetTempPath(), "nanomempool-model-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                File.Copy(FindModel(model), Path.Combine(dir, "m.pml"));
                Stopwatch total = Stopwatch.StartNew();
                Exec(spin, spinFlags + " -a m.pml", dir, true);
                Exec(gcc, (big ? "-O1" : "-O0") + " -w -DMEMLIM=2048 " + gccFlags + " -o pan pan.c", dir, true);
                Stopwatch search = Stopwatch.StartNew();
                string pan = Exec(Path.Combine(dir, "pan"), panFlags, dir, false);
                search.Stop();

                SpinResult result = new SpinResult();
                result.PanOutput = pan;
                result.Errors = ParseInt(pan, @"errors:\s*(\d+)");
                result.StatesStored = (long)ParseDouble(pan, @"([0-9.e+]+) states, stored");
                result.DepthReached = ParseInt(pan, @"depth reached (\d+)");
                if (File.Exists(Path.Combine(dir, "m.pml.trail")))
                {
                    result.Trail = Exec(spin, spinFlags + " -t m.pml", dir, false);
                }

                total.Stop();
                result.Seconds = search.Elapsed.TotalSeconds;
                output.WriteLine(string.Format(
                    "[{0}] spin {1} | gcc {2} | pan {3}", name, spinFlags, gccFlags, panFlags));
                output.WriteLine(string.Format(
                    "[{0}] errors: {1}, states stored: {2}, depth: {3}, search {4:F2} s, total with compile {5:F2} s",
                    name, result.Errors, result.StatesStored, result.DepthReached, result.Seconds, total.Elapsed.TotalSeconds));
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
            finally
            {
                try
                {
                    Directory.Delete(dir, true);
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

        /// <summary>Asserts that spin reports a violation whose message contains <paramref name="expected"/>.</summary>
        public static void AssertViolation(SpinResult result, string expected)
        {
            Assert.True(result.Errors > 0, "spin found no violation, but one was expected:\n" + result.PanOutput);
            Assert.True(result.PanOutput.Contains(expected) || (result.Trail != null && result.Trail.Contains(expected)),
                "spin reported a different violation than '" + expected + "':\n" + result.PanOutput + "\n" + result.Trail);
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
