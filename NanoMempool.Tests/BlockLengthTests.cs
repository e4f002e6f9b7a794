// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Block.Length: the used length a filler passes with its block, 0 for every block an allocation returns,
    /// whichever way it was allocated, and kept across a BlockQueue.
    /// </summary>
    [TestClass]
    public class BlockLengthTests
    {
        [TestMethod]
        public void Length_IsZeroAfterAllocation_AndKeepsWhatTheHolderSets()
        {
            BlockPool pool = new BlockPool(32, 2);
            Block block;
            Assert.IsTrue(pool.TryAlloc(out block));
            Assert.AreEqual(0, block.Length);

            block.Length = 17;
            Assert.AreEqual(17, block.Length);
            block.Length = 32;
            Assert.AreEqual(32, block.Length, "the whole block");
            block.Length = 0;
            Assert.AreEqual(0, block.Length);
            block.Length = 5;
            block.Dispose();
            PoolAssert.AllHome(pool, "after a free with a length set");
        }

        [TestMethod]
        public void Length_IsResetForTheNextHolder_OnEveryAllocationPath()
        {
            BlockPool pool = new BlockPool(16, 1);
            Block block = pool.Alloc(0);
            block.Length = 9;
            block.Dispose();

            Block again;
            Assert.IsTrue(pool.TryAlloc(out again), "TryAlloc");
            Assert.AreSame(block, again);
            Assert.AreEqual(0, again.Length, "TryAlloc after a free with a length");
            again.Length = 3;
            again.Dispose();

            again = pool.Alloc(0);
            Assert.AreEqual(0, again.Length, "Alloc(0)");
            again.Length = 4;
            again.Dispose();

            Block[] set = new Block[1];
            Assert.IsTrue(pool.TryAlloc(set, 1), "bulk TryAlloc");
            Assert.AreEqual(0, set[0].Length, "bulk TryAlloc");
            set[0].Length = 6;
            pool.Free(set, 1);

            Assert.IsTrue(pool.Alloc(set, 1, 0), "bulk Alloc");
            Assert.AreEqual(0, set[0].Length, "bulk Alloc");
            PoolAssert.Valid(pool);
            set[0].Dispose();
        }

        [TestMethod]
        public void Length_IsResetForAThreadThatWasHandedTheBlock()
        {
            BlockPool pool = new BlockPool(16, 1);
            Block held = pool.Alloc(0);
            AllocThread waiter = AllocThread.StartWaiting(pool, PoolAssert.WakeTimeoutMs, 1, "waiter");

            held.Length = 11;
            held.Dispose();

            Block handed = waiter.AssertGotBlock("the waiter");
            Assert.AreSame(held, handed);
            Assert.AreEqual(0, handed.Length, "a handed-over block starts empty");
            handed.Dispose();
            PoolAssert.AllHome(pool, "after the hand-off");
        }

        [TestMethod]
        public void Length_TravelsWithTheBlockThroughAQueue()
        {
            BlockPool pool = new BlockPool(8, 2);
            BlockQueue queue = new BlockQueue(1);
            Block block;
            Assert.IsTrue(pool.TryAlloc(out block));
            block.Buffer[0] = 0x5A;
            block.Length = 1;
            Assert.IsTrue(queue.TryEnqueue(block));

            Block taken;
            Assert.IsTrue(queue.TryDequeue(out taken));
            Assert.AreSame(block, taken);
            Assert.AreEqual(1, taken.Length);
            Assert.AreEqual((byte)0x5A, taken.Buffer[0]);
            taken.Dispose();
        }

        [TestMethod]
        public void Length_OutOfRange_Throws_AndKeepsTheOldLength()
        {
            BlockPool pool = new BlockPool(10, 1);
            Block block = pool.Alloc(0);
            block.Length = 4;

            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => { block.Length = 11; });
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => { block.Length = -1; });
            Assert.AreEqual(4, block.Length);
            block.Dispose();
        }

        [TestMethod]
        public void Length_SetOnAFreedBlock_Throws_AndTheNextHolderStillGetsZero()
        {
            BlockPool pool = new BlockPool(10, 1);
            Block stale = pool.Alloc(0);
            stale.Dispose();

            Assert.ThrowsException(typeof(InvalidOperationException), () => { stale.Length = 3; });
            Block next = pool.Alloc(0);
            Assert.AreEqual(0, next.Length);
            next.Dispose();
            PoolAssert.AllHome(pool, "after the refused set");
        }

        [TestMethod]
        public void BlockSize_AboveTheLargestLength_IsRefused()
        {
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new BlockPool(0x1000000, 1));
        }
    }
}
