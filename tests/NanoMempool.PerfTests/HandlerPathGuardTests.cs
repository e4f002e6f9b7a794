// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NanoMempool.IlCost;
using Xunit;

namespace NanoMempool.PerfTests
{
    /// <summary>
    /// The handler path of the real library, read from its nano compile (Release, against nanoFramework's
    /// mscorlib): TryAlloc, Free, Block.Dispose (and BlockQueue's non-blocking side when it exists) and
    /// every library or mscorlib method they can reach outside their throw-only error paths.
    /// </summary>
    public class HandlerPathGuardTests
    {
        /// <summary>Fails if the handler path gains an allocation, a lock, a wait or a call the tool cannot follow.</summary>
        [Fact]
        public void HandlerPathNeverAllocatesLocksOrWaits()
        {
            Assert.True(File.Exists(TestPaths.NanoDll), "Nano build missing: " + TestPaths.NanoDll);
            using (var analyzer = new CostAnalyzer(TestPaths.NanoDll, TestPaths.NanoMscorlib))
            {
                string problems = HandlerPathProblems(analyzer, out int analysed);

                // TryAlloc (single + bulk), Free (single + bulk), Block.Dispose, the queue's two, at least.
                Assert.True(analysed >= 7, "Only " + analysed + " handler entry points found in the nano build.");
                Assert.True(problems.Length == 0, problems);
            }
        }

        /// <summary>
        /// The uncontended fast path's Interlocked operations (the minimum over the non-throwing paths, which
        /// is the path where every CAS succeeds first time and no watermark changes):
        /// TryAlloc 1 (the pop CAS; statistics add none), Free 2 (ownership CAS + push CAS).
        /// </summary>
        [Fact]
        public void FastPathInterlockedCountsAreOneForTryAllocAndTwoForFree()
        {
            using (var analyzer = new CostAnalyzer(TestPaths.NanoDll, TestPaths.NanoMscorlib))
            {
                MethodReport tryAlloc = analyzer.Analyze("NanoMempool.BlockPool::TryAlloc(NanoMempool.Block&)");
                MethodReport free = analyzer.Analyze("NanoMempool.BlockPool::Free(NanoMempool.Block)");
                Assert.NotNull(tryAlloc.ReturnsTrue);
                Assert.Equal(1, tryAlloc.ReturnsTrue.Interlocked.Min);
                Assert.Equal(1, tryAlloc.ReturnsTrue.Native.Min);
                Assert.Equal(2, free.AnyReturn.Interlocked.Min);
                Assert.Equal(2, free.AnyReturn.Native.Min);
            }
        }

        /// <summary>
        /// Free reaches the backing allocator's Release (when the reserve is full), and the tool sees that call
        /// as an interface contract rather than following or ignoring it.
        /// </summary>
        [Fact]
        public void FreeReachesTheAllocatorReleaseContract()
        {
            using (var analyzer = new CostAnalyzer(TestPaths.NanoDll, TestPaths.NanoMscorlib))
            {
                MethodReport free = analyzer.Analyze("NanoMempool.BlockPool::Free(NanoMempool.Block)");
                Assert.Contains(free.ContractCalls, site => site.What == "NanoMempool.IBlockAllocator::Release(System.Byte[])");
                Assert.Empty(free.UnknownCalls);
            }
        }

        /// <summary>
        /// The guard is not vacuous: the real sources with one allocation, one lock or one wait planted in a
        /// fast-path callee (compiled against nanoFramework's mscorlib here) are each caught, and the
        /// unmutated sources pass.
        /// </summary>
        [Theory]
        [InlineData("none", "")]
        [InlineData("allocation", "_counts[0] = new object().GetHashCode();")]
        [InlineData("lock", "lock (_waiters) { _counts[0]++; }")]
        [InlineData("wait", "System.Threading.Thread.Sleep(0);")]
        [InlineData("interface", "if (_allocator != null) { _allocator.Allocate(1); }")]
        public void GuardCatchesPlantedRegressionsInTheRealLibrary(string kind, string planted)
        {
            // Into OnAllocatedSlow (reached by TryAlloc) for the allocation; into Release (reached by Free) otherwise;
            // found in whichever library file holds it, exactly once.
            string marker = kind == "allocation" ? "Watermark.LowerTo(ref _lowestFree, freeAfter);" : "private void Release(int slot)\n        {";
            int plantedIn = 0;
            byte[] image = NanoCompiler.CompileLibrary((file, text) =>
            {
                string normalized = text.Replace("\r\n", "\n");
                if (planted.Length == 0 || !normalized.Contains(marker))
                {
                    return text;
                }

                plantedIn++;
                return normalized.Replace(marker, marker + "\n" + planted + "\n");
            });
            Assert.Equal(planted.Length == 0 ? 0 : 1, plantedIn);

            using (var analyzer = new CostAnalyzer(image, TestPaths.NanoMscorlib))
            {
                string problems = HandlerPathProblems(analyzer, out int analysed);
                Assert.True(analysed >= 7);
                if (kind == "none")
                {
                    Assert.True(problems.Length == 0, problems);
                }
                else
                {
                    Assert.Contains(kind == "allocation" ? "allocation" : kind == "lock" ? "lock" : kind == "wait" ? "wait" : "interface call outside the allowed contracts", problems);
                }
            }
        }

        /// <summary>All findings on the handler path, one line each; empty when clean.</summary>
        internal static string HandlerPathProblems(CostAnalyzer analyzer, out int analysed)
        {
            var text = new StringBuilder();
            analysed = 0;
            foreach (string pattern in HotPath.HandlerEntryPoints)
            {
                foreach (string method in analyzer.Match(pattern))
                {
                    analysed++;
                    MethodReport report = analyzer.Analyze(method);
                    Append(text, method, "allocation", report.Allocations);
                    Append(text, method, "lock", report.Locks);
                    Append(text, method, "wait", report.Waits);
                    Append(text, method, "unfollowed call", report.UnknownCalls);
                    foreach (Site site in report.ContractCalls)
                    {
                        if (System.Array.IndexOf(HotPath.AllowedContractCalls, site.What) < 0)
                        {
                            text.AppendLine(method + ": interface call outside the allowed contracts at " + site);
                        }
                    }
                }
            }

            return text.ToString();
        }

        private static void Append(StringBuilder text, string entry, string what, IReadOnlyList<Site> sites)
        {
            foreach (Site site in sites)
            {
                text.AppendLine(entry + ": " + what + " at " + site);
            }
        }
    }
}
