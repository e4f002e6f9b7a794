// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// 64-bit event counters kept as pairs of <see cref="int"/>s in one array (low word, then high word), because
    /// nanoFramework's <see cref="Interlocked"/> has no <c>long</c> overloads and an array entry costs 4 bytes where
    /// an object costs a heap block per field. One <c>Interlocked.Increment</c> per event; a second one only when
    /// the low word wraps (once every 2^32 events).
    /// </summary>
    internal static class EventCounts
    {
        /// <summary>Counts one event in the pair at <paramref name="at"/>. Any context, never waits, allocates nothing.</summary>
        internal static void Increment(int[] counts, int at)
        {
            if (Interlocked.Increment(ref counts[at]) == 0)
            {
                Interlocked.Increment(ref counts[at + 1]);
            }
        }

        /// <summary>
        /// The count of the pair at <paramref name="at"/>. Any context, never waits. Exact when no increment runs
        /// concurrently; a read racing the increment that wraps the low word, between its two steps, can be 2^32 short.
        /// </summary>
        internal static long Read(int[] counts, int at)
        {
            while (true)
            {
                int high = counts[at + 1];
                uint low = (uint)counts[at];
                if (high == counts[at + 1])
                {
                    return ((long)(uint)high << 32) | low;
                }
            }
        }
    }
}
