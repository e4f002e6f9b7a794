// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// One way to get a sample's buffer in the handler and pass it to the main thread: the library's pool and queue,
    /// <c>new byte[]</c> in the handler, or a lock pool. The capture (in the HighResTimer handler) and the processing
    /// (on the main thread) around it are the same for every way: <see cref="Packing"/>.
    /// </summary>
    internal abstract class CaptureWay
    {
        /// <summary>Samples packed.</summary>
        internal int Processed;

        /// <summary>Times the main thread got no packet buffer (OutOfMemoryException, or an empty lock pool) and tried again later.</summary>
        internal int MainFailures;

        /// <summary>The packing state and checksum every way shares.</summary>
        internal readonly Packing Packing = new Packing();

        /// <summary>Capture outcome: the sample was queued.</summary>
        internal const int Captured = 0;

        /// <summary>Capture outcome: no buffer (pool empty).</summary>
        internal const int NoBuffer = 1;

        /// <summary>Capture outcome: the queue was full (the buffer was given back).</summary>
        internal const int QueueFull = 2;

        /// <summary>Capture outcome: <c>new byte[]</c> threw OutOfMemoryException.</summary>
        internal const int OutOfMemory = 3;

        /// <summary>The way's name in the tables.</summary>
        internal abstract string Name { get; }

        /// <summary>Handler: takes a buffer, writes the sample, queues it. Returns one of the outcomes above.</summary>
        internal abstract int Capture(int sequence, long capturedAt);

        /// <summary>
        /// Main thread: waits up to <paramref name="millisecondsTimeout"/> for a sample, packs it into the open
        /// packet (taking one first if none is open) and gives its buffer back; completes the packet when full.
        /// Returns false when no sample came. When it gets no packet buffer it counts that in <see cref="MainFailures"/>
        /// and returns true without taking a sample.
        /// </summary>
        internal abstract bool ProcessNext(int millisecondsTimeout);

        /// <summary>Main thread, after the handler stopped: closes the open packet, gives back everything queued.</summary>
        /// <returns>Samples that were still queued.</returns>
        internal abstract int Drain();

        /// <summary>Main thread, after <see cref="Drain"/>: null if every buffer is home, else what is wrong.</summary>
        internal abstract string Audit();
    }
}
