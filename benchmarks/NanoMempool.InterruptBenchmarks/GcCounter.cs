// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// Counts garbage collections: a sentinel object held only by a WeakReference dies at the first collection after
    /// it was made, so each poll that finds it dead counts one collection and makes a new one. Two collections between
    /// two polls count as one (the main loop polls after every sample, about once a millisecond at 1 kHz). The kit's
    /// nanoCLR is built without NANOCLR_TRACE_MEMORY_STATS, so GC.EnableGCMessages prints nothing there. Main thread.
    /// </summary>
    internal sealed class GcCounter
    {
        private WeakReference _sentinel = new WeakReference(new object());
        private int _count;

        /// <summary>Collections seen since <see cref="Reset"/>.</summary>
        internal int Count
        {
            get { return _count; }
        }

        /// <summary>Counts one collection if the sentinel has died since the last poll.</summary>
        internal void Poll()
        {
            if (!_sentinel.IsAlive)
            {
                _count++;
                _sentinel = new WeakReference(new object());
            }
        }

        /// <summary>Starts counting from zero with a fresh sentinel.</summary>
        internal void Reset()
        {
            _sentinel = new WeakReference(new object());
            _count = 0;
        }
    }
}
