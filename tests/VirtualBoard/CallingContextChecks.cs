// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Device.Gpio;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using NanoMempool;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace VirtualBoard
{
    /// <summary>
    /// CallingContext.IsInterruptThread in every kind of thread nanoCLR has: true in a real HighResTimer handler and in
    /// real GPIO ValueChanged handlers (an edge carried by the jumper wire GPIO4 -> GPIO5, made by the main thread and
    /// by a thread at Highest), and in a static constructor (nanoCLR's static-constructor thread is the other system
    /// thread at System_Highest); false on the main thread (also raised to Highest), on started threads at every
    /// priority (also one whose Thread object was collected, so that its ManagedThreadId reads 0), in a
    /// System.Threading.Timer callback and in a finalizer. Also checks the two facts the answer rests on, in a
    /// handler: Priority reads Highest, and setting it throws InvalidOperationException. Needs
    /// NANOCLR_GPIO_WIRES to contain "4>5".
    /// </summary>
    internal static class CallingContextChecks
    {
        private const string Part = "calling-context";
        private const int WaitMs = 2000;
        private const int WireOut = 4;
        private const int WireIn = 5;

        // Answers: 1 true, 0 false, -1 IsInterruptThread threw, -2 never asked.
        private static int s_answer;
        private static int s_priority;
        private static int s_setterThrew;
        private static int s_threadId;
        private static ManualResetEvent s_done;
        private static GpioPin s_wire;

        /// <summary>Runs every case and prints one verdict each. Main thread.</summary>
        internal static void Run(Checks checks)
        {
            checks.That(StaticConstructorProbe.Answer == 1, Part, "static constructor: true", Name(StaticConstructorProbe.Answer));

            int onMain = Ask();
            checks.That(onMain == 0, Part, "main thread: false", Name(onMain));
            Thread main = Thread.CurrentThread;
            ThreadPriority before = main.Priority;
            main.Priority = ThreadPriority.Highest;
            int atHighest = Ask();
            bool stillHighest = main.Priority == ThreadPriority.Highest;
            main.Priority = before;
            checks.That(atHighest == 0 && stillHighest, Part, "main thread raised to Highest: false", Name(atHighest) + (stillHighest ? string.Empty : ", and the check changed its priority"));

            for (int p = (int)ThreadPriority.Lowest; p <= (int)ThreadPriority.Highest; p++)
            {
                int answer = OnStartedThread((ThreadPriority)p);
                checks.That(answer == 0, Part, "started thread at priority " + p.ToString() + ": false", Name(answer));
            }

            int collected = OnThreadWhoseObjectIsCollected();
            checks.That(collected == 0, Part, "started thread at Highest, its Thread object collected (ManagedThreadId reads " + s_threadId.ToString() + "): false", Name(collected));

            int timer = InTimerCallback();
            checks.That(timer == 0, Part, "System.Threading.Timer callback (timer thread, Normal): false", Name(timer));

            int finalizer = InFinalizer();
            checks.That(finalizer == 0, Part, "finalizer (finalizer thread, BelowNormal): false", Name(finalizer));

            int hrt = InHighResTimerHandler();
            checks.That(hrt == 1, Part, "HighResTimer handler: true", Name(hrt));
            checks.That(s_priority == (int)ThreadPriority.Highest && s_setterThrew == 1, Part, "HighResTimer handler: Priority reads Highest and setting it throws InvalidOperationException",
                "Priority " + s_priority.ToString() + ", setter " + (s_setterThrew == 1 ? "threw" : "did not throw"));

            GpioController gpio = new GpioController();
            GpioPin output = gpio.OpenPin(WireOut, PinMode.Output);
            GpioPin input = gpio.OpenPin(WireIn, PinMode.InputPullDown);
            input.ValueChanged += OnValueChanged;

            int edgeFromMain = InValueChangedHandler(output, null);
            checks.That(edgeFromMain == 1, Part, "GPIO ValueChanged handler, edge made by the main thread: true", Name(edgeFromMain));
            int edgeFromHighest = InValueChangedHandler(output, ThreadPriority.Highest);
            checks.That(edgeFromHighest == 1, Part, "GPIO ValueChanged handler, edge made by a thread at Highest: true", Name(edgeFromHighest));

            input.ValueChanged -= OnValueChanged;
            input.Dispose();
            output.Dispose();
            gpio.Dispose();
        }

        /// <summary>Asks on the calling thread: 1 true, 0 false, -1 threw.</summary>
        internal static int Ask()
        {
            try
            {
                return CallingContext.IsInterruptThread() ? 1 : 0;
            }
            catch (Exception)
            {
                return -1;
            }
        }

        private static string Name(int answer)
        {
            switch (answer)
            {
                case 1: return "returned true";
                case 0: return "returned false";
                case -1: return "threw";
                default: return "never asked (the handler or thread did not run)";
            }
        }

        private static void Reset()
        {
            s_answer = -2;
            s_priority = -1;
            s_setterThrew = -1;
            s_threadId = -1;
            s_done = new ManualResetEvent(false);
        }

        private static void Record()
        {
            s_answer = Ask();
            s_done.Set();
        }

        private static int OnStartedThread(ThreadPriority priority)
        {
            Reset();
            Thread thread = new Thread(Record);
            thread.Priority = priority;
            thread.Start();
            s_done.WaitOne(WaitMs, false);
            thread.Join(WaitMs);
            return s_answer;
        }

        private static int OnThreadWhoseObjectIsCollected()
        {
            Reset();
            StartUnreferenced();
            s_done.WaitOne(WaitMs, false);
            return s_answer;
        }

        // A separate method, so that no local of Run keeps the Thread object alive.
        private static void StartUnreferenced()
        {
            Thread thread = new Thread(RecordAfterCollection);
            thread.Priority = ThreadPriority.Highest;
            thread.Start();
        }

        private static void RecordAfterCollection()
        {
            NativeGC.Run(true);
            s_threadId = Thread.CurrentThread.ManagedThreadId;
            Record();
        }

        private static int InTimerCallback()
        {
            Reset();
            using (Timer timer = new Timer(RecordInCallback, null, 10, Timeout.Infinite))
            {
                s_done.WaitOne(WaitMs, false);
            }

            return s_answer;
        }

        private static void RecordInCallback(object state)
        {
            Record();
        }

        private static int InFinalizer()
        {
            Reset();
            MakeGarbageWithFinalizer();
            NativeGC.Run(true);
            GC.WaitForPendingFinalizers();
            s_done.WaitOne(WaitMs, false);
            return s_answer;
        }

        private static void MakeGarbageWithFinalizer()
        {
            new FinalizerProbe().Touch();
        }

        private static int InHighResTimerHandler()
        {
            Reset();
            HighResTimer timer = new HighResTimer();
            timer.OnHighResTimerExpired += OnTimerExpired;
            timer.StartOneShot(1000);
            s_done.WaitOne(WaitMs, false);
            timer.Dispose();
            return s_answer;
        }

        private static void OnTimerExpired(HighResTimer sender, object e)
        {
            Thread current = Thread.CurrentThread;
            s_priority = (int)current.Priority;
            try
            {
                current.Priority = current.Priority;
                s_setterThrew = 0;
            }
            catch (InvalidOperationException)
            {
                s_setterThrew = 1;
            }

            Record();
        }

        private static int InValueChangedHandler(GpioPin output, object priority)
        {
            Reset();
            if (priority == null)
            {
                output.Toggle();
            }
            else
            {
                Thread thread = new Thread(ToggleWire);
                thread.Priority = (ThreadPriority)priority;
                s_wire = output;
                thread.Start();
                thread.Join(WaitMs);
            }

            s_done.WaitOne(WaitMs, false);
            return s_answer;
        }

        private static void ToggleWire()
        {
            s_wire.Toggle();
        }

        private static void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            Record();
        }

        /// <summary>Its static constructor asks: nanoCLR runs every static constructor before Main, on its cctor thread.</summary>
        private static class StaticConstructorProbe
        {
            internal static readonly int Answer;

            static StaticConstructorProbe()
            {
                Answer = Ask();
            }
        }

        /// <summary>Its finalizer asks, on nanoCLR's finalizer thread.</summary>
        private sealed class FinalizerProbe
        {
            ~FinalizerProbe()
            {
                Record();
            }

            internal void Touch()
            {
            }
        }
    }
}
