// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using Microsoft.Coyote.Specifications;

namespace NanoMempool.CoyoteTests
{
    /// <summary>
    /// One thread of a scenario: calls the pool, checks every block it gets against the <see cref="Ledger"/>,
    /// and counts what it saw in its private <see cref="Tally"/>. Holds at most one block at a time unless a
    /// scenario says otherwise, so that a scenario can never deadlock by itself (every held block is freed
    /// by a thread that does not wait while holding it), and any deadlock Coyote reports is the pool's.
    /// </summary>
    internal sealed class Worker
    {
        private readonly BlockPool _pool;
        private readonly Ledger _ledger;
        private readonly Thread _thread;
        private readonly Action<Worker> _body;

        internal Worker(BlockPool pool, Ledger ledger, int id, Action<Worker> body)
        {
            _pool = pool;
            _ledger = ledger;
            Id = id;
            _body = body;
            _thread = new Thread(Run);
        }

        internal int Id { get; }

        internal Tally Tally { get; } = new Tally();

        internal Block Held { get; private set; }

        internal Exception Failure { get; private set; }

        internal BlockPool Pool => _pool;

        internal void Start() => _thread.Start();

        internal void Join() => _thread.Join();

        private void Run()
        {
            try
            {
                _body(this);
                FreeHeld(false);
            }
            catch (Exception e)
            {
                Failure = e;
            }
        }

        /// <summary>TryAlloc, the handler's call. Returns true when a block is now held.</summary>
        internal bool TryAlloc()
        {
            Specification.Assert(Held == null, "scenario error: worker {0} already holds a block", Id);
            Block block;
            if (_pool.TryAlloc(out block))
            {
                Take(block);
                return true;
            }

            Specification.Assert(block == null, "TryAlloc returned false with a block.");
            Tally.FailedTryAllocs++;
            return false;
        }

        /// <summary>Alloc with a timeout (-1 = Alloc()). Returns true when a block is now held.</summary>
        internal bool Alloc(int millisecondsTimeout)
        {
            Specification.Assert(Held == null, "scenario error: worker {0} already holds a block", Id);
            if (millisecondsTimeout != 0)
            {
                Tally.WaitingCalls++;
            }

            Block block = millisecondsTimeout == Timeout.Infinite ? _pool.Alloc() : _pool.Alloc(millisecondsTimeout);
            if (block == null)
            {
                Specification.Assert(millisecondsTimeout != Timeout.Infinite, "Alloc() returned null.");
                Tally.Timeouts++;
                if (millisecondsTimeout > 0)
                {
                    Tally.TimedOutWaits++;
                }

                return false;
            }

            Take(block);
            return true;
        }

        /// <summary>Like <see cref="Alloc"/>, but an ObjectDisposedException is an accepted outcome.</summary>
        internal bool AllocOrDisposed(int millisecondsTimeout)
        {
            try
            {
                return Alloc(millisecondsTimeout);
            }
            catch (ObjectDisposedException)
            {
                Tally.Disposed++;
                return false;
            }
        }

        /// <summary>Like <see cref="TryAlloc"/>, but an ObjectDisposedException is an accepted outcome.</summary>
        internal bool TryAllocOrDisposed()
        {
            try
            {
                return TryAlloc();
            }
            catch (ObjectDisposedException)
            {
                Tally.Disposed++;
                return false;
            }
        }

        /// <summary>Gives the held block back (with Block.Dispose when asked), if one is held.</summary>
        internal void FreeHeld(bool viaDispose)
        {
            Block block = Held;
            if (block == null)
            {
                return;
            }

            Held = null;
            _ledger.Release(block, Id);
            if (viaDispose)
            {
                block.Dispose();
            }
            else
            {
                _pool.Free(block);
            }

            Tally.Frees++;
        }

        private void Take(Block block)
        {
            _ledger.Acquire(_pool, block, Id);
            Held = block;
            Tally.Allocations++;
        }
    }
}
