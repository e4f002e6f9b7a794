// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;
using NanoMempool.TestTiers;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Runs a scenario under Coyote's TestingEngine, in-process, over the rewritten assemblies, and prints
    /// one line per scenario: iterations, time, bugs (to the test output, the console, and
    /// bin/.../coyote-summary.txt).
    /// </summary>
    /// <remarks>
    /// Depth per tier (NANOMEMPOOL_TIER, see tests/Shared/TestTier.cs): a scenario that must stay clean runs its
    /// full iteration count in the full tier, at most <see cref="QuickIterations"/> in the quick tier and
    /// <see cref="DeepFactor"/> times as many in the deep tier. A run that must find a seeded bug keeps its count
    /// in every tier: it stops at the first bug, so the count only bounds how long it may search. Such a run starts
    /// from the fixed seed <see cref="UntilBugSeed"/>, so that it explores the same schedules every time and its
    /// outcome never depends on chance (a clean scenario starts from a new seed each run: there, finding something
    /// is always a real bug). seeded-bug-seeds.sh measures how many schedules each such run needs from seeds 1 to
    /// 100, which shows that the fixed seed is not a lucky one and that the budget has room
    /// (docs/concurrency/README.md, "Seeded bugs: every run finds them").
    /// Environment: NANOMEMPOOL_COYOTE_ITERATIONS replaces every count (for long runs);
    /// NANOMEMPOOL_COYOTE_SEED pins the random seed of every run (to replay a run, or to try another seed for the
    /// runs that must find a bug); NANOMEMPOOL_COYOTE_MEMORY=0 turns the
    /// memory-access scheduling points off (to compare); NANOMEMPOOL_COYOTE_STRATEGY picks the exploration
    /// strategy: random (the default), pctN (prioritization with N priority changes) or probN (probabilistic).
    /// </remarks>
    internal static class CoyoteRunner
    {
        /// <summary>The most iterations a clean scenario runs in the quick tier (a smoke test).</summary>
        internal const uint QuickIterations = 200;

        /// <summary>How many times its full count a clean scenario runs in the deep tier.</summary>
        internal const uint DeepFactor = 10;

        /// <summary>
        /// The random seed of every run that must find a bug (<see cref="RunUntilBug"/>), unless
        /// NANOMEMPOOL_COYOTE_SEED is set: with it, the run is deterministic (the same schedules in the same order).
        /// </summary>
        internal const uint UntilBugSeed = 1;

        /// <summary>
        /// The budget of a seeded-bug run: it stops at the first bug, so this bounds only a run that finds none. From
        /// seeds 1 to 100 the slowest seeded bug (the dropped hand-off re-check) needed at most 2,695 schedules (5,767
        /// before the abort-safe waiting): the budget leaves room for a change of the library to move seed 1's count.
        /// </summary>
        internal const uint UntilBugBudget = 50000;

        /// <summary>The engine settings running on this logical thread, for <see cref="Quiescent"/>.</summary>
        private static readonly AsyncLocal<Points> Running = new AsyncLocal<Points>();

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
        /// For a scenario whose 10,000 schedules do not fit the full tier's time (./test.sh, what CI runs): skips it
        /// there, with the reason, so that the report says where it runs. The deep tier runs it at depth, the quick
        /// tier as a smoke test like every scenario. Call it first in a [SkippableFact].
        /// </summary>
        internal static void DeepTierOnly()
        {
            Skip.If(
                !TestTier.IsDeep && !TestTier.IsQuick,
                "full tier: this scenario's 10,000+ schedules run in ./test.sh --deep (NANOMEMPOOL_TIER=deep); the full tier runs the core scenarios of each area (docs/concurrency/README.md)");
        }

        /// <summary>
        /// Runs a scenario for <see cref="PoolScenarioTests.Iterations"/> schedules (scaled by the tier) and fails the
        /// xUnit test unless it ran and Coyote found no bug (the first bug and its trace go into the failure message).
        /// </summary>
        internal static void AssertNoBug(ITestOutputHelper output, string name, Action test)
        {
            Result result = Run(output, name, PoolScenarioTests.Iterations, test);
            Xunit.Assert.True(result.Bugs == 0, name + ": Coyote found a bug: " + result.FirstBug + "\nTrace:\n" + result.Trace);
            Xunit.Assert.True(result.Iterations >= 1, name + ": no iteration ran");
        }

        /// <summary>
        /// Runs a scenario that must stay clean: <paramref name="iterations"/> schedules in the full tier, fewer in
        /// the quick tier, more in the deep tier (see the remarks of the class).
        /// </summary>
        internal static Result Run(ITestOutputHelper output, string name, uint iterations, Action test)
        {
            return RunEngine(output, name, Scaled(iterations), test, null);
        }

        /// <summary>
        /// Runs a scenario that must find a bug (a seeded bug in the mutant, a documented defect of Coyote's own
        /// models): up to <paramref name="iterations"/> schedules in every tier, stopping at the first bug, from the
        /// fixed seed <see cref="UntilBugSeed"/>.
        /// </summary>
        internal static Result RunUntilBug(ITestOutputHelper output, string name, uint iterations, Action test)
        {
            return RunEngine(output, name, iterations, test, UntilBugSeed);
        }

        /// <summary>
        /// Call from the scenario's main thread once every other controlled thread of the iteration has ended (after
        /// the joins), around the end-of-iteration audit, as <c>using (CoyoteRunner.Quiescent()) { ... }</c>. With one
        /// thread left there is nothing to interleave, yet each field access, Interlocked call and lock of the
        /// rewritten library would still be a scheduling step (the audit and settle cycle made about a third of all
        /// steps). Turns those scheduling points off until disposed; the checks run as before.
        /// </summary>
        internal static IDisposable Quiescent()
        {
            Points points = Running.Value;
            if (points == null)
            {
                throw new InvalidOperationException("CoyoteRunner.Quiescent() outside CoyoteRunner.Run.");
            }

            return points.Enter();
        }

        private static uint Scaled(uint iterations)
        {
            if (TestTier.IsQuick)
            {
                return Math.Min(iterations, QuickIterations);
            }

            return TestTier.IsDeep ? iterations * DeepFactor : iterations;
        }

        /// <param name="fixedSeed">The seed to start from, or null for a new one each run (Environment.TickCount);
        /// NANOMEMPOOL_COYOTE_SEED replaces either.</param>
        private static Result RunEngine(ITestOutputHelper output, string name, uint iterations, Action test, uint? fixedSeed)
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
                seed = fixedSeed ?? (uint)Environment.TickCount;
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
                .WithTraceAnalysisEnabled(false)
                .WithConsoleLoggingEnabled(false)
                .WithTelemetryEnabled(false);
            string strategy = Environment.GetEnvironmentVariable("NANOMEMPOOL_COYOTE_STRATEGY") ?? "random";
            if (strategy.StartsWith("pct", StringComparison.Ordinal))
            {
                configuration = configuration.WithPrioritizationStrategy(false, strategy.Length > 3 ? uint.Parse(strategy.Substring(3)) : 10u);
            }
            else if (strategy.StartsWith("fairpct", StringComparison.Ordinal))
            {
                configuration = configuration.WithPrioritizationStrategy(true, strategy.Length > 7 ? uint.Parse(strategy.Substring(7)) : 10u);
            }
            else if (strategy.StartsWith("prob", StringComparison.Ordinal))
            {
                configuration = configuration.WithProbabilisticStrategy(strategy.Length > 4 ? uint.Parse(strategy.Substring(4)) : 3u);
            }

            Points points = new Points(configuration, memory);
            Stopwatch watch = Stopwatch.StartNew();
            TestReport report;
            string trace;
            using (TestingEngine engine = TestingEngine.Create(configuration, test))
            {
                // Coyote 1.7.11 adds the text of every explored schedule (tens of KB each) to the report's
                // ExploredPaths and never uses it in an in-process run: 10,000 iterations kept hundreds of MB per
                // scenario. Dropped after each iteration; the reproducible trace of a bug is kept separately.
                engine.RegisterEndIterationCallBack(_ =>
                {
                    points.Reset();
                    engine.TestReport.CoverageInfo.ExploredPaths.Clear();
                    engine.TestReport.CoverageInfo.VisitedStates.Clear();
                });
                Running.Value = points;
                try
                {
                    engine.Run();
                }
                finally
                {
                    Running.Value = null;
                }

                report = engine.TestReport;
                trace = report.NumOfFoundBugs > 0 ? engine.ReproducibleTrace : null;
            }

            watch.Stop();
            Result result = new Result
            {
                Name = name,
                Iterations = report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths,
                Bugs = report.NumOfFoundBugs,
                Seconds = watch.Elapsed.TotalSeconds,
                FirstBug = report.BugReports.FirstOrDefault(),
                Trace = trace,
            };

            string line = string.Format(
                "coyote {0}: iterations {1}, time {2:F1} s, bugs {3} (seed {4}, max steps {5}{6}, tier {7}, {8}, managed heap {9} MB)",
                name, result.Iterations, result.Seconds, result.Bugs, seed, Math.Max(report.MaxExploredFairSteps, report.MaxExploredUnfairSteps),
                memory ? "" : ", memory points off", TestTier.Current, strategy, GC.GetTotalMemory(true) >> 20);
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

        /// <summary>
        /// The scheduling points of one engine: Coyote reads the memory-access, Interlocked and lock flags from the
        /// engine's configuration at each such point, so turning them off there takes effect at once. Scopes may
        /// nest; the points come back on when the outermost one ends, and after every iteration (so that a bug found
        /// inside a scope leaves them as configured in its reproducible trace).
        /// </summary>
        private sealed class Points
        {
            private readonly Configuration _configuration;
            private readonly bool _memory;
            private int _depth;

            internal Points(Configuration configuration, bool memory)
            {
                _configuration = configuration;
                _memory = memory;
            }

            internal IDisposable Enter()
            {
                if (_depth++ == 0)
                {
                    _configuration.WithMemoryAccessRaceCheckingEnabled(false)
                        .WithAtomicOperationRaceCheckingEnabled(false)
                        .WithLockAccessRaceCheckingEnabled(false);
                }

                return new Scope(this);
            }

            internal void Reset()
            {
                _depth = 0;
                _configuration.WithMemoryAccessRaceCheckingEnabled(_memory)
                    .WithAtomicOperationRaceCheckingEnabled(true)
                    .WithLockAccessRaceCheckingEnabled(true);
            }

            private void Leave()
            {
                if (_depth > 0 && --_depth == 0)
                {
                    Reset();
                }
            }

            private sealed class Scope : IDisposable
            {
                private Points _points;

                internal Scope(Points points)
                {
                    _points = points;
                }

                public void Dispose()
                {
                    _points?.Leave();
                    _points = null;
                }
            }
        }
    }
}
