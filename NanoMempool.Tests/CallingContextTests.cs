// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;

namespace NanoMempool.Tests
{
    /// <summary>
    /// CallingContext.IsInterruptThread is false everywhere a test can run without hardware: the test thread (at
    /// its own priority and raised to Highest), threads the test starts at every priority, and a
    /// System.Threading.Timer callback (nanoCLR's timer thread is a CLR system thread, but at Normal priority). On
    /// host .NET it is false by construction; on nanoCLR these are the cases it must tell apart from the interrupt
    /// thread. The true cases need real GPIO and HighResTimer handlers: tests/VirtualBoard runs them on the kit's
    /// virtual board.
    /// </summary>
    [TestClass]
    public class CallingContextTests
    {
        private static int s_answer;
        private static ManualResetEvent s_answered;

        [TestMethod]
        public void OnTheTestThread_IsFalse()
        {
            Assert.IsFalse(CallingContext.IsInterruptThread(), "the test thread taken for the interrupt thread");
        }

        [TestMethod]
        public void OnTheTestThreadRaisedToHighest_IsFalse()
        {
            Thread current = Thread.CurrentThread;
            ThreadPriority before = current.Priority;
            bool answer;
            current.Priority = ThreadPriority.Highest;
            try
            {
                answer = CallingContext.IsInterruptThread();
                Assert.AreEqual((int)ThreadPriority.Highest, (int)current.Priority, "the check changed the thread's priority");
            }
            finally
            {
                current.Priority = before;
            }

            Assert.IsFalse(answer, "the test thread at Highest taken for the interrupt thread");
        }

        [DataRow(0)]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        [DataRow(4)]
        public void OnAStartedThread_AtEachPriority_IsFalse(int priority)
        {
            s_answer = -1;
            s_answered = new ManualResetEvent(false);
            Thread thread = new Thread(AnswerOnThisThread);
            thread.Priority = (ThreadPriority)priority;
            thread.Start();

            Assert.IsTrue(s_answered.WaitOne(PoolAssert.PromptMs, false), "the started thread did not answer");
            Assert.IsTrue(thread.Join(PoolAssert.PromptMs), "the started thread did not end");
            Assert.AreEqual(0, s_answer, "a thread at priority " + priority.ToString() + " taken for the interrupt thread (1 = true, -1 = threw)");
        }

        [TestMethod]
        public void InATimerCallback_IsFalse()
        {
            s_answer = -1;
            s_answered = new ManualResetEvent(false);
            using (Timer timer = new Timer(AnswerInCallback, null, 10, Timeout.Infinite))
            {
                Assert.IsTrue(s_answered.WaitOne(PoolAssert.PromptMs, false), "the timer callback did not run");
            }

            Assert.AreEqual(0, s_answer, "a System.Threading.Timer callback taken for the interrupt thread (1 = true, -1 = threw)");
        }

        private static void AnswerOnThisThread()
        {
            Answer();
        }

        private static void AnswerInCallback(object state)
        {
            Answer();
        }

        private static void Answer()
        {
            try
            {
                s_answer = CallingContext.IsInterruptThread() ? 1 : 0;
            }
            catch (Exception)
            {
                s_answer = -1;
            }

            s_answered.Set();
        }
    }
}
