// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>TryAlloc: takes a free block or says false at once; Free puts it back.</summary>
    [TestClass]
    public class BlockPoolTryAllocTests
    {
        [TestMethod]
        public void TryAlloc_FreeBlock_ReturnsTrueAndAHeldBlock()
        {
            BlockPool pool = new BlockPool(16, 3);

            Block block;
            Assert.IsTrue(pool.TryAlloc(out block));

            Assert.IsNotNull(block);
            Assert.AreSame(pool, block.Pool);
            PoolAssert.Counts(pool, capacity: 3, free: 2, context: "one held");
        }

        [TestMethod]
        public void TryAlloc_EmptyPool_ReturnsFalseWithNullBlockAndCountsAFailure()
        {
            BlockPool pool = new BlockPool(16, 2);
            PoolAssert.TakeAll(pool);

            Block block;
            bool taken = pool.TryAlloc(out block);

            Assert.IsFalse(taken);
            Assert.IsNull(block);
            Assert.AreEqual(1L, pool.Statistics.FailedTryAllocs);
            Assert.AreEqual(0L, pool.Statistics.Waits, "TryAlloc never waits");
            Assert.AreEqual(0L, pool.Statistics.Timeouts, "a failed TryAlloc is not a timeout");
            Assert.AreEqual(0, pool.FreeCount);
            Assert.AreEqual(2, pool.Capacity);
            PoolAssert.Valid(pool);
        }

        [TestMethod]
        public void TryAlloc_AfterFree_ReturnsTheSameBlockAndBuffer()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block first;
            Assert.IsTrue(pool.TryAlloc(out first));
            byte[] buffer = first.Buffer;
            buffer[0] = 0x5A;

            pool.Free(first);
            Block second;
            Assert.IsTrue(pool.TryAlloc(out second));

            // The free list is LIFO and blocks live for the pool's life: the same object and array come back
            // (contents are not cleared, like mempool_alloc).
            Assert.AreSame(first, second);
            Assert.AreSame(buffer, second.Buffer);
            Assert.AreEqual(0x5A, (int)second.Buffer[0]);
        }

        [DataRow(1)]
        [DataRow(2)]
        [DataRow(16)]
        public void TryAlloc_AllBlocksThenFreeAll_EveryBlockHomeAgain(int blockCount)
        {
            BlockPool pool = new BlockPool(4, blockCount);

            Block[] blocks = PoolAssert.TakeAll(pool);
            Assert.AreEqual(blockCount, blocks.Length);
            PoolAssert.Counts(pool, capacity: blockCount, free: 0, context: "all held");
            Block none;
            Assert.IsFalse(pool.TryAlloc(out none));

            for (int i = 0; i < blocks.Length; i++)
            {
                pool.Free(blocks[i]);
                PoolAssert.Counts(pool, capacity: blockCount, free: i + 1, context: "after free " + i);
            }

            PoolAssert.AllHome(pool, "every block home");
            Assert.AreEqual((long)blockCount, pool.Statistics.Allocations);
            Assert.AreEqual((long)blockCount, pool.Statistics.Frees);
        }

        [TestMethod]
        public void Free_SeveralBlocks_TheLastFreedIsTakenFirst()
        {
            BlockPool pool = new BlockPool(4, 4);
            Block[] blocks = PoolAssert.TakeAll(pool);

            pool.Free(blocks[2]);
            pool.Free(blocks[0]);
            pool.Free(blocks[3]);

            PoolAssert.DrainsInOrder(pool, new int[] { 3, 0, 2 }, "LIFO");
        }
    }
}
