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
        private readonly int _reserveSize;
        private readonly bool _isDisposed;
        private readonly long _allocations;
        private readonly long _frees;
        private readonly long _failedTryAllocs;
        private readonly long _waits;
        private readonly long _timeouts;
        private readonly int _peakInUse;
        private readonly int _lowestFreeCount;
        private readonly long _poisonViolations;
        private readonly long _backingAllocations;
        private readonly long _backingReleases;

        private PoolSnapshot(BlockPool pool)
        {
            _pool = pool;
            _capacity = pool.Capacity;
            _freeCount = pool.FreeCount;
            _reserveSize = pool.ReserveSize;
            _isDisposed = pool.IsDisposed;
            BlockPoolStatistics statistics = pool.Statistics;
            _allocations = statistics.Allocations;
            _frees = statistics.Frees;
            _failedTryAllocs = statistics.FailedTryAllocs;
            _waits = statistics.Waits;
            _timeouts = statistics.Timeouts;
            _peakInUse = statistics.PeakInUse;
            _lowestFreeCount = statistics.LowestFreeCount;
            _poisonViolations = statistics.PoisonViolations;
            _backingAllocations = statistics.BackingAllocations;
            _backingReleases = statistics.BackingReleases;
        }

        /// <summary>Takes a snapshot after checking that the pool passes its audit now.</summary>
        internal static PoolSnapshot Take(BlockPool pool)
        {
            PoolAssert.Valid(pool);
            return new PoolSnapshot(pool);
        }

        /// <summary>Asserts that every count and statistic equals the snapshot and the pool still passes its audit.</summary>
        internal void AssertUnchanged(string context)
        {
            BlockPoolStatistics statistics = _pool.Statistics;
            Assert.AreEqual(_capacity, _pool.Capacity, context + ": Capacity changed");
            Assert.AreEqual(_freeCount, _pool.FreeCount, context + ": FreeCount changed");
            Assert.AreEqual(_reserveSize, _pool.ReserveSize, context + ": ReserveSize changed");
            Assert.AreEqual(_isDisposed, _pool.IsDisposed, context + ": IsDisposed changed");
            Assert.AreEqual(_allocations, statistics.Allocations, context + ": Allocations changed");
            Assert.AreEqual(_frees, statistics.Frees, context + ": Frees changed");
            Assert.AreEqual(_failedTryAllocs, statistics.FailedTryAllocs, context + ": FailedTryAllocs changed");
            Assert.AreEqual(_waits, statistics.Waits, context + ": Waits changed");
            Assert.AreEqual(_timeouts, statistics.Timeouts, context + ": Timeouts changed");
            Assert.AreEqual(_peakInUse, statistics.PeakInUse, context + ": PeakInUse changed");
            Assert.AreEqual(_lowestFreeCount, statistics.LowestFreeCount, context + ": LowestFreeCount changed");
            Assert.AreEqual(_poisonViolations, statistics.PoisonViolations, context + ": PoisonViolations changed");
            Assert.AreEqual(_backingAllocations, statistics.BackingAllocations, context + ": BackingAllocations changed");
            Assert.AreEqual(_backingReleases, statistics.BackingReleases, context + ": BackingReleases changed");
            PoolAssert.Valid(_pool);
        }
    }
}
