// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// A thread that makes one <see cref="BlockPool.Alloc(int)"/> (or <see cref="BlockPool.Alloc()"/>) call
    /// and records its outcome: the block, the exception, and how long the call took.
    /// </summary>
    internal sealed class AllocThread
    {
        /// <summary>Pass as the timeout to call the parameterless <see cref="BlockPool.Alloc()"/>.</summary>
        internal const int Parameterless = int.MinValue;

        private readonly BlockPool _pool;
        private readonly int _timeout;
        private readonly ManualResetEvent _done = new ManualResetEvent(false);
        private readonly Thread _thread;

        private Block _result;
        private Exception _error;
        private long _elapsedMs;

        internal AllocThread(BlockPool pool, int millisecondsTimeout)
        {
            _pool = pool;
            _timeout = millisecondsTimeout;
            _thread = new Thread(Run);
        }

        internal Thread Thread
        {
            get { return _thread; }
        }

        /// <summary>The block returned (read after <see cref="Finished"/>).</summary>
        internal Block Result
        {
            get { return _result; }
        }

        /// <summary>The exception thrown, or null (read after <see cref="Finished"/>).</summary>
        internal Exception Error
        {
            get { return _error; }
        }

        /// <summary>How long the Alloc call took (read after <see cref="Finished"/>).</summary>
        internal long ElapsedMs
        {
            get { return _elapsedMs; }
        }

        /// <summary>
        /// Starts the thread and returns once it sleeps inside Alloc, i.e. once the pool's wait count
        /// reaches <paramref name="waitsSoFar"/> and the thread is blocked.
        /// </summary>
        internal static AllocThread StartWaiting(BlockPool pool, int millisecondsTimeout, long waitsSoFar, string context)
        {
            AllocThread waiter = new AllocThread(pool, millisecondsTimeout);
            waiter._thread.Start();
            PoolAssert.UntilWaiting(pool, waiter._thread, waitsSoFar, context);
            return waiter;
        }

        internal void Start()
        {
            _thread.Start();
        }

        /// <summary>Waits up to <paramref name="millisecondsTimeout"/> for the Alloc call to return.</summary>
        internal bool Finished(int millisecondsTimeout)
        {
            return _done.WaitOne(millisecondsTimeout, false);
        }

        /// <summary>Asserts the call returns promptly, without an exception, and returns its block.</summary>
        internal Block AssertGotBlock(string context)
        {
            Assert.IsTrue(Finished(PoolAssert.PromptMs), context + ": Alloc did not return");
            Assert.IsNull(_error, context + ": Alloc threw " + (_error == null ? string.Empty : _error.GetType().Name));
            Assert.IsNotNull(_result, context + ": Alloc returned null");
            return _result;
        }

        private void Run()
        {
            long start = PoolAssert.NowTicks();
            try
            {
                _result = _timeout == Parameterless ? _pool.Alloc() : _pool.Alloc(_timeout);
            }
            catch (Exception e)
            {
                _error = e;
            }

            _elapsedMs = PoolAssert.ElapsedMs(start);
            _done.Set();
        }
    }
}
