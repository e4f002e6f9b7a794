// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.Threading;
using Xunit;

namespace NanoMempool.StressTests
{
    /// <summary>Starts a group of stress threads together and joins them under a watchdog.</summary>
    internal static class StressThreads
    {
        /// <summary>
        /// Runs <paramref name="body"/> on <paramref name="counts"/>.Length background threads (ids 1..n, each
        /// with its own Counts), fails the test if one does not finish within <paramref name="watchdog"/>
        /// (with <paramref name="describe"/>'s snapshot) or threw, and returns the summed counts.
        /// </summary>
        internal static Counts Run(Counts[] counts, Action<int, Counts> body, TimeSpan watchdog, Func<string> describe, out Stopwatch watch)
        {
            int n = counts.Length;
            Exception[] failures = new Exception[n];
            Thread[] threads = new Thread[n];
            for (int t = 0; t < n; t++)
            {
                int index = t;
                counts[t] = new Counts();
                threads[t] = new Thread(() =>
                {
                    try
                    {
                        body(index + 1, counts[index]);
                    }
                    catch (Exception e)
                    {
                        failures[index] = e;
                    }
                });
                threads[t].IsBackground = true;
            }

            watch = Stopwatch.StartNew();
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            foreach (Thread thread in threads)
            {
                if (!thread.Join(watchdog))
                {
                    Assert.Fail("a stress thread did not finish within " + watchdog + " (deadlock or lost wake-up?): " + describe());
                }
            }

            watch.Stop();
            Counts total = new Counts();
            for (int t = 0; t < n; t++)
            {
                Assert.True(failures[t] == null, "thread " + (t + 1) + " failed: " + failures[t]);
                total.Add(counts[t]);
            }

            return total;
        }
    }
}
