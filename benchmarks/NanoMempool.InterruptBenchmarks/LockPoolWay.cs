// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;
using NanoMempool.DeviceBenchmarks.Baselines;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// Way (c), the naive pool: the device benchmark's LockPool (a stack of <c>byte[]</c> behind one <c>lock</c>,
    /// reserved up front) for samples and packets, and its LockRingQueue to the main thread, which sleeps on an
    /// AutoResetEvent the handler sets. The handler takes the lock; if the main thread holds it when its quantum
    /// ends, the handler waits.
    /// </summary>
    internal sealed class LockPoolWay : CaptureWay
    {
        private readonly LockPool _pool;
        private readonly LockRingQueue _queue;
        private readonly AutoResetEvent _queued = new AutoResetEvent(false);
        private readonly int _blocks;
        private byte[] _packet;

        /// <summary>A pool of <paramref name="blocks"/> buffers and a queue of <paramref name="queueCapacity"/> (less).</summary>
        internal LockPoolWay(int blocks, int queueCapacity)
        {
            _blocks = blocks;
            _pool = new LockPool(Packing.BufferSize, blocks);
            _queue = new LockRingQueue(queueCapacity);
        }

        internal override string Name
        {
            get { return "lock pool"; }
        }

        internal override int Capture(int sequence, long capturedAt)
        {
            byte[] buffer;
            if (!_pool.TryAlloc(out buffer))
            {
                return NoBuffer;
            }

            Packing.WriteSample(buffer, sequence, capturedAt);
            if (!_queue.TryEnqueue(buffer))
            {
                _pool.Free(buffer);
                return QueueFull;
            }

            _queued.Set();
            return Captured;
        }

        internal override bool ProcessNext(int millisecondsTimeout)
        {
            if (_packet == null)
            {
                // The queue holds fewer buffers than the pool and the handler at most one: one is always free here.
                if (!_pool.TryAlloc(out _packet))
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
            _pool.Free(sample);
            Processed++;
            if (full)
            {
                Packing.Close(_packet);
                _pool.Free(_packet);
                _packet = null;
            }

            return true;
        }

        internal override int Drain()
        {
            if (_packet != null)
            {
                Packing.Close(_packet);
                _pool.Free(_packet);
                _packet = null;
            }

            int drained = 0;
            byte[] sample;
            while (_queue.TryDequeue(out sample))
            {
                _pool.Free(sample);
                drained++;
            }

            return drained;
        }

        internal override string Audit()
        {
            return _pool.FreeCount == _blocks ? null : "lock pool: " + _pool.FreeCount.ToString() + " of " + _blocks.ToString() + " free";
        }
    }
}
