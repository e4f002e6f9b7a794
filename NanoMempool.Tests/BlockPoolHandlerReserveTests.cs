// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// The handler reserve (BlockPoolOptions.HandlerReserve): the last blocks, which TryAlloc (single and bulk) may
    /// not take, kept for threads, whose Alloc may.
    /// </summary>
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
        public static void TryAlloc_OnlyTheReserveLeft_FailsAndCountsAFailure()
        {
            BlockPool pool = MakePool(blocks: 4, reserve: 2);
            Block a, b, c;
            Assert.IsTrue(pool.TryAlloc(out a));
            Assert.IsTrue(pool.TryAlloc(out b));
            Assert.IsFalse(pool.TryAlloc(out c), "the last 2 blocks are reserved for threads");
            Assert.IsNull(c);
            Assert.AreEqual(2, pool.FreeCount);
            Assert.AreEqual(1L, pool.Statistics.FailedTryAllocs, "a TryAlloc stopped by the reserve is a failed TryAlloc");
        }

        [TestMethod]
        public static void Alloc_OnlyTheReserveLeft_TakesIt()
        {
            BlockPool pool = MakePool(blocks: 3, reserve: 2);
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
        public static void BulkTryAlloc_SetReachingIntoTheReserve_TakesNothing()
        {
            BlockPool pool = MakePool(blocks: 4, reserve: 1);
            Block[] into = new Block[4];
            Assert.IsFalse(pool.TryAlloc(into, 4));
            Assert.AreEqual(4, pool.FreeCount);
            Assert.IsTrue(pool.TryAlloc(into, 3));
            Assert.AreEqual(1, pool.FreeCount);
        }

        [TestMethod]
        public static void HandlerReserve_OutOfRange_ConstructorThrows()
        {
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => MakePool(blocks: 2, reserve: 2));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => MakePool(blocks: 2, reserve: -1));
        }
    }
}
