// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>
    /// The device benchmark: NanoMempool against baselines written here (a lock pool, a bare tagged-CAS index stack,
    /// a lock ring queue, a lock pool with a waiting Alloc), on nanoFramework itself. Prints the memory table, then
    /// the timing table (unless built memory-only), then one <c>RESULT name value unit</c> line per figure, then
    /// <c>BENCHMARK DONE</c>. Any failed check throws, which ends the program with an unhandled exception.
    /// Runs on the nanoCLR kit through run.sh, or deployed to a board like any nanoFramework program.
    /// </summary>
    public static class Program
    {
        /// <summary>Entry point; the parameters are baked in at build time (<see cref="RunParameters"/>).</summary>
        public static void Main()
        {
            Console.WriteLine("NanoMempool device benchmark");
            Console.WriteLine("parameters: rounds " + RunParameters.Rounds.ToString()
                + ", single-thread batch " + RunParameters.PairIterations.ToString()
                + ", hand-off batch " + RunParameters.HandOffIterations.ToString()
                + ", dry run " + (RunParameters.DryRun ? "yes" : "no")
                + ", memory only " + (RunParameters.MemoryOnly ? "yes" : "no"));
            Console.WriteLine("clock: DateTime.UtcNow (100 ns ticks) around each batch");

            Results results = new Results();
            MemoryFigures.Run(results);
            if (!RunParameters.MemoryOnly)
            {
                TimedRun.Run(results);
            }

            Console.WriteLine("");
            results.Print();
            Console.WriteLine("BENCHMARK DONE " + results.Count.ToString() + " results");
        }
    }
}
