// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// Runs one piece of work on the calling thread and, at the same time, on one long-lived worker thread:
    /// the "2 threads contended" shape. Start and finish are signalled with spinning-then-blocking events,
    /// which allocate nothing, so the measured bytes/op are the work's own.
    /// </summary>
    public sealed class TwoThreadRunner : IDisposable
    {
        private readonly Thread _worker;
        private readonly ManualResetEventSlim _start = new ManualResetEventSlim(false);
        private readonly ManualResetEventSlim _done = new ManualResetEventSlim(false);
        private Action _workerWork;
        private Exception _workerFailure;
        private bool _stop;

        public TwoThreadRunner()
        {
            _worker = new Thread(WorkerLoop) { IsBackground = true, Name = "benchmark worker" };
            _worker.Start();
        }

        /// <summary>Runs <paramref name="workerWork"/> on the worker and <paramref name="callerWork"/> here, together.</summary>
        public void Run(Action callerWork, Action workerWork)
        {
            _workerWork = workerWork;
            _done.Reset();
            _start.Set();
            callerWork();
            if (!_done.Wait(60000))
            {
                throw new TimeoutException("The benchmark worker thread did not finish within 60 s.");
            }

            if (_workerFailure != null)
            {
                Exception failure = _workerFailure;
                _workerFailure = null;
                throw new InvalidOperationException("The benchmark worker thread failed.", failure);
            }
        }

        public void Dispose()
        {
            _stop = true;
            _start.Set();
            _worker.Join(10000);
        }

        private void WorkerLoop()
        {
            while (true)
            {
                _start.Wait();
                _start.Reset();
                if (_stop)
                {
                    return;
                }

                try
                {
                    _workerWork();
                }
                catch (Exception e)
                {
                    _workerFailure = e;
                }

                _done.Set();
            }
        }
    }
}
