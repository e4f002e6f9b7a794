// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace Esp32SpiFifo.Host
{
    /// <summary>Entry point: parse options, then run the simulation or show help.</summary>
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
                Console.Error.WriteLine("esp32-spi-fifo simulation: " + e.Message);
                return 2;
            }

            if (o.Help)
            {
                Console.WriteLine(Options.HelpText);
                return 0;
            }

            SensorResult result = SensorSimulation.Run(o);
            Console.WriteLine(result.Format());
            return result.AccountingError() == null ? 0 : 1;
        }
    }
}
