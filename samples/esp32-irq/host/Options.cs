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

By default the load runs in simulated time: handlers run at their exact due times, so the verdict (drops, and
whether the pool holds the load) is the same on any machine, however busy. Defaults are the board's (Program.cs).

Load
  --duration <s>         seconds to simulate                              (default 3)
  --rate <hz>            timer interrupt rate                             (default 1000)
  --burst-size <n>       GPIO edges per burst (0 = no GPIO edges)         (default 16)
  --burst-every <ms>     time from one burst to the next                  (default 250)
  --burst-spacing <us>   time between the edges of a burst                (default 50)
  --process <us>         main-thread work per sample, block held          (default 300)
Memory (the report prints what they cost in RAM on a 32-bit ESP32)
  --pool <n>             blocks in the pool                               (default 24)
  --queue <n>            queue capacity, less than --pool                 (default pool - 4, at least 1)
  --block-size <bytes>   bytes per block, at least 16                     (default 64)
Modes
  --sweep                find the smallest pool with zero drops for this load, and its RAM (simulated
                         time), and plot drops and latency against pool size
  --sweep-max <n>        largest pool size the sweep tries                (default 64)
  --plot <file.svg>      where the sweep writes its plot                  (default esp32-irq-sweep.svg)
  --stress               real threads on this machine instead of simulated time: a stress test of the
                         lock-free paths (handlers on two threads at once). Its drops depend on this
                         machine's load; the report compares them with simulated time and says when the
                         host starved the run
  --virtual              simulated time (the default)
  --no-progress          do not show the live progress line of --stress
  --help                 show this text

Exit codes: 0 done, 1 the counts do not add up (a bug: the report says what), 2 bad options.";

        public double DurationSeconds = 3;
        public int RateHz = 1000;
        public int BurstSize = 16;
        public int BurstEveryMilliseconds = 250;
        public int BurstSpacingMicroseconds = 50;
        public int ProcessMicroseconds = 300;
        /// <summary>Blocks in the pool: Program.cs's BlockCount.</summary>
        public int PoolSize = 24;

        /// <summary>Queue capacity; 0 means <see cref="QueueFor"/>'s default, pool - <see cref="QueueMargin"/>.</summary>
        public int QueueCapacity;

        /// <summary>Bytes per block: Program.cs's BlockSize.</summary>
        public int BlockSize = 64;
        public bool Sweep;
        public int SweepMax = 64;
        public string PlotPath = "esp32-irq-sweep.svg";
        /// <summary>Real threads on this machine (--stress) instead of simulated time.</summary>
        public bool Stress;
        public bool Progress = true;
        public bool Help;

        /// <summary>
        /// Blocks the default queue leaves to the rest of the pipeline: Program.cs's BlockCount - QueueCapacity
        /// (24 - 20). The main thread's packet and the sample it works on, and a handler's block between TryAlloc and
        /// TryEnqueue, come from them.
        /// </summary>
        public const int QueueMargin = 4;

        /// <summary>The queue capacity to use with a pool of <paramref name="poolSize"/> blocks.</summary>
        public int QueueFor(int poolSize)
        {
            return QueueCapacity > 0 ? QueueCapacity : Math.Max(1, poolSize - QueueMargin);
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
            bool simulatedTime = false;
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
                        simulatedTime = true;
                        break;
                    case "--stress":
                        o.Stress = true;
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

            if (o.Stress && (simulatedTime || o.Sweep))
            {
                throw new OptionException("--stress runs real threads; it cannot be combined with " + (o.Sweep ? "--sweep" : "--virtual")
                    + ", which run in simulated time.");
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
