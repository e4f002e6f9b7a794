// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    // 64-bit event counters kept as pairs of ints in one array (low word, then high word), because
    // nanoFramework's Interlocked has no long overloads and an array entry costs 4 bytes where
    // an object costs a heap block per field. One Interlocked.Increment per event; a second one only when
    // the low word crosses a half of its range (once every 2^31 events).
    // The high word counts half-laps of the low word: it is incremented when the low word reaches 0x80000000 and
    // when it wraps to 0, so after every carry its lowest bit equals the low word's top bit. A reader that finds
    // them different has caught an increment between its two steps and adds the carry itself: every read is the
    // exact count at some moment during the read, so a counter never goes backwards for a reader.
    internal static class EventCounts
    {
        // Counts one event in the pair at at. Any context, never waits, allocates nothing.
        internal static void Increment(int[] counts, int at)
        {
            if ((Interlocked.Increment(ref counts[at]) & 0x7FFFFFFF) == 0)
            {
                Interlocked.Increment(ref counts[at + 1]);
            }
        }

        // The count of the pair at at. Any context, never waits.
        internal static long Read(int[] counts, int at)
        {
            while (true)
            {
                int halves = counts[at + 1];
                uint low = (uint)counts[at];
                // The second read of the high word is a CAS that writes back what it finds: a plain one may be merged
                // with the first by the .NET JIT, or satisfied before the low read by an ARM64 core.
                if (Interlocked.CompareExchange(ref counts[at + 1], halves, halves) == halves)
                {
                    if ((uint)(halves & 1) != low >> 31)
                    {
                        // The low word has crossed into the next half; its incrementer has not yet carried.
                        halves++;
                    }

                    return ((long)((uint)halves >> 1) << 32) | low;
                }
            }
        }
    }
}
