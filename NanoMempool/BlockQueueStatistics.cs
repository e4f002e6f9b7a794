// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// Live counters of one <see cref="BlockQueue"/>. Counting costs one <c>Interlocked.Increment</c> per
    /// event, and a CAS only when a new high-water mark is set.
    /// </summary>
    /// <remarks>
    /// Every member may be read from any context and never waits. Values are exact when the queue is
    /// quiescent; during concurrent use each is a recent value. Counts are 64-bit and do not wrap in practice.
    /// </remarks>
    public sealed class BlockQueueStatistics
    {
        internal readonly Counter _enqueued = new Counter();
        internal readonly Counter _dequeued = new Counter();
        internal readonly Counter _rejectedFull = new Counter();
        internal readonly Counter _waits = new Counter();
        internal readonly Counter _timeouts = new Counter();
        private int _highWater;

        internal BlockQueueStatistics()
        {
        }

        /// <summary>Blocks accepted by <see cref="BlockQueue.TryEnqueue"/>. Any context, never waits.</summary>
        public long Enqueued
        {
            get { return _enqueued.Value; }
        }

        /// <summary>
        /// Blocks taken out (<see cref="BlockQueue.Dequeue(int)"/> and <see cref="BlockQueue.TryDequeue"/>).
        /// Any context, never waits.
        /// </summary>
        public long Dequeued
        {
            get { return _dequeued.Value; }
        }

        /// <summary>
        /// <see cref="BlockQueue.TryEnqueue"/> calls that found the queue full (the caller kept its block).
        /// Any context, never waits.
        /// </summary>
        public long RejectedFull
        {
            get { return _rejectedFull.Value; }
        }

        /// <summary>
        /// <see cref="BlockQueue.Dequeue(int)"/> calls that found the queue empty and had to wait (a non-zero
        /// timeout). Any context, never waits.
        /// </summary>
        public long Waits
        {
            get { return _waits.Value; }
        }

        /// <summary>
        /// <see cref="BlockQueue.Dequeue(int)"/> calls that returned null: a poll (timeout 0) that found the queue
        /// empty, or a wait that timed out. Any context, never waits.
        /// </summary>
        public long Timeouts
        {
            get { return _timeouts.Value; }
        }

        /// <summary>
        /// Most blocks in the queue at once, seen just after an enqueue, since construction or
        /// <see cref="ResetHighWater"/>. Any context, never waits.
        /// </summary>
        public int HighWater
        {
            get { return _highWater; }
        }

        /// <summary>Restarts <see cref="HighWater"/> from 0. Any context, never waits.</summary>
        public void ResetHighWater()
        {
            Interlocked.Exchange(ref _highWater, 0);
        }

        /// <summary>
        /// Counts one enqueue that left <paramref name="depth"/> blocks in the queue. Plain read on the fast
        /// path; a CAS only on a new record.
        /// </summary>
        internal void OnEnqueued(int depth)
        {
            _enqueued.Increment();
            if (depth > _highWater)
            {
                Watermark.RaiseTo(ref _highWater, depth);
            }
        }
    }
}
