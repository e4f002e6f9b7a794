// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;
using Xunit.Abstractions;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Runs a scenario under Coyote's TestingEngine, in-process, over the rewritten assemblies, and prints
    /// one line per scenario: iterations, time, bugs (to the test output, the console, and
    /// bin/.../coyote-summary.txt).
    /// </summary>
    /// <remarks>
    /// Environment: NANOMEMPOOL_COYOTE_ITERATIONS multiplies nothing, it replaces the per-scenario
    /// iteration count (for long runs); NANOMEMPOOL_COYOTE_SEED pins the random seed (to replay a run).
    /// </remarks>
    internal static class CoyoteRunner
    {
        internal sealed class Result
        {
            internal string Name;
            internal long Iterations;
            internal int Bugs;
            internal double Seconds;
            internal string FirstBug;
            internal string Trace;
        }

        /// <summary>
        /// Runs a scenario for <see cref="PoolScenarioTests.Iterations"/> schedules and fails the xUnit test unless
        /// it ran and Coyote found no bug (the first bug and its trace go into the failure message).
        /// </summary>
        internal static void AssertNoBug(ITestOutputHelper output, string name, Action test)
        {
            Result result = Run(output, name, PoolScenarioTests.Iterations, test);
            Xunit.Assert.True(result.Bugs == 0, name + ": Coyote found a bug: " + result.FirstBug + "\nTrace:\n" + result.Trace);
            Xunit.Assert.True(result.Iterations >= 1, name + ": no iteration ran");
        }

        internal static Result Run(ITestOutputHelper output, string name, uint iterations, Action test)
        {
            string overrideText = Environment.GetEnvironmentVariable("NANOMEMPOOL_COYOTE_ITERATIONS");
            uint over;
            if (!string.IsNullOrEmpty(overrideText) && uint.TryParse(overrideText, out over) && over > 0)
            {
                iterations = over;
            }

            string seedText = Environment.GetEnvironmentVariable("NANOMEMPOOL_COYOTE_SEED");
            uint seed;
            if (string.IsNullOrEmpty(seedText) || !uint.TryParse(seedText, out seed))
            {
                seed = (uint)Environment.TickCount;
            }

            // Scheduling points at every field load/store of the rewritten code (not only at Interlocked,
            // lock and wait-handle calls): the lock-free protocol's plain reads interleave too. On by
            // default; NANOMEMPOOL_COYOTE_MEMORY=0 turns it off (faster, coarser).
            bool memory = Environment.GetEnvironmentVariable("NANOMEMPOOL_COYOTE_MEMORY") != "0";
            Configuration configuration = Configuration.Create()
                .WithTestingIterations(iterations)
                .WithRandomGeneratorSeed(seed)
                .WithMemoryAccessRaceCheckingEnabled(memory)
                .WithAtomicOperationRaceCheckingEnabled(true)
                .WithLockAccessRaceCheckingEnabled(true)
                .WithPartiallyControlledConcurrencyAllowed(false)
                .WithConsoleLoggingEnabled(false)
                .WithTelemetryEnabled(false);

            TestingEngine engine = TestingEngine.Create(configuration, test);
            Stopwatch watch = Stopwatch.StartNew();
            engine.Run();
            watch.Stop();

            TestReport report = engine.TestReport;
            Result result = new Result
            {
                Name = name,
                Iterations = report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths,
                Bugs = report.NumOfFoundBugs,
                Seconds = watch.Elapsed.TotalSeconds,
                FirstBug = report.BugReports.FirstOrDefault(),
                Trace = report.NumOfFoundBugs > 0 ? engine.ReproducibleTrace : null,
            };

            string line = string.Format(
                "coyote {0}: iterations {1}, time {2:F1} s, bugs {3} (seed {4}, max steps {5}{6})",
                name, result.Iterations, result.Seconds, result.Bugs, seed, report.MaxExploredFairSteps, memory ? "" : ", memory points off");
            output.WriteLine(line);
            Console.WriteLine(line);
            if (result.FirstBug != null)
            {
                output.WriteLine("first bug: " + result.FirstBug);
                Console.WriteLine("first bug: " + result.FirstBug);
            }

            try
            {
                string folder = Path.GetDirectoryName(typeof(CoyoteRunner).Assembly.Location);
                File.AppendAllText(Path.Combine(folder, "coyote-summary.txt"), DateTime.UtcNow.ToString("u") + " " + line + Environment.NewLine);
                if (result.Trace != null)
                {
                    File.WriteAllText(Path.Combine(folder, "coyote-" + name + ".trace"), result.Trace);
                }
            }
            catch (IOException)
            {
                // The summary file is a convenience; the test result does not depend on it.
            }

            return result;
        }
    }
}
