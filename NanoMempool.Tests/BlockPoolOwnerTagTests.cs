// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>Owner tags and the holder report (issue 6, item 1).</summary>
    [TestClass]
    public class BlockPoolOwnerTagTests
    {
        private const int SpiTask = 3;
        private const int SensorIrq = 7;

        [TestMethod]
        public static void TryAlloc_WithTag_RecordsTagAndTime()
        {
            BlockPool pool = new BlockPool(8, 2);
            long before = DateTime.UtcNow.Ticks;
            Block block;
            Assert.IsTrue(pool.TryAlloc(out block, SensorIrq));
            long after = DateTime.UtcNow.Ticks;

            Assert.AreEqual(SensorIrq, block.OwnerTag);
            Assert.IsTrue(block.HeldSinceTicks >= before && block.HeldSinceTicks <= after, "time recorded at allocation");
        }

        [TestMethod]
        public static void TryAlloc_WithoutTag_RecordsNoOwnerAndNoTime()
        {
            BlockPool pool = new BlockPool(8, 1);
            Block block;
            Assert.IsTrue(pool.TryAlloc(out block, SpiTask));
            pool.Free(block);

            Assert.IsTrue(pool.TryAlloc(out block));
            Assert.AreEqual(BlockPool.NoOwner, block.OwnerTag);
            Assert.AreEqual(0L, block.HeldSinceTicks);
        }

        [TestMethod]
        public static void Alloc_WithTag_RecordsTag()
        {
            BlockPool pool = new BlockPool(8, 1);
            Block block = pool.Alloc(100, SpiTask);
            Assert.IsNotNull(block);
            Assert.AreEqual(SpiTask, block.OwnerTag);
            Assert.IsTrue(block.HeldSinceTicks > 0);
        }

        [TestMethod]
        public static void CountHeldBy_CountsOnlyHeldBlocksOfThatTag()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block a, b, c;
            pool.TryAlloc(out a, SensorIrq);
            pool.TryAlloc(out b, SensorIrq);
            pool.TryAlloc(out c, SpiTask);

            Assert.AreEqual(2, pool.CountHeldBy(SensorIrq));
            Assert.AreEqual(1, pool.CountHeldBy(SpiTask));
            Assert.AreEqual(0, pool.CountHeldBy(BlockPool.NoOwner));

            pool.Free(a);
            Assert.AreEqual(1, pool.CountHeldBy(SensorIrq));
        }

        [TestMethod]
        public static void CopyHolderTotals_GivesTotalsByTag()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block a, b, c, d;
            pool.TryAlloc(out a, SensorIrq);
            pool.TryAlloc(out b, SpiTask);
            pool.TryAlloc(out c, SensorIrq);
            pool.TryAlloc(out d);

            int[] tags = new int[4];
            int[] counts = new int[4];
            int distinct = pool.CopyHolderTotals(tags, counts);

            Assert.AreEqual(3, distinct);
            int sum = 0;
            for (int i = 0; i < distinct; i++)
            {
                sum += counts[i];
                if (tags[i] == SensorIrq)
                {
                    Assert.AreEqual(2, counts[i]);
                }
                else
                {
                    Assert.AreEqual(1, counts[i]);
                }
            }

            Assert.AreEqual(4, sum);
        }

        [TestMethod]
        public static void CopyHolderTotals_BadArrays_Throw()
        {
            BlockPool pool = new BlockPool(8, 1);
            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.CopyHolderTotals(null, new int[1]));
            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.CopyHolderTotals(new int[1], null));
            Assert.ThrowsException(typeof(ArgumentException), () => pool.CopyHolderTotals(new int[1], new int[2]));
        }

        [TestMethod]
        public static void CopyHeldBlocks_ListsExactlyTheHeldBlocks()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block a, b;
            pool.TryAlloc(out a);
            pool.TryAlloc(out b, SpiTask);

            Block[] held = new Block[3];
            Assert.AreEqual(2, pool.CopyHeldBlocks(held));
            Assert.IsTrue((held[0] == a && held[1] == b) || (held[0] == b && held[1] == a));
            Assert.IsNull(held[2]);

            Block[] small = new Block[1];
            Assert.AreEqual(1, pool.CopyHeldBlocks(small), "never writes past the array");
            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.CopyHeldBlocks(null));
        }

        [TestMethod]
        public static void FindHeldLongerThan_ReturnsOnlyOldTaggedHolders()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block old, untagged;
            pool.TryAlloc(out old, SpiTask);
            pool.TryAlloc(out untagged);
            Thread.Sleep(60);
            Block fresh;
            pool.TryAlloc(out fresh, SensorIrq);

            Block[] suspects = new Block[3];
            int found = pool.FindHeldLongerThan(40, suspects);

            Assert.AreEqual(1, found);
            Assert.AreSame(old, suspects[0]);
            Assert.AreEqual(0, pool.FindHeldLongerThan(60000, suspects));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.FindHeldLongerThan(-1, suspects));
        }
    }
}
