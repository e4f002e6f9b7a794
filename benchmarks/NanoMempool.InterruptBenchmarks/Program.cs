// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// The interrupt-path benchmark, on the nanoCLR kit's virtual board (run.sh): the same capture pipeline driven by a
    /// real HighResTimer on the CLR's interrupt thread, three ways (the library's pool, <c>new byte[]</c> in the
    /// handler, a lock pool): at 1 kHz with the main thread also allocating (<see cref="ThreeWay"/>), and the highest
    /// rate each sustains with zero drops (<see cref="Rates"/>); and what CallingContext.IsInterruptThread costs
    /// (<see cref="CostFigures"/>). Which parts run is set at build time (<see cref="RunParameters"/>). Prints tables,
    /// one <c>RESULT name value unit</c> line per figure and <c>BENCHMARK DONE</c>; a pipeline whose accounting does
    /// not add up ends the run with an exception.
    /// </summary>
    public static class Program
    {
        /// <summary>Entry point; the parameters are baked in at build time.</summary>
        public static void Main()
        {
            Console.WriteLine("NanoMempool interrupt-path benchmark");
            Console.WriteLine("parameters: three ways " + (RunParameters.ThreeWayEvents > 0 ? RunParameters.ThreeWayEvents.ToString() + " events each, main-thread load "
                + RunParameters.LoadKept.ToString() + " x 256.." + RunParameters.LoadMaxSize.ToString() + " B" : "off")
                + ", load sweep " + (RunParameters.LoadSweepEvents > 0 ? RunParameters.LoadSweepEvents.ToString() + " events per way and level" : "off")
                + ", rates " + (RunParameters.RateStepMillis > 0 ? RunParameters.RateStepMillis.ToString() + " ms per step, " + RunParameters.RateRepeats.ToString()
                + " ladders of up to " + RunParameters.RateMaxSteps.ToString() + " steps" : "off")
                + ", cost " + (RunParameters.CostRounds > 0 ? RunParameters.CostRounds.ToString() + " rounds of " + RunParameters.CostIterations.ToString() : "off")
                + ", allocation check " + (RunParameters.AllocationCalls > 0 ? RunParameters.AllocationCalls.ToString() + " calls" : "off"));
            Console.WriteLine("free heap at start: " + NativeGC.Run(false).ToString() + " bytes");

            Results results = new Results();
            if (RunParameters.AllocationCalls > 0)
            {
                CostFigures.Allocations(RunParameters.AllocationCalls, results);
            }

            if (RunParameters.ThreeWayEvents > 0)
            {
                ThreeWay.Run(RunParameters.ThreeWayEvents, RunParameters.LoadKept, RunParameters.LoadMaxSize, results);
            }

            if (RunParameters.LoadSweepEvents > 0)
            {
                ThreeWay.LoadSweep(RunParameters.LoadSweepEvents, RunParameters.LoadSweepKept, RunParameters.LoadMaxSize, results);
            }

            if (RunParameters.CostRounds > 0)
            {
                CostFigures.Run(RunParameters.CostRounds, RunParameters.CostIterations, results);
            }

            if (RunParameters.RateStepMillis > 0)
            {
                Rates.Run(RunParameters.RateStepMillis, RunParameters.RateRepeats, RunParameters.RateMaxSteps, results);
            }

            Console.WriteLine("");
            results.Print();
            Console.WriteLine("BENCHMARK DONE " + results.Count.ToString() + " results");
        }
    }
}
