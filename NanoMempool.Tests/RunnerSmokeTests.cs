// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using nanoFramework.TestFramework;

namespace NanoMempool.Tests
{
    /// <summary>
    /// Checks the test runner itself, not the pool: the order in which the nanoFramework
    /// UnitTestLauncher calls a class ([Setup] once, then every [TestMethod], then every [DataRow],
    /// then [Cleanup] once), that state lives in static fields, and that ThrowsException wants the
    /// exact exception type. The host mapping (tests/NanoMempool.Tests.Host) must pass it exactly as
    /// the device does.
    /// </summary>
    [TestClass]
    public class RunnerSmokeTests
    {
        private static int s_setupRuns;
        private static int s_testMethodsRun;
        private static int s_dataRowsRun;

        [Setup]
        public void Setup_CountsItsRuns()
        {
            s_setupRuns++;
        }

        [TestMethod]
        public void Setup_RanOnceBeforeTheTestMethods()
        {
            s_testMethodsRun++;
            Assert.AreEqual(1, s_setupRuns);
            Assert.AreEqual(0, s_dataRowsRun);
        }

        [TestMethod]
        public void ThrowsException_WantsTheExactType()
        {
            s_testMethodsRun++;
            Assert.ThrowsException(typeof(ArgumentNullException), ThrowArgumentNull);

            // ArgumentNullException derives from ArgumentException, which must not match.
            bool baseTypeAccepted = true;
            try
            {
                Assert.ThrowsException(typeof(ArgumentException), ThrowArgumentNull);
            }
            catch (Exception)
            {
                baseTypeAccepted = false;
            }

            Assert.IsFalse(baseTypeAccepted, "ThrowsException accepted a derived exception type");
        }

        [DataRow(1, 2, 3)]
        [DataRow(-4, 4, 0)]
        public void DataRows_RunAfterEveryTestMethod(int a, int b, int sum)
        {
            s_dataRowsRun++;
            Assert.AreEqual(2, s_testMethodsRun);
            Assert.AreEqual(sum, a + b);
        }

        [Cleanup]
        public void Cleanup_RunsLast()
        {
            Assert.AreEqual(1, s_setupRuns);
            Assert.AreEqual(2, s_dataRowsRun);
        }

        private static void ThrowArgumentNull()
        {
            throw new ArgumentNullException("value");
        }
    }
}
