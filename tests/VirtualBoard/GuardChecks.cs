// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Device.Gpio;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using NanoMempool;

namespace VirtualBoard
{
    /// <summary>
    /// The guard against blocking in a handler, through the library's public members: every member that may block
    /// (Alloc(), Alloc(ms), the bulk Alloc, Resize, Dispose, Validate; BlockQueue.Dequeue(), Dequeue(ms), Dispose),
    /// called in a real HighResTimer handler and a real GPIO ValueChanged handler, throws InvalidOperationException
    /// whose message names the member, and leaves the pool and the queue as they were; the any-context members
    /// (TryAlloc, Free, Alloc(0), TryEnqueue, TryDequeue) work there; and on a thread at Highest and in a
    /// System.Threading.Timer callback the blocking members do not throw. Every blocking call is set up so that
    /// without the guard it returns at once (a free block, a queued block), so a missing guard fails a check
    /// instead of hanging the interrupt thread. Needs NANOCLR_GPIO_WIRES to contain "4>5".
    /// </summary>
    internal static class GuardChecks
    {
        private const string Part = "guard";
        private const int WaitMs = 2000;
        private const int WireOut = 4;
        private const int WireIn = 5;

        // The members that may block, by index: their names (what the exception's message must contain) and calls.
        private static readonly string[] Blocking =
        {
            "Alloc", "Alloc", "Alloc", "Resize", "Validate", "Dispose", "Dequeue", "Dequeue", "Dispose",
        };

        private static readonly string[] BlockingCalls =
        {
            "BlockPool.Alloc()", "BlockPool.Alloc(5)", "BlockPool.Alloc(Block[], 1, 5)", "BlockPool.Resize(4)",
            "BlockPool.Validate(out string)", "BlockPool.Dispose()", "BlockQueue.Dequeue()", "BlockQueue.Dequeue(5)",
            "BlockQueue.Dispose()",
        };

        private static BlockPool s_pool;
        private static BlockQueue s_queue;
        private static string[] s_outcomes;
        private static string s_anyContext;
        private static ManualResetEvent s_done;

        /// <summary>Runs every case and prints one verdict each. Main thread.</summary>
        internal static void Run(Checks checks)
        {
            HighResTimer timer = new HighResTimer();
            timer.OnHighResTimerExpired += OnTimerExpired;
            Expect(checks, "HighResTimer handler", true, StartTimer(timer));
            timer.Dispose();

            GpioController gpio = new GpioController();
            GpioPin output = gpio.OpenPin(WireOut, PinMode.Output);
            GpioPin input = gpio.OpenPin(WireIn, PinMode.InputPullDown);
            input.ValueChanged += OnValueChanged;
            Prepare();
            output.Toggle();
            Expect(checks, "GPIO ValueChanged handler", true, s_done.WaitOne(WaitMs, false));
            input.ValueChanged -= OnValueChanged;
            input.Dispose();
            output.Dispose();
            gpio.Dispose();

            Prepare();
            Thread thread = new Thread(RunAll);
            thread.Priority = ThreadPriority.Highest;
            thread.Start();
            Expect(checks, "thread at Highest", false, s_done.WaitOne(WaitMs, false));
            thread.Join(WaitMs);

            Prepare();
            using (Timer callback = new Timer(RunAllInCallback, null, 10, Timeout.Infinite))
            {
                Expect(checks, "System.Threading.Timer callback", false, s_done.WaitOne(WaitMs, false));
            }
        }

        private static bool StartTimer(HighResTimer timer)
        {
            Prepare();
            timer.StartOneShot(1000);
            return s_done.WaitOne(WaitMs, false);
        }

        // Checks the outcomes of one context: in a handler every blocking call threw InvalidOperationException naming
        // its member; elsewhere none threw; in both, the any-context calls worked.
        private static void Expect(Checks checks, string where, bool handler, bool ran)
        {
            checks.That(ran, Part, where + ": ran", "the handler or thread never ran");
            if (!ran)
            {
                return;
            }

            for (int i = 0; i < Blocking.Length; i++)
            {
                string outcome = s_outcomes[i];
                bool ok = handler
                    ? outcome.IndexOf("InvalidOperationException") == 0 && outcome.IndexOf(Blocking[i]) > 0
                    : outcome.IndexOf("InvalidOperationException") < 0;
                checks.That(ok, Part, where + ": " + BlockingCalls[i] + (handler ? " throws InvalidOperationException naming " + Blocking[i] : " does not throw it"), outcome);
            }

            checks.That(s_anyContext == "ok", Part, where + ": TryAlloc, Free, Alloc(0), TryEnqueue, TryDequeue work", s_anyContext);
            if (handler)
            {
                string problem;
                bool valid = s_pool.Validate(out problem);
                checks.That(valid && s_pool.FreeCount == 3 && s_pool.Capacity == 4 && s_queue.Count == 1, Part, where + ": the pool and the queue as they were",
                    "free " + s_pool.FreeCount.ToString() + " of " + s_pool.Capacity.ToString() + ", queued " + s_queue.Count.ToString() + (valid ? string.Empty : ", " + problem));
            }
        }

        // A pool of 4 blocks with 3 free (one is queued), and a spare pool and queue for the two Dispose calls.
        private static void Prepare()
        {
            s_pool = new BlockPool(16, 4);
            s_queue = new BlockQueue(2);
            Block queued;
            s_pool.TryAlloc(out queued);
            s_queue.TryEnqueue(queued);
            s_outcomes = new string[Blocking.Length];
            s_anyContext = "not run";
            s_done = new ManualResetEvent(false);
        }

        private static void OnTimerExpired(HighResTimer sender, object e)
        {
            RunAll();
        }

        private static void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            RunAll();
        }

        private static void RunAllInCallback(object state)
        {
            RunAll();
        }

        private static void RunAll()
        {
            s_anyContext = AnyContext();
            for (int i = 0; i < Blocking.Length; i++)
            {
                s_outcomes[i] = Attempt(i);
            }

            s_done.Set();
        }

        private static string AnyContext()
        {
            try
            {
                Block a;
                if (!s_pool.TryAlloc(out a))
                {
                    return "TryAlloc failed on a pool with free blocks";
                }

                s_pool.Free(a);
                Block b = s_pool.Alloc(0);
                if (b == null)
                {
                    return "Alloc(0) found no block in a pool with free blocks";
                }

                BlockQueue q = new BlockQueue(1);
                if (!q.TryEnqueue(b))
                {
                    return "TryEnqueue failed on an empty queue";
                }

                Block c;
                if (!q.TryDequeue(out c) || c != b)
                {
                    return "TryDequeue did not give back the block";
                }

                s_pool.Free(c);
                return "ok";
            }
            catch (Exception e)
            {
                return e.GetType().Name + ": " + e.Message;
            }
        }

        // One blocking call: "returned" when it returned, else the exception's type name and message.
        private static string Attempt(int which)
        {
            try
            {
                Block block = null;
                switch (which)
                {
                    case 0: block = s_pool.Alloc(); break;
                    case 1: block = s_pool.Alloc(5); break;
                    case 2:
                        Block[] set = new Block[1];
                        if (s_pool.Alloc(set, 1, 5))
                        {
                            block = set[0];
                        }

                        break;
                    case 3: s_pool.Resize(4); break;
                    case 4:
                        string problem;
                        s_pool.Validate(out problem);
                        break;
                    case 5: new BlockPool(16, 1).Dispose(); break;
                    case 6: block = s_queue.Dequeue(); break;
                    case 7: block = s_queue.Dequeue(5); break;
                    default: new BlockQueue(1).Dispose(); break;
                }

                if (block != null)
                {
                    s_pool.Free(block);
                }

                return "returned";
            }
            catch (Exception e)
            {
                return e.GetType().Name + ": " + e.Message;
            }
        }
    }
}
