// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>Health events with hysteresis, latched in the hot path and delivered by PollHealth (issue 6, item 2).</summary>
    [TestClass]
    public class BlockPoolHealthTests
    {
        private static int s_raised;
        private static PoolHealth s_lastEvents;
        private static BlockPool s_lastPool;

        private static BlockPool MakePool(int blocks, int lowWater, int recovered)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.LowWaterMark = lowWater;
            options.RecoveredMark = recovered;
            return new BlockPool(8, blocks, options);
        }

        private static void OnHealth(BlockPool pool, PoolHealth events)
        {
            s_raised++;
            s_lastEvents = events;
            s_lastPool = pool;
        }

        [TestMethod]
        public static void PollHealth_NothingHappened_ReturnsNone()
        {
            BlockPool pool = MakePool(4, 1, 3);
            Assert.AreEqual((int)PoolHealth.None, (int)pool.PollHealth());
        }

        [TestMethod]
        public static void LowWater_LatchesOnceUntilRecovered()
        {
            BlockPool pool = MakePool(4, 1, 3);
            Block a, b, c;
            pool.TryAlloc(out a);
            pool.TryAlloc(out b);
            Assert.AreEqual((int)PoolHealth.None, (int)pool.PollHealth(), "2 free > low water 1");

            pool.TryAlloc(out c);
            Assert.AreEqual((int)PoolHealth.LowWater, (int)pool.PollHealth(), "1 free = low water");

            pool.Free(c);
            pool.TryAlloc(out c);
            Assert.AreEqual((int)PoolHealth.None, (int)pool.PollHealth(), "disarmed until recovered");

            pool.Free(c);
            pool.Free(b);
            Assert.AreEqual((int)PoolHealth.None, (int)pool.PollHealth(), "3 free is not above the recovered mark 3");
            pool.Free(a);
            Assert.AreEqual((int)PoolHealth.Recovered, (int)pool.PollHealth(), "4 free > 3");

            pool.TryAlloc(out a);
            pool.TryAlloc(out b);
            pool.TryAlloc(out c);
            Assert.AreEqual((int)PoolHealth.LowWater, (int)pool.PollHealth(), "re-armed");
        }

        [TestMethod]
        public static void Exhausted_LatchesWhenTryAllocFails()
        {
            BlockPool pool = new BlockPool(8, 1);
            Block a, b;
            pool.TryAlloc(out a);
            Assert.IsFalse(pool.TryAlloc(out b));
            Assert.IsFalse(pool.TryAlloc(out b));
            Assert.AreEqual((int)PoolHealth.Exhausted, (int)pool.PollHealth());
            Assert.AreEqual((int)PoolHealth.None, (int)pool.PollHealth(), "polling clears the latch");
        }

        [TestMethod]
        public static void HealthChanged_RaisedOnPollingThreadWithCombinedEvents()
        {
            BlockPool pool = MakePool(2, 0, 2);
            s_raised = 0;
            pool.HealthChanged += OnHealth;
            Block a, b, c;
            pool.TryAlloc(out a);
            pool.TryAlloc(out b);
            pool.TryAlloc(out c);
            Assert.AreEqual(0, s_raised, "never raised inside TryAlloc");

            PoolHealth events = pool.PollHealth();

            Assert.AreEqual(1, s_raised);
            Assert.AreEqual((int)(PoolHealth.LowWater | PoolHealth.Exhausted), (int)events);
            Assert.AreEqual((int)events, (int)s_lastEvents);
            Assert.AreSame(pool, s_lastPool);

            pool.HealthChanged -= OnHealth;
            pool.Free(a);
            pool.Free(b);
            pool.TryAlloc(out c);
            pool.TryAlloc(out c);
            pool.TryAlloc(out c);
            pool.PollHealth();
            Assert.AreEqual(1, s_raised, "unsubscribed handler is not called");
        }

        [TestMethod]
        public static void Options_Inconsistent_ThrowArgumentOutOfRange()
        {
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => MakePool(4, 1, BlockPoolOptions.Off));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => MakePool(4, 2, 2));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => MakePool(4, 1, 5));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => MakePool(4, -2, 3));
        }
    }
}
