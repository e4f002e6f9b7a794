// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// A block is in one place at a time: held by a caller, in one BlockQueue, or home. A queued block cannot be
    /// queued again (in the same queue or another) nor freed until a consumer takes it out; each refusal is a clear
    /// InvalidOperationException with the pool and every queue exactly as before.
    /// </summary>
    [TestClass]
    public class BlockInOnePlaceTests
    {
        [TestMethod]
        public void TryEnqueue_SameBlockTwice_TheSecondIsRefused_AndOneConsumerGetsIt()
        {
            BlockPool pool = new BlockPool(8, 2);
            BlockQueue queue = new BlockQueue(4);
            Block block = pool.Alloc(0);
            Assert.IsTrue(queue.TryEnqueue(block));
            PoolSnapshot poolBefore = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => queue.TryEnqueue(block));

            poolBefore.AssertUnchanged("a second TryEnqueue of a queued block");
            Assert.AreEqual(1, queue.Count, "the queue holds the block once");
            Assert.AreEqual(1L, queue.Statistics.Enqueued);
            Assert.AreEqual(0L, queue.Statistics.RejectedFull, "a refused block is not a full queue");
            Assert.IsNull(PoolAssert.QueueProblem(queue));

            Block taken;
            Assert.IsTrue(queue.TryDequeue(out taken));
            Assert.AreSame(block, taken);
            Assert.IsFalse(queue.TryDequeue(out taken), "a second consumer gets nothing");
            block.Dispose();
            PoolAssert.AllHome(pool, "after the consumer freed the block");
        }

        [TestMethod]
        public void TryEnqueue_BlockQueuedInAnotherQueue_IsRefused()
        {
            BlockPool pool = new BlockPool(8, 2);
            BlockQueue first = new BlockQueue(2);
            BlockQueue second = new BlockQueue(2);
            Block block = pool.Alloc(0);
            Assert.IsTrue(first.TryEnqueue(block));

            Assert.ThrowsException(typeof(InvalidOperationException), () => second.TryEnqueue(block));

            Assert.AreEqual(0, second.Count);
            Assert.AreEqual(1, first.Count);
            Block taken;
            Assert.IsTrue(first.TryDequeue(out taken));
            Assert.IsTrue(second.TryEnqueue(taken), "once taken out, it may travel again");
            Assert.IsTrue(second.TryDequeue(out taken));
            taken.Dispose();
            PoolAssert.AllHome(pool, "after the block travelled through both queues");
        }

        [TestMethod]
        public void Free_QueuedBlock_IsRefused_AndTheConsumerStillGetsIt()
        {
            BlockPool pool = new BlockPool(8, 2);
            BlockQueue queue = new BlockQueue(2);
            Block block = pool.Alloc(0);
            Assert.IsTrue(queue.TryEnqueue(block));
            PoolSnapshot poolBefore = PoolSnapshot.Take(pool);

            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(block));
            Assert.ThrowsException(typeof(InvalidOperationException), () => block.Dispose());
            Block[] set = new Block[] { block };
            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(set, 1));

            poolBefore.AssertUnchanged("freeing a queued block");
            PoolAssert.Valid(pool);
            Block taken;
            Assert.IsTrue(queue.TryDequeue(out taken));
            Assert.AreSame(block, taken);
            taken.Dispose();
            PoolAssert.AllHome(pool, "after the consumer freed the block");
        }

        [TestMethod]
        public void TryEnqueue_QueueFull_TheCallerHoldsTheBlockAgain()
        {
            BlockPool pool = new BlockPool(8, 2);
            BlockQueue queue = new BlockQueue(1);
            Assert.IsTrue(queue.TryEnqueue(pool.Alloc(0)));
            Block refused = pool.Alloc(0);

            Assert.IsFalse(queue.TryEnqueue(refused));

            refused.Length = 2;
            BlockQueue other = new BlockQueue(1);
            Assert.IsTrue(other.TryEnqueue(refused), "a block refused by a full queue is held, so it may travel");
            Block taken;
            Assert.IsTrue(other.TryDequeue(out taken));
            taken.Dispose();
            Assert.IsTrue(queue.TryDequeue(out taken));
            taken.Dispose();
            PoolAssert.AllHome(pool, "after both blocks came home");
        }

        [TestMethod]
        public void QueuedBlocks_CountAsHeld_InTheAuditTheStatisticsAndTheHolderReport()
        {
            BlockPool pool = new BlockPool(8, 3);
            BlockQueue queue = new BlockQueue(2);
            Block a = pool.Alloc(0);
            Block b = pool.Alloc(0);
            Assert.IsTrue(queue.TryEnqueue(a));

            PoolAssert.Valid(pool);
            Assert.AreEqual(2L, pool.Statistics.Allocations, "a queued block is still allocated");
            Block[] holders = new Block[3];
            Assert.AreEqual(2, pool.CopyHeldBlocks(holders), "the holder report lists the queued block");
            Assert.ThrowsException(typeof(InvalidOperationException), () => { a.Length = 1; });

            Block taken;
            Assert.IsTrue(queue.TryDequeue(out taken));
            taken.Dispose();
            b.Dispose();
            PoolAssert.AllHome(pool, "after both came home");
            Assert.AreEqual(2L, pool.Statistics.Frees);
        }

        [TestMethod]
        public void PoisoningPool_QueuedBlock_IsRefusedTwice_AndComesHomeChecked()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            BlockPool pool = new BlockPool(4, 2, options);
            BlockQueue queue = new BlockQueue(2);
            Block block;
            Assert.IsTrue(pool.TryAlloc(out block));
            Assert.IsTrue(queue.TryEnqueue(block));

            Assert.ThrowsException(typeof(InvalidOperationException), () => queue.TryEnqueue(block));
            Assert.ThrowsException(typeof(InvalidOperationException), () => pool.Free(block));

            Block taken;
            Assert.IsTrue(queue.TryDequeue(out taken));
            taken.Dispose();
            Assert.IsTrue(pool.TryAlloc(out block), "the block comes back");
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations, "freed through the checked path: poisoned, then verified");
            block.Dispose();
            PoolAssert.AllHome(pool, "after the checked round trip");
        }
    }
}
