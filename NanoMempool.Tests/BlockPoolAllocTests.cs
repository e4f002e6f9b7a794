// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>Alloc when a block is free, Alloc(0) polling, and Alloc's argument check.</summary>
    [TestClass]
    public class BlockPoolAllocTests
    {
        [DataRow(-1)]
        [DataRow(0)]
        [DataRow(100)]
        public void Alloc_FreeBlock_ReturnsItWithoutWaiting(int millisecondsTimeout)
        {
            BlockPool pool = new BlockPool(12, 2);

            Block block = pool.Alloc(millisecondsTimeout);

            Assert.IsNotNull(block);
            Assert.AreSame(pool, block.Pool);
            Assert.AreEqual(12, block.Buffer.Length);
            PoolAssert.Counts(pool, capacity: 2, free: 1, context: "one held");
            Assert.AreEqual(0L, pool.Statistics.Waits, "a free block was there: no wait");
            Assert.AreEqual(1L, pool.Statistics.Allocations);
        }

        [TestMethod]
        public void AllocParameterless_FreeBlock_ReturnsIt()
        {
            BlockPool pool = new BlockPool(12, 2);

            Block first = pool.Alloc();
            Block second = pool.Alloc();

            Assert.IsNotNull(first);
            Assert.IsNotNull(second);
            Assert.AreNotSame(first, second);
            PoolAssert.Counts(pool, capacity: 2, free: 0, context: "both held");
            Assert.AreEqual(0L, pool.Statistics.Waits);
        }

        [TestMethod]
        public void Alloc_ZeroTimeoutOnEmptyPool_ReturnsNullAtOnce()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            Assert.IsNotNull(held);

            long start = PoolAssert.NowTicks();
            Block none = pool.Alloc(0);
            long elapsed = PoolAssert.ElapsedMs(start);

            Assert.IsNull(none);
            // "At once": no sleep at all (the statistics below say it never waited). The time bound only catches a
            // wait far too long (an untimed one), like the other tests' bounds: a machine running other jobs may
            // preempt the interpreter for hundreds of milliseconds, which is no bug.
            Assert.IsTrue(elapsed < PoolAssert.PromptMs, "Alloc(0) took " + elapsed + " ms");
            Assert.AreEqual(1L, pool.Statistics.Timeouts, "a failed poll counts as a timeout");
            Assert.AreEqual(0L, pool.Statistics.Waits, "a poll never waits");
            Assert.AreEqual(0L, pool.Statistics.FailedTryAllocs, "Alloc(0) is not TryAlloc");
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "after the poll");
        }

        [DataRow(-2)]
        [DataRow(-1000)]
        [DataRow(int.MinValue)]
        public void Alloc_NegativeTimeoutOtherThanInfinite_ThrowsAndChangesNothing(int millisecondsTimeout)
        {
            BlockPool pool = new BlockPool(4, 3);
            Block held = pool.Alloc(0);
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Alloc(millisecondsTimeout));
            before.AssertUnchanged("Alloc(" + millisecondsTimeout + ") on a pool with free blocks");

            PoolAssert.TakeAll(pool);
            PoolSnapshot empty = PoolSnapshot.Take(pool);
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Alloc(millisecondsTimeout));
            empty.AssertUnchanged("Alloc(" + millisecondsTimeout + ") on an empty pool");
            Assert.IsNotNull(held);
        }
    }
}
