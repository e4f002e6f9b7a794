// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>Block: its properties, and Dispose = Free so that <c>using</c> gives blocks back.</summary>
    [TestClass]
    public class BlockTests
    {
        [TestMethod]
        public void Using_AllocatedBlock_IsFreedWhenTheBlockEnds()
        {
            BlockPool pool = new BlockPool(16, 2);

            using (Block block = pool.Alloc(PoolAssert.WakeTimeoutMs))
            {
                Assert.IsNotNull(block);
                PoolAssert.Counts(pool, capacity: 2, free: 1, context: "inside using");
            }

            PoolAssert.Counts(pool, capacity: 2, free: 2, context: "after using");
            Assert.AreEqual(1L, pool.Statistics.Frees);
        }

        [TestMethod]
        public void Using_BodyThrows_BlockIsStillFreed()
        {
            BlockPool pool = new BlockPool(16, 1);

            try
            {
                using (Block block = pool.Alloc())
                {
                    block.Buffer[0] = 7;
                    throw new InvalidOperationException("body failed");
                }
            }
            catch (InvalidOperationException)
            {
            }

            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "after the failing using body");
        }

        [TestMethod]
        public void Dispose_IsExactlyFree()
        {
            BlockPool pool = new BlockPool(16, 3);
            Block a = pool.Alloc(0);
            Block b = pool.Alloc(0);

            b.Dispose();
            a.Dispose();

            // Same effect as Free: pushed in that order, so a is on top.
            PoolAssert.Counts(pool, capacity: 3, free: 3, context: "both disposed");
            PoolAssert.DrainsInOrder(pool, new int[] { a.Index, b.Index, 2 }, "free list after Dispose");
        }

        [TestMethod]
        public void Properties_AreStableForTheBlocksLife()
        {
            BlockPool pool = new BlockPool(5, 2);
            Block block = pool.Alloc(0);
            byte[] buffer = block.Buffer;
            int index = block.Index;

            block.Dispose();
            Block again = pool.Alloc(0);

            Assert.AreSame(block, again);
            Assert.AreSame(buffer, again.Buffer);
            Assert.AreEqual(index, again.Index);
            Assert.AreSame(pool, again.Pool);
            Assert.AreEqual(5, again.Buffer.Length);
        }

        [TestMethod]
        public void Index_IsDistinctPerBlockWithinThePool()
        {
            BlockPool pool = new BlockPool(1, 6);
            Block[] blocks = PoolAssert.TakeAll(pool);
            bool[] seen = new bool[6];

            for (int i = 0; i < blocks.Length; i++)
            {
                int index = blocks[i].Index;
                Assert.IsTrue(index >= 0 && index < 6, "index " + index + " out of range");
                Assert.IsFalse(seen[index], "index " + index + " used twice");
                seen[index] = true;
            }
        }
    }
}
