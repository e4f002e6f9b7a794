// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    // The end of a timeout, for the waiting loops of BlockPool and BlockQueue:
    // wall-clock ticks, since mscorlib 1.17.11 has no Environment.TickCount and no Stopwatch (setting the clock,
    // e.g. by SNTP, during a wait lengthens or shortens that wait). Threads only (used by waits); never waits.
    internal static class Deadline
    {
        // The longest a waiting thread sleeps before it looks at its state again, whatever its timeout. A wait needs
        // no such look when every Set() comes: it is the safety net for one that never comes because the context
        // that was to call it left by an exception right before (Thread.Abort inside Free between its hand-off claim
        // and the Set(), or inside TryEnqueue between its publish and the Set()). Then the thread finds the block
        // within this time instead of sleeping beside it forever. One wake a second costs a sleeping thread nothing
        // that matters on a device.
        internal const int RecheckMilliseconds = 1000;

        // Rejects a timeout that is negative and not Timeout.Infinite (-1), as WaitOne does.
        // Throws ArgumentOutOfRangeException: The timeout is out of range.
        internal static void CheckTimeout(int millisecondsTimeout)
        {
            if (millisecondsTimeout < Timeout.Infinite)
            {
                throw new ArgumentOutOfRangeException("millisecondsTimeout", "Use -1 (Timeout.Infinite), 0 or a positive number of milliseconds.");
            }
        }

        // The clock reading (UTC ticks) at which a timeout ends; long.MaxValue for Timeout.Infinite.
        internal static long After(int millisecondsTimeout)
        {
            return millisecondsTimeout == Timeout.Infinite
                ? long.MaxValue
                : DateTime.UtcNow.Ticks + (millisecondsTimeout * TimeSpan.TicksPerMillisecond);
        }

        // How long the next sleep of a wait with left milliseconds to go may be: left, but at most
        // RecheckMilliseconds (Timeout.Infinite counts as more).
        internal static int Nap(int left)
        {
            return left == Timeout.Infinite || left > RecheckMilliseconds ? RecheckMilliseconds : left;
        }

        // Milliseconds left before deadline: Timeout.Infinite for none, 0 once it has
        // passed, else at least 1 (a sub-millisecond rest still waits).
        internal static int MillisecondsLeft(long deadline)
        {
            if (deadline == long.MaxValue)
            {
                return Timeout.Infinite;
            }

            long left = deadline - DateTime.UtcNow.Ticks;
            if (left <= 0)
            {
                return 0;
            }

            int remaining = (int)(left / TimeSpan.TicksPerMillisecond);
            return remaining == 0 ? 1 : remaining;
        }
    }
}
