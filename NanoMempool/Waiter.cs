// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    // A reusable record for one thread blocked in BlockPool.Alloc(int) (or in the bulk Alloc): its
    // state in one CAS-able word, the thread that owns it, and the event it sleeps on.
    // Word layout: bits 1..0 = phase; bits 31..2 = a 30-bit FIFO ticket while Idle, Waiting or Disposed, and
    // the slot of the handed block while Claimed (0 in the bulk queue, whose claims hand nothing).
    // Phase transitions (each a CAS or an exchange on the word):
    // <list type="bullet">
    // <item>Idle -> Waiting: the owner registers, under the pool's thread lock (new ticket).</item>
    // <item>Waiting -> Idle: the owner withdraws (timeout, a block became free, or it leaves by an exception).</item>
    // <item>Waiting -> Claimed(slot): one freeing context wins the hand-off; the block is the record's from that CAS
    // on. It then calls Set() once, to wake the owner.</item>
    // <item>Waiting -> Disposed: Dispose; it then calls Set() once.</item>
    // <item>Claimed/Disposed -> Idle: the owner, once it has taken the outcome (or gives the block back).</item>
    // </list>
    // The word is the truth, the event only a wake-up: the owner reads the word after every wake, treats a
    // wake that finds it still Waiting as spurious (a Set left over from the record's earlier use, which the owner
    // did not need because it had already read that outcome), and never waits for a Set to learn an outcome. So
    // an owner that leaves by an exception, wherever it lands (ThreadAbortException can even take a Set with it on
    // nanoFramework), can always settle its record from the word alone.
    internal sealed class Waiter
    {
        internal const int PhaseIdle = 0;
        internal const int PhaseWaiting = 1;
        internal const int PhaseClaimed = 2;
        internal const int PhaseDisposed = 3;

        private const int PhaseMask = 3;
        private const int TicketMask = 0x3FFFFFFF;

        // Phase and ticket or handed slot (see remarks).
        internal int _word;

        // Blocks the owner needs at once: 1 in the single-block queue; the set size of a blocking bulk
        // Alloc in the bulk queue. Written by the owner before its registration publishes Waiting.
        internal int _need;

        // The thread that registered the record last, written before its registration publishes Waiting: lets
        // an owner that leaves by an exception tell its own record from one another thread has reused, and lets
        // Validate report a record whose thread has ended.
        internal Thread _owner;

        // The event the owner sleeps on.
        internal readonly AutoResetEvent _signal = new AutoResetEvent(false);

        internal static int Phase(int word)
        {
            return word & PhaseMask;
        }

        internal static int Ticket(int word)
        {
            return (word >> 2) & TicketMask;
        }

        // The slot handed to a Claimed record (0 for a bulk wake).
        internal static int Slot(int word)
        {
            return (word >> 2) & TicketMask;
        }

        internal static int Make(int ticket, int phase)
        {
            return ((ticket & TicketMask) << 2) | phase;
        }

        // The Claimed word that hands slot (0: a wake without a block).
        internal static int Claimed(int slot)
        {
            return (slot << 2) | PhaseClaimed;
        }

        // True when ticket a was issued before ticket b, in 30-bit
        // wrapping arithmetic (valid while fewer than 2^29 tickets separate them).
        internal static bool IsOlder(int a, int b)
        {
            return ((a - b) & TicketMask) >= 0x20000000;
        }
    }
}
