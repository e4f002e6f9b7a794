// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    /// <summary>
    /// Live counters of one <see cref="BlockQueue"/>, read at any time from any context; counting costs the queue's
    /// fast paths next to nothing.
    /// </summary>
    /// <remarks>
    /// Every member may be read from any context and never waits. Values are exact when the queue is
    /// quiescent; during concurrent use each is a recent value. Counts are 64-bit and do not wrap in practice.
    /// </remarks>
    public sealed class BlockQueueStatistics
    {
        // The enqueued and dequeued counts are the queue's own positions (with their laps); rejections, waits and
        // timeouts cost one Interlocked.Increment each (EventCounts), and the high-water mark a CAS only on a new
        // record.

        internal const int RejectedFullAt = 0;
        internal const int WaitsAt = 2;
        internal const int TimeoutsAt = 4;
        internal const int CountsLength = 6;

        private readonly BlockQueue _queue;

        internal BlockQueueStatistics(BlockQueue queue)
        {
            _queue = queue;
        }

        /// <summary>Blocks accepted by <see cref="BlockQueue.TryEnqueue"/>. Any context, never waits.</summary>
        public long Enqueued
        {
            get { return _queue.Taken(true); }
        }

        /// <summary>
        /// Blocks taken out (<see cref="BlockQueue.Dequeue(int)"/> and <see cref="BlockQueue.TryDequeue"/>).
        /// Any context, never waits.
        /// </summary>
        public long Dequeued
        {
            get { return _queue.Taken(false); }
        }

        /// <summary>
        /// <see cref="BlockQueue.TryEnqueue"/> calls that found the queue full (the caller kept its block).
        /// Any context, never waits.
        /// </summary>
        public long RejectedFull
        {
            get { return EventCounts.Read(_queue.Counts, RejectedFullAt); }
        }

        /// <summary>
        /// <see cref="BlockQueue.Dequeue(int)"/> calls that found the queue empty and had to wait (a non-zero
        /// timeout). Any context, never waits.
        /// </summary>
        public long Waits
        {
            get { return EventCounts.Read(_queue.Counts, WaitsAt); }
        }

        /// <summary>
        /// <see cref="BlockQueue.Dequeue(int)"/> calls that returned null: a poll (timeout 0) that found the queue
        /// empty, or a wait that timed out. Any context, never waits.
        /// </summary>
        public long Timeouts
        {
            get { return EventCounts.Read(_queue.Counts, TimeoutsAt); }
        }

        /// <summary>
        /// Most blocks in the queue at once, seen just after an enqueue, since construction or
        /// <see cref="ResetHighWater"/>. Any context, never waits.
        /// </summary>
        public int HighWater
        {
            get { return _queue.HighWater; }
        }

        /// <summary>Restarts <see cref="HighWater"/> from 0. Any context, never waits.</summary>
        public void ResetHighWater()
        {
            _queue.ResetHighWater();
        }
    }
}
