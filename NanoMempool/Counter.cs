// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// A 64-bit event counter built from two <see cref="int"/> words, because nanoFramework's
    /// <see cref="Interlocked"/> has no <c>long</c> overloads. One <c>Interlocked.Increment</c> per event;
    /// a second one only when the low word wraps (once every 2^32 events).
    /// </summary>
    internal sealed class Counter
    {
        private int _low;
        private int _high;

        /// <summary>Counts one event. Any context, never waits, allocates nothing.</summary>
        internal void Increment()
        {
            if (Interlocked.Increment(ref _low) == 0)
            {
                Interlocked.Increment(ref _high);
            }
        }

        /// <summary>
        /// The count so far. Any context, never waits. Exact when no increment runs concurrently.
        /// A read that races an increment may miss it; a read that races the one increment in 2^32 that
        /// wraps the low word, in the instant between its two steps, can be 2^32 short.
        /// </summary>
        internal long Value
        {
            get
            {
                while (true)
                {
                    int high = _high;
                    uint low = (uint)_low;
                    if (high == _high)
                    {
                        return ((long)(uint)high << 32) | low;
                    }
                }
            }
        }
    }
}
