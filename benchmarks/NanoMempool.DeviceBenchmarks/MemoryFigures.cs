// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using NanoMempool.DeviceBenchmarks.Baselines;

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>
    /// Heap bytes taken by constructing each structure, measured as the drop in free bytes reported by
    /// <c>GC.Run(false)</c> across the construction (the new object is kept reachable through a static field until
    /// after the second reading). Each structure is built with <see cref="Small"/> and <see cref="Large"/> blocks: the
    /// difference divided by their difference is the cost per block (the buffer included; the table shows what is
    /// beyond it), and what remains at <see cref="Small"/> blocks is the fixed cost. The baseline is the same number of
    /// bare <c>byte[BlockSize]</c> held in a <c>byte[][]</c> (what the blocks would cost without any pool).
    /// </summary>
    internal static class MemoryFigures
    {
        /// <summary>Bytes per block in every structure measured.</summary>
        internal const int BlockSize = 64;

        /// <summary>The smaller block count.</summary>
        internal const int Small = 1;

        /// <summary>The larger block count.</summary>
        internal const int Large = 256;

        private const int Bare = 0;
        private const int Pool = 1;
        private const int Lock = 2;
        private const int Cas = 3;
        private const int Queue = 4;
        private const int LockQueue = 5;
        private const int References = 6;
        private const int Kinds = 7;
        private const int Repeats = 3;

        private static object s_kept;

        /// <summary>Measures, prints the memory table and records its figures.</summary>
        internal static void Run(Results results)
        {
            for (int kind = 0; kind < Kinds; kind++)
            {
                // First construction of each kind outside the measurement: one-time costs (static fields, type setup).
                s_kept = Make(kind, Small);
                s_kept = null;
            }

            long slot = (Cost(References, Large) - Cost(References, 0)) / Large;
            string bits = slot <= 12 ? "32bit" : "64bit";

            Console.WriteLine("");
            Console.WriteLine("Memory (" + bits + " interpreter: a reference slot takes " + slot.ToString() + " B), blocks of " + BlockSize.ToString()
                + " B, GC.Run(false) free bytes before and after construction, " + Small.ToString() + " and " + Large.ToString() + " blocks:");
            Console.WriteLine(Format.Left("structure", 46) + Format.Right("per block", 10) + Format.Right("fixed", 8) + "   ratios");

            long bareTotalLarge = Cost(Bare, Large);
            long bareTotalSmall = Cost(Bare, Small);
            long barePerBlock = PerBlockBeyond(bareTotalSmall, bareTotalLarge);
            long bareFixed = FixedPart(bareTotalSmall, bareTotalLarge);

            long lockPerBlock = PerBlockBeyond(Cost(Lock, Small), Cost(Lock, Large));
            long lockFixed = FixedPart(Cost(Lock, Small), Cost(Lock, Large));

            long poolSmall = Cost(Pool, Small);
            long poolLarge = Cost(Pool, Large);
            long poolPerBlock = PerBlockBeyond(poolSmall, poolLarge);
            long poolFixed = FixedPart(poolSmall, poolLarge);

            long casPerBlock = PerBlockBeyond(Cost(Cas, Small), Cost(Cas, Large));
            long casFixed = FixedPart(Cost(Cas, Small), Cost(Cas, Large));

            long queuePerSlot = Slope(Cost(Queue, Small), Cost(Queue, Large));
            long queueFixed = FixedPart(Cost(Queue, Small), Cost(Queue, Large));
            long lockQueuePerSlot = Slope(Cost(LockQueue, Small), Cost(LockQueue, Large));
            long lockQueueFixed = FixedPart(Cost(LockQueue, Small), Cost(LockQueue, Large));

            string prefix = "mem." + bits + ".";
            Row("BlockPool(64, n)", poolPerBlock, poolFixed,
                "per block " + Format.Times(Format.Ratio(poolPerBlock, barePerBlock)) + " bare, " + Format.Times(Format.Ratio(poolPerBlock, lockPerBlock))
                + " lock pool; fixed " + Format.Times(Format.Ratio(poolFixed, lockFixed)) + " lock pool");
            Row("bare byte[64] in a byte[n][] (baseline)", barePerBlock, bareFixed, "");
            Row("lock pool of byte[64] (baseline)", lockPerBlock, lockFixed, "per block " + Format.Times(Format.Ratio(lockPerBlock, barePerBlock)) + " bare");
            Row("tagged-CAS index stack of byte[64] (baseline)", casPerBlock, casFixed, "per block " + Format.Times(Format.Ratio(casPerBlock, barePerBlock)) + " bare");
            Row("BlockQueue(n), per slot", queuePerSlot, queueFixed,
                "per slot " + Format.Times(Format.Ratio(queuePerSlot, lockQueuePerSlot)) + ", fixed " + Format.Times(Format.Ratio(queueFixed, lockQueueFixed)) + " lock queue");
            Row("lock ring queue(n), per slot (baseline)", lockQueuePerSlot, lockQueueFixed, "");
            Console.WriteLine("(per block: bytes beyond the " + BlockSize.ToString() + " B buffer; per slot: bytes per queue slot; fixed: bytes per structure)");
            Console.WriteLine("BlockPool(64, " + Small.ToString() + ") total " + poolSmall.ToString() + " B, BlockPool(64, " + Large.ToString() + ") total "
                + poolLarge.ToString() + " B; " + Large.ToString() + " bare byte[64] + holder " + bareTotalLarge.ToString() + " B");

            results.Add(prefix + "reference_slot", slot * 100, "B");
            results.Add(prefix + "blockpool.per_block_beyond_buffer", poolPerBlock, "B");
            results.Add(prefix + "blockpool.fixed", poolFixed, "B");
            results.Add(prefix + "bare_byte_array.per_block_beyond_buffer", barePerBlock, "B");
            results.Add(prefix + "bare_byte_array.fixed", bareFixed, "B");
            results.Add(prefix + "lockpool.per_block_beyond_buffer", lockPerBlock, "B");
            results.Add(prefix + "lockpool.fixed", lockFixed, "B");
            results.Add(prefix + "casstack.per_block_beyond_buffer", casPerBlock, "B");
            results.Add(prefix + "casstack.fixed", casFixed, "B");
            results.Add(prefix + "blockqueue.per_slot", queuePerSlot, "B");
            results.Add(prefix + "blockqueue.fixed", queueFixed, "B");
            results.Add(prefix + "lockqueue.per_slot", lockQueuePerSlot, "B");
            results.Add(prefix + "lockqueue.fixed", lockQueueFixed, "B");
            results.Add("ratio." + prefix + "blockpool_per_block.vs.bare", Format.Ratio(poolPerBlock, barePerBlock), "x");
            results.Add("ratio." + prefix + "blockpool_per_block.vs.lockpool", Format.Ratio(poolPerBlock, lockPerBlock), "x");
            results.Add("ratio." + prefix + "blockpool_fixed.vs.lockpool", Format.Ratio(poolFixed, lockFixed), "x");
            results.Add("ratio." + prefix + "blockqueue_per_slot.vs.lockqueue", Format.Ratio(queuePerSlot, lockQueuePerSlot), "x");
            results.Add("ratio." + prefix + "blockqueue_fixed.vs.lockqueue", Format.Ratio(queueFixed, lockQueueFixed), "x");
        }

        private static void Row(string name, long perBlock, long fixedPart, string ratios)
        {
            Console.WriteLine(Format.Left(name, 46) + Format.Right(Format.Fixed(perBlock, 1), 10) + Format.Right(Format.Fixed(fixedPart, 0), 8) + "   " + ratios);
        }

        // Cost per block (hundredths of a byte) beyond the buffer: the slope less the buffer.
        private static long PerBlockBeyond(long small, long large)
        {
            return Slope(small, large) - (BlockSize * 100);
        }

        // Bytes per added block or slot (hundredths): the slope between the two sizes.
        private static long Slope(long small, long large)
        {
            return ((large - small) * 100) / (Large - Small);
        }

        // Fixed cost (hundredths of a byte): the total at Small blocks less Small times the slope.
        private static long FixedPart(long small, long large)
        {
            return (small * 100) - (Slope(small, large) * Small);
        }

        // The median of Repeats measurements (they agree unless something else allocated meanwhile).
        private static long Cost(int kind, int count)
        {
            long[] costs = new long[Repeats];
            for (int i = 0; i < Repeats; i++)
            {
                Heap.FreeBytes();
                long before = Heap.FreeBytes();
                s_kept = Make(kind, count);
                long after = Heap.FreeBytes();
                s_kept = null;
                costs[i] = before - after;
            }

            return Median.Of(costs);
        }

        private static object Make(int kind, int count)
        {
            switch (kind)
            {
                case Bare:
                    byte[][] buffers = new byte[count][];
                    for (int i = 0; i < count; i++)
                    {
                        buffers[i] = new byte[BlockSize];
                    }

                    return buffers;
                case Pool:
                    return new BlockPool(BlockSize, count);
                case Lock:
                    return new LockPool(BlockSize, count);
                case Cas:
                    return new CasIndexStack(BlockSize, count);
                case Queue:
                    return new BlockQueue(count);
                case LockQueue:
                    return new LockRingQueue(count);
                default:
                    return new object[count];
            }
        }
    }
}
