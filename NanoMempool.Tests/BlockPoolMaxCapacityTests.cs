// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// BlockPoolOptions.MaxCapacity: the most blocks a pool may ever own. Its default (0) means the block count,
    /// or twice it with a backing allocator; any other value lies between the block count and MaxBlocks. It is
    /// the upper bound of Resize and, with a backing allocator, of the blocks live at once.
    /// </summary>
    [TestClass]
    public class BlockPoolMaxCapacityTests
    {
        [TestMethod]
        public void MaxCapacity_Default_IsTheBlockCount()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            Assert.AreEqual(0, options.MaxCapacity, "the option's default");
            options.HandlerReserve = 1;
            BlockPool pool = new BlockPool(4, 3, options);
            pool.Resize(2);

            pool.Resize(3);

            PoolAssert.Counts(pool, capacity: 3, free: 3, context: "grown back to the block count");
            PoolSnapshot before = PoolSnapshot.Take(pool);
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Resize(4));
            before.AssertUnchanged("Resize one above the block count");
        }

        [TestMethod]
        public void MaxCapacity_DefaultWithABackingAllocator_IsTwiceTheBlockCount()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 100);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            BlockPool pool = new BlockPool(4, 2, options);

            pool.Resize(4);

            Assert.AreEqual(4, pool.ReserveSize);
            PoolAssert.Counts(pool, capacity: 4, free: 4, context: "reserve grown to twice the block count");
            PoolSnapshot before = PoolSnapshot.Take(pool);
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Resize(5));
            before.AssertUnchanged("Resize one above twice the block count");
            Assert.AreEqual(4, allocator.Outstanding);
        }

        [DataRow(3)]
        [DataRow(7)]
        public void MaxCapacity_Set_ResizeGrowsUpToItAndNoFurther(int maxCapacity)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.MaxCapacity = maxCapacity;
            BlockPool pool = new BlockPool(4, 3, options);

            pool.Resize(maxCapacity);

            PoolAssert.Counts(pool, capacity: maxCapacity, free: maxCapacity, context: "grown to MaxCapacity");
            PoolSnapshot before = PoolSnapshot.Take(pool);
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Resize(maxCapacity + 1));
            before.AssertUnchanged("Resize one above MaxCapacity");

            // Every block has its own index below MaxCapacity.
            Block[] all = PoolAssert.TakeAll(pool);
            bool[] seen = new bool[maxCapacity];
            for (int i = 0; i < all.Length; i++)
            {
                Assert.IsTrue(all[i].Index < maxCapacity, "block index " + all[i].Index);
                Assert.IsFalse(seen[all[i].Index], "block index " + all[i].Index + " twice");
                seen[all[i].Index] = true;
            }
        }

        [DataRow(-1)]
        [DataRow(2)]
        [DataRow(BlockPoolOptions.MaxBlocks + 1)]
        [DataRow(int.MaxValue)]
        public void MaxCapacity_OutOfRange_ConstructorThrows(int maxCapacity)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.MaxCapacity = maxCapacity;

            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockPool(4, 3, options));
        }

        [TestMethod]
        public void MaxCapacity_EqualToTheBlockCount_IsAccepted()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.MaxCapacity = 3;
            BlockPool pool = new BlockPool(4, 3, options);

            PoolAssert.Counts(pool, capacity: 3, free: 3, context: "new pool");
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Resize(4));
        }

        /// <summary>
        /// With a backing allocator, MaxCapacity bounds the live blocks: once the reserve plus the blocks taken
        /// from the allocator reach it, a thread's Alloc takes from the reserve (the allocator's buffer goes
        /// straight back), then waits; the pool never owns more.
        /// </summary>
        [TestMethod]
        public void MaxCapacity_WithABackingAllocator_BoundsTheLiveBlocks()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 100);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.MaxCapacity = 3;
            BlockPool pool = new BlockPool(4, 2, options);

            Block fromAllocator = pool.Alloc(0);
            PoolAssert.Counts(pool, capacity: 3, free: 2, context: "one block from the allocator");
            Block fromReserve = pool.Alloc(0);
            PoolAssert.Counts(pool, capacity: 3, free: 1, context: "at MaxCapacity: the reserve served");
            Block lastOfReserve = pool.Alloc(0);
            Assert.IsNull(pool.Alloc(0), "nothing beyond MaxCapacity, nothing free");

            PoolAssert.Counts(pool, capacity: 3, free: 0, context: "three live blocks, all held");
            Assert.AreEqual(3, allocator.Outstanding, "the allocator's buffers the pool kept");
            pool.Free(fromAllocator);
            pool.Free(fromReserve);
            pool.Free(lastOfReserve);
            PoolAssert.Counts(pool, capacity: 2, free: 2, context: "the surplus went back to the allocator");
            Assert.AreEqual(2, allocator.Outstanding);
        }
    }
}
