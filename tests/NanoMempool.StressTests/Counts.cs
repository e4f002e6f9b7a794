// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.StressTests
{
    /// <summary>What one context saw; private to it while it runs, summed after it has stopped.</summary>
    internal sealed class Counts
    {
        internal long Operations;
        internal long Allocations;
        internal long Frees;
        internal long FailedTryAllocs;
        internal long Timeouts;
        internal long WaitingCalls;
        internal long TimedOutWaits;
        internal long Resizes;
        internal long StatisticsReads;

        /// <summary>The capacity of this context's last Resize, 0 if it made none (not summed by Add).</summary>
        internal int LastResize;

        /// <summary>Diagnostics only: what the context is doing now (see StressTests.Describe).</summary>
        internal int Current;

        internal void Add(Counts o)
        {
            Operations += o.Operations;
            Allocations += o.Allocations;
            Frees += o.Frees;
            FailedTryAllocs += o.FailedTryAllocs;
            Timeouts += o.Timeouts;
            WaitingCalls += o.WaitingCalls;
            TimedOutWaits += o.TimedOutWaits;
            Resizes += o.Resizes;
            StatisticsReads += o.StatisticsReads;
        }

        public override string ToString()
        {
            return "operations " + Operations + ", allocations " + Allocations + ", frees " + Frees
                + ", failed TryAllocs " + FailedTryAllocs + ", timeouts " + Timeouts + " (of which timed waits " + TimedOutWaits
                + "), waiting calls " + WaitingCalls + ", resizes " + Resizes + ", statistics reads " + StatisticsReads;
        }
    }
}
