// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool
{
    /// <summary>
    /// Health events of a <see cref="BlockPool"/>. They are latched inside the allocation and free paths
    /// (never raised there) and delivered on a thread by <see cref="BlockPool.PollHealth"/>.
    /// </summary>
    [Flags]
    public enum PoolHealth
    {
        /// <summary>Nothing happened since the last poll.</summary>
        None = 0,

        /// <summary>An allocation left the free count at or below <see cref="BlockPoolOptions.LowWaterMark"/>.</summary>
        LowWater = 1,

        /// <summary>A <see cref="BlockPool.TryAlloc(out Block)"/> found no block it could take.</summary>
        Exhausted = 2,

        /// <summary>After a low-water event, a free raised the free count above <see cref="BlockPoolOptions.RecoveredMark"/>.</summary>
        Recovered = 4,

        /// <summary>
        /// With <see cref="BlockPoolOptions.Poisoning"/>: a block's buffer changed while it was free (see
        /// <see cref="BlockPoolStatistics.LastPoisonViolationBlockIndex"/>).
        /// </summary>
        UseAfterFree = 8,
    }

    /// <summary>
    /// Receives the health events latched since the previous <see cref="BlockPool.PollHealth"/>. Runs on the
    /// thread that polls.
    /// </summary>
    /// <param name="pool">The pool the events are about.</param>
    /// <param name="events">One or more events, combined.</param>
    public delegate void PoolHealthEventHandler(BlockPool pool, PoolHealth events);
}
