// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using NanoMempool.DeviceBenchmarks.Baselines;

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>
    /// The timed figures. Every round measures every figure once, in a fixed order, each batch after a collection
    /// (so that no batch starts with another's garbage). The table reports for each figure, net of the loop overhead
    /// (the empty loop's median round), the median round, the best (fastest) round and the range; then the ratios to
    /// the baselines, of the medians and of the best rounds, with the range of the per-round ratios. On a shared
    /// machine preemption only ever adds time, so the best round is the least disturbed one.
    /// </summary>
    internal static class TimedRun
    {
        private const int Empty = 0;
        private const int PairPool = 1;
        private const int PairLock = 2;
        private const int PairCas = 3;
        private const int CyclePool = 4;
        private const int CycleLock = 5;
        private const int HandOffPool = 6;
        private const int HandOffLock = 7;
        private const int HandOffEvents = 8;
        private const int Figures = 9;

        /// <summary>Blocks in the single-thread pools and queues (the pair only ever uses the top one).</summary>
        private const int Blocks = 16;

        private static readonly string[] Names =
        {
            "empty_loop", "pair.blockpool", "pair.lockpool", "pair.casstack", "queue_cycle.blockpool",
            "queue_cycle.lock", "handoff.blockpool", "handoff.lockpool", "handoff.events",
        };

        private static BlockPool s_pool;
        private static LockPool s_lockPool;
        private static CasIndexStack s_casStack;
        private static BlockQueue s_queue;
        private static LockRingQueue s_lockQueue;
        private static BlockPool s_handOffPool;
        private static Block s_handOffBlock;
        private static LockWaitPool s_handOffLockPool;
        private static byte[] s_handOffBuffer;

        /// <summary>Measures, checks the structures, prints the timing table and records its figures.</summary>
        internal static void Run(Results results)
        {
            int rounds = RunParameters.Rounds;
            s_pool = new BlockPool(MemoryFigures.BlockSize, Blocks);
            s_lockPool = new LockPool(MemoryFigures.BlockSize, Blocks);
            s_casStack = new CasIndexStack(MemoryFigures.BlockSize, Blocks);
            s_queue = new BlockQueue(Blocks);
            s_lockQueue = new LockRingQueue(Blocks);
            s_handOffPool = new BlockPool(MemoryFigures.BlockSize, 1);
            s_handOffLockPool = new LockWaitPool(MemoryFigures.BlockSize, 1);
            if (!s_handOffPool.TryAlloc(out s_handOffBlock))
            {
                throw new InvalidOperationException("the hand-off pool has no block");
            }

            s_handOffBuffer = s_handOffLockPool.Alloc();

            // Warm-up: every path once (first calls resolve methods and types; the first waits create wait records).
            for (int figure = 0; figure < Figures; figure++)
            {
                Measure(figure, 10);
            }

            long[][] perOperation = new long[Figures][];
            for (int figure = 0; figure < Figures; figure++)
            {
                perOperation[figure] = new long[rounds];
            }

            for (int round = 0; round < rounds; round++)
            {
                for (int figure = 0; figure < Figures; figure++)
                {
                    int n = figure >= HandOffPool ? RunParameters.HandOffIterations : RunParameters.PairIterations;
                    Heap.FreeBytes();
                    long ticks = Measure(figure, n);

                    // hundredths of a nanosecond per iteration (a tick is 100 ns)
                    perOperation[figure][round] = (ticks * 10000) / n;
                }
            }

            Check();

            // One loop overhead for the whole run, the empty loop's median round, subtracted from every round of every
            // other figure (a per-round difference would turn a preempted empty-loop batch into a negative time).
            long overhead = Median.Of(perOperation[Empty]);
            long[][] net = new long[Figures][];
            for (int figure = 0; figure < Figures; figure++)
            {
                net[figure] = new long[rounds];
                for (int round = 0; round < rounds; round++)
                {
                    net[figure][round] = figure == Empty ? perOperation[Empty][round] : perOperation[figure][round] - overhead;
                }
            }

            Console.WriteLine("");
            Console.WriteLine("Time in ns per iteration over " + rounds.ToString() + " rounds: median round, best (fastest) round, range of the rounds;");
            Console.WriteLine("net of the loop overhead: the empty loop's median round (" + Format.Fixed(overhead, 1) + " ns, first row) is subtracted from every figure.");
            Console.WriteLine(Format.Left("figure", 52) + Format.Right("median", 10) + Format.Right("best", 10) + Format.Right("range", 22));
            Row(net, Empty, "empty loop iteration (raw; its median is subtracted)");
            Console.WriteLine("TryAlloc + Free (" + RunParameters.PairIterations.ToString() + " pairs per batch)");
            Row(net, PairPool, "  BlockPool");
            Row(net, PairLock, "  lock pool (baseline)");
            Row(net, PairCas, "  tagged-CAS index stack (baseline)");
            Console.WriteLine("TryAlloc + TryEnqueue + TryDequeue + Free (" + RunParameters.PairIterations.ToString() + " per batch)");
            Row(net, CyclePool, "  BlockPool + BlockQueue");
            Row(net, CycleLock, "  lock pool + lock ring queue (baseline)");
            Console.WriteLine("Blocking hand-off round trip, 2 threads, pool of 1 (" + RunParameters.HandOffIterations.ToString() + " per batch)");
            Row(net, HandOffPool, "  BlockPool: Free wakes a thread in Alloc()");
            Row(net, HandOffLock, "  lock pool + AutoResetEvent (baseline)");
            Row(net, HandOffEvents, "  two AutoResetEvents, no pool (reference)");

            Console.WriteLine("");
            Console.WriteLine("Ratios: of the medians, of the best rounds, and the range of the per-round ratios:");
            Console.WriteLine(Format.Left("ratio", 52) + Format.Right("median", 10) + Format.Right("best", 10) + Format.Right("rounds", 22));
            RatioRow(results, net, PairPool, PairLock, "TryAlloc+Free: BlockPool / lock pool");
            RatioRow(results, net, PairPool, PairCas, "TryAlloc+Free: BlockPool / CAS stack");
            RatioRow(results, net, PairLock, PairCas, "TryAlloc+Free: lock pool / CAS stack");
            RatioRow(results, net, CyclePool, CycleLock, "4-op cycle: BlockPool+BlockQueue / lock pool+queue");
            RatioRow(results, net, HandOffPool, HandOffLock, "hand-off: BlockPool / lock pool");
            RatioRow(results, net, HandOffPool, HandOffEvents, "hand-off: BlockPool / two events");
            RatioRow(results, net, HandOffLock, HandOffEvents, "hand-off: lock pool / two events");

            results.Add(Names[Empty] + ".raw_ns", Median.Of(perOperation[Empty]), "ns");
            for (int figure = Empty + 1; figure < Figures; figure++)
            {
                results.Add(Names[figure] + ".net_ns", Median.Of(net[figure]), "ns");
                results.Add(Names[figure] + ".best_net_ns", Median.Min(net[figure]), "ns");
                results.Add(Names[figure] + ".raw_ns", Median.Of(perOperation[figure]), "ns");
            }
        }

        private static long Measure(int figure, int n)
        {
            switch (figure)
            {
                case Empty:
                    return SingleThreadLoops.EmptyLoop(n);
                case PairPool:
                    return SingleThreadLoops.BlockPoolPair(s_pool, n);
                case PairLock:
                    return SingleThreadLoops.LockPoolPair(s_lockPool, n);
                case PairCas:
                    return SingleThreadLoops.CasStackPair(s_casStack, n);
                case CyclePool:
                    return SingleThreadLoops.BlockPoolQueueCycle(s_pool, s_queue, n);
                case CycleLock:
                    return SingleThreadLoops.LockPoolQueueCycle(s_lockPool, s_lockQueue, n);
                case HandOffPool:
                    return HandOffLoops.BlockPoolRoundTrips(s_handOffPool, ref s_handOffBlock, n);
                case HandOffLock:
                    return HandOffLoops.LockPoolRoundTrips(s_handOffLockPool, ref s_handOffBuffer, n);
                default:
                    return HandOffLoops.Events(n);
            }
        }

        // Every structure must be back where it started: all blocks free, queues empty, the hand-off block held here.
        private static void Check()
        {
            Expect(s_pool.FreeCount == Blocks, "BlockPool lost blocks");
            Expect(s_lockPool.FreeCount == Blocks, "lock pool lost buffers");
            Expect(s_casStack.CountFree() == Blocks && s_casStack.Buffers.Length == Blocks, "CAS stack lost indexes");
            Expect(s_queue.Count == 0, "BlockQueue not empty");
            Expect(s_lockQueue.Count == 0, "lock ring queue not empty");
            Expect(s_handOffPool.FreeCount == 0 && s_handOffBlock != null, "hand-off BlockPool out of step");
            Expect(s_handOffLockPool.FreeCount == 0 && s_handOffBuffer != null, "hand-off lock pool out of step");
            s_handOffPool.Free(s_handOffBlock);
            s_handOffLockPool.Free(s_handOffBuffer);
            Expect(s_handOffPool.FreeCount == 1 && s_handOffLockPool.FreeCount == 1, "hand-off pools did not take their block back");
            Console.WriteLine("check: every pool and queue is back to its initial state");
        }

        private static void Expect(bool condition, string failure)
        {
            if (!condition)
            {
                throw new InvalidOperationException("check failed: " + failure);
            }
        }

        private static void Row(long[][] net, int figure, string label)
        {
            long[] values = net[figure];
            Console.WriteLine(Format.Left(label, 52) + Format.Right(Format.Fixed(Median.Of(values), 1), 10) + Format.Right(Format.Fixed(Median.Min(values), 1), 10)
                + Format.Right(Format.Fixed(Median.Min(values), 1) + ".." + Format.Fixed(Median.Max(values), 1), 22));
        }

        private static void RatioRow(Results results, long[][] net, int figure, int baseline, string label)
        {
            long[] perRound = new long[net[figure].Length];
            for (int round = 0; round < perRound.Length; round++)
            {
                long ratio = Format.Ratio(net[figure][round], net[baseline][round]);
                perRound[round] = ratio == Format.NoRatio ? 0 : ratio;
            }

            long ofMedians = Format.Ratio(Median.Of(net[figure]), Median.Of(net[baseline]));
            long ofBest = Format.Ratio(Median.Min(net[figure]), Median.Min(net[baseline]));
            Console.WriteLine(Format.Left(label, 52) + Format.Right(Format.Times(ofMedians), 10) + Format.Right(Format.Times(ofBest), 10)
                + Format.Right(Format.Fixed(Median.Min(perRound), 2) + ".." + Format.Fixed(Median.Max(perRound), 2), 22));
            string name = Names[figure] + ".vs." + Names[baseline];
            results.Add("ratio." + name, ofMedians, "x");
            results.Add("ratio_best." + name, ofBest, "x");
        }
    }
}
