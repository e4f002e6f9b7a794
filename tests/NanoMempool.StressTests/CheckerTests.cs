// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;
using Xunit.Sdk;

namespace NanoMempool.StressTests
{
    /// <summary>The checkers themselves must be able to fail: otherwise a green stress run proves nothing.</summary>
    public sealed class CheckerTests
    {
        [Fact]
        public void Ledger_CatchesABlockHeldTwice()
        {
            BlockPool pool = new BlockPool(4, 2);
            OwnershipLedger ledger = new OwnershipLedger(2);
            Block block = pool.Alloc(0);
            ledger.Acquire(block, 1);
            ledger.Acquire(block, 2);
            Assert.Equal(1, ledger.Violations);
            Assert.Contains("while 1 holds it", ledger.FirstViolation);
        }

        [Fact]
        public void Ledger_CatchesAFreeByANonHolder()
        {
            BlockPool pool = new BlockPool(4, 2);
            OwnershipLedger ledger = new OwnershipLedger(2);
            Block block = pool.Alloc(0);
            ledger.Acquire(block, 1);
            ledger.Release(block, 2);
            Assert.Equal(1, ledger.Violations);
        }

        [Fact]
        public void Audit_CatchesABlockNotHome()
        {
            BlockPool pool = new BlockPool(4, 2);
            OwnershipLedger ledger = new OwnershipLedger(2);
            Counts counts = new Counts();
            Block block = pool.Alloc(0);
            ledger.Acquire(block, 1);
            counts.Allocations++;
            ledger.Release(block, 1); // the ledger is told, but the block never goes back to the pool
            Assert.ThrowsAny<XunitException>(() => Audit.AllHomeAndCounted(pool, ledger, counts));
        }

        [Fact]
        public void Audit_CatchesStatisticsThatDoNotAddUp()
        {
            BlockPool pool = new BlockPool(4, 2);
            OwnershipLedger ledger = new OwnershipLedger(2);
            Counts counts = new Counts();
            Block block;
            Assert.False(pool.Alloc(0) == null);
            Assert.True(pool.TryAlloc(out block));
            Assert.False(pool.TryAlloc(out block)); // one failed TryAlloc the counts do not know about
            Assert.ThrowsAny<XunitException>(() => Audit.AllHomeAndCounted(pool, ledger, counts));
        }

        [Fact]
        public void CheckInvariants_IsReachable()
        {
            Assert.Null(Audit.CheckInvariants(new BlockPool(4, 3)));
        }
    }
}
