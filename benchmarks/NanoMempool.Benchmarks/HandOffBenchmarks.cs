// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using BenchmarkDotNet.Attributes;
using NanoMempool.Benchmarks.Baselines;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// The blocking path, as a ping-pong of the ONE block of a one-block pool between two threads: the
    /// holder waits until the other side has entered the waiting path of Alloc (NanoMempool: its
    /// Statistics.Waits count has moved on; lock pool: a thread sleeps in Monitor.Wait), marks the block as
    /// the other side's and frees it, then waits in Alloc for it to come back. One operation is one round
    /// trip: two transfers "Free wakes a thread sleeping in Alloc", each including the receiver's way into
    /// the wait. If a receiver that counted its wait had not yet published it, the block goes to the free
    /// list and the freer's own next Alloc may take it back first: it sees the mark, frees it again and
    /// yields ("retake"). Waits and retakes are printed at cleanup, so the share of real hand-offs is known.
    /// </summary>
    public class HandOffBenchmarks
    {
        public const int RoundTrips = 1000;
        private const int TimeoutMs = 10000;
        private const int CallerSide = 0;
        private const int WorkerSide = 1;

        private BlockPool _pool;
        private Block _held;
        private LockBlockPool _lockPool;
        private byte[] _lockHeld;
        private int _owner;
        private long _nanoRetakes;
        private long _lockRetakes;
        private long _transfers;
        private TwoThreadRunner _runner;
        private Action _nanoCaller;
        private Action _nanoWorker;
        private Action _lockCaller;
        private Action _lockWorker;

        [GlobalSetup]
        public void Setup()
        {
            _pool = new BlockPool(64, 1);
            if (!_pool.TryAlloc(out _held))
            {
                throw new InvalidOperationException("A new pool of one block had no free block.");
            }

            _lockPool = new LockBlockPool(64, 1);
            _lockPool.TryAlloc(out _lockHeld);
            _owner = CallerSide;
            _runner = new TwoThreadRunner();
            _nanoCaller = NanoCaller;
            _nanoWorker = NanoWorker;
            _lockCaller = LockCaller;
            _lockWorker = LockWorker;
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _runner.Dispose();
            Console.WriteLine("// NanoMempool hand-off: " + _pool.Statistics.Waits + " of " + (_pool.Statistics.Allocations - 1)
                + " Alloc calls waited, " + _nanoRetakes + " retakes; lock pool: " + _lockRetakes + " retakes (Monitor.Pulse does not hand over: the freer can barge in).");
            _pool.Free(_held);
            _pool.Dispose();
        }

        [Benchmark(OperationsPerInvoke = RoundTrips, Baseline = true, Description = "NanoMempool Free -> waiting Alloc, round trip")]
        public void NanoMempoolRoundTrip()
        {
            _runner.Run(_nanoCaller, _nanoWorker);
        }

        [Benchmark(OperationsPerInvoke = RoundTrips, Description = "lock pool (Monitor.Wait/Pulse), round trip")]
        public void LockRoundTrip()
        {
            _runner.Run(_lockCaller, _lockWorker);
        }

        private void NanoCaller()
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                NanoAwaitReceiver();
                Volatile.Write(ref _owner, WorkerSide);
                _pool.Free(_held);
                _held = NanoReceive(CallerSide);
            }
        }

        private void NanoWorker()
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                Block block = NanoReceive(WorkerSide);
                NanoAwaitReceiver();
                Volatile.Write(ref _owner, CallerSide);
                _pool.Free(block);
            }
        }

        /// <summary>Spins until the receiver of the next transfer has counted its wait in Alloc.</summary>
        private void NanoAwaitReceiver()
        {
            long transfer = ++_transfers;
            SpinWait spin = default(SpinWait);
            long deadline = Environment.TickCount64 + TimeoutMs;
            while (_pool.Statistics.Waits < transfer)
            {
                spin.SpinOnce();
                ThrowIfPast(deadline);
            }
        }

        private void LockAwaitReceiver()
        {
            SpinWait spin = default(SpinWait);
            long deadline = Environment.TickCount64 + TimeoutMs;
            while (_lockPool.WaitingThreads == 0)
            {
                spin.SpinOnce();
                ThrowIfPast(deadline);
            }
        }

        private static void ThrowIfPast(long deadline)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("The other thread stopped taking part in the hand-off benchmark.");
            }
        }

        private Block NanoReceive(int side)
        {
            long deadline = Environment.TickCount64 + TimeoutMs;
            while (true)
            {
                Block block = _pool.Alloc(TimeoutMs);
                if (block == null)
                {
                    throw new TimeoutException("Alloc timed out in the hand-off benchmark.");
                }

                if (Volatile.Read(ref _owner) == side)
                {
                    return block;
                }

                // Our own block, taken back from the free list before the other side got it.
                Interlocked.Increment(ref _nanoRetakes);
                _pool.Free(block);
                ThrowIfPast(deadline);
                Thread.Yield();
            }
        }

        private void LockCaller()
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                LockAwaitReceiver();
                Volatile.Write(ref _owner, WorkerSide);
                _lockPool.Free(_lockHeld);
                _lockHeld = LockReceive(CallerSide);
            }
        }

        private void LockWorker()
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                byte[] block = LockReceive(WorkerSide);
                LockAwaitReceiver();
                Volatile.Write(ref _owner, CallerSide);
                _lockPool.Free(block);
            }
        }

        private byte[] LockReceive(int side)
        {
            long deadline = Environment.TickCount64 + TimeoutMs;
            while (true)
            {
                byte[] block = _lockPool.Alloc(TimeoutMs);
                if (block == null)
                {
                    throw new TimeoutException("Alloc timed out in the hand-off benchmark.");
                }

                if (Volatile.Read(ref _owner) == side)
                {
                    return block;
                }

                Interlocked.Increment(ref _lockRetakes);
                _lockPool.Free(block);
                ThrowIfPast(deadline);
                Thread.Yield();
            }
        }
    }
}
