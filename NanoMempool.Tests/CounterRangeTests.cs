// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Counters a user can plot: PeakInUse and LowestFreeCount are defined across Resize (which restarts them) and
    /// stay within 0..MaxCapacity; a backing allocator's blocks count in PeakInUse; the 64-bit event counters carry
    /// between their two words without ever reading lower than before.
    /// </summary>
    [TestClass]
    public class CounterRangeTests
    {
        [TestMethod]
        public void PeakInUse_AfterAShrink_IsRestartedNotNegative()
        {
            BlockPool pool = new BlockPool(8, 4);
            pool.Free(pool.Alloc(0));
            Assert.AreEqual(1, pool.Statistics.PeakInUse);

            pool.Resize(1);

            Assert.AreEqual(0, pool.Statistics.PeakInUse, "nothing is in use after the shrink");
            Assert.AreEqual(1, pool.Statistics.LowestFreeCount, "restarted from the free count after the shrink");
            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "after the shrink");
        }

        [TestMethod]
        public void PeakInUse_AShrinkThatSettlesLater_CountsWhatWasInUse()
        {
            BlockPool pool = new BlockPool(8, 4);
            Block[] held = new Block[3];
            Assert.IsTrue(pool.TryAlloc(held, 3));

            pool.Resize(1);
            Assert.AreEqual(3, pool.Statistics.PeakInUse, "three still in use when the shrink was asked for");
            Assert.AreEqual(0, pool.Statistics.LowestFreeCount);

            pool.Free(held, 3);
            PoolAssert.Counts(pool, capacity: 1, free: 1, context: "the shrink settled as the blocks came home");
            Assert.AreEqual(3, pool.Statistics.PeakInUse, "the peak stays");
            Block again = pool.Alloc(0);
            Assert.AreEqual(3, pool.Statistics.PeakInUse, "one in use is no new peak");
            again.Dispose();
        }

        [TestMethod]
        public void PeakInUse_AfterAGrow_CountsTheNewBlocksInUse()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.MaxCapacity = 4;
            BlockPool pool = new BlockPool(8, 2, options);
            Block[] held = new Block[4];
            Assert.IsTrue(pool.TryAlloc(held, 2));
            Assert.AreEqual(2, pool.Statistics.PeakInUse);

            pool.Resize(4);
            Assert.AreEqual(2, pool.Statistics.PeakInUse, "restarted: still two in use");
            Assert.AreEqual(2, pool.Statistics.LowestFreeCount, "restarted: two new blocks free");

            Assert.IsTrue(pool.TryAlloc(out held[2]));
            Assert.IsTrue(pool.TryAlloc(out held[3]));
            Assert.AreEqual(4, pool.Statistics.PeakInUse);
            Assert.AreEqual(0, pool.Statistics.LowestFreeCount);
            pool.Free(held, 4);
        }

        [TestMethod]
        public void PeakInUse_BlocksFromTheBackingAllocator_Count()
        {
            CountingAllocator allocator = new CountingAllocator(10);
            BlockPoolOptions options = new BlockPoolOptions();
            options.BackingAllocator = allocator;
            options.MaxCapacity = 8;
            BlockPool pool = new BlockPool(8, 2, options);

            // Threads take from the allocator first: the reserve stays full, the use rises.
            Block a = pool.Alloc(0);
            Block b = pool.Alloc(0);
            Block c = pool.Alloc(0);

            Assert.AreEqual(2, pool.FreeCount, "the reserve is untouched");
            Assert.AreEqual(3, pool.Statistics.PeakInUse, "three allocator blocks in use");
            a.Dispose();
            b.Dispose();
            c.Dispose();
            Assert.AreEqual(3, pool.Statistics.PeakInUse);
        }

        [TestMethod]
        public void EventCounts_ACarryCaughtHalfway_ReadsTheExactCount()
        {
            int[] counts = new int[2];

            // Low word at 0x80000000, the carry not yet made: read as 2^31, not 2^31 too low or high.
            counts[0] = unchecked((int)0x80000000);
            counts[1] = 0;
            Assert.AreEqual(0x80000000L, EventCounts.Read(counts, 0), "half-lap, carry pending");
            counts[1] = 1;
            Assert.AreEqual(0x80000000L, EventCounts.Read(counts, 0), "half-lap, carried");

            // Low word wrapped to 0, the carry not yet made: read as 2^32.
            counts[0] = 0;
            Assert.AreEqual(0x100000000L, EventCounts.Read(counts, 0), "wrap, carry pending");
            counts[1] = 2;
            Assert.AreEqual(0x100000000L, EventCounts.Read(counts, 0), "wrap, carried");
            counts[0] = 5;
            Assert.AreEqual(0x100000005L, EventCounts.Read(counts, 0));
        }

        [TestMethod]
        public void EventCounts_IncrementAcrossBothCarries_NeverReadsLower()
        {
            int[] counts = new int[2];
            counts[0] = 0x7FFFFFFE;
            long previous = EventCounts.Read(counts, 0);
            for (int i = 0; i < 4; i++)
            {
                EventCounts.Increment(counts, 0);
                long now = EventCounts.Read(counts, 0);
                Assert.AreEqual(previous + 1, now, "across the half-lap carry, step " + i);
                previous = now;
            }

            Assert.AreEqual(1, counts[1], "one carry at 0x80000000");
            counts[0] = -2;
            previous = EventCounts.Read(counts, 0);
            for (int i = 0; i < 4; i++)
            {
                EventCounts.Increment(counts, 0);
                long now = EventCounts.Read(counts, 0);
                Assert.AreEqual(previous + 1, now, "across the wrap carry, step " + i);
                previous = now;
            }

            Assert.AreEqual(2, counts[1], "a second carry at the wrap");
            Assert.AreEqual(0x100000002L, previous);
        }
    }
}
