// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>The constructor reserves every block at once, and rejects impossible sizes.</summary>
    [TestClass]
    public class BlockPoolConstructionTests
    {
        [DataRow(1, 1)]
        [DataRow(32, 4)]
        [DataRow(256, 16)]
        public void Constructor_ValidSizes_ReservesEveryBlockFree(int blockSize, int blockCount)
        {
            BlockPool pool = new BlockPool(blockSize, blockCount);

            Assert.AreEqual(blockSize, pool.BlockSize);
            PoolAssert.Counts(pool, capacity: blockCount, free: blockCount, context: "new pool");
            Assert.IsFalse(pool.IsDisposed);
        }

        [TestMethod]
        public void Constructor_NewPool_StatisticsStartAtZero()
        {
            BlockPool pool = new BlockPool(8, 5);
            BlockPoolStatistics statistics = pool.Statistics;

            Assert.IsNotNull(statistics);
            Assert.AreSame(statistics, pool.Statistics, "Statistics is one live object");
            Assert.AreEqual(0L, statistics.Allocations);
            Assert.AreEqual(0L, statistics.Frees);
            Assert.AreEqual(0L, statistics.FailedTryAllocs);
            Assert.AreEqual(0L, statistics.Waits);
            Assert.AreEqual(0L, statistics.Timeouts);
            Assert.AreEqual(0, statistics.PeakInUse);
            Assert.AreEqual(5, statistics.LowestFreeCount);
        }

        [TestMethod]
        public void Constructor_EveryBlock_HasItsOwnBufferOfBlockSizeAndThisPool()
        {
            BlockPool pool = new BlockPool(24, 4);

            // A fresh pool hands its blocks out in index order (block 0 is on top of the free list).
            Block[] blocks = PoolAssert.DrainsInOrder(pool, new int[] { 0, 1, 2, 3 }, "fresh pool");
            for (int i = 0; i < blocks.Length; i++)
            {
                Assert.AreSame(pool, blocks[i].Pool, "Block.Pool");
                Assert.IsNotNull(blocks[i].Buffer, "Block.Buffer");
                Assert.AreEqual(24, blocks[i].Buffer.Length, "Block.Buffer.Length");
                for (int j = 0; j < i; j++)
                {
                    Assert.AreNotSame(blocks[j], blocks[i], "blocks are distinct");
                    Assert.AreNotSame(blocks[j].Buffer, blocks[i].Buffer, "buffers are distinct");
                }
            }
        }

        [DataRow(0)]
        [DataRow(-1)]
        [DataRow(int.MinValue)]
        public void Constructor_NonPositiveBlockSize_ThrowsArgumentOutOfRange(int blockSize)
        {
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockPool(blockSize, 4));
        }

        [DataRow(0)]
        [DataRow(-1)]
        [DataRow(int.MinValue)]
        public void Constructor_NonPositiveBlockCount_ThrowsArgumentOutOfRange(int blockCount)
        {
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockPool(4, blockCount));
        }

        [TestMethod]
        public void Constructor_BlockCountAboveMaxBlocks_ThrowsArgumentOutOfRange()
        {
            // MaxBlocks is the most blocks the pool's word can name; one more must be refused up front (checked
            // before anything is allocated, so this costs nothing on a device).
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockPool(1, BlockPoolOptions.MaxBlocks + 1));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockPool(1, int.MaxValue));
        }
    }
}
