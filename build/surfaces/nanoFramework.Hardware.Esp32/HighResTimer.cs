// Licensed under the MIT License. See LICENSE in the repository root.
//
// COMPILE-ONLY SURFACE: never shipped, never run. The real package is not obtainable on the Linux build host, so this file
// declares exactly the members that samples/esp32-irq uses, with the signatures of the real package (see
// ../shared/docs/nanoframework-platform.md). Every body throws: the assembly exists only so that the sample can
// be compiled against nanoFramework mscorlib; it must never be deployed or packed.

using System;

namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Surface of nanoFramework.Hardware.Esp32 1.6.x: handler of <see cref="HighResTimer.OnHighResTimerExpired"/>.</summary>
    public delegate void HighResTimerExpiredEventHandler(HighResTimer sender, object e);

    /// <summary>Surface of nanoFramework.Hardware.Esp32 1.6.x: an esp_timer with a managed expiry event.</summary>
    public class HighResTimer : IDisposable
    {
        /// <summary>Creates a timer (at most 10 on the device).</summary>
        public HighResTimer()
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>Raised on the managed interrupt thread each time the timer expires.</summary>
        public event HighResTimerExpiredEventHandler OnHighResTimerExpired
        {
            add { throw new NotSupportedException("Compile-only surface."); }
            remove { throw new NotSupportedException("Compile-only surface."); }
        }

        /// <summary>Microseconds since boot.</summary>
        public static ulong GetCurrent()
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>Starts the timer once: it expires after <paramref name="timeout_us"/> microseconds.</summary>
        public void StartOneShot(ulong timeout_us)
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>Starts the timer periodically, every <paramref name="period_us"/> microseconds.</summary>
        public void StartOnePeriodic(ulong period_us)
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>Stops the timer.</summary>
        public void Stop()
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>Releases the timer.</summary>
        public void Dispose()
        {
            throw new NotSupportedException("Compile-only surface.");
        }
    }
}
