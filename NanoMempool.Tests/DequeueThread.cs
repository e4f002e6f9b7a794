// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;
using NanoMempool;

namespace NanoMempool.Tests
{
    /// <summary>
    /// A thread that makes one <see cref="BlockQueue.Dequeue(int)"/> call and records its outcome: the block or the
    /// exception.
    /// </summary>
    internal sealed class DequeueThread
    {
        private readonly BlockQueue _queue;
        private readonly int _timeout;
        private readonly ManualResetEvent _done = new ManualResetEvent(false);
        private readonly Thread _thread;

        private Block _result;
        private Exception _error;

        private DequeueThread(BlockQueue queue, int millisecondsTimeout)
        {
            _queue = queue;
            _timeout = millisecondsTimeout;
            _thread = new Thread(Run);
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

        /// <summary>
        /// Starts the thread and returns once it sleeps inside Dequeue (the queue counted one more wait and the
        /// thread is blocked).
        /// </summary>
        internal static DequeueThread StartWaiting(BlockQueue queue, int millisecondsTimeout)
        {
            long waits = queue.Statistics.Waits;
            DequeueThread consumer = new DequeueThread(queue, millisecondsTimeout);
            consumer._thread.Start();
            long start = PoolAssert.NowTicks();
            while (queue.Statistics.Waits == waits || (consumer._thread.ThreadState & ThreadState.WaitSleepJoin) == 0)
            {
                Assert.IsTrue(PoolAssert.ElapsedMs(start) < PoolAssert.PromptMs, "the consumer did not start waiting");
                Thread.Sleep(5);
            }

            return consumer;
        }

        /// <summary>Waits up to <paramref name="millisecondsTimeout"/> for the Dequeue call to return.</summary>
        internal bool Finished(int millisecondsTimeout)
        {
            return _done.WaitOne(millisecondsTimeout, false);
        }

        private void Run()
        {
            try
            {
                _result = _queue.Dequeue(_timeout);
            }
            catch (Exception e)
            {
                _error = e;
            }

            _done.Set();
        }
    }
}
