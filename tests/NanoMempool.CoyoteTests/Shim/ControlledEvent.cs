// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.Coyote.Random;

namespace NanoMempool.CoyoteShim
{
    /// <summary>
    /// Test-only replacement for the three AutoResetEvent calls the pool makes (Set, WaitOne(int, bool),
    /// WaitOne()), swapped into the test copy of NanoMempool.dll by patch-events.fsx before Coyote rewrites
    /// it. Why: Coyote 1.7.11's own AutoResetEvent model (a) leaves the event signalled after Set() releases
    /// a thread that was already waiting (a real AutoResetEvent resets; the pool's exactly-once-signal
    /// protocol then sees a phantom wake-up) and (b) treats a finite timeout as infinite, so it never
    /// explores a timeout racing a hand-off. This model is built from lock and Monitor.Wait/Pulse, which
    /// Coyote does control, and makes the timeout an explicit, explored choice.
    /// </summary>
    public static class ControlledEvent
    {
        private sealed class State
        {
            internal bool Signalled;
        }

        private static readonly ConditionalWeakTable<WaitHandle, State> States = new ConditionalWeakTable<WaitHandle, State>();

        private static State Of(WaitHandle handle) => States.GetValue(handle, h => new State());

        /// <summary>
        /// new AutoResetEvent(initialState), made by reflection so that the Coyote rewriter (which rewrites this
        /// assembly's constructor calls too) leaves it alone: Coyote 1.7.11 puts every AutoResetEvent it sees built
        /// into a static registry that nothing empties, so each pool of each iteration stayed in memory for good.
        /// The pool's events need no entry there: their Set and WaitOne calls come here.
        /// </summary>
        public static AutoResetEvent Create(bool initialState)
        {
            AutoResetEvent handle = (AutoResetEvent)Activator.CreateInstance(typeof(AutoResetEvent), new object[] { initialState });
            if (initialState)
            {
                Of(handle).Signalled = true;
            }

            return handle;
        }

        /// <summary>EventWaitHandle.Set on an AutoResetEvent: signalled until exactly one wait consumes it.</summary>
        public static bool Set(EventWaitHandle handle)
        {
            State state = Of(handle);
            lock (state)
            {
                state.Signalled = true;
                Monitor.Pulse(state);
            }

            return true;
        }

        /// <summary>WaitHandle.WaitOne(): waits until signalled, consuming the signal.</summary>
        public static bool WaitOne(WaitHandle handle) => WaitOne(handle, Timeout.Infinite, false);

        /// <summary>
        /// WaitHandle.WaitOne(int, bool) on an AutoResetEvent. 0 polls; -1 waits until signalled. A positive
        /// timeout is a choice Coyote explores: either the signal wins (wait as for -1), or the timeout fires
        /// at the waiter's next scheduling point, which Coyote may put after any amount of other threads'
        /// progress; then a signal that came first is still consumed (true), else false.
        /// </summary>
        public static bool WaitOne(WaitHandle handle, int millisecondsTimeout, bool exitContext)
        {
            State state = Of(handle);
            if (millisecondsTimeout > 0 && Generator.Create().NextBoolean())
            {
                Thread.Yield();
                millisecondsTimeout = 0;
            }

            lock (state)
            {
                while (!state.Signalled)
                {
                    if (millisecondsTimeout == 0)
                    {
                        return false;
                    }

                    Monitor.Wait(state);
                }

                state.Signalled = false;
                return true;
            }
        }
    }
}
