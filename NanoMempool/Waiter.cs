// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// A reusable record for one thread blocked in <see cref="BlockPool.Alloc(int)"/>: its ticket and phase
    /// in one CAS-able word, the block handed to it, and the event it sleeps on.
    /// </summary>
    /// <remarks>
    /// <para>Word layout: bits 31..2 = ticket (a 30-bit FIFO sequence number), bits 1..0 = phase.</para>
    /// <para>Phase transitions (each a CAS that keeps the ticket, so a stale CAS aimed at an earlier use of
    /// the record fails):</para>
    /// <list type="bullet">
    /// <item>Idle -> Waiting: the owner registers, under the pool's thread lock (new ticket).</item>
    /// <item>Waiting -> Idle: the owner withdraws (timeout, or it saw a free block). No Set() follows.</item>
    /// <item>Waiting -> Claimed: one freeing context wins the block hand-off; it then writes
    /// <see cref="_handed"/> and calls Set() exactly once. In the bulk queue a claim hands no block: it
    /// only wakes the owner to retry (see <see cref="WaiterQueue.WakeNeedingAtMost"/>).</item>
    /// <item>Waiting -> Disposed: Dispose; it then calls Set() exactly once.</item>
    /// <item>Claimed/Disposed -> Idle: the owner, after it has consumed that one Set().</item>
    /// </list>
    /// <para>So every Set() on <see cref="_signal"/> is matched by exactly one WaitOne that returns true,
    /// and no signal is ever left latched for the record's next use.</para>
    /// </remarks>
    internal sealed class Waiter
    {
        internal const int PhaseIdle = 0;
        internal const int PhaseWaiting = 1;
        internal const int PhaseClaimed = 2;
        internal const int PhaseDisposed = 3;

        private const int PhaseMask = 3;
        private const int TicketMask = 0x3FFFFFFF;

        /// <summary>Ticket and phase (see remarks).</summary>
        internal int _word;

        /// <summary>The block handed over; written by the claimer between its CAS and its Set().</summary>
        internal Block _handed;

        /// <summary>
        /// Blocks the owner needs at once: 1 in the single-block queue; the set size of a blocking bulk
        /// Alloc in the bulk queue. Written by the owner before its registration publishes Waiting.
        /// </summary>
        internal int _need;

        /// <summary>The event the owner sleeps on.</summary>
        internal readonly AutoResetEvent _signal = new AutoResetEvent(false);

        internal static int Phase(int word)
        {
            return word & PhaseMask;
        }

        internal static int Ticket(int word)
        {
            return (word >> 2) & TicketMask;
        }

        internal static int Make(int ticket, int phase)
        {
            return ((ticket & TicketMask) << 2) | phase;
        }

        /// <summary>
        /// True when ticket <paramref name="a"/> was issued before ticket <paramref name="b"/>, in 30-bit
        /// wrapping arithmetic (valid while fewer than 2^29 tickets separate them).
        /// </summary>
        internal static bool IsOlder(int a, int b)
        {
            return ((a - b) & TicketMask) >= 0x20000000;
        }
    }
}
