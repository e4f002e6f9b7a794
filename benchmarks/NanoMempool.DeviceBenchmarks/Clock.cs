// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>
    /// The benchmark's clock. mscorlib 1.17.11 has no Stopwatch and no Environment.TickCount; nanoFramework.Runtime.Native's
    /// Environment.TickCount64 counts milliseconds; DateTime.UtcNow counts 100 ns ticks (on the kit's interpreter it
    /// moves in steps of about 0.3 µs). So batches are timed with UtcNow, and each batch lasts many milliseconds.
    /// </summary>
    internal static class Clock
    {
        /// <summary>Now, in 100 ns ticks.</summary>
        internal static long Ticks()
        {
            return DateTime.UtcNow.Ticks;
        }
    }
}
