// Licensed under the MIT License. See LICENSE in the repository root.

using System.Linq;
using NanoMempool.IlCost;
using Xunit;

namespace NanoMempool.PerfTests
{
    /// <summary>The cost tool itself, on planted methods compiled against nanoFramework's mscorlib.</summary>
    public class IlCostToolTests
    {
        private const string Planted = @"
using System;
using System.Threading;

namespace Planted
{
    public sealed class P
    {
        private int _x;
        private object _o = new object();

        // Error path allocates (throw), fast path: one CAS.
        public bool Clean(int v)
        {
            if (v < 0)
            {
                throw new ArgumentOutOfRangeException(""v"");
            }

            return Interlocked.CompareExchange(ref _x, v, 0) == 0;
        }

        public void Allocates() { _o = new object(); }
        public void AllocatesArray() { _o = new byte[4]; }
        public void Boxes(int v) { _o = v; }
        public void Locks() { lock (_o) { _x++; } }
        public void Sleeps() { Thread.Sleep(1); }
        public void Waits(AutoResetEvent e) { e.WaitOne(10, false); }
        public void Indirect() { Helper(); }
        private void Helper() { if (_x > 3) { Allocates(); } }

        // A CAS retry loop: counted once on the loop-free path.
        public void CasLoop()
        {
            int seen = _x;
            while (true)
            {
                int was = Interlocked.CompareExchange(ref _x, seen + 1, seen);
                if (was == seen)
                {
                    return;
                }

                seen = was;
            }
        }

        // The callee's result decides the branch: only its 'true' paths (2 Interlocked) pair with the 3 here.
        public bool Correlated()
        {
            if (TwoOrNone())
            {
                Interlocked.Increment(ref _x);
                return true;
            }

            return false;
        }

        private bool TwoOrNone()
        {
            if (_x > 10)
            {
                Interlocked.Increment(ref _x);
                Interlocked.Increment(ref _x);
                return true;
            }

            return false;
        }
    }
}";

        private static CostAnalyzer Analyzer()
        {
            return new CostAnalyzer(NanoCompiler.Compile("Planted", new[] { Planted }), TestPaths.NanoMscorlib);
        }

        [Fact]
        public void ThrowOnlyErrorPathIsNotCountedAndInterlockedIsNativeFromMscorlib()
        {
            using (CostAnalyzer analyzer = Analyzer())
            {
                MethodReport r = analyzer.Analyze("Planted.P::Clean(System.Int32)");
                Assert.Empty(r.Allocations);
                Assert.Empty(r.Locks);
                Assert.Empty(r.Waits);
                Assert.Equal(1, r.AnyReturn.Interlocked.Min);
                Assert.Equal(1, r.AnyReturn.Interlocked.Max);
                Assert.Contains(r.Calls, c => c.Kind == CallKind.Interlocked && c.Target.StartsWith("System.Threading.Interlocked::CompareExchange"));
                Assert.Contains(r.Calls, c => c.IsNewObj && !c.Hot);
                Assert.True(r.HotIlInstructions < r.IlInstructions);
            }
        }

        [Theory]
        [InlineData("Planted.P::Allocates()", "newobj System.Object::.ctor()")]
        [InlineData("Planted.P::AllocatesArray()", "newarr System.Byte")]
        [InlineData("Planted.P::Boxes(System.Int32)", "box System.Int32")]
        public void AllocationsAreFound(string method, string what)
        {
            using (CostAnalyzer analyzer = Analyzer())
            {
                MethodReport r = analyzer.Analyze(method);
                Assert.Contains(r.Allocations, s => s.What == what);
            }
        }

        [Fact]
        public void LocksAndWaitsAreFound()
        {
            using (CostAnalyzer analyzer = Analyzer())
            {
                Assert.Contains(analyzer.Analyze("Planted.P::Locks()").Locks, s => s.What.StartsWith("System.Threading.Monitor::Enter"));
                Assert.Contains(analyzer.Analyze("Planted.P::Sleeps()").Waits, s => s.What.StartsWith("System.Threading.Thread::Sleep"));
                Assert.Contains(analyzer.Analyze("Planted.P::Waits(System.Threading.AutoResetEvent)").Waits, s => s.What.StartsWith("System.Threading.WaitHandle::WaitOne"));
                Assert.Empty(analyzer.Analyze("Planted.P::CasLoop()").Locks);
            }
        }

        [Fact]
        public void FindingsAreTransitiveAndNameTheCallee()
        {
            using (CostAnalyzer analyzer = Analyzer())
            {
                MethodReport r = analyzer.Analyze("Planted.P::Indirect()");
                Site site = Assert.Single(r.Allocations);
                Assert.Equal("Planted.P::Allocates()", site.Method);
                Assert.Equal(new[] { "Planted.P::Indirect()", "Planted.P::Helper()", "Planted.P::Allocates()" }, r.Reachable.Take(3).ToArray());

                // The constructor it calls is mscorlib IL, followed too (and allocation-free itself).
                Assert.Contains("[mscorlib]System.Object::.ctor()", r.Reachable);
            }
        }

        [Fact]
        public void RetryLoopCountsOnceAndBoolCalleesFollowTheBranch()
        {
            using (CostAnalyzer analyzer = Analyzer())
            {
                MethodReport loop = analyzer.Analyze("Planted.P::CasLoop()");
                Assert.Equal(1, loop.AnyReturn.Interlocked.Min);
                Assert.Equal(1, loop.AnyReturn.Interlocked.Max);

                MethodReport correlated = analyzer.Analyze("Planted.P::Correlated()");
                Assert.Equal(3, correlated.ReturnsTrue.Interlocked.Min);
                Assert.Equal(3, correlated.ReturnsTrue.Interlocked.Max);
                Assert.Equal(0, correlated.ReturnsFalse.Interlocked.Min);
                Assert.Equal(0, correlated.ReturnsFalse.Interlocked.Max);
            }
        }
    }
}
