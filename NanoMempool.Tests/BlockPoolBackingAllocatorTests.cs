// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// The backing allocator (issue 6, item 7; the seed's <c>alloc_fn</c>): threads take from the allocator
    /// first, then the reserve, then wait; handlers never call it; a free refills the reserve first and gives
    /// the surplus back; nothing is ever lost (the allocator's outstanding buffers are the pool's live blocks).
    /// </summary>
    [TestClass]
    public class BlockPoolBackingAllocatorTests
    {
        private const int Size = 8;

        [TestMethod]
        public static void Construction_FillsTheReserveFromTheAllocator()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPool pool = Make(3, allocator);
            Assert.AreEqual(3, allocator.Allocations);
            Assert.AreEqual(3, pool.ReserveSize);
            Assert.IsTrue(pool.BackingAllocator == allocator);
            Assert.AreEqual(3L, pool.Statistics.BackingAllocations);
            Live(pool, allocator, 3, 3, "constructed");
        }

        [TestMethod]
        public static void Construction_AllocatorShort_ThrowsAndGivesEverythingBack()
        {
            CountingAllocator allocator = new CountingAllocator(2);
            Assert.ThrowsException(typeof(OutOfMemoryException), () => Make(3, allocator));
            Assert.AreEqual(2, allocator.Allocations);
            Assert.AreEqual(0, allocator.Outstanding, "the two buffers made went back");
        }

        [TestMethod]
        public static void Construction_WrongSizedBuffer_ThrowsAndGivesEverythingBack()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            allocator.WrongSize = true;
            Assert.ThrowsException(typeof(InvalidOperationException), () => Make(3, allocator));
            Assert.AreEqual(0, allocator.Outstanding);
        }

        [TestMethod]
        public static void Options_RetryBelowOne_Throws()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = new CountingAllocator(10);
            options.BackingRetryMilliseconds = 0;
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockPool(Size, 2, options));
        }

        [TestMethod]
        public static void Alloc_TakesFromTheAllocatorFirst()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPool pool = Make(2, allocator);
            Block block = pool.Alloc(0, 5);
            Assert.IsNotNull(block);
            Assert.AreEqual(Size, block.Buffer.Length);
            Assert.AreEqual(5, block.OwnerTag);
            Assert.AreEqual(2, pool.FreeCount, "the reserve was not touched");
            Live(pool, allocator, 3, 2, "one allocator block held");
            Assert.AreEqual(1L, pool.Statistics.Allocations);
        }

        [TestMethod]
        public static void TryAlloc_NeverCallsTheAllocator()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPool pool = Make(2, allocator);
            Block a;
            Block b;
            Block c;
            Assert.IsTrue(pool.TryAlloc(out a));
            Assert.IsTrue(pool.TryAlloc(out b));
            Assert.IsFalse(pool.TryAlloc(out c), "the reserve is empty and handlers do not use the allocator");
            Assert.AreEqual(2, allocator.Allocations, "only the reserve's buffers");
        }

        [TestMethod]
        public static void Free_RefillsTheReserveFirst_ThenGivesBack()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPool pool = Make(2, allocator);
            Block a;
            Block b;
            pool.TryAlloc(out a);
            pool.TryAlloc(out b);
            Block extra = pool.Alloc(0);
            Assert.IsNotNull(extra);
            Live(pool, allocator, 3, 0, "reserve empty, three held");

            pool.Free(extra);
            Assert.AreEqual(0, allocator.Releases, "the reserve was below its size: the allocator's block refills it");
            Live(pool, allocator, 3, 1, "refilled by one");
            pool.Free(a);
            Live(pool, allocator, 3, 2, "reserve full");
            pool.Free(b);
            Assert.AreEqual(1, allocator.Releases, "the reserve was full: the block went back");
            Live(pool, allocator, 2, 2, "back to the reserve alone");
            Assert.AreEqual(1L, pool.Statistics.BackingReleases);
        }

        [TestMethod]
        public static void Alloc_AllocatorEmpty_FallsBackToTheReserve()
        {
            CountingAllocator allocator = new CountingAllocator(2);
            BlockPool pool = Make(2, allocator);
            Block block = pool.Alloc(0);
            Assert.IsNotNull(block);
            Assert.AreEqual(1, pool.FreeCount, "taken from the reserve");
            Assert.AreEqual(1L, pool.Statistics.BackingFailures);
            Live(pool, allocator, 2, 1, "reserve block held");
        }

        [TestMethod]
        public static void Alloc_BothEmpty_WaitsForAFree()
        {
            CountingAllocator allocator = new CountingAllocator(2);
            BlockPool pool = Make(2, allocator);
            Block[] both = new Block[2];
            pool.TryAlloc(both, 2);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, 1, "waiter");

            pool.Free(both[0]);

            Assert.IsTrue(waiter.AssertGotBlock("handed over") == both[0]);
            pool.Free(both[1]);
            pool.Free(waiter.Result);
            Live(pool, allocator, 2, 2, "all home");
        }

        [TestMethod]
        public static void Alloc_Waiting_AsksTheAllocatorAgainAfterEachSlice()
        {
            CountingAllocator allocator = new CountingAllocator(2);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.BackingRetryMilliseconds = 50;
            BlockPool pool = new BlockPool(Size, 2, options);
            Block[] both = new Block[2];
            pool.TryAlloc(both, 2);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, 1, "waiter");

            allocator.Budget = 3;

            Block block = waiter.AssertGotBlock("served by the allocator, with no free at all");
            Assert.IsTrue(block != both[0] && block != both[1]);
            Live(pool, allocator, 3, 0, "three held");
        }

        [TestMethod]
        public static void Alloc_BothEmpty_TimesOut()
        {
            CountingAllocator allocator = new CountingAllocator(1);
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
            Live(pool, allocator, 1, 0, "nothing lost");
        }

        [TestMethod]
        public static void Alloc_WrongSizedBuffer_ThrowsAndLosesNothing()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPool pool = Make(2, allocator);
            allocator.WrongSize = true;
            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Alloc(0));
            Live(pool, allocator, 2, 2, "the wrong buffer went back");
        }

        [TestMethod]
        public static void BulkAlloc_FromTheAllocator_LeavesTheReserveAlone()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPool pool = Make(3, allocator);
            Block[] into = new Block[3];
            Assert.IsTrue(pool.Alloc(into, 3, 0, 4));
            Assert.AreEqual(4, into[2].OwnerTag);
            Live(pool, allocator, 6, 3, "three allocator blocks held");
            pool.Free(into, 3);
            Live(pool, allocator, 3, 3, "all three went back: the reserve was full");
        }

        [TestMethod]
        public static void BulkAlloc_AllocatorRunsOutPartWay_GivesBackThenUsesTheReserve()
        {
            CountingAllocator allocator = new CountingAllocator(4);
            BlockPool pool = Make(3, allocator);
            Block one;
            pool.TryAlloc(out one);
            Block[] into = new Block[3];

            Assert.IsTrue(pool.Alloc(into, 3, 0));

            // The allocator gave one block, then ran out; that block refilled the reserve (2 -> 3), and the
            // whole set then came from the reserve.
            Live(pool, allocator, 4, 0, "set + one held");
            pool.Free(one);
            pool.Free(into, 3);
            Live(pool, allocator, 3, 3, "the surplus went back");
        }

        [TestMethod]
        public static void BulkAlloc_NothingAnywhere_TakesNothing()
        {
            CountingAllocator allocator = new CountingAllocator(2);
            BlockPool pool = Make(2, allocator);
            Block one;
            pool.TryAlloc(out one);
            Block[] into = new Block[2];
            Assert.IsFalse(pool.Alloc(into, 2, 50));
            Assert.IsNull(into[0], "into untouched");
            Assert.IsTrue(pool.Statistics.BackingFailures >= 1, "the allocator was asked");
            Live(pool, allocator, 2, 1, "one free block stayed free, nothing lost");
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => pool.Alloc(new Block[3], 3, 0));
        }

        [TestMethod]
        public static void Resize_GrowsAndShrinksTheReserve()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPool pool = Make(2, allocator);
            pool.Resize(4);
            Assert.AreEqual(4, pool.ReserveSize);
            Live(pool, allocator, 4, 4, "grown from the allocator");
            Block held = pool.Alloc(0);
            Assert.AreEqual(4, pool.FreeCount, "the allocator still comes first");

            pool.Resize(1);
            Live(pool, allocator, 2, 1, "shrunk: three free blocks went back");
            pool.Free(held);
            Live(pool, allocator, 1, 1, "the held block went back too");
        }

        [TestMethod]
        public static void Resize_AllocatorShort_GrowsAsFarAsItCan()
        {
            CountingAllocator allocator = new CountingAllocator(3);
            BlockPool pool = Make(2, allocator);
            pool.Resize(5);
            Assert.AreEqual(5, pool.ReserveSize);
            Live(pool, allocator, 3, 3, "one more: the allocator's limit");
            allocator.Budget = 10;
            Block extra = pool.Alloc(0);
            pool.Free(extra);
            Live(pool, allocator, 4, 4, "a free refills the reserve toward its new size");
        }

        [TestMethod]
        public static void Dispose_GivesTheReserveBack_AndLaterFreesFollow()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPool pool = Make(3, allocator);
            Block held;
            pool.TryAlloc(out held);
            pool.Dispose();
            Assert.AreEqual(1, allocator.Outstanding, "only the held block is still out");
            Assert.AreEqual(0, pool.ReserveSize);
            Assert.ThrowsException(typeof(ObjectDisposedException), () => pool.Alloc(new Block[1], 1, 0));
            pool.Free(held);
            Assert.AreEqual(0, allocator.Outstanding, "everything went back");
            PoolAssert.Invariants(pool);
        }

        [TestMethod]
        public static void HandlerReserve_StillKeptFromHandlers()
        {
            CountingAllocator allocator = new CountingAllocator(10);
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
        public static void Poisoning_AllocatorBlocksAreNotFalseViolations()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.Poisoning = true;
            BlockPool pool = new BlockPool(Size, 1, options);
            Block fromAllocator = pool.Alloc(0);
            Block fromReserve;
            pool.TryAlloc(out fromReserve);
            pool.Free(fromAllocator);
            pool.Free(fromReserve);
            Block again;
            pool.TryAlloc(out again);
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations);
        }

        [TestMethod]
        public static void ManagedHeapAllocator_ServesAPool()
        {
            ManagedHeapAllocator heap = new ManagedHeapAllocator();
            Assert.AreEqual(16, heap.Allocate(16).Length);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = heap;
            BlockPool pool = new BlockPool(16, 2, options);
            Block[] blocks = new Block[5];
            for (int i = 0; i < 5; i++)
            {
                blocks[i] = pool.Alloc();
                Assert.AreEqual(16, blocks[i].Buffer.Length);
            }

            Assert.AreEqual(2, pool.FreeCount, "five blocks from the heap, the reserve untouched");
            pool.Free(blocks, 5);
            Assert.AreEqual(2, pool.Capacity, "the reserve was full: all five went back to the heap");
            Assert.AreEqual(5L, pool.Statistics.BackingReleases);
            PoolAssert.Invariants(pool);
        }

        /// <summary>
        /// A Dispose that lands while a thread's Alloc is inside the allocator (here: the allocator itself disposes
        /// the pool, as a racing thread would): AdoptBuffer gives the new buffer back and throws, and the statistics
        /// count that give-back, so the audit's "allocations - releases == Capacity" still holds (before the fix the
        /// give-back was not counted; Coyote's dispose scenario in BackingScenarioTests reports it too).
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
            PoolAssert.Invariants(pool);
        }

        private static BlockPool Make(int reserve, CountingAllocator allocator)
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

        /// <summary>Live blocks, free blocks, and the allocator's outstanding buffers all agree.</summary>
        private static void Live(BlockPool pool, CountingAllocator allocator, int live, int free, string context)
        {
            Assert.AreEqual(live, pool.Capacity, context + ": live blocks (Capacity)");
            Assert.AreEqual(free, pool.FreeCount, context + ": FreeCount");
            Assert.AreEqual(live, allocator.Outstanding, context + ": buffers the allocator has out");
            PoolAssert.Invariants(pool);
        }
    }
}
