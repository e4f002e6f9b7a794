// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Owner tracking (BlockPoolOptions.OwnerTracking): every allocation, whatever its path, records when it
    /// happened (Block.HeldSinceTicks) and resets the block's OwnerTag to 0, which the holder may then set;
    /// CopyHeldBlocks lists the held blocks, so a holder report can say who holds which block, since when.
    /// Without the option the tag and the time read 0 and setting a tag throws.
    /// </summary>
    [TestClass]
    public class BlockPoolOwnerTrackingTests
    {
        private const int SpiTask = 3;
        private const int SensorIrq = 7;
        private const int EarlierHolder = 9;

        private static BlockPool TrackingPool(int blocks)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.OwnerTracking = true;
            return new BlockPool(8, blocks, options);
        }

        /// <summary>Asserts that an allocation made between two clock reads was recorded with a reset tag.</summary>
        private static void AssertFreshlyTracked(Block block, long before, long after, string context)
        {
            Assert.IsNotNull(block, context + ": no block");
            Assert.AreEqual(0, block.OwnerTag, context + ": OwnerTag reset to 0");
            Assert.IsTrue(block.HeldSinceTicks >= before && block.HeldSinceTicks <= after, context + ": HeldSinceTicks is the time of the allocation");
        }

        /// <summary>Takes every block, tags it as an earlier holder's, and frees it again.</summary>
        private static void TagEveryBlockAsAnEarlierHolders(BlockPool pool)
        {
            Block[] all = PoolAssert.TakeAll(pool);
            for (int i = 0; i < all.Length; i++)
            {
                all[i].OwnerTag = EarlierHolder;
                pool.Free(all[i]);
            }
        }

        [TestMethod]
        public void OwnerTag_SetByTheHolder_ReadsBack()
        {
            BlockPool pool = TrackingPool(blocks: 2);
            Block block;
            Assert.IsTrue(pool.TryAlloc(out block));
            Assert.AreEqual(0, block.OwnerTag, "no tag until the holder sets one");

            block.OwnerTag = SensorIrq;

            Assert.AreEqual(SensorIrq, block.OwnerTag);
        }

        [TestMethod]
        public void OwnerTag_NextAllocation_ResetsItToZero()
        {
            BlockPool pool = TrackingPool(blocks: 1);
            Block block;
            Assert.IsTrue(pool.TryAlloc(out block));
            block.OwnerTag = SpiTask;
            pool.Free(block);
            Assert.AreEqual(SpiTask, block.OwnerTag, "a free block keeps its last holder's tag");

            Block again;
            Assert.IsTrue(pool.TryAlloc(out again));

            Assert.AreSame(block, again);
            Assert.AreEqual(0, again.OwnerTag, "the new holder starts untagged");
        }

        [TestMethod]
        public void HeldSinceTicks_Allocation_RecordsTheTimeAndKeepsItWhileFree()
        {
            BlockPool pool = TrackingPool(blocks: 2);
            long before = DateTime.UtcNow.Ticks;
            Block first;
            Assert.IsTrue(pool.TryAlloc(out first));
            long between = DateTime.UtcNow.Ticks;
            Block second;
            Assert.IsTrue(pool.TryAlloc(out second));
            long after = DateTime.UtcNow.Ticks;

            Assert.IsTrue(first.HeldSinceTicks >= before && first.HeldSinceTicks <= between, "first block's time");
            Assert.IsTrue(second.HeldSinceTicks >= first.HeldSinceTicks && second.HeldSinceTicks <= after, "second block's time");

            long firstSince = first.HeldSinceTicks;
            pool.Free(first);
            Assert.AreEqual(firstSince, first.HeldSinceTicks, "a free block keeps the time of its last allocation");
        }

        /// <summary>Every way of taking a block records it: TryAlloc, Alloc, and both bulk forms.</summary>
        [TestMethod]
        public void OwnerTracking_EveryKindOfAllocation_ResetsTheTagAndRecordsTheTime()
        {
            BlockPool pool = TrackingPool(blocks: 4);
            TagEveryBlockAsAnEarlierHolders(pool);
            long before = DateTime.UtcNow.Ticks;

            Block single;
            Assert.IsTrue(pool.TryAlloc(out single));
            Block waited = pool.Alloc(0);
            Block[] bulk = new Block[1];
            Assert.IsTrue(pool.TryAlloc(bulk, 1));
            Block[] bulkWaited = new Block[1];
            Assert.IsTrue(pool.Alloc(bulkWaited, 1, 0));

            long after = DateTime.UtcNow.Ticks;
            AssertFreshlyTracked(single, before, after, "TryAlloc");
            AssertFreshlyTracked(waited, before, after, "Alloc");
            AssertFreshlyTracked(bulk[0], before, after, "bulk TryAlloc");
            AssertFreshlyTracked(bulkWaited[0], before, after, "bulk Alloc");
        }

        [TestMethod]
        public void OwnerTracking_HandOffToAWaitingThread_ResetsTheTagAndRecordsTheTime()
        {
            BlockPool pool = TrackingPool(blocks: 1);
            Block held = pool.Alloc(0);
            held.OwnerTag = EarlierHolder;
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");
            long before = DateTime.UtcNow.Ticks;

            pool.Free(held);

            Block got = waiter.AssertGotBlock("waiter");
            AssertFreshlyTracked(got, before, DateTime.UtcNow.Ticks, "handed to the waiter");
        }

        [TestMethod]
        public void OwnerTracking_BlockFromTheBackingAllocator_IsTracked()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.OwnerTracking = true;
            options.BackingAllocator = new CountingAllocator(budget: 10);
            BlockPool pool = new BlockPool(8, 1, options);
            long before = DateTime.UtcNow.Ticks;

            Block block = pool.Alloc(0);

            AssertFreshlyTracked(block, before, DateTime.UtcNow.Ticks, "from the allocator");
            Assert.AreEqual(1, pool.FreeCount, "the reserve was not touched");
            block.OwnerTag = SpiTask;
            Assert.AreEqual(SpiTask, block.OwnerTag);
        }

        /// <summary>
        /// Without OwnerTracking there is nowhere to keep a tag: it reads 0, setting it throws, and the pool is
        /// unchanged. A pool with another option (poisoning) is no different.
        /// </summary>
        [DataRow(false)]
        [DataRow(true)]
        public void OwnerTag_WithoutOwnerTracking_ReadsZeroAndSettingThrows(bool poisoning)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = poisoning;
            BlockPool pool = new BlockPool(8, 2, options);
            Block block;
            Assert.IsTrue(pool.TryAlloc(out block));
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => block.OwnerTag = SpiTask);

            before.AssertUnchanged("setting OwnerTag without OwnerTracking");
            Assert.AreEqual(0, block.OwnerTag);
            Assert.AreEqual(0L, block.HeldSinceTicks);
            pool.Free(block);
        }

        [DataRow(false)]
        [DataRow(true)]
        public void CopyHeldBlocks_SomeHeld_ListsExactlyThemInIndexOrder(bool ownerTracking)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.OwnerTracking = ownerTracking;
            BlockPool pool = new BlockPool(8, 4, options);
            Block[] taken = new Block[3];
            Assert.IsTrue(pool.TryAlloc(taken, 3));
            pool.Free(taken[1]);

            Block[] held = new Block[4];
            int count = pool.CopyHeldBlocks(held);

            Assert.AreEqual(2, count);
            Assert.AreEqual(0, held[0].Index);
            Assert.AreEqual(2, held[1].Index);
            Assert.IsNull(held[2], "nothing written past the held blocks");

            Block[] small = new Block[1];
            Assert.AreEqual(1, pool.CopyHeldBlocks(small), "never writes past the array");
            Assert.AreEqual(0, small[0].Index);
            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.CopyHeldBlocks(null));
        }

        /// <summary>The holder report a user writes from CopyHeldBlocks: who holds how many blocks, and the oldest.</summary>
        [TestMethod]
        public void HolderReport_TaggedHolders_SaysWhoHoldsWhatSinceWhen()
        {
            BlockPool pool = TrackingPool(blocks: 5);
            Block spi;
            pool.TryAlloc(out spi);
            spi.OwnerTag = SpiTask;
            Block[] sensor = new Block[2];
            pool.TryAlloc(sensor, 2);
            sensor[0].OwnerTag = SensorIrq;
            sensor[1].OwnerTag = SensorIrq;
            Block untagged;
            pool.TryAlloc(out untagged);

            Block[] held = new Block[5];
            int count = pool.CopyHeldBlocks(held);
            int bySpi = 0;
            int bySensor = 0;
            int byNobody = 0;
            Block oldest = null;
            for (int i = 0; i < count; i++)
            {
                int tag = held[i].OwnerTag;
                bySpi += tag == SpiTask ? 1 : 0;
                bySensor += tag == SensorIrq ? 1 : 0;
                byNobody += tag == 0 ? 1 : 0;
                if (oldest == null || held[i].HeldSinceTicks < oldest.HeldSinceTicks)
                {
                    oldest = held[i];
                }
            }

            Assert.AreEqual(4, count);
            Assert.AreEqual(1, bySpi);
            Assert.AreEqual(2, bySensor);
            Assert.AreEqual(1, byNobody);
            Assert.AreEqual(spi.HeldSinceTicks, oldest.HeldSinceTicks, "the SPI task's block was taken first");
        }
    }
}
