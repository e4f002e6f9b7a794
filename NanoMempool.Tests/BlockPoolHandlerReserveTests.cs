// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>The handler reserve: blocks TryAlloc may not take, kept for threads (issue 6, item 3).</summary>
    [TestClass]
    public class BlockPoolHandlerReserveTests
    {
        private static BlockPool MakePool(int blocks, int reserve)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.HandlerReserve = reserve;
            return new BlockPool(8, blocks, options);
        }

        [TestMethod]
        public static void TryAlloc_StopsAtTheReserve_AndCountsAFailure()
        {
            BlockPool pool = MakePool(4, 2);
            Block a, b, c;
            Assert.IsTrue(pool.TryAlloc(out a));
            Assert.IsTrue(pool.TryAlloc(out b));
            Assert.IsFalse(pool.TryAlloc(out c), "the last 2 blocks are reserved for threads");
            Assert.IsNull(c);
            Assert.AreEqual(2, pool.FreeCount);
            Assert.AreEqual(1L, pool.Statistics.FailedTryAllocs);
            Assert.AreEqual((int)PoolHealth.Exhausted, (int)pool.PollHealth());
        }

        [TestMethod]
        public static void Alloc_TakesTheReserve()
        {
            BlockPool pool = MakePool(3, 2);
            Block a;
            Assert.IsTrue(pool.TryAlloc(out a));
            Block b = pool.Alloc(0);
            Block c = pool.Alloc(0);
            Assert.IsNotNull(b);
            Assert.IsNotNull(c);
            Assert.AreEqual(0, pool.FreeCount);
            Assert.IsNull(pool.Alloc(0));
        }

        [TestMethod]
        public static void BulkTryAlloc_RespectsTheReserve()
        {
            BlockPool pool = MakePool(4, 1);
            Block[] into = new Block[4];
            Assert.IsFalse(pool.TryAlloc(into, 4));
            Assert.AreEqual(4, pool.FreeCount);
            Assert.IsTrue(pool.TryAlloc(into, 3));
            Assert.AreEqual(1, pool.FreeCount);
        }

        [TestMethod]
        public static void Reserve_OutOfRange_Throws()
        {
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => MakePool(2, 2));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => MakePool(2, -1));
        }
    }
}
