// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using Microsoft.Coyote.Specifications;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// Runs one test iteration: makes a fresh pool, starts one controlled thread per body, optionally runs
    /// a main-thread action concurrently with them, joins them all, frees what is still held, and audits.
    /// </summary>
    internal static class Scenario
    {
        /// <summary>The capacity last asked for (the target half of the pool's capacity+target word).</summary>
        internal static int TargetOf(BlockPool pool) => PoolSizes.Target(pool._sizes);

        /// <summary>The pool's free-list word (FreeListWord: tag, alert and waiters flags, top).</summary>
        internal static int WordOf(BlockPool pool) => pool._word;

        /// <summary>Options with only MaxCapacity set (the most blocks Resize may give the pool).</summary>
        internal static BlockPoolOptions MaxCapacity(int blocks)
        {
            BlockPoolOptions options = new BlockPoolOptions();
            options.MaxCapacity = blocks;
            return options;
        }

        /// <summary>BlockQueue.Validate's finding: null when the audit is clean.</summary>
        internal static string QueueProblem(BlockQueue queue)
        {
            string problem;
            return queue.Validate(out problem) ? null : problem ?? "Validate returned false without a problem.";
        }

        /// <summary>BlockPool.Validate's finding: null when the audit is clean.</summary>
        internal static string Problem(BlockPool pool)
        {
            string problem;
            return pool.Validate(out problem) ? null : problem ?? "Validate returned false without a problem.";
        }

        /// <param name="capacity">Blocks at construction.</param>
        /// <param name="maxBlocks">
        /// Upper bound on blocks ever created: the ledger's size and, when above <paramref name="capacity"/>, the pool's
        /// MaxCapacity (Resize's upper bound). A scenario that grows gives exactly its largest Resize, so that the pool's
        /// slot table can be full.
        /// </param>
        /// <param name="bodies">One thread per body.</param>
        /// <param name="main">Runs on the test's own (controlled) thread while the workers run, or null.</param>
        internal static void Run(int capacity, int maxBlocks, Action<Worker>[] bodies, Action<BlockPool, Ledger, Tally> main = null, bool strictCapacity = true)
        {
            BlockPool pool = maxBlocks > capacity ? new BlockPool(8, capacity, MaxCapacity(maxBlocks)) : new BlockPool(8, capacity);
            Ledger ledger = new Ledger(maxBlocks);
            Worker[] workers = new Worker[bodies.Length];
            for (int i = 0; i < bodies.Length; i++)
            {
                workers[i] = new Worker(pool, ledger, i + 1, bodies[i]);
            }

            foreach (Worker worker in workers)
            {
                worker.Start();
            }

            Tally total = new Tally();
            main?.Invoke(pool, ledger, total);

            foreach (Worker worker in workers)
            {
                // A worker that sleeps forever (a lost wake-up) never joins: Coyote reports the deadlock.
                worker.Join();
                Specification.Assert(worker.Failure == null, "worker {0} failed: {1}", worker.Id, worker.Failure?.ToString());
                total.Add(worker.Tally);
            }

            Audit(pool, ledger, total, strictCapacity);
        }

        /// <summary>
        /// The end-of-run audit, all workers finished and every block freed: no block lost, none held twice,
        /// capacity settled on its target, statistics equal to what the workers counted.
        /// </summary>
        /// <remarks>Call it after the joins: it runs without scheduling points (<see cref="CoyoteRunner.Quiescent"/>).</remarks>
        internal static void Audit(BlockPool pool, Ledger ledger, Tally total, bool strictCapacity)
        {
            using (CoyoteRunner.Quiescent())
            {
                AuditQuiescent(pool, ledger, total, strictCapacity);
            }
        }

        private static void AuditQuiescent(BlockPool pool, Ledger ledger, Tally total, bool strictCapacity)
        {
            Specification.Assert(ledger.HeldCount() == 0, "The ledger still shows {0} held blocks.", ledger.HeldCount());
            string violation = Problem(pool);
            Specification.Assert(violation == null, "INVARIANT: {0}", violation);
            Specification.Assert(
                pool.FreeCount == pool.Capacity,
                "LOST BLOCK: all blocks are freed but FreeCount {0} != Capacity {1}.", pool.FreeCount, pool.Capacity);
            int target = TargetOf(pool);
            Specification.Assert(pool.Capacity >= target, "RESIZE: Capacity {0} < target {1}.", pool.Capacity, target);
            if (strictCapacity)
            {
                Specification.Assert(
                    pool.Capacity == target,
                    "RESIZE: all blocks are home but Capacity {0} != target {1}.", pool.Capacity, target);
            }

            BlockPoolStatistics s = pool.Statistics;
            Specification.Assert(s.Allocations == total.Allocations, "STATS: Allocations {0} != counted {1}.", s.Allocations, total.Allocations);
            Specification.Assert(s.Frees == total.Frees, "STATS: Frees {0} != counted {1}.", s.Frees, total.Frees);
            Specification.Assert(s.Allocations == s.Frees, "STATS: Allocations {0} != Frees {1} with every block home.", s.Allocations, s.Frees);
            Specification.Assert(s.FailedTryAllocs == total.FailedTryAllocs, "STATS: FailedTryAllocs {0} != counted {1}.", s.FailedTryAllocs, total.FailedTryAllocs);
            Specification.Assert(s.Timeouts == total.Timeouts, "STATS: Timeouts {0} != counted {1}.", s.Timeouts, total.Timeouts);
            Specification.Assert(
                s.Waits >= total.TimedOutWaits && s.Waits <= total.WaitingCalls,
                "STATS: Waits {0} outside [{1}, {2}].", s.Waits, total.TimedOutWaits, total.WaitingCalls);
            Specification.Assert(s.LowestFreeCount >= 0, "STATS: LowestFreeCount {0} < 0.", s.LowestFreeCount);

            if (pool.IsDisposed)
            {
                return;
            }

            // Settle: one more allocation cycle of every free block (single-threaded now). Surplus blocks
            // left by a shrink must retire as they come home, so Capacity then equals the target exactly.
            Block[] all = new Block[pool.FreeCount];
            for (int i = 0; i < all.Length; i++)
            {
                Specification.Assert(pool.TryAlloc(out all[i]), "SETTLE: TryAlloc failed with {0} blocks free.", all.Length - i);
            }

            foreach (Block block in all)
            {
                pool.Free(block);
            }

            violation = Problem(pool);
            Specification.Assert(violation == null, "INVARIANT after settle: {0}", violation);
            Specification.Assert(
                pool.Capacity == target && pool.FreeCount == target,
                "RESIZE: after a settle cycle Capacity {0}, FreeCount {1}, target {2}.", pool.Capacity, pool.FreeCount, target);
        }
    }
}
