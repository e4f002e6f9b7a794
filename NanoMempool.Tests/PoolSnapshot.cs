// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Everything observable about a pool's counts at one quiescent moment, so that a test can prove an
    /// operation (typically a rejected one) changed nothing.
    /// </summary>
    internal sealed class PoolSnapshot
    {
        private readonly BlockPool _pool;
        private readonly int _capacity;
        private readonly int _freeCount;
        private readonly bool _isSaturated;
        private readonly bool _isDisposed;
        private readonly long _allocations;
        private readonly long _frees;
        private readonly long _failedTryAllocs;
        private readonly long _waits;
        private readonly long _timeouts;
        private readonly int _peakInUse;
        private readonly int _lowestFreeCount;

        private PoolSnapshot(BlockPool pool)
        {
            _pool = pool;
            _capacity = pool.Capacity;
            _freeCount = pool.FreeCount;
            _isSaturated = pool.IsSaturated;
            _isDisposed = pool.IsDisposed;
            BlockPoolStatistics statistics = pool.Statistics;
            _allocations = statistics.Allocations;
            _frees = statistics.Frees;
            _failedTryAllocs = statistics.FailedTryAllocs;
            _waits = statistics.Waits;
            _timeouts = statistics.Timeouts;
            _peakInUse = statistics.PeakInUse;
            _lowestFreeCount = statistics.LowestFreeCount;
        }

        /// <summary>Takes a snapshot after checking that the pool's invariants hold now.</summary>
        internal static PoolSnapshot Take(BlockPool pool)
        {
            PoolAssert.Invariants(pool);
            return new PoolSnapshot(pool);
        }

        /// <summary>Asserts that every count and statistic equals the snapshot and the invariants still hold.</summary>
        internal void AssertUnchanged(string context)
        {
            BlockPoolStatistics statistics = _pool.Statistics;
            Assert.AreEqual(_capacity, _pool.Capacity, context + ": Capacity changed");
            Assert.AreEqual(_freeCount, _pool.FreeCount, context + ": FreeCount changed");
            Assert.AreEqual(_isSaturated, _pool.IsSaturated, context + ": IsSaturated changed");
            Assert.AreEqual(_isDisposed, _pool.IsDisposed, context + ": IsDisposed changed");
            Assert.AreEqual(_allocations, statistics.Allocations, context + ": Allocations changed");
            Assert.AreEqual(_frees, statistics.Frees, context + ": Frees changed");
            Assert.AreEqual(_failedTryAllocs, statistics.FailedTryAllocs, context + ": FailedTryAllocs changed");
            Assert.AreEqual(_waits, statistics.Waits, context + ": Waits changed");
            Assert.AreEqual(_timeouts, statistics.Timeouts, context + ": Timeouts changed");
            Assert.AreEqual(_peakInUse, statistics.PeakInUse, context + ": PeakInUse changed");
            Assert.AreEqual(_lowestFreeCount, statistics.LowestFreeCount, context + ": LowestFreeCount changed");
            PoolAssert.Invariants(_pool);
        }
    }
}
