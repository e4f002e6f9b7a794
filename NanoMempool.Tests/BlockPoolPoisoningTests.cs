// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Opt-in poisoning: every free block is filled with BlockPoolOptions.PoisonByte, and every allocation
    /// verifies the fill, so a write to a freed block is counted (PoisonViolations) with the block and its last
    /// holder's tag. Every block a pool adds (at construction, or by a growing Resize, new or revived) starts
    /// poisoned, so its first allocation reports nothing.
    /// </summary>
    [TestClass]
    public class BlockPoolPoisoningTests
    {
        private const int WriterTag = 42;

        private static BlockPool PoisoningPool(int blocks)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            return new BlockPool(16, blocks, options);
        }

        private static bool IsPoisoned(byte[] buffer)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                if (buffer[i] != BlockPoolOptions.PoisonByte)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Takes every free block and asserts that each carried the fill and none reported a violation.</summary>
        private static Block[] TakeAllAssertingNoViolation(BlockPool pool, string context)
        {
            Block[] all = PoolAssert.TakeAll(pool);
            for (int i = 0; i < all.Length; i++)
            {
                Assert.IsTrue(IsPoisoned(all[i].Buffer), context + ": block " + all[i].Index + " was handed out without the fill");
            }

            Assert.AreEqual(0L, pool.Statistics.PoisonViolations, context + ": PoisonViolations");
            Assert.AreEqual(-1, pool.Statistics.LastPoisonViolationBlockIndex, context + ": LastPoisonViolationBlockIndex");
            return all;
        }

        [TestMethod]
        public void Poisoning_NewAndFreedBlocks_AreFilledWithThePoisonByte()
        {
            BlockPool pool = PoisoningPool(blocks: 1);
            Block block;
            pool.TryAlloc(out block);
            Assert.IsTrue(IsPoisoned(block.Buffer), "a fresh block carries the fill");

            block.Buffer[3] = 1;
            pool.Free(block);
            Assert.IsTrue(IsPoisoned(block.Buffer), "Free refills it");
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations);
        }

        [TestMethod]
        public void Poisoning_WriteAfterFree_IsReportedWithTheBlockAndItsLastHolder()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            options.OwnerTracking = true;
            BlockPool pool = new BlockPool(16, 1, options);
            Block block;
            pool.TryAlloc(out block);
            block.OwnerTag = WriterTag;
            pool.Free(block);

            block.Buffer[5] = 0x00; // use after free

            Block again;
            Assert.IsTrue(pool.TryAlloc(out again), "the allocation still succeeds");
            Assert.AreEqual(1L, pool.Statistics.PoisonViolations);
            Assert.AreEqual(again.Index, pool.Statistics.LastPoisonViolationBlockIndex);
            Assert.AreEqual(WriterTag, pool.Statistics.LastPoisonViolationOwnerTag, "the report names the last holder");
            Assert.AreEqual(0, again.OwnerTag, "the new holder starts untagged");
        }

        [TestMethod]
        public void Poisoning_WriteAfterFreeWithoutOwnerTracking_IsReportedWithNoOwner()
        {
            BlockPool pool = PoisoningPool(blocks: 2);
            Block block;
            pool.TryAlloc(out block);
            pool.Free(block);

            block.Buffer[0] = 0x00; // use after free

            Block again;
            Assert.IsTrue(pool.TryAlloc(out again));
            Assert.AreSame(block, again);
            Assert.AreEqual(1L, pool.Statistics.PoisonViolations);
            Assert.AreEqual(block.Index, pool.Statistics.LastPoisonViolationBlockIndex);
            Assert.AreEqual(0, pool.Statistics.LastPoisonViolationOwnerTag);
        }

        [TestMethod]
        public void Poisoning_Off_NothingIsFilledOrChecked()
        {
            BlockPool pool = new BlockPool(16, 1);
            Block block;
            pool.TryAlloc(out block);
            block.Buffer[0] = 9;
            pool.Free(block);
            Assert.AreEqual(9, (int)block.Buffer[0], "contents are left alone, like mempool");
            pool.TryAlloc(out block);
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations);
            Assert.AreEqual(-1, pool.Statistics.LastPoisonViolationBlockIndex);
        }

        /// <summary>
        /// A growing Resize adds blocks: here one revived (retired by the shrink before) and four new ones. Every
        /// one must carry the fill before it is first handed out. A new block's buffer is a fresh array of zeros:
        /// added to the free list unpoisoned, its first allocation would count a use-after-free that never
        /// happened.
        /// </summary>
        [TestMethod]
        public void Poisoning_BlocksAddedByAGrowingResize_ReportNoViolation()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            options.MaxCapacity = 6;
            BlockPool pool = new BlockPool(16, 2, options);
            Block[] used = PoolAssert.TakeAll(pool);
            used[0].Buffer[0] = 1;
            used[1].Buffer[0] = 2;
            pool.Free(used[0]);
            pool.Free(used[1]);
            pool.Resize(1);

            pool.Resize(6);

            PoolAssert.Counts(pool, capacity: 6, free: 6, context: "grown");
            TakeAllAssertingNoViolation(pool, "after the growing Resize");
        }

        /// <summary>A block a growing Resize hands straight to a waiting thread carries the fill too.</summary>
        [TestMethod]
        public void Poisoning_BlockAGrowingResizeHandsToAWaiter_ReportsNoViolation()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            options.MaxCapacity = 2;
            BlockPool pool = new BlockPool(16, 1, options);
            Block held = pool.Alloc(0);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");

            pool.Resize(2);

            Block got = waiter.AssertGotBlock("waiter");
            Assert.AreEqual(1, got.Index, "the new block");
            Assert.IsTrue(IsPoisoned(got.Buffer), "handed over with the fill");
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations);
            pool.Free(got);
            pool.Free(held);
        }

        /// <summary>
        /// The same for a reserve grown from a backing allocator: the allocator's buffers (zeros here) are poisoned
        /// before they join the free list, so handlers (TryAlloc, which takes from the reserve only) see the fill.
        /// </summary>
        [TestMethod]
        public void Poisoning_ReserveGrownFromTheBackingAllocator_ReportsNoViolation()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            options.BackingAllocator = new CountingAllocator(budget: 10);
            BlockPool pool = new BlockPool(16, 1, options);

            pool.Resize(2);

            PoolAssert.Counts(pool, capacity: 2, free: 2, context: "reserve grown");
            TakeAllAssertingNoViolation(pool, "after growing the reserve");
        }

        [TestMethod]
        public void Poisoning_BlocksFromTheBackingAllocator_ReportNoViolation()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = new CountingAllocator(budget: 10);
            options.Poisoning = true;
            BlockPool pool = new BlockPool(16, 1, options);
            Block fromAllocator = pool.Alloc(0);
            Block fromReserve;
            pool.TryAlloc(out fromReserve);
            pool.Free(fromAllocator);
            pool.Free(fromReserve);

            Block again;
            pool.TryAlloc(out again);

            Assert.IsTrue(IsPoisoned(again.Buffer));
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations);
        }
    }
}
