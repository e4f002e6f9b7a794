// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Resize: growing adds blocks at once (to waiters first); shrinking never takes a block from its
    /// holder, so Capacity falls as held blocks come home.
    /// </summary>
    [TestClass]
    public class BlockPoolResizeTests
    {
        [TestMethod]
        public void Resize_Grow_AddsFreeBlocksAtOnce()
        {
            BlockPool pool = new BlockPool(10, 2);

            pool.Resize(5);

            PoolAssert.Counts(pool, 5, 5, "grown");
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
            BlockPool pool = new BlockPool(4, 2);
            Block[] held = PoolAssert.TakeAll(pool);

            pool.Resize(4);
            PoolAssert.Counts(pool, 4, 2, "grown while both old blocks are held");

            pool.Free(held[0]);
            pool.Free(held[1]);
            PoolAssert.Counts(pool, 4, 4, "all home");
        }

        [TestMethod]
        public void Resize_Grow_HandsTheNewBlocksToWaitingThreadsFirst()
        {
            BlockPool pool = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            AllocThread first = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, 1, "first");
            AllocThread second = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, 2, "second");

            pool.Resize(4);

            Block a = first.AssertGotBlock("first");
            Block b = second.AssertGotBlock("second");
            Assert.AreNotSame(a, b);
            Assert.AreNotSame(held, a);
            Assert.AreNotSame(held, b);
            Assert.AreEqual(0L, pool.Statistics.Timeouts);
            PoolAssert.Counts(pool, 4, 1, "two new blocks with the waiters, one free, one held");

            pool.Free(held);
            pool.Free(a);
            pool.Free(b);
            PoolAssert.Counts(pool, 4, 4, "all home");
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
            PoolAssert.Counts(pool, 3, 0, "shrunk while three are held");

            pool.Free(b0);
            PoolAssert.Counts(pool, 2, 0, "first came home and was retired");
            pool.Free(b1);
            PoolAssert.Counts(pool, 1, 0, "second came home and was retired");
            pool.Free(b2);
            PoolAssert.Counts(pool, 1, 1, "third came home and stays");
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

            PoolAssert.Counts(pool, 2, 2, "shrunk");
            Assert.AreEqual(2, PoolAssert.TakeAll(pool).Length);
        }

        [TestMethod]
        public void Resize_ShrinkThenGrow_ReusesRetiredBlocks()
        {
            BlockPool pool = new BlockPool(4, 4);
            pool.Resize(1);
            pool.Resize(4);

            PoolAssert.Counts(pool, 4, 4, "shrunk and grown back");
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
            PoolAssert.Counts(pool, 4, 0, "nothing to retire yet");
            pool.Resize(3);
            PoolAssert.Counts(pool, 4, 0, "still nothing to retire");

            for (int i = 0; i < held.Length; i++)
            {
                pool.Free(held[i]);
            }

            PoolAssert.Counts(pool, 3, 3, "one surplus block retired, three kept");
        }

        [TestMethod]
        public void Resize_GrowAfterAPartialShrink_RevivesTheRetiredBlockAndKeepsTheHeldOnes()
        {
            BlockPool pool = new BlockPool(4, 4);
            Block[] held = PoolAssert.TakeAll(pool);
            pool.Resize(1);
            pool.Free(held[0]);
            PoolAssert.Counts(pool, 3, 0, "one held block retired on its way home");

            pool.Resize(4);
            PoolAssert.Counts(pool, 4, 1, "the retired block is back, free");

            pool.Free(held[1]);
            pool.Free(held[2]);
            pool.Free(held[3]);
            PoolAssert.Counts(pool, 4, 4, "nothing more retired");
            Block[] all = PoolAssert.TakeAll(pool);
            for (int i = 0; i < all.Length; i++)
            {
                Assert.IsTrue(all[i].Index < 4, "block " + all[i].Index + " was created instead of revived");
            }
        }

        [TestMethod]
        public void Resize_ShrinkWhileAThreadWaits_SurplusIsRetiredBeforeTheWaiterIsServed()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block[] held = PoolAssert.TakeAll(pool);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, 1, "waiter");

            pool.Resize(1);
            pool.Free(held[0]);

            // Like mempool_resize: the surplus block leaves the pool even though a thread waits.
            PoolAssert.Counts(pool, 1, 0, "surplus retired");
            Assert.IsFalse(waiter.Finished(0), "the waiter got a retired block");

            pool.Free(held[1]);
            Assert.AreSame(held[1], waiter.AssertGotBlock("waiter"));
            PoolAssert.Counts(pool, 1, 0, "the waiter holds the only block");
            pool.Free(held[1]);
            PoolAssert.Counts(pool, 1, 1, "all home");
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

        [DataRow(0)]
        [DataRow(-1)]
        [DataRow(65535)]
        [DataRow(int.MinValue)]
        public void Resize_OutOfRange_ThrowsArgumentOutOfRange_StateUnchanged(int newCapacity)
        {
            BlockPool pool = new BlockPool(4, 3);
            Block held = pool.Alloc(0);
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Resize(newCapacity));

            before.AssertUnchanged("Resize(" + newCapacity + ")");
            PoolAssert.DrainsInOrder(pool, new int[] { 1, 2 }, "free list after the bad Resize");
            Assert.IsNotNull(held);
        }

        [TestMethod]
        public void Free_RetiredBlockAgain_ThrowsInvalidOperation_StateUnchanged()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block[] held = PoolAssert.TakeAll(pool);
            pool.Resize(1);
            pool.Free(held[0]);
            PoolAssert.Counts(pool, 1, 0, "first block retired");
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(held[0]));

            before.AssertUnchanged("free of a retired block");
            pool.Free(held[1]);
            PoolAssert.Counts(pool, 1, 1, "second block home");
        }
    }
}
