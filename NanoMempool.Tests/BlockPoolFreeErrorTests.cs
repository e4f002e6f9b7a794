// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Bad frees get a clear error and change nothing: counts, statistics, invariants and the exact content
    /// and order of the free list are as before.
    /// </summary>
    [TestClass]
    public class BlockPoolFreeErrorTests
    {
        [TestMethod]
        public void Free_Null_ThrowsArgumentNullAndChangesNothing()
        {
            BlockPool pool = new BlockPool(4, 3);
            Block held = pool.Alloc(0);
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.Free(null));

            before.AssertUnchanged("Free(null)");
            PoolAssert.DrainsInOrder(pool, new int[] { 1, 2 }, "Free(null)");
            pool.Free(held);
        }

        [TestMethod]
        public void Free_BlockOfAnotherPool_ThrowsArgumentAndChangesNeitherPool()
        {
            BlockPool pool = new BlockPool(4, 3);
            BlockPool other = new BlockPool(4, 3);
            Block mine = pool.Alloc(0);
            Block foreign = other.Alloc(0);
            PoolSnapshot poolBefore = PoolSnapshot.Take(pool);
            PoolSnapshot otherBefore = PoolSnapshot.Take(other);

            Assert.ThrowsException(typeof(ArgumentException), () => pool.Free(foreign));

            poolBefore.AssertUnchanged("foreign free, this pool");
            otherBefore.AssertUnchanged("foreign free, the block's pool");

            // The foreign block is still held by its own pool and can be freed there.
            other.Free(foreign);
            PoolAssert.Counts(other, capacity: 3, free: 3, context: "foreign block freed to its own pool");
            PoolAssert.DrainsInOrder(pool, new int[] { 1, 2 }, "this pool's free list");
            pool.Free(mine);
        }

        [TestMethod]
        public void Free_SameBlockTwice_ThrowsInvalidOperationAndChangesNothing()
        {
            BlockPool pool = new BlockPool(4, 4);
            Block b0 = pool.Alloc(0);
            Block b1 = pool.Alloc(0);
            pool.Free(b1);
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(b1));

            before.AssertUnchanged("second Free");
            // b1 is on the free list exactly once, on top: a double push would show it twice or make a cycle.
            PoolAssert.DrainsInOrder(pool, new int[] { 1, 2, 3 }, "after the double free");
            Assert.IsNotNull(b0);
        }

        [TestMethod]
        public void BlockDispose_Twice_ThrowsInvalidOperationAndChangesNothing()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block block = pool.Alloc(0);
            block.Dispose();
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => block.Dispose());

            before.AssertUnchanged("second Dispose");
            PoolAssert.DrainsInOrder(pool, new int[] { 0, 1 }, "after the double dispose");
        }

        [TestMethod]
        public void Free_AfterBlockDispose_ThrowsInvalidOperationAndChangesNothing()
        {
            BlockPool pool = new BlockPool(4, 2);
            Block block = pool.Alloc(0);
            block.Dispose();
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(block));
            before.AssertUnchanged("Free after Dispose");

            Block again = pool.Alloc(0);
            pool.Free(again);
            PoolSnapshot after = PoolSnapshot.Take(pool);
            Assert.ThrowsException(typeof(InvalidOperationException), () => again.Dispose());
            after.AssertUnchanged("Dispose after Free");
        }

        [TestMethod]
        public void Free_BlockAlreadyHomeInAFullPool_ThrowsInvalidOperationAndChangesNothing()
        {
            // A reference kept from an earlier use of a block that is home again: freeing it is a double free.
            BlockPool pool = new BlockPool(4, 2);
            Block[] all = PoolAssert.TakeAll(pool);
            pool.Free(all[0]);
            pool.Free(all[1]);
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(all[0]));
            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(all[1]));

            before.AssertUnchanged("frees of blocks already home");
            PoolAssert.AllHome(pool, "every block home");
        }

        [TestMethod]
        public void Free_Errors_AreRejectedAlsoAfterDispose()
        {
            BlockPool pool = new BlockPool(4, 2);
            BlockPool other = new BlockPool(4, 1);
            Block held = pool.Alloc(0);
            Block freed = pool.Alloc(0);
            pool.Free(freed);
            Block foreign = other.Alloc(0);
            pool.Dispose();
            PoolSnapshot before = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(ArgumentNullException), () => pool.Free(null));
            Assert.ThrowsException(typeof(ArgumentException), () => pool.Free(foreign));
            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(freed));

            before.AssertUnchanged("bad frees after Dispose");
            pool.Free(held);
            other.Free(foreign);
        }
    }
}
