// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Linq;
using Xunit;

namespace NanoMempool.Tests.Host
{
    /// <summary>
    /// Proves that the host mapping can fail: probe classes written like device tests are run through
    /// LauncherSession.RunAll and each broken behaviour must come out as Failed (or Skipped), in the
    /// launcher's order. The probes live in this namespace, so the real session does not run them.
    /// </summary>
    public class LauncherSelfTests
    {
        private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(1);

        [Fact]
        public void CallsFollowTheLauncherOrderAndRowsAreSeparateCases()
        {
            var ids = LauncherSession.Discover(new[] { typeof(OrderProbe) }).Select(c => c.Id).ToArray();
            Assert.Equal(
                new[]
                {
                    "Host.OrderProbe.Start[Setup]",
                    "Host.OrderProbe.First",
                    "Host.OrderProbe.Second",
                    "Host.OrderProbe.Row[#0]",
                    "Host.OrderProbe.Row[#1]",
                    "Host.OrderProbe.End[Cleanup]",
                },
                ids);

            OrderProbe.Log = string.Empty;
            var results = LauncherSession.RunAll(LauncherSession.Discover(new[] { typeof(OrderProbe) }), Watchdog);
            Assert.All(results.Values, r => Assert.Equal(LauncherOutcome.Passed, r.Outcome));
            Assert.Equal("S12r7r8C", OrderProbe.Log);
        }

        [Fact]
        public void EveryKindOfBrokenTestIsReported()
        {
            var results = LauncherSession.RunAll(LauncherSession.Discover(new[] { typeof(BrokenProbe) }), Watchdog);
            Func<string, LauncherResult> r = name => results["Host.BrokenProbe." + name];

            Assert.Equal(LauncherOutcome.Failed, r("AssertFails").Outcome);
            Assert.Contains("Assert.AreEqual failed. Expected:<1>. Actual:<2>.", r("AssertFails").Message);
            Assert.Equal(LauncherOutcome.Failed, r("ThrowsWrongExceptionType").Outcome);
            Assert.Contains("Threw exception ArgumentNullException, but exception ArgumentException was expected", r("ThrowsWrongExceptionType").Message);
            Assert.Equal(LauncherOutcome.Failed, r("UsesInstanceState").Outcome);
            Assert.Contains("NullReferenceException", r("UsesInstanceState").Message);
            Assert.Equal(LauncherOutcome.Failed, r("Hangs").Outcome);
            Assert.Contains("did not return within 1 s", r("Hangs").Message);
            Assert.Equal(LauncherOutcome.Failed, r("Row[#0]").Outcome);
            Assert.Contains("1L for long", r("Row[#0]").Message);
            Assert.Equal(LauncherOutcome.Passed, r("Row[#1]").Outcome);
            Assert.Equal("row 5" + Environment.NewLine, r("Row[#1]").Output);
            Assert.Equal(LauncherOutcome.Skipped, r("Skips").Outcome);
            Assert.Equal("not today", r("Skips").Message);
            BrokenProbe.Release.Set();
        }

        [Fact]
        public void ASetupThatSkipsSkipsTheWholeClassButAFailingSetupDoesNot()
        {
            var skipped = LauncherSession.RunAll(LauncherSession.Discover(new[] { typeof(SkippingSetupProbe) }), Watchdog);
            Assert.Equal(3, skipped.Count);
            Assert.All(skipped.Values, r => Assert.Equal(LauncherOutcome.Skipped, r.Outcome));

            var failed = LauncherSession.RunAll(LauncherSession.Discover(new[] { typeof(FailingSetupProbe) }), Watchdog);
            Assert.Equal(LauncherOutcome.Failed, failed["Host.FailingSetupProbe.Start[Setup]"].Outcome);
            Assert.Equal(LauncherOutcome.Passed, failed["Host.FailingSetupProbe.Test"].Outcome);
            Assert.Equal(LauncherOutcome.Passed, failed["Host.FailingSetupProbe.End[Cleanup]"].Outcome);
        }
    }
}
