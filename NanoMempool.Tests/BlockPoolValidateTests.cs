// Licensed under the MIT License. See LICENSE in the repository root.

using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>The on-demand integrity audit (issue 6, item 6).</summary>
    [TestClass]
    public class BlockPoolValidateTests
    {
        [TestMethod]
        public static void Validate_HealthyPool_ReturnsTrueAndNoProblem()
        {
            BlockPool pool = new BlockPool(8, 3);
            Block a;
            pool.TryAlloc(out a);
            string problem;
            Assert.IsTrue(pool.Validate(out problem));
            Assert.IsNull(problem);
        }

        [TestMethod]
        public static void Validate_CorruptedFreeList_ReportsInsteadOfThrowing()
        {
            BlockPool pool = new BlockPool(8, 3);

            // Corrupt the list from inside (tests see internals): make the top block point to itself.
            Block top;
            pool.TryAlloc(out top);
            pool.Free(top);
            top._next = top.Index + 1;

            string problem;
            Assert.IsFalse(pool.Validate(out problem));
            Assert.IsNotNull(problem);
            Assert.IsTrue(problem.IndexOf("twice") >= 0, problem);
        }

        [TestMethod]
        public static void Validate_LostBlock_IsNamed()
        {
            BlockPool pool = new BlockPool(8, 2);
            Block a;
            pool.TryAlloc(out a);

            // Simulate a block that vanished: neither held nor on the list.
            a._state = Block.StateFree;

            string problem;
            Assert.IsFalse(pool.Validate(out problem));
            Assert.IsTrue(problem.IndexOf("lost") >= 0, problem);
        }
    }
}
