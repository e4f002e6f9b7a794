// Licensed under the MIT License. See LICENSE in the repository root.

using System;
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
            Assert.ThrowsAny<XunitException>(() => Audit.AllHomeAndCounted(pool, ledger, counts, 2));
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
            Assert.ThrowsAny<XunitException>(() => Audit.AllHomeAndCounted(pool, ledger, counts, 2));
        }

        [Fact]
        public void Audit_CatchesACapacityOtherThanTheTarget()
        {
            BlockPool pool = new BlockPool(4, 2);
            Assert.ThrowsAny<XunitException>(() => Audit.AllHomeAndCounted(pool, new OwnershipLedger(2), new Counts(), 3));
        }

        [Fact]
        public void HolderMark_CatchesAnotherHoldersTagAndBytes()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.OwnerTracking = true;
            BlockPool pool = new BlockPool(4, 1, options);
            Block block = pool.Alloc(0);
            HolderMark.Take(block, 1);
            HolderMark.Check(block, 1);
            Assert.Throws<InvalidOperationException>(() => HolderMark.Check(block, 2));
            block.Buffer[3] = 9;
            Assert.Throws<InvalidOperationException>(() => HolderMark.Check(block, 1));
            block.OwnerTag = 5;
            Assert.Throws<InvalidOperationException>(() => HolderMark.Take(block, 1));
        }

        [Fact]
        public void Poisoning_CountsAWriteAfterFree()
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.Poisoning = true;
            BlockPool pool = new BlockPool(4, 1, options);
            Block block = pool.Alloc(0);
            byte[] stale = block.Buffer;
            pool.Free(block);
            stale[0] = 1; // a holder that kept the buffer writes after its free
            Assert.Equal(0, pool.Statistics.PoisonViolations);
            Assert.NotNull(pool.Alloc(0));
            Assert.Equal(1, pool.Statistics.PoisonViolations);
        }
    }
}
