// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>Opt-in poisoning: free blocks are filled, the fill is verified on allocation (issue 6, item 4).</summary>
    [TestClass]
    public class BlockPoolPoisoningTests
    {
        private const int WriterTag = 42;

        private static BlockPool MakePool(int blocks)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            return new BlockPool(16, blocks, options);
        }

        private static bool IsPoisoned(byte[] buffer)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                if (buffer[i] != BlockPool.PoisonByte)
                {
                    return false;
                }
            }

            return true;
        }

        [TestMethod]
        public static void NewAndFreedBlocks_AreFilledWithThePoisonByte()
        {
            BlockPool pool = MakePool(1);
            Block block;
            pool.TryAlloc(out block);
            Assert.IsTrue(IsPoisoned(block.Buffer), "a fresh block carries the fill");

            block.Buffer[3] = 1;
            pool.Free(block);
            Assert.IsTrue(IsPoisoned(block.Buffer), "Free refills it");
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations);
        }

        [TestMethod]
        public static void WriteAfterFree_IsReportedWithBlockAndLastOwner()
        {
            BlockPool pool = MakePool(1);
            Block block;
            pool.TryAlloc(out block, WriterTag);
            pool.Free(block);

            block.Buffer[5] = 0x00; // use after free

            Block again;
            Assert.IsTrue(pool.TryAlloc(out again), "the allocation still succeeds");
            Assert.AreEqual(1L, pool.Statistics.PoisonViolations);
            Assert.AreEqual(again.Index, pool.Statistics.LastPoisonViolationBlockIndex);
            Assert.AreEqual(WriterTag, pool.Statistics.LastPoisonViolationOwnerTag);
            Assert.AreEqual((int)PoolHealth.UseAfterFree, (int)pool.PollHealth());
        }

        [TestMethod]
        public static void WithoutPoisoning_NothingIsFilledOrChecked()
        {
            BlockPool pool = new BlockPool(16, 1);
            Block block;
            pool.TryAlloc(out block);
            block.Buffer[0] = 9;
            pool.Free(block);
            Assert.AreEqual(9, (int)block.Buffer[0], "contents are left alone, like mempool");
            pool.TryAlloc(out block);
            Assert.AreEqual(0L, pool.Statistics.PoisonViolations);
            Assert.AreEqual(-1, pool.Statistics.LastPoisonViolationBlockIndex);
        }
    }
}
