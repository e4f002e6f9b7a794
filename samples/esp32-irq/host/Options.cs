// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Globalization;

namespace Esp32Irq.Host
{
    /// <summary>Command-line options of the host simulation, with their defaults and checks.</summary>
    public sealed class Options
    {
        /// <summary>The text printed by --help.</summary>
        public const string HelpText =
@"esp32-irq host simulation: the sample's SensorPipeline, unchanged, driven by simulated interrupts.

Usage: dotnet run --project samples/esp32-irq/host -- [options]

Load
  --duration <s>         seconds to simulate                              (default 3)
  --rate <hz>            timer interrupt rate                             (default 1000)
  --burst-size <n>       GPIO edges per burst (0 = no GPIO edges)         (default 16)
  --burst-every <ms>     time from one burst to the next                  (default 250)
  --burst-spacing <us>   time between the edges of a burst                (default 50)
  --process <us>         main-thread work per sample, block held          (default 300)
Memory
  --pool <n>             blocks in the pool                               (default 24)
  --queue <n>            queue capacity, less than --pool                 (default pool - 1)
  --block-size <bytes>   bytes per block, at least 16                     (default 64)
Modes
  --sweep                find the smallest pool with zero drops for this load (simulated time,
                         repeatable) and plot drops and latency against pool size
  --sweep-max <n>        largest pool size the sweep tries                (default 64)
  --plot <file.svg>      where the sweep writes its plot                  (default esp32-irq-sweep.svg)
  --virtual              run in simulated time (repeatable, instant) instead of real threads
  --no-progress          do not show the live progress line
  --help                 show this text

Exit codes: 0 done, 1 the counts do not add up (a bug: the report says what), 2 bad options.";

        public double DurationSeconds = 3;
        public int RateHz = 1000;
        public int BurstSize = 16;
        public int BurstEveryMilliseconds = 250;
        public int BurstSpacingMicroseconds = 50;
        public int ProcessMicroseconds = 300;
        public int PoolSize = 24;

        /// <summary>Queue capacity; 0 means "pool - 1".</summary>
        public int QueueCapacity;
        public int BlockSize = 64;
        public bool Sweep;
        public int SweepMax = 64;
        public string PlotPath = "esp32-irq-sweep.svg";
        public bool Virtual;
        public bool Progress = true;
        public bool Help;

        /// <summary>The queue capacity to use with a pool of <paramref name="poolSize"/> blocks.</summary>
        public int QueueFor(int poolSize)
        {
            return QueueCapacity > 0 ? QueueCapacity : poolSize - 1;
        }

        /// <summary>Timer period in microseconds.</summary>
        public long TimerPeriodMicroseconds
        {
            get { return 1000000L / RateHz; }
        }

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
                    case "--sweep":
                        o.Sweep = true;
                        break;
                    case "--virtual":
                        o.Virtual = true;
                        break;
                    case "--no-progress":
                        o.Progress = false;
                        break;
                    case "--duration":
                        o.DurationSeconds = Number(arg, Take(args, ref i, value, arg), 0.01, 3600);
                        break;
                    case "--rate":
                        o.RateHz = Whole(arg, Take(args, ref i, value, arg), 1, 100000);
                        break;
                    case "--burst-size":
                        o.BurstSize = Whole(arg, Take(args, ref i, value, arg), 0, 100000);
                        break;
                    case "--burst-every":
                        o.BurstEveryMilliseconds = Whole(arg, Take(args, ref i, value, arg), 1, 3600000);
                        break;
                    case "--burst-spacing":
                        o.BurstSpacingMicroseconds = Whole(arg, Take(args, ref i, value, arg), 0, 1000000);
                        break;
                    case "--process":
                        o.ProcessMicroseconds = Whole(arg, Take(args, ref i, value, arg), 0, 1000000);
                        break;
                    case "--pool":
                        o.PoolSize = Whole(arg, Take(args, ref i, value, arg), 2, 65534);
                        break;
                    case "--queue":
                        o.QueueCapacity = Whole(arg, Take(args, ref i, value, arg), 1, 65533);
                        break;
                    case "--block-size":
                        o.BlockSize = Whole(arg, Take(args, ref i, value, arg), 16, 65536);
                        break;
                    case "--sweep-max":
                        o.SweepMax = Whole(arg, Take(args, ref i, value, arg), 2, 4096);
                        break;
                    case "--plot":
                        o.PlotPath = Take(args, ref i, value, arg);
                        if (o.PlotPath.Length == 0)
                        {
                            throw new OptionException("--plot needs a file name.");
                        }

                        break;
                    default:
                        throw new OptionException("Unknown option '" + args[i] + "'. Run with --help for the list.");
                }
            }

            if (!o.Sweep && o.QueueCapacity >= o.PoolSize)
            {
                throw new OptionException("--queue (" + o.QueueCapacity + ") must be smaller than --pool (" + o.PoolSize
                    + "): the main thread's blocking Alloc needs a block that the queue cannot hold.");
            }

            if (o.Sweep && o.QueueCapacity >= o.SweepMax)
            {
                throw new OptionException("--queue (" + o.QueueCapacity + ") must be smaller than --sweep-max (" + o.SweepMax + ").");
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
            int value;
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < min || value > max)
            {
                throw new OptionException(name + " needs a whole number from " + min + " to " + max + ", not '" + text + "'.");
            }

            return value;
        }

        private static double Number(string name, string text, double min, double max)
        {
            double value;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !(value >= min) || value > max)
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
