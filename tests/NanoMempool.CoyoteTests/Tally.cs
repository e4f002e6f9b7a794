// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// What one worker saw, counted privately (no shared writes, so no extra scheduling points) and summed
    /// after every worker has been joined, to be compared with the pool's own statistics.
    /// </summary>
    internal sealed class Tally
    {
        internal long Allocations;       // blocks obtained (TryAlloc true, Alloc non-null)
        internal long Frees;             // successful Free / Block.Dispose calls
        internal long FailedTryAllocs;   // TryAlloc false
        internal long Timeouts;          // Alloc(timeout) returned null (polls included)
        internal long WaitingCalls;      // Alloc calls with a non-zero timeout (upper bound for Statistics.Waits)
        internal long TimedOutWaits;     // Alloc with a positive timeout that returned null (each of these waited)
        internal long Disposed;          // ObjectDisposedException seen

        internal void Add(Tally other)
        {
            Allocations += other.Allocations;
            Frees += other.Frees;
            FailedTryAllocs += other.FailedTryAllocs;
            Timeouts += other.Timeouts;
            WaitingCalls += other.WaitingCalls;
            TimedOutWaits += other.TimedOutWaits;
            Disposed += other.Disposed;
        }
    }
}
