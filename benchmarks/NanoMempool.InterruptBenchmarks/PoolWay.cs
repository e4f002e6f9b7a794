// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// Way (a), the library: a <see cref="BlockPool"/> reserved up front (the handler's TryAlloc, the main thread's
    /// waiting Alloc for packets) and a <see cref="BlockQueue"/> to the main thread (TryEnqueue, Dequeue(ms)).
    /// </summary>
    internal sealed class PoolWay : CaptureWay
    {
        private readonly BlockPool _pool;
        private readonly BlockQueue _queue;
        private Block _packet;

        /// <summary>A pool of <paramref name="blocks"/> buffers and a queue of <paramref name="queueCapacity"/> (less).</summary>
        internal PoolWay(int blocks, int queueCapacity)
        {
            _pool = new BlockPool(Packing.BufferSize, blocks);
            _queue = new BlockQueue(queueCapacity);
        }

        internal override string Name
        {
            get { return "BlockPool + BlockQueue"; }
        }

        internal override int Capture(int sequence, long capturedAt)
        {
            Block block;
            if (!_pool.TryAlloc(out block))
            {
                return NoBuffer;
            }

            Packing.WriteSample(block.Buffer, sequence, capturedAt);
            if (_queue.TryEnqueue(block))
            {
                return Captured;
            }

            _pool.Free(block);
            return QueueFull;
        }

        internal override bool ProcessNext(int millisecondsTimeout)
        {
            if (_packet == null)
            {
                // No other block is held here, and the queue holds fewer than the pool: the Alloc returns.
                _packet = _pool.Alloc();
                Packing.Open(_packet.Buffer);
            }

            Block sample = _queue.Dequeue(millisecondsTimeout);
            if (sample == null)
            {
                return false;
            }

            bool full = Packing.Append(sample.Buffer, _packet.Buffer);
            _pool.Free(sample);
            Processed++;
            if (full)
            {
                Packing.Close(_packet.Buffer);
                _pool.Free(_packet);
                _packet = null;
            }

            return true;
        }

        internal override int Drain()
        {
            if (_packet != null)
            {
                Packing.Close(_packet.Buffer);
                _pool.Free(_packet);
                _packet = null;
            }

            int drained = 0;
            Block sample;
            while (_queue.TryDequeue(out sample))
            {
                _pool.Free(sample);
                drained++;
            }

            return drained;
        }

        internal override string Audit()
        {
            string problem;
            if (!_pool.Validate(out problem))
            {
                return problem;
            }

            return _pool.FreeCount == _pool.Capacity ? null : "pool: " + _pool.FreeCount.ToString() + " of " + _pool.Capacity.ToString() + " free";
        }

        /// <summary>The pool's peak blocks in use.</summary>
        internal int PeakInUse
        {
            get { return _pool.Statistics.PeakInUse; }
        }
    }
}
