// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Short timed waits racing frees. A block handed to a waiter at the very moment its wait times out must
    /// be returned by that Alloc, never lost: so after any number of such races every count is exact and
    /// every block is home. (The heavy stress with an ownership ledger is a separate host-only project.)
    /// </summary>
    [TestClass]
    public class BlockPoolTimeoutRaceTests
    {
        /// <summary>
        /// Calls per thread: enough for many timeout/hand-off coincidences on host (each call lasts about
        /// 1 ms), and a few seconds at worst on the interpreter (20 ms quantum).
        /// </summary>
        private const int CallsPerThread = 100;

        private const int ThreadCount = 3;

        [DataRow(1)]
        [DataRow(2)]
        public void Alloc_ShortTimeoutsRacingFrees_CountsStayExact(int blockCount)
        {
            BlockPool pool = new BlockPool(8, blockCount);
            RaceWorker[] workers = new RaceWorker[ThreadCount];
            for (int i = 0; i < ThreadCount; i++)
            {
                workers[i] = new RaceWorker(pool, (byte)(i + 1));
            }

            for (int i = 0; i < ThreadCount; i++)
            {
                workers[i].Start();
            }

            long got = 0;
            long nulls = 0;
            for (int i = 0; i < ThreadCount; i++)
            {
                Assert.IsTrue(workers[i].Done.WaitOne(30000, false), "worker " + i + " did not finish");
                Assert.IsNull(workers[i].Error, "worker " + i + ": " + (workers[i].Error == null ? string.Empty : workers[i].Error.Message));
                got += workers[i].Got;
                nulls += workers[i].Nulls;
            }

            Assert.AreEqual((long)(ThreadCount * CallsPerThread), got + nulls);
            Assert.AreEqual(got, pool.Statistics.Allocations, "every returned block was counted once");
            Assert.AreEqual(got, pool.Statistics.Frees);
            Assert.AreEqual(nulls, pool.Statistics.Timeouts, "every null was a counted timeout, no more");
            Assert.IsTrue(pool.Statistics.Waits <= ThreadCount * CallsPerThread);
            PoolAssert.Counts(pool, capacity: blockCount, free: blockCount, context: "every block home after the race");
        }

        /// <summary>A thread making Alloc(1) calls; each block it gets is stamped, checked and freed.</summary>
        private sealed class RaceWorker
        {
            internal readonly ManualResetEvent Done = new ManualResetEvent(false);
            internal Exception Error;
            internal long Got;
            internal long Nulls;
            private readonly BlockPool _pool;
            private readonly byte _stamp;
            private readonly Thread _thread;

            internal RaceWorker(BlockPool pool, byte stamp)
            {
                _pool = pool;
                _stamp = stamp;
                _thread = new Thread(Run);
            }

            internal void Start()
            {
                _thread.Start();
            }

            private void Run()
            {
                try
                {
                    for (int i = 0; i < CallsPerThread; i++)
                    {
                        Block block = _pool.Alloc(1);
                        if (block == null)
                        {
                            Nulls++;
                            continue;
                        }

                        Got++;
                        // Sole ownership: nobody else may write this buffer while we hold it.
                        block.Buffer[0] = _stamp;
                        if ((i & 3) == 0)
                        {
                            Thread.Sleep(0);
                        }

                        if (block.Buffer[0] != _stamp)
                        {
                            throw new InvalidOperationException("block " + block.Index + " was written by another holder");
                        }

                        _pool.Free(block);
                    }
                }
                catch (Exception e)
                {
                    Error = e;
                }

                Done.Set();
            }
        }
    }
}
