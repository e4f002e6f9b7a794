// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// Health events with hysteresis. They are latched in the allocation and free paths with at most one
    /// CAS per state change (plain reads otherwise) and delivered on a thread by <see cref="PollHealth"/>,
    /// so no user code ever runs inside <see cref="TryAlloc(out Block)"/> or <see cref="Free(Block)"/>.
    /// </summary>
    public sealed partial class BlockPool
    {
        /// <summary>The owner tag that means "no owner recorded" (and skips reading the clock).</summary>
        public const int NoOwner = 0;

        private readonly int _lowWaterMark;
        private readonly int _recoveredMark;

        /// <summary>1 while a low-water event may fire; 0 from a low-water event until a recovery.</summary>
        private int _lowWaterArmed;

        /// <summary>PoolHealth bits latched since the last PollHealth.</summary>
        private int _healthLatch;

        private PoolHealthEventHandler _healthChanged;

        /// <summary>
        /// Raised by <see cref="PollHealth"/>, on the polling thread, with the events latched since the
        /// previous poll. Subscribe and unsubscribe from threads only.
        /// </summary>
        public event PoolHealthEventHandler HealthChanged
        {
            add
            {
                lock (_threadLock)
                {
                    _healthChanged = (PoolHealthEventHandler)Delegate.Combine(_healthChanged, value);
                }
            }

            remove
            {
                lock (_threadLock)
                {
                    _healthChanged = (PoolHealthEventHandler)Delegate.Remove(_healthChanged, value);
                }
            }
        }

        /// <summary>
        /// Takes the health events latched since the previous call, raises <see cref="HealthChanged"/> with
        /// them (if any) on this thread, and returns them. Threads only (runs the subscribers); never waits
        /// for a block. Latency: an event is seen at the first poll after it happened, so poll as often as
        /// you need to react (e.g. from the loop that prints statistics).
        /// </summary>
        /// <returns>The events since the previous poll, or <see cref="PoolHealth.None"/>.</returns>
        public PoolHealth PollHealth()
        {
            PoolHealth events = (PoolHealth)Interlocked.Exchange(ref _healthLatch, 0);
            PoolHealthEventHandler handler = _healthChanged;
            if (events != PoolHealth.None && handler != null)
            {
                handler(this, events);
            }

            return events;
        }

        /// <summary>Sets a health bit unless it is already latched. Any context; no CAS if already set.</summary>
        private void Latch(PoolHealth health)
        {
            int bit = (int)health;
            int latched = _healthLatch;
            while ((latched & bit) == 0)
            {
                int seen = Interlocked.CompareExchange(ref _healthLatch, latched | bit, latched);
                if (seen == latched)
                {
                    return;
                }

                latched = seen;
            }
        }

        /// <summary>Disarms the low-water check and latches LowWater; exactly one context wins the disarm.</summary>
        private void OnLowWater()
        {
            if (Interlocked.CompareExchange(ref _lowWaterArmed, 0, 1) == 1)
            {
                Latch(PoolHealth.LowWater);
            }
        }

        /// <summary>Re-arms the low-water check and latches Recovered; exactly one context wins the re-arm.</summary>
        private void OnRecovered()
        {
            if (Interlocked.CompareExchange(ref _lowWaterArmed, 1, 0) == 0)
            {
                Latch(PoolHealth.Recovered);
            }
        }

        private static void ValidateOptions(BlockPoolOptions options, int blockCount)
        {
            if (options.HandlerReserve < 0 || options.HandlerReserve >= blockCount)
            {
                throw new ArgumentOutOfRangeException("options", "HandlerReserve must be 0 to blockCount - 1.");
            }

            if (options.BackingRetryMilliseconds < 1)
            {
                throw new ArgumentOutOfRangeException("options", "BackingRetryMilliseconds must be at least 1.");
            }

            bool lowOff = options.LowWaterMark == BlockPoolOptions.Off;
            bool recoveredOff = options.RecoveredMark == BlockPoolOptions.Off;
            if (lowOff != recoveredOff)
            {
                throw new ArgumentOutOfRangeException("options", "Set both LowWaterMark and RecoveredMark, or neither.");
            }

            if (!lowOff && (options.LowWaterMark < 0 || options.RecoveredMark <= options.LowWaterMark || options.RecoveredMark > blockCount))
            {
                throw new ArgumentOutOfRangeException("options", "Need 0 <= LowWaterMark < RecoveredMark <= blockCount.");
            }
        }
    }
}
