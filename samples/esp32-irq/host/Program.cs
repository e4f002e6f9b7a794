// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.IO;

namespace Esp32Irq.Host
{
    /// <summary>Entry point: parse options, then run (simulated time, or real threads with --stress), sweep or show help.</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            Options o;
            try
            {
                o = Options.Parse(args);
            }
            catch (OptionException e)
            {
                Console.Error.WriteLine("esp32-irq simulation: " + e.Message);
                return 2;
            }

            if (o.Help)
            {
                Console.WriteLine(Options.HelpText);
                return 0;
            }

            if (o.Sweep)
            {
                return RunSweep(o);
            }

            bool live = o.Progress && o.Stress && !Console.IsOutputRedirected;
            Action<string> progress = null;
            if (live)
            {
                progress = line => Console.Write("\r" + line.PadRight(Math.Max(line.Length, Console.WindowWidth > 1 ? Console.WindowWidth - 1 : 0)));
            }

            SimulationResult result;
            if (o.Stress)
            {
                result = RealTimeSimulation.Run(o, progress);
                result.SimulatedTime = VirtualSimulation.Run(o, o.PoolSize);
            }
            else
            {
                result = VirtualSimulation.Run(o, o.PoolSize);
            }

            if (live)
            {
                Console.WriteLine();
            }

            Console.WriteLine(result.Format(o));
            return result.AccountingError() == null ? 0 : 1;
        }

        private static int RunSweep(Options o)
        {
            SweepResult sweep = SweepResult.Run(o);
            Console.WriteLine("esp32-irq sweep (simulated time): " + o.DurationSeconds + " s, timer " + o.RateHz + " Hz, bursts of "
                + o.BurstSize + " edges every " + o.BurstEveryMilliseconds + " ms (" + o.BurstSpacingMicroseconds + " us apart), processing "
                + o.ProcessMicroseconds + " us/sample");
            Console.Write(sweep.Table());
            string title = "esp32-irq: drops and latency vs pool size (" + o.RateHz + " Hz + " + o.BurstSize + "-edge bursts, "
                + o.ProcessMicroseconds + " us/sample)";
            File.WriteAllText(o.PlotPath, sweep.Svg(title));
            Console.WriteLine("(pool-B, queue-B, RAM-B: bytes of managed heap on a 32-bit ESP32, " + DeviceRam.PerBlock(o.BlockSize) + " B per "
                + o.BlockSize + "-byte block, " + DeviceRam.PoolFixed + " B per pool; measured on the 32-bit nanoCLR)");
            SweepPoint answer = sweep.AnswerPoint;
            if (answer != null)
            {
                Console.WriteLine("smallest pool with zero drops: " + answer.PoolSize + " blocks (queue " + answer.QueueCapacity + "), RAM on a 32-bit ESP32 "
                    + DeviceRam.Describe(o.BlockSize, answer.PoolSize, answer.QueueCapacity)
                    + (sweep.ZeroDropsFromAnswerUp ? "; every larger pool tried also had none" : "; note: some larger pool still dropped"));
            }
            else
            {
                Console.WriteLine("no pool size up to " + o.SweepMax + " blocks avoids drops: the main thread cannot keep up with this load "
                    + "(raise --sweep-max, or lower --process / the event rate)");
            }

            Console.WriteLine("plot written to " + Path.GetFullPath(o.PlotPath));
            return 0;
        }
    }
}
