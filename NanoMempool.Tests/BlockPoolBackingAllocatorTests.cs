// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// The backing allocator (BlockPoolOptions.BackingAllocator, the kernel's <c>alloc_fn</c>): threads take from
    /// the allocator first, then the reserve, then wait; handlers never call it; a free refills the reserve first
    /// and gives the surplus back; nothing is ever lost (the allocator's outstanding buffers are the pool's live
    /// blocks).
    /// </summary>
    [TestClass]
    public class BlockPoolBackingAllocatorTests
    {
        private const int Size = 8;

        [TestMethod]
        public static void Construction_FillsTheReserveFromTheAllocator()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            BlockPool pool = NewPool(allocator, reserve: 3);
            Assert.AreEqual(3, allocator.Allocations);
            Assert.AreEqual(3, pool.ReserveSize);
            Assert.AreEqual(3L, pool.Statistics.BackingAllocations);
            Live(pool, allocator, live: 3, free: 3, context: "constructed");
        }

        [TestMethod]
        public static void Construction_AllocatorShort_ThrowsAndGivesEverythingBack()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 2);
            Assert.ThrowsException(typeof(OutOfMemoryException), () => NewPool(allocator, reserve: 3));
            Assert.AreEqual(2, allocator.Allocations);
            Assert.AreEqual(0, allocator.Outstanding, "the two buffers made went back");
        }

        [TestMethod]
        public static void Construction_WrongSizedBuffer_ThrowsAndGivesEverythingBack()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            allocator.WrongSize = true;
            Assert.ThrowsException(typeof(InvalidOperationException), () => NewPool(allocator, reserve: 3));
            Assert.AreEqual(0, allocator.Outstanding);
        }

        [TestMethod]
        public static void Options_RetryBelowOne_Throws()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = new CountingAllocator(budget: 10);
            options.BackingRetryMilliseconds = 0;
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockPool(Size, 2, options));
        }

        [TestMethod]
        public static void Alloc_TakesFromTheAllocatorFirst()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            BlockPool pool = NewPool(allocator, reserve: 2);
            Block block = pool.Alloc(0);
            Assert.IsNotNull(block);
            Assert.AreEqual(Size, block.Buffer.Length);
            Assert.AreEqual(2, pool.FreeCount, "the reserve was not touched");
            Live(pool, allocator, live: 3, free: 2, context: "one allocator block held");
            Assert.AreEqual(1L, pool.Statistics.Allocations);
        }

        [TestMethod]
        public static void TryAlloc_NeverCallsTheAllocator()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            BlockPool pool = NewPool(allocator, reserve: 2);
            Block a;
            Block b;
            Block c;
            Assert.IsTrue(pool.TryAlloc(out a));
            Assert.IsTrue(pool.TryAlloc(out b));
            Assert.IsFalse(pool.TryAlloc(out c), "the reserve is empty and handlers do not use the allocator");
            Assert.AreEqual(2, allocator.Allocations, "only the reserve's buffers");
        }

        [TestMethod]
        public static void Free_RefillsTheReserveFirstThenGivesBack()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            BlockPool pool = NewPool(allocator, reserve: 2);
            Block a;
            Block b;
            pool.TryAlloc(out a);
            pool.TryAlloc(out b);
            Block extra = pool.Alloc(0);
            Assert.IsNotNull(extra);
            Live(pool, allocator, live: 3, free: 0, context: "reserve empty, three held");

            pool.Free(extra);
            Assert.AreEqual(0, allocator.Releases, "the reserve was below its size: the allocator's block refills it");
            Live(pool, allocator, live: 3, free: 1, context: "refilled by one");
            pool.Free(a);
            Live(pool, allocator, live: 3, free: 2, context: "reserve full");
            pool.Free(b);
            Assert.AreEqual(1, allocator.Releases, "the reserve was full: the block went back");
            Live(pool, allocator, live: 2, free: 2, context: "back to the reserve alone");
            Assert.AreEqual(1L, pool.Statistics.BackingReleases);
        }

        [TestMethod]
        public static void Alloc_AllocatorEmpty_FallsBackToTheReserve()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 2);
            BlockPool pool = NewPool(allocator, reserve: 2);
            Block block = pool.Alloc(0);
            Assert.IsNotNull(block);
            Assert.AreEqual(1, pool.FreeCount, "taken from the reserve");
            Assert.AreEqual(1L, pool.Statistics.BackingFailures);
            Live(pool, allocator, live: 2, free: 1, context: "reserve block held");
        }

        [TestMethod]
        public static void Alloc_BothEmpty_WaitsForAFree()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 2);
            BlockPool pool = NewPool(allocator, reserve: 2);
            Block[] both = new Block[2];
            pool.TryAlloc(both, 2);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");

            pool.Free(both[0]);

            Assert.IsTrue(waiter.AssertGotBlock("handed over") == both[0]);
            pool.Free(both[1]);
            pool.Free(waiter.Result);
            Live(pool, allocator, live: 2, free: 2, context: "all home");
        }

        [TestMethod]
        public static void Alloc_Waiting_AsksTheAllocatorAgainAfterEachSlice()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 2);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.BackingRetryMilliseconds = 50;
            BlockPool pool = new BlockPool(Size, 2, options);
            Block[] both = new Block[2];
            pool.TryAlloc(both, 2);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, waitsSoFar: 1, context: "waiter");

            allocator.Budget = 3;

            Block block = waiter.AssertGotBlock("served by the allocator, with no free at all");
            Assert.IsTrue(block != both[0] && block != both[1]);
            Live(pool, allocator, live: 3, free: 0, context: "three held");
        }

        [TestMethod]
        public static void Alloc_BothEmpty_TimesOut()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 1);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.BackingRetryMilliseconds = 30;
            BlockPool pool = new BlockPool(Size, 1, options);
            Block held;
            pool.TryAlloc(out held);
            long start = PoolAssert.NowTicks();
            Assert.IsNull(pool.Alloc(100));
            Assert.IsTrue(PoolAssert.ElapsedMs(start) >= 90, "the slices add up to the timeout");
            Assert.AreEqual(1L, pool.Statistics.Timeouts, "one timeout, not one per slice");
            Assert.IsTrue(pool.Statistics.BackingFailures >= 2, "the allocator was asked again");
            Live(pool, allocator, live: 1, free: 0, context: "nothing lost");
        }

        [TestMethod]
        public static void Alloc_WrongSizedBuffer_ThrowsAndLosesNothing()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            BlockPool pool = NewPool(allocator, reserve: 2);
            allocator.WrongSize = true;
            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Alloc(0));
            Live(pool, allocator, live: 2, free: 2, context: "the wrong buffer went back");
        }

        [TestMethod]
        public static void BulkAlloc_FromTheAllocator_LeavesTheReserveAlone()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            BlockPool pool = NewPool(allocator, reserve: 3);
            Block[] into = new Block[3];
            Assert.IsTrue(pool.Alloc(into, 3, 0));
            Live(pool, allocator, live: 6, free: 3, context: "three allocator blocks held");
            pool.Free(into, 3);
            Live(pool, allocator, live: 3, free: 3, context: "all three went back: the reserve was full");
        }

        [TestMethod]
        public static void BulkAlloc_AllocatorRunsOutPartWay_GivesBackThenUsesTheReserve()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 4);
            BlockPool pool = NewPool(allocator, reserve: 3);
            Block one;
            pool.TryAlloc(out one);
            Block[] into = new Block[3];

            Assert.IsTrue(pool.Alloc(into, 3, 0));

            // The allocator gave one block, then ran out; that block refilled the reserve (2 -> 3), and the
            // whole set then came from the reserve.
            Live(pool, allocator, live: 4, free: 0, context: "set + one held");
            pool.Free(one);
            pool.Free(into, 3);
            Live(pool, allocator, live: 3, free: 3, context: "the surplus went back");
        }

        [TestMethod]
        public static void BulkAlloc_NothingAnywhere_TakesNothing()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 2);
            BlockPool pool = NewPool(allocator, reserve: 2);
            Block one;
            pool.TryAlloc(out one);
            Block[] into = new Block[2];
            Assert.IsFalse(pool.Alloc(into, 2, 50));
            Assert.IsNull(into[0], "into untouched");
            Assert.IsTrue(pool.Statistics.BackingFailures >= 1, "the allocator was asked");
            Live(pool, allocator, live: 2, free: 1, context: "one free block stayed free, nothing lost");
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Alloc(new Block[3], 3, 0));
        }

        [TestMethod]
        public static void Resize_GrowsAndShrinksTheReserve()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.MaxCapacity = 5;
            BlockPool pool = new BlockPool(Size, 2, options);
            pool.Resize(4);
            Assert.AreEqual(4, pool.ReserveSize);
            Live(pool, allocator, live: 4, free: 4, context: "grown from the allocator");
            Block held = pool.Alloc(0);
            Assert.AreEqual(4, pool.FreeCount, "the allocator still comes first (MaxCapacity leaves room for one more)");

            pool.Resize(1);
            Live(pool, allocator, live: 2, free: 1, context: "shrunk: three free blocks went back");
            pool.Free(held);
            Live(pool, allocator, live: 1, free: 1, context: "the held block went back too");
        }

        [TestMethod]
        public static void Resize_AllocatorShort_GrowsAsFarAsItCan()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 3);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.MaxCapacity = 5;
            BlockPool pool = new BlockPool(Size, 2, options);
            pool.Resize(5);
            Assert.AreEqual(5, pool.ReserveSize);
            Live(pool, allocator, live: 3, free: 3, context: "one more: the allocator's limit");
            allocator.Budget = 10;
            Block extra = pool.Alloc(0);
            pool.Free(extra);
            Live(pool, allocator, live: 4, free: 4, context: "a free refills the reserve toward its new size");
        }

        [TestMethod]
        public static void Dispose_GivesTheReserveBackAndLaterFreesFollow()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            BlockPool pool = NewPool(allocator, reserve: 3);
            Block held;
            pool.TryAlloc(out held);
            pool.Dispose();
            Assert.AreEqual(1, allocator.Outstanding, "only the held block is still out");
            Assert.AreEqual(0, pool.ReserveSize);
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc(new Block[1], 1, 0));
            pool.Free(held);
            Assert.AreEqual(0, allocator.Outstanding, "everything went back");
            PoolAssert.Valid(pool);
        }

        [TestMethod]
        public static void HandlerReserve_StillKeptFromHandlers()
        {
            CountingAllocator allocator = new CountingAllocator(budget: 10);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.HandlerReserve = 1;
            BlockPool pool = new BlockPool(Size, 2, options);
            Block a;
            Block b;
            Assert.IsTrue(pool.TryAlloc(out a));
            Assert.IsFalse(pool.TryAlloc(out b), "the last reserve block is for threads");
            Assert.IsNotNull(pool.Alloc(0));
            Assert.AreEqual(1, pool.FreeCount, "the thread was served by the allocator");
        }

        [TestMethod]
        public static void ManagedHeapAllocator_ServesAPool()
        {
            ManagedHeapAllocator heap = new ManagedHeapAllocator();
            Assert.AreEqual(16, heap.Allocate(16).Length);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = heap;
            options.MaxCapacity = 7;
            BlockPool pool = new BlockPool(16, 2, options);
            Block[] blocks = new Block[5];
            for (int i = 0; i < 5; i++)
            {
                blocks[i] = pool.Alloc(0);
                Assert.IsNotNull(blocks[i], "Alloc " + i + " found nothing without waiting");
                Assert.AreEqual(16, blocks[i].Buffer.Length);
            }

            Assert.AreEqual(2, pool.FreeCount, "five blocks from the heap (MaxCapacity 7 leaves room for them), the reserve untouched");
            pool.Free(blocks, 5);
            Assert.AreEqual(2, pool.Capacity, "the reserve was full: all five went back to the heap");
            Assert.AreEqual(5L, pool.Statistics.BackingReleases);
            PoolAssert.Valid(pool);
        }

        /// <summary>
        /// A Dispose that lands while a thread's Alloc is inside the allocator (here: the allocator itself disposes
        /// the pool, as a racing thread would): the pool gives the new buffer back and throws, and the statistics
        /// count that give-back, so the audit's "allocations - releases == Capacity" still holds.
        /// </summary>
        [TestMethod]
        public static void Alloc_DisposedWhileInTheAllocator_GivesTheBufferBackAndCountsIt()
        {
            DisposingAllocator allocator = new DisposingAllocator();
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            BlockPool pool = new BlockPool(Size, 2, options);
            allocator.Pool = pool;
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc(0));
            Assert.IsTrue(pool.IsDisposed);
            Assert.AreEqual(0, allocator.Outstanding, "the reserve went back with Dispose, the new buffer after it");
            Assert.AreEqual(3L, pool.Statistics.BackingAllocations);
            Assert.AreEqual(3L, pool.Statistics.BackingReleases, "the buffer given back by AdoptBuffer is counted");
            PoolAssert.Valid(pool);
        }

        private static BlockPool NewPool(CountingAllocator allocator, int reserve)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            return new BlockPool(Size, reserve, options);
        }

        /// <summary>An allocator that disposes <see cref="Pool"/> (once set) inside Allocate, then returns a buffer.</summary>
        private sealed class DisposingAllocator : IBlockAllocator
        {
            private int _allocations;
            private int _releases;

            internal BlockPool Pool;

            internal int Outstanding
            {
                get { return _allocations - _releases; }
            }

            public byte[] Allocate(int blockSize)
            {
                if (Pool != null)
                {
                    Pool.Dispose();
                }

                Interlocked.Increment(ref _allocations);
                return new byte[blockSize];
            }

            public void Release(byte[] buffer)
            {
                Interlocked.Increment(ref _releases);
            }
        }

        /// <summary>
        /// Asserts the pool's <paramref name="live"/> blocks (Capacity, which must also be the buffers the allocator
        /// has out) and how many of them are <paramref name="free"/>, and that the pool passes its audit.
        /// </summary>
        private static void Live(BlockPool pool, CountingAllocator allocator, int live, int free, string context)
        {
            Assert.AreEqual(live, pool.Capacity, context + ": live blocks (Capacity)");
            Assert.AreEqual(free, pool.FreeCount, context + ": FreeCount");
            Assert.AreEqual(live, allocator.Outstanding, context + ": buffers the allocator has out");
            PoolAssert.Valid(pool);
        }
    }
}
