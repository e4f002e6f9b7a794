// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using BenchmarkDotNet.Running;

namespace NanoMempool.Benchmarks
{
    /// <summary>
    /// dotnet run -c Release --project benchmarks/NanoMempool.Benchmarks -- --filter '*'
    /// Without --job the "Quick" job (BenchmarkConfig.Quick) is used; --job short / --job default / --job dry
    /// choose BenchmarkDotNet's own. --memory prints the host memory table instead (see MemoryCost).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (Array.IndexOf(args, "--memory") >= 0)
            {
                Console.Write(MemoryCost.Table());
                return 0;
            }

            bool jobGiven = Array.IndexOf(args, "--job") >= 0 || Array.IndexOf(args, "-j") >= 0;
            BenchmarkSwitcher
                .FromTypes(BenchmarkConfig.BenchmarkTypes)
                .Run(args, BenchmarkConfig.Create(jobGiven ? null : BenchmarkConfig.Quick));
            return 0;
        }
    }
}
