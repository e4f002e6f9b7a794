// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;
using Microsoft.Coyote.Specifications;
using NanoMempool.CoyoteShim;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Why the pool's AutoResetEvent calls are swapped for <see cref="ControlledEvent"/> in Coyote runs,
    /// kept as tests so that the reason stays checked: Coyote 1.7.11's own model of AutoResetEvent stays
    /// signalled after Set() releases a thread that was already waiting, and treats a finite timeout as
    /// infinite (reports a deadlock instead of a timeout). The shim must not have either defect.
    /// </summary>
    public sealed class EventModelTests
    {
        private readonly ITestOutputHelper _output;

        public EventModelTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// Documents the Coyote 1.7.11 defect: after Set() wakes a waiting thread the event is still
        /// signalled. If a later Coyote fixes it, this test fails: the shim may then be dropped.
        /// </summary>
        [Fact]
        public void Coyote1711_AutoResetEvent_StaysSignalledAfterWakingAWaiter()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "coyote-event-model", 200, () => SetWhileWaiting(
                e => e.WaitOne(-1, false), e => e.Set(), e => e.WaitOne(0, false)));
            Assert.True(result.Bugs > 0, "Coyote's AutoResetEvent model now resets correctly; the shim may be unnecessary.");
        }

        /// <summary>Coyote 1.7.11 treats WaitOne(20) with no Set() coming as a deadlock, not a timeout.</summary>
        [Fact]
        public void Coyote1711_TimedWait_NeverTimesOut()
        {
            CoyoteRunner.Result result = CoyoteRunner.RunUntilBug(_output, "coyote-timed-wait", 50, () =>
            {
                AutoResetEvent e = new AutoResetEvent(false);
                e.WaitOne(20, false);
            });
            Assert.True(result.Bugs > 0 && result.FirstBug.Contains("Deadlock"), "Coyote now models timeouts: " + result.FirstBug);
        }

        [Fact]
        public void Shim_ResetsAfterWakingAWaiter()
        {
            CoyoteRunner.Result result = CoyoteRunner.Run(_output, "shim-event-model", 1000, () => SetWhileWaiting(
                e => ControlledEvent.WaitOne(e, -1, false), e => ControlledEvent.Set(e), e => ControlledEvent.WaitOne(e, 0, false)));
            Assert.Equal(0, result.Bugs);
        }

        /// <summary>The shim's timed wait explores both outcomes, and a timed wait never deadlocks.</summary>
        [Fact]
        public void Shim_TimedWait_ExploresBothOutcomes()
        {
            int trueCount = 0;
            int falseCount = 0;
            CoyoteRunner.Result result = CoyoteRunner.Run(_output, "shim-timed-wait", 1000, () =>
            {
                AutoResetEvent e = new AutoResetEvent(false);
                Thread setter = new Thread(() => ControlledEvent.Set(e));
                setter.Start();
                if (ControlledEvent.WaitOne(e, 20, false))
                {
                    trueCount++;
                }
                else
                {
                    falseCount++;
                    Specification.Assert(ControlledEvent.WaitOne(e, -1, false), "the signal was lost");
                }

                setter.Join();
                Specification.Assert(!ControlledEvent.WaitOne(e, 0, false), "a signal was left latched");
            });
            _output.WriteLine("shim-timed-wait outcomes: signalled " + trueCount + ", timed out " + falseCount);
            Assert.Equal(0, result.Bugs);
            Assert.True(trueCount > 0 && falseCount > 0, "outcomes: signalled " + trueCount + ", timed out " + falseCount);
        }

        private static void SetWhileWaiting(
            System.Func<AutoResetEvent, bool> wait, System.Action<AutoResetEvent> set, System.Func<AutoResetEvent, bool> poll)
        {
            AutoResetEvent e = new AutoResetEvent(false);
            bool first = false;
            Thread waiter = new Thread(() => { first = wait(e); });
            waiter.Start();
            set(e);
            waiter.Join();
            bool second = poll(e);
            Specification.Assert(first && !second, "auto-reset broken: first wait {0}, later poll {1}", first, second);
        }
    }
}
