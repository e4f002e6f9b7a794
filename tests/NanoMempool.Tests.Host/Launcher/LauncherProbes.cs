// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.TestFramework;

namespace NanoMempool.Tests.Host
{
    // Device-style test classes for LauncherSelfTests only. They are in namespace
    // NanoMempool.Tests.Host, which the real launcher session leaves out.
    [TestClass]
    public class OrderProbe
    {
        public static string Log = string.Empty;

        [Cleanup]
        public void End()
        {
            Log += "C";
        }

        [DataRow(7)]
        [DataRow(8)]
        public void Row(int value)
        {
            Log += "r" + value;
        }

        [TestMethod]
        public void First()
        {
            Log += "1";
        }

        [Setup]
        public void Start()
        {
            Log += "S";
        }

        [TestMethod]
        public void Second()
        {
            Log += "2";
        }
    }

    [TestClass]
    public class BrokenProbe
    {
        public static readonly ManualResetEvent Release = new ManualResetEvent(false);
        private int _count;

        [TestMethod]
        public void AssertFails()
        {
            Assert.AreEqual(1, 2);
        }

        [TestMethod]
        public void ThrowsWrongExceptionType()
        {
            Assert.ThrowsException(typeof(ArgumentException), () => { throw new ArgumentNullException("x"); });
        }

        [TestMethod]
        public void UsesInstanceState()
        {
            _count++;
        }

        [TestMethod]
        public void Hangs()
        {
            Release.WaitOne(30000, false);
        }

        [TestMethod]
        public void Skips()
        {
            Assert.SkipTest("not today");
        }

        [DataRow(5)]
        [DataRow(5L)]
        public void Row(long value)
        {
            OutputHelper.WriteLine("row " + value);
        }
    }

    [TestClass]
    public class SkippingSetupProbe
    {
        [Setup]
        public void Start()
        {
            Assert.SkipTest("no hardware");
        }

        [TestMethod]
        public void Test()
        {
            Assert.IsTrue(false);
        }

        [Cleanup]
        public void End()
        {
            Assert.IsTrue(false);
        }
    }

    [TestClass]
    public class FailingSetupProbe
    {
        [Setup]
        public void Start()
        {
            Assert.IsTrue(false, "setup fails");
        }

        [TestMethod]
        public void Test()
        {
        }

        [Cleanup]
        public void End()
        {
        }
    }
}
