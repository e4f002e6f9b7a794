// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Resize: growing adds blocks at once (to waiters first), up to MaxCapacity; shrinking never takes a
    /// block from its holder, so Capacity falls as held blocks come home, and a thread waiting in Alloc is
    /// served before any block is retired. A capacity the handlers could not use, or above MaxCapacity, is
    /// refused and changes nothing.
    /// </summary>
    [TestClass]
    public class BlockPoolResizeTests
    {
        /// <summary>A pool of 4-byte blocks that Resize may grow up to <paramref name="maxCapacity"/> blocks.</summary>
        private static BlockPool GrowablePool(int blocks, int maxCapacity)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.MaxCapacity = maxCapacity;
            return new BlockPool(4, blocks, options);
        }

        [TestMethod]
        public void Resize_Grow_AddsFreeBlocksAtOnce()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.MaxCapacity = 5;
            BlockPool pool = new BlockPool(10, 2, options);

            pool.Resize(5);

            PoolAssert.Counts(pool, capacity: 5, free: 5, context: "grown");
            Assert.AreEqual(5, pool.ReserveSize);
            Block[] blocks = PoolAssert.TakeAll(pool);
            Assert.AreEqual(5, blocks.Length);
            for (int i = 0; i < blocks.Length; i++)
            {
                Assert.AreEqual(10, blocks[i].Buffer.Length, "new blocks have BlockSize bytes");
                Assert.AreSame(pool, blocks[i].Pool);
            }
        }

        [TestMethod]
        public void Resize_GrowWithBlocksHeld_NewBlocksFreeAndHeldOnesStillCount()
        {
            BlockPool pool = GrowablePool(blocks: 2, maxCapacity: 4);
            Block[] held = PoolAssert.TakeAll(pool);

            pool.Resize(4);
            PoolAssert.Counts(pool, capacity: 4, free: 2, context: "grown while both old blocks are held");

            pool.Free(held[0]);
            pool.Free(held[1]);
            PoolAssert.Counts(pool, capacity: 4, free: 4, context: "all home");
        }

        [TestMethod]
        public void Resize_Grow_HandsTheNewBlocksToWaitingThreadsFirst()
        {
            BlockPool pool = GrowablePool(blocks: 1, maxCapacity: 4);
            Block held = pool.Alloc(0);
            AllocThread first = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "first");
            AllocThread second = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 2, context: "second");

            pool.Resize(4);

            Block a = first.AssertGotBlock("first");
            Block b = second.AssertGotBlock("second");
            Assert.AreNotSame(a, b);
            Assert.AreNotSame(held, a);
            Assert.AreNotSame(held, b);
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
            PoolAssert.Counts(pool, capacity: 4, free: 1, context: "two new blocks with the waiters, one free, one held");

            pool.Free(held);
            pool.Free(a);
            pool.Free(b);
            PoolAssert.Counts(pool, capacity: 4, free: 4, context: "all home");
        }

        [TestMethod]
        public void Resize_Grow_WakesABulkWaiterWhoseSetIsNowFree()
        {
            BlockPool pool = GrowablePool(blocks: 2, maxCapacity: 4);
            Block[] held = PoolAssert.TakeAll(pool);
            BulkAllocThread waiter = BulkAllocThread.StartWaiting(pool, count: 2, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: false, waitsSoFar: 1, context: "bulk 2");

            pool.Resize(4);

            waiter.AssertGotSet("bulk 2, served by the two new blocks");
            Assert.IsTrue(waiter.Blocks[0].Index >= 2 && waiter.Blocks[1].Index >= 2, "the new blocks");
            PoolAssert.Counts(pool, capacity: 4, free: 0, context: "two old blocks held, two new ones with the waiter");
            pool.Free(held, 2);
            pool.Free(waiter.Blocks, 2);
            PoolAssert.Counts(pool, capacity: 4, free: 4, context: "all home");
        }

        [TestMethod]
        public void Resize_ShrinkWithBlocksHeld_CapacityFallsAsBlocksComeHome()
        {
            BlockPool pool = new BlockPool(4, 4);
            Block b0 = pool.Alloc(0);
            Block b1 = pool.Alloc(0);
            Block b2 = pool.Alloc(0);

            pool.Resize(1);
            // The one free block is retired now; the three held ones stay with their holders.
            PoolAssert.Counts(pool, capacity: 3, free: 0, context: "shrunk while three are held");
            Assert.AreEqual(1, pool.ReserveSize, "the target capacity");

            pool.Free(b0);
            PoolAssert.Counts(pool, capacity: 2, free: 0, context: "first came home and was retired");
            pool.Free(b1);
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "second came home and was retired");
            pool.Free(b2);
            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "third came home and stays");
            Assert.AreEqual(3L, pool.Statistics.Frees);

            Block again;
            Assert.IsTrue(pool.TryAlloc(out again));
            Assert.IsFalse(pool.TryAlloc(out again), "only one block is left");
        }

        [TestMethod]
        public void Resize_ShrinkAllFree_RetiresAtOnce()
        {
            BlockPool pool = new BlockPool(4, 5);

            pool.Resize(2);

            PoolAssert.Counts(pool, capacity: 2, free: 2, context: "shrunk");
            Assert.AreEqual(2, PoolAssert.TakeAll(pool).Length);
        }

        [TestMethod]
        public void Resize_ShrinkThenGrowBack_ReusesRetiredBlocks()
        {
            // A pool without options may grow back to its block count (its default MaxCapacity).
            BlockPool pool = new BlockPool(4, 4);
            pool.Resize(1);
            pool.Resize(4);

            PoolAssert.Counts(pool, capacity: 4, free: 4, context: "shrunk and grown back");
            Block[] blocks = PoolAssert.TakeAll(pool);
            for (int i = 0; i < blocks.Length; i++)
            {
                // Retired blocks were revived: no block beyond the first four was created.
                Assert.IsTrue(blocks[i].Index < 4, "block " + blocks[i].Index + " was created instead of revived");
            }
        }

        [TestMethod]
        public void Resize_GrowAgainBeforeHeldBlocksComeHome_RetiresOnlyTheSurplus()
        {
            BlockPool pool = new BlockPool(4, 4);
            Block[] held = PoolAssert.TakeAll(pool);

            pool.Resize(2);
            PoolAssert.Counts(pool, capacity: 4, free: 0, context: "nothing to retire yet");
            pool.Resize(3);
            PoolAssert.Counts(pool, capacity: 4, free: 0, context: "still nothing to retire");

            for (int i = 0; i < held.Length; i++)
            {
                pool.Free(held[i]);
            }

            PoolAssert.Counts(pool, capacity: 3, free: 3, context: "one surplus block retired, three kept");
        }

        [TestMethod]
        public void Resize_GrowAfterAPartialShrink_RevivesTheRetiredBlockAndKeepsTheHeldOnes()
        {
            BlockPool pool = new BlockPool(4, 4);
            Block[] held = PoolAssert.TakeAll(pool);
            pool.Resize(1);
            pool.Free(held[0]);
            PoolAssert.Counts(pool, capacity: 3, free: 0, context: "one held block retired on its way home");

            pool.Resize(4);
            PoolAssert.Counts(pool, capacity: 4, free: 1, context: "the retired block is back, free");

            pool.Free(held[1]);
            pool.Free(held[2]);
            pool.Free(held[3]);
            PoolAssert.Counts(pool, capacity: 4, free: 4, context: "nothing more retired");
            Block[] all = PoolAssert.TakeAll(pool);
            for (int i = 0; i < all.Length; i++)
            {
                Assert.IsTrue(all[i].Index < 4, "block " + all[i].Index + " was created instead of revived");
            }
        }

        /// <summary>
        /// A waiting thread is demand: while a shrink is pending, a freed block goes to the thread waiting in
        /// Alloc, and the surplus is retired from blocks that come home later. (Retiring the freed block instead
        /// would leave the waiter asleep until its timeout although a block was freed.)
        /// </summary>
        [TestMethod]
        public void Resize_ShrinkPendingWhileAThreadWaits_FreeServesTheWaiterFirst()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block[] held = PoolAssert.TakeAll(pool);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");
            pool.Resize(1);
            PoolAssert.Counts(pool, capacity: 2, free: 0, context: "shrink pending: both blocks held");

            pool.Free(held[0]);

            Assert.AreSame(held[0], waiter.AssertGotBlock("the waiter, served by the free"));
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
            PoolAssert.Counts(pool, capacity: 2, free: 0, context: "served, nothing retired yet");

            pool.Free(held[1]);
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "the next block home, with no thread waiting, is retired");
            pool.Free(held[0]);
            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "all home at the new capacity");
        }

        /// <summary>
        /// The same demand-first rule for a thread waiting in the bulk Alloc: while it waits for a set of two, the
        /// first two blocks freed make its set; only the blocks that come home after that are retired. Retiring
        /// them first makes the bulk waiter wait for the whole surplus to come home as well.
        /// </summary>
        [TestMethod]
        public void Resize_ShrinkPendingWhileABulkCallerWaits_FreesServeTheWaiterFirst()
        {
            BlockPool pool = new BlockPool(4, 4);
            Block[] held = PoolAssert.TakeAll(pool);
            BulkAllocThread waiter = BulkAllocThread.StartWaiting(pool, count: 2, millisecondsTimeout: PoolAssert.WakeTimeoutMs, freeAtOnce: false, waitsSoFar: 1, context: "bulk 2");
            pool.Resize(2);

            pool.Free(held[0]);
            pool.Free(held[1]);

            bool served = waiter.Finished(PoolAssert.PromptMs);
            if (!served)
            {
                // Bring the rest home so that the waiter can finish before this test fails.
                pool.Free(held[2]);
                pool.Free(held[3]);
                Assert.IsTrue(waiter.Finished(PoolAssert.PromptMs), "the bulk waiter was not served even after every block came home");
                pool.Free(waiter.Blocks, 2);
                Assert.IsTrue(false, "two blocks were freed while a bulk caller waited for two, and both were retired instead");
            }

            waiter.AssertGotSet("bulk 2");
            PoolAssert.Counts(pool, capacity: 4, free: 0, context: "the set is held, the surplus still out");
            pool.Free(held[2]);
            pool.Free(held[3]);
            PoolAssert.Counts(pool, capacity: 2, free: 0, context: "the surplus retired as it came home");
            pool.Free(waiter.Blocks, 2);
            PoolAssert.Counts(pool, capacity: 2, free: 2, context: "all home at the new capacity");
        }

        [TestMethod]
        public void Resize_SameCapacity_ChangesNothing()
        {
            BlockPool pool = new BlockPool(4, 3);
            Block held = pool.Alloc(0);
            PoolSnapshot before = PoolSnapshot.Take(pool);

            pool.Resize(3);

            before.AssertUnchanged("Resize to the same capacity");
            pool.Free(held);
        }

        /// <summary>
        /// A capacity at or below the handler reserve would leave TryAlloc nothing it may ever take: refused, as
        /// the constructor refuses such a reserve, and the pool is exactly as before.
        /// </summary>
        [DataRow(2)]
        [DataRow(1)]
        [DataRow(0)]
        [DataRow(-1)]
        [DataRow(int.MinValue)]
        public void Resize_AtOrBelowTheHandlerReserve_ThrowsAndChangesNothing(int newCapacity)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.HandlerReserve = 2;
            BlockPool pool = new BlockPool(4, 4, options);
            Block held = pool.Alloc(0);
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Resize(newCapacity));

            before.AssertUnchanged("Resize(" + newCapacity + ") with a handler reserve of 2");
            Block taken;
            Assert.IsTrue(pool.TryAlloc(out taken), "a handler can still take a block");
            pool.Free(taken);
            pool.Free(held);
        }

        [TestMethod]
        public void Resize_JustAboveTheHandlerReserve_LeavesOneBlockForHandlers()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.HandlerReserve = 2;
            BlockPool pool = new BlockPool(4, 4, options);

            pool.Resize(3);

            PoolAssert.Counts(pool, capacity: 3, free: 3, context: "shrunk to the reserve + 1");
            Block taken;
            Assert.IsTrue(pool.TryAlloc(out taken), "one block above the reserve");
            Assert.IsFalse(pool.TryAlloc(out taken), "the rest is the reserve");
        }

        /// <summary>
        /// Without options a pool's MaxCapacity is its block count: it may shrink and grow back, never above. The
        /// refusal changes nothing, and the free list keeps its exact content.
        /// </summary>
        [DataRow(4)]
        [DataRow(BlockPoolOptions.MaxBlocks + 1)]
        [DataRow(int.MaxValue)]
        public void Resize_AboveMaxCapacity_ThrowsAndChangesNothing(int newCapacity)
        {
            BlockPool pool = new BlockPool(4, 3);
            Block held = pool.Alloc(0);
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Resize(newCapacity));

            before.AssertUnchanged("Resize(" + newCapacity + ") of a pool of 3 blocks");
            PoolAssert.DrainsInOrder(pool, new int[] { 1, 2 }, "free list after the refused Resize");
            Assert.IsNotNull(held);
        }

        [TestMethod]
        public void Free_RetiredBlockAgain_ThrowsInvalidOperationAndChangesNothing()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block[] held = PoolAssert.TakeAll(pool);
            pool.Resize(1);
            pool.Free(held[0]);
            PoolAssert.Counts(pool, capacity: 1, free: 0, context: "first block retired");
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(held[0]));

            before.AssertUnchanged("free of a retired block");
            pool.Free(held[1]);
            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "second block home");
        }
    }
}
