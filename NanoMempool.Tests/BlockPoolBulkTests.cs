// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>All-or-nothing bulk TryAlloc and Free: the non-blocking forms, which any context may call.</summary>
    [TestClass]
    public class BlockPoolBulkTests
    {
        [TestMethod]
        public static void BulkTryAlloc_TakesDistinctBlocks()
        {
            BlockPool pool = new BlockPool(8, 5);
            Block[] into = new Block[3];
            Assert.IsTrue(pool.TryAlloc(into, 3));
            Assert.AreEqual(2, pool.FreeCount);
            Assert.IsTrue(into[0] != into[1] && into[1] != into[2] && into[0] != into[2]);
            Assert.AreEqual(3L, pool.Statistics.Allocations);
            PoolAssert.Valid(pool);
        }

        [TestMethod]
        public static void BulkTryAlloc_NotEnough_TakesNothingAndLeavesTheArray()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block[] into = new Block[3];
            Assert.IsFalse(pool.TryAlloc(into, 3));
            Assert.AreEqual(2, pool.FreeCount);
            Assert.IsNull(into[0]);
            Assert.AreEqual(0L, pool.Statistics.Allocations);
            Assert.AreEqual(1L, pool.Statistics.FailedTryAllocs);
        }

        [TestMethod]
        public static void BulkTryAlloc_BadArguments_Throw()
        {
            BlockPool pool = new BlockPool(8, 2);
            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.TryAlloc(null, 1));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.TryAlloc(new Block[2], 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.TryAlloc(new Block[2], 3));
            Assert.AreEqual(2, pool.FreeCount);
        }

        [TestMethod]
        public static void BulkFree_ReturnsAll()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block[] blocks = new Block[4];
            pool.TryAlloc(blocks, 4);
            pool.Free(blocks, 4);
            Assert.AreEqual(4, pool.FreeCount);
            Assert.AreEqual(4L, pool.Statistics.Frees);
        }

        /// <summary>
        /// A set with a block listed twice frees nothing: the blocks it had taken over go back to held, so they
        /// free normally afterwards. In a poisoning pool, held is a different state (checked on free): the same.
        /// </summary>
        [DataRow(false)]
        [DataRow(true)]
        public static void BulkFree_WithADuplicate_FreesNothing(bool poisoning)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = poisoning;
            BlockPool pool = new BlockPool(8, 3, options);
            Block[] blocks = new Block[3];
            pool.TryAlloc(blocks, 2);
            blocks[2] = blocks[0];

            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(blocks, 3));

            Assert.AreEqual(1, pool.FreeCount);
            Assert.AreEqual(0L, pool.Statistics.Frees);
            PoolAssert.Valid(pool);
            pool.Free(blocks, 2);
            Assert.AreEqual(3, pool.FreeCount, "the blocks are still held and free normally");
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations);
            PoolAssert.Valid(pool);
        }

        [TestMethod]
        public static void BulkFree_WithNullOrForeignBlock_FreesNothing()
        {
            BlockPool pool = new BlockPool(8, 2);
            BlockPool other = new BlockPool(8, 1);
            Block[] blocks = new Block[2];
            pool.TryAlloc(blocks, 1);
            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.Free(blocks, 2));

            Block foreign;
            other.TryAlloc(out foreign);
            blocks[1] = foreign;
            Assert.ThrowsException(typeof(ArgumentException), () => pool.Free(blocks, 2));
            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.Free(null, 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Free(blocks, 3));

            Assert.AreEqual(1, pool.FreeCount);
            Assert.AreEqual(0, other.FreeCount);
            PoolAssert.Valid(pool);
        }
    }
}
