// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using NanoMempool.DeviceBenchmarks.Baselines;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// Way (b), no pool: <c>new byte[64]</c> in the handler for each sample and on the main thread for each packet,
    /// dropped after use for the garbage collector; a lock ring queue to the main thread, which sleeps on an
    /// AutoResetEvent the handler sets. An OutOfMemoryException in the handler loses the sample (counted).
    /// </summary>
    internal sealed class HeapWay : CaptureWay
    {
        private readonly LockRingQueue _queue;
        private readonly AutoResetEvent _queued = new AutoResetEvent(false);
        private byte[] _packet;

        /// <summary>A queue of <paramref name="queueCapacity"/> buffers.</summary>
        internal HeapWay(int queueCapacity)
        {
            _queue = new LockRingQueue(queueCapacity);
        }

        internal override string Name
        {
            get { return "new byte[] in the handler"; }
        }

        internal override int Capture(int sequence, long capturedAt)
        {
            byte[] buffer;
            try
            {
                buffer = new byte[Packing.BufferSize];
            }
            catch (OutOfMemoryException)
            {
                return OutOfMemory;
            }

            Packing.WriteSample(buffer, sequence, capturedAt);
            if (!_queue.TryEnqueue(buffer))
            {
                return QueueFull;
            }

            _queued.Set();
            return Captured;
        }

        internal override bool ProcessNext(int millisecondsTimeout)
        {
            if (_packet == null)
            {
                try
                {
                    _packet = new byte[Packing.BufferSize];
                }
                catch (OutOfMemoryException)
                {
                    MainFailures++;
                    return true;
                }

                Packing.Open(_packet);
            }

            byte[] sample;
            if (!_queue.TryDequeue(out sample))
            {
                _queued.WaitOne(millisecondsTimeout, false);
                if (!_queue.TryDequeue(out sample))
                {
                    return false;
                }
            }

            bool full = Packing.Append(sample, _packet);
            Processed++;
            if (full)
            {
                Packing.Close(_packet);
                _packet = null;
            }

            return true;
        }

        internal override int Drain()
        {
            if (_packet != null)
            {
                Packing.Close(_packet);
                _packet = null;
            }

            int drained = 0;
            byte[] sample;
            while (_queue.TryDequeue(out sample))
            {
                drained++;
            }

            return drained;
        }

        internal override string Audit()
        {
            return _queue.Count == 0 ? null : "queue: " + _queue.Count.ToString() + " left";
        }
    }
}
