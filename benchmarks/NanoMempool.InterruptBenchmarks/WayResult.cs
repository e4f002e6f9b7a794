// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>What one run of one <see cref="CaptureWay"/> measured (<see cref="PipelineRun"/>).</summary>
    internal sealed class WayResult
    {
        /// <summary>The way's name.</summary>
        internal string Name;

        /// <summary>The timer's period, µs.</summary>
        internal int PeriodMicros;

        /// <summary>Handler calls.</summary>
        internal int Events;

        /// <summary>Samples queued to the main thread.</summary>
        internal int Captured;

        /// <summary>Samples dropped in the handler: no buffer.</summary>
        internal int NoBuffer;

        /// <summary>Samples dropped in the handler: queue full.</summary>
        internal int QueueFull;

        /// <summary>Samples dropped in the handler: OutOfMemoryException.</summary>
        internal int HandlerOutOfMemory;

        /// <summary>
        /// Samples lost to an OutOfMemoryException elsewhere in the handler: a call's stack frame, which nanoCLR takes
        /// from the managed heap (any way, once the heap is exhausted).
        /// </summary>
        internal int OtherHandlerOutOfMemory;

        /// <summary>OutOfMemoryExceptions in the main thread's loop outside the way's own buffers (stack frames).</summary>
        internal int MainOutOfMemory;

        /// <summary>Samples packed by the main thread.</summary>
        internal int Processed;

        /// <summary>Samples still queued when the run ended.</summary>
        internal int Drained;

        /// <summary>Times the main thread got no packet buffer.</summary>
        internal int MainFailures;

        /// <summary>The main thread's other allocations.</summary>
        internal int LoadAllocations;

        /// <summary>The main thread's other allocations that threw OutOfMemoryException.</summary>
        internal int LoadOutOfMemory;

        /// <summary>Garbage collections counted during the run.</summary>
        internal int Collections;

        /// <summary>Timer expiry to handler entry, µs: median, 99th percentile (10 µs buckets below 2 ms), largest.</summary>
        internal long LatenessP50;

        /// <summary>Timer expiry to handler entry, µs, 99th percentile.</summary>
        internal long LatenessP99;

        /// <summary>Timer expiry to handler entry, µs, largest.</summary>
        internal long LatenessMax;

        /// <summary>Handler entry to exit, µs, median.</summary>
        internal long HandlerP50;

        /// <summary>Handler entry to exit, µs, 99th percentile.</summary>
        internal long HandlerP99;

        /// <summary>Handler entry to exit, µs, largest.</summary>
        internal long HandlerMax;

        /// <summary>Free heap bytes when the run started (GC.Run(false)).</summary>
        internal long FreeBefore;

        /// <summary>The run's length, from the timer's start to its Stop, µs.</summary>
        internal long ElapsedMicros;

        /// <summary>Null if every buffer came home, else what is wrong.</summary>
        internal string Audit;

        /// <summary>Samples dropped in the handler, all causes.</summary>
        internal int HandlerDrops
        {
            get { return NoBuffer + QueueFull + HandlerOutOfMemory + OtherHandlerOutOfMemory; }
        }

        /// <summary>
        /// Expiries that never reached the handler (lost in the native queues): due before the run's end, and not
        /// handled half a second later while the timer still ran.
        /// </summary>
        internal long LostBeforeHandler;

        /// <summary>
        /// When the handler had run the asked number of times: how long ago the expiry it handled last was due, µs. A
        /// handler that keeps up is at most a quantum (20 ms) behind; one that does not falls further behind the longer
        /// the run, its events waiting in the CLR's queue (as long as the heap holds them).
        /// </summary>
        internal long LagAtEndMicros;

        /// <summary>Every event captured or dropped by cause, every capture processed or drained, every buffer home.</summary>
        internal bool AddsUp
        {
            get { return Events == Captured + HandlerDrops && Captured == Processed + Drained && Audit == null; }
        }

        /// <summary>No sample lost anywhere: none dropped in the handler, none lost before it.</summary>
        internal bool ZeroDrops
        {
            get { return HandlerDrops == 0 && LostBeforeHandler == 0; }
        }
    }
}
