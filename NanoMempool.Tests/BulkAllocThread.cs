// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// A thread that makes one blocking bulk <see cref="BlockPool.Alloc(Block[], int, int)"/> call and records
    /// its outcome: the return value, the blocks, the exception; optionally it frees the set at once.
    /// </summary>
    internal sealed class BulkAllocThread
    {
        private readonly BlockPool _pool;
        private readonly int _count;
        private readonly int _timeout;
        private readonly bool _freeAtOnce;
        private readonly Block[] _blocks;
        private readonly ManualResetEvent _done = new ManualResetEvent(false);
        private readonly Thread _thread;

        private bool _result;
        private Exception _error;

        private BulkAllocThread(BlockPool pool, int count, int millisecondsTimeout, bool freeAtOnce)
        {
            _pool = pool;
            _count = count;
            _timeout = millisecondsTimeout;
            _freeAtOnce = freeAtOnce;
            _blocks = new Block[count];
            _thread = new Thread(Run);
        }

        /// <summary>The value Alloc returned (read after <see cref="Finished"/>).</summary>
        internal bool Result
        {
            get { return _result; }
        }

        /// <summary>The blocks Alloc wrote (read after <see cref="Finished"/>).</summary>
        internal Block[] Blocks
        {
            get { return _blocks; }
        }

        /// <summary>The exception thrown, or null (read after <see cref="Finished"/>).</summary>
        internal Exception Error
        {
            get { return _error; }
        }

        /// <summary>
        /// Starts the thread and returns once it sleeps inside the bulk Alloc (the pool's wait count has
        /// reached <paramref name="waitsSoFar"/> and the thread is blocked).
        /// </summary>
        internal static BulkAllocThread StartWaiting(BlockPool pool, int count, int millisecondsTimeout, bool freeAtOnce, long waitsSoFar, string context)
        {
            BulkAllocThread waiter = new BulkAllocThread(pool, count, millisecondsTimeout, freeAtOnce);
            waiter._thread.Start();
            PoolAssert.UntilWaiting(pool, waiter._thread, waitsSoFar, context);
            return waiter;
        }

        /// <summary>Waits up to <paramref name="millisecondsTimeout"/> for the call to return.</summary>
        internal bool Finished(int millisecondsTimeout)
        {
            return _done.WaitOne(millisecondsTimeout, false);
        }

        /// <summary>Asserts the call returned promptly with the whole set, without an exception.</summary>
        internal void AssertGotSet(string context)
        {
            Assert.IsTrue(Finished(PoolAssert.PromptMs), context + ": the bulk Alloc did not return");
            Assert.IsNull(_error, context + ": the bulk Alloc threw " + (_error == null ? string.Empty : _error.GetType().Name));
            Assert.IsTrue(_result, context + ": the bulk Alloc returned false");
        }

        private void Run()
        {
            try
            {
                _result = _pool.Alloc(_blocks, _count, _timeout);
                if (_result && _freeAtOnce)
                {
                    _pool.Free(_blocks, _count);
                }
            }
            catch (Exception e)
            {
                _error = e;
            }

            _done.Set();
        }
    }
}
