// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Globalization;

namespace Esp32SpiFifo.Host
{
    /// <summary>Command-line options of the sensor simulation, with their defaults (the board's) and checks.</summary>
    public sealed class Options
    {
        /// <summary>The text printed by --help.</summary>
        public const string HelpText =
@"esp32-spi-fifo host simulation: the sample's FifoPipeline and Mpu6500Fifo, unchanged, with a simulated MPU-6500
on the SPI bus, in simulated time (the same result on every machine). Defaults are the board's (Program.cs).

Usage: dotnet run --project samples/esp32-spi-fifo/host -- [options]

Sensor and bus
  --duration <s>         seconds of sampling                               (default 10)
  --divider <n>          sample rate = 1 kHz / (1 + n)                     (default 4: 200 Hz)
  --spi-clock <hz>       SPI clock: a transfer of b bytes takes 8b / clock (default 1000000)
Interrupt thread and main thread
  --irq-busy <ms>        the interrupt thread is busy elsewhere this long  (default 12)
  --irq-busy-every <ms>  ... once per this period (0 = never)              (default 100)
  --process <us>         main-thread work per frame, block held            (default 100)
  --stall <ms>           the main thread does something else this long     (default 200)
  --stall-every <ms>     ... once per this period (0 = never)              (default 1000)
Memory (the report prints what they cost in RAM on a 32-bit ESP32)
  --pool <n>             blocks in the pool                                (default 16)
  --queue <n>            queue capacity, less than --pool                  (default 12)
  --block-size <bytes>   bytes per block: 5 + 6 per frame, 11 to 1535      (default 64: 9 frames)
  --help                 show this text

Exit codes: 0 done, 1 the frames do not add up (a bug: the report says what), 2 bad options.";

        public double DurationSeconds = 10;
        public int Divider = 4;
        public int SpiClockHertz = 1000000;
        public int IrqBusyMilliseconds = 12;
        public int IrqBusyEveryMilliseconds = 100;
        public int ProcessMicrosecondsPerFrame = 100;
        public int StallMilliseconds = 200;
        public int StallEveryMilliseconds = 1000;
        public int PoolSize = 16;
        public int QueueCapacity = 12;
        public int BlockSize = 64;
        public bool Help;

        /// <summary>Time between samples.</summary>
        public long SamplePeriodMicroseconds => 1000L * (1 + Divider);

        /// <summary>Parses the arguments; throws <see cref="OptionException"/> with a message for the user.</summary>
        public static Options Parse(string[] args)
        {
            Options o = new Options();
            for (int i = 0; i < args.Length; i++)
            {
                string arg = args[i];
                string value = null;
                int eq = arg.IndexOf('=');
                if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
                {
                    value = arg.Substring(eq + 1);
                    arg = arg.Substring(0, eq);
                }

                switch (arg)
                {
                    case "--help":
                    case "-h":
                        o.Help = true;
                        break;
                    case "--duration":
                        o.DurationSeconds = Number(arg, Take(args, ref i, value, arg), 0.01, 3600);
                        break;
                    case "--divider":
                        o.Divider = Whole(arg, Take(args, ref i, value, arg), 0, 255);
                        break;
                    case "--spi-clock":
                        o.SpiClockHertz = Whole(arg, Take(args, ref i, value, arg), 100000, 80000000);
                        break;
                    case "--irq-busy":
                        o.IrqBusyMilliseconds = Whole(arg, Take(args, ref i, value, arg), 0, 60000);
                        break;
                    case "--irq-busy-every":
                        o.IrqBusyEveryMilliseconds = Whole(arg, Take(args, ref i, value, arg), 0, 3600000);
                        break;
                    case "--process":
                        o.ProcessMicrosecondsPerFrame = Whole(arg, Take(args, ref i, value, arg), 0, 1000000);
                        break;
                    case "--stall":
                        o.StallMilliseconds = Whole(arg, Take(args, ref i, value, arg), 0, 60000);
                        break;
                    case "--stall-every":
                        o.StallEveryMilliseconds = Whole(arg, Take(args, ref i, value, arg), 0, 3600000);
                        break;
                    case "--pool":
                        o.PoolSize = Whole(arg, Take(args, ref i, value, arg), 2, 65534);
                        break;
                    case "--queue":
                        o.QueueCapacity = Whole(arg, Take(args, ref i, value, arg), 1, 65533);
                        break;
                    case "--block-size":
                        o.BlockSize = Whole(arg, Take(args, ref i, value, arg), FifoPipeline.HeaderSize + Mpu6500Fifo.FrameSize, FifoPipeline.HeaderSize + (255 * Mpu6500Fifo.FrameSize));
                        break;
                    default:
                        throw new OptionException("Unknown option '" + args[i] + "'. Run with --help for the list.");
                }
            }

            if (o.QueueCapacity >= o.PoolSize)
            {
                throw new OptionException("--queue (" + o.QueueCapacity + ") must be smaller than --pool (" + o.PoolSize
                    + "): a thread's blocking Alloc needs a block that the queue cannot hold.");
            }

            if (o.IrqBusyEveryMilliseconds > 0 && o.IrqBusyMilliseconds >= o.IrqBusyEveryMilliseconds)
            {
                throw new OptionException("--irq-busy (" + o.IrqBusyMilliseconds + " ms) must be shorter than --irq-busy-every (" + o.IrqBusyEveryMilliseconds + " ms).");
            }

            if (o.StallEveryMilliseconds > 0 && o.StallMilliseconds >= o.StallEveryMilliseconds)
            {
                throw new OptionException("--stall (" + o.StallMilliseconds + " ms) must be shorter than --stall-every (" + o.StallEveryMilliseconds + " ms).");
            }

            return o;
        }

        private static string Take(string[] args, ref int i, string inline, string name)
        {
            if (inline != null)
            {
                return inline;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new OptionException(name + " needs a value. Run with --help for the list.");
            }

            i++;
            return args[i];
        }

        private static int Whole(string name, string text, int min, int max)
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            {
                throw new OptionException(name + " needs a whole number from " + min + " to " + max + ", not '" + text + "'.");
            }

            return value;
        }

        private static double Number(string name, string text, double min, double max)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= min) || value > max)
            {
                throw new OptionException(name + " needs a number from " + min.ToString(CultureInfo.InvariantCulture) + " to "
                    + max.ToString(CultureInfo.InvariantCulture) + ", not '" + text + "'.");
            }

            return value;
        }
    }

    /// <summary>A bad command line, with the message to show.</summary>
    public sealed class OptionException : Exception
    {
        public OptionException(string message)
            : base(message)
        {
        }
    }
}
