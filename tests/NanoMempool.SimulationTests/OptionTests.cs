// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO;
using System.Text.RegularExpressions;
using Esp32Irq.Host;
using Xunit;

namespace NanoMempool.SimulationTests
{
    /// <summary>Command-line parsing: defaults (the board's), both value forms, and clear errors with exit code 2.</summary>
    [Collection(ConsoleCollection.Name)]
    public class OptionTests
    {
        [Fact]
        public void Defaults_AreAShortRunInSimulatedTime_WithTheBoardsSizes()
        {
            Options o = Options.Parse(new string[0]);
            Assert.Equal(3, o.DurationSeconds);
            Assert.Equal(1000, o.RateHz);
            Assert.Equal(1000, o.TimerPeriodMicroseconds);
            Assert.Equal(24, o.PoolSize);
            Assert.Equal(20, o.QueueFor(o.PoolSize));
            Assert.Equal(64, o.BlockSize);
            Assert.False(o.Stress);
            Assert.False(o.Sweep);
            Assert.True(o.Progress);
        }

        [Fact]
        public void Defaults_AreTheConstantsOfTheBoardsProgramCs()
        {
            string program = File.ReadAllText(Path.Combine(Repository.Root, "samples", "esp32-irq", "Program.cs"));
            Options o = Options.Parse(new string[0]);
            Assert.Equal(o.PoolSize, Constant(program, "BlockCount"));
            Assert.Equal(o.QueueFor(o.PoolSize), Constant(program, "QueueCapacity"));
            Assert.Equal(o.BlockSize, Constant(program, "BlockSize"));
            Assert.Equal(o.TimerPeriodMicroseconds, Constant(program, "SamplePeriodMicroseconds"));
            Assert.Equal(Options.QueueMargin, Constant(program, "BlockCount") - Constant(program, "QueueCapacity"));
        }

        [Theory]
        [InlineData(24, 20)]
        [InlineData(6, 2)]
        [InlineData(5, 1)]
        [InlineData(2, 1)]
        public void DefaultQueue_LeavesTheBoardsMargin_AndAtLeastOneSlot(int pool, int queue)
        {
            Assert.Equal(queue, new Options().QueueFor(pool));
            Assert.True(queue < pool);
        }

        [Fact]
        public void Values_ParseInBothForms()
        {
            Options o = Options.Parse(new[]
            {
                "--duration", "0.5", "--rate=2000", "--burst-size", "4", "--burst-every=10", "--burst-spacing", "0",
                "--process", "150", "--pool=40", "--queue", "8", "--block-size", "32", "--no-progress", "--stress",
            });
            Assert.Equal(0.5, o.DurationSeconds);
            Assert.Equal(2000, o.RateHz);
            Assert.Equal(500, o.TimerPeriodMicroseconds);
            Assert.Equal(4, o.BurstSize);
            Assert.Equal(10, o.BurstEveryMilliseconds);
            Assert.Equal(0, o.BurstSpacingMicroseconds);
            Assert.Equal(150, o.ProcessMicroseconds);
            Assert.Equal(40, o.PoolSize);
            Assert.Equal(8, o.QueueFor(o.PoolSize));
            Assert.Equal(32, o.BlockSize);
            Assert.False(o.Progress);
            Assert.True(o.Stress);
            Assert.False(Options.Parse(new[] { "--virtual" }).Stress);
        }

        [Fact]
        public void Sweep_Options_Parse()
        {
            Options o = Options.Parse(new[] { "--sweep", "--sweep-max", "20", "--plot", "x.svg" });
            Assert.True(o.Sweep);
            Assert.Equal(20, o.SweepMax);
            Assert.Equal("x.svg", o.PlotPath);
        }

        [Theory]
        [InlineData("Unknown option '--bogus'", "--bogus")]
        [InlineData("Unknown option 'extra'", "extra")]
        [InlineData("--rate needs a value", "--rate")]
        [InlineData("--rate needs a value", "--rate", "--virtual")]
        [InlineData("--rate needs a whole number from 1 to 100000, not 'fast'", "--rate", "fast")]
        [InlineData("--rate needs a whole number from 1 to 100000, not '0'", "--rate=0")]
        [InlineData("--pool needs a whole number from 2 to 65534, not '1'", "--pool", "1")]
        [InlineData("--block-size needs a whole number from 16 to 65536, not '8'", "--block-size", "8")]
        [InlineData("--duration needs a number from 0.01 to 3600, not '-1'", "--duration=-1")]
        [InlineData("--duration needs a number from 0.01 to 3600, not 'NaN'", "--duration", "NaN")]
        [InlineData("--queue (24) must be smaller than --pool (24)", "--queue", "24")]
        [InlineData("--queue (30) must be smaller than --sweep-max (30)", "--sweep", "--sweep-max", "30", "--queue", "30")]
        [InlineData("--plot needs a file name", "--plot=")]
        [InlineData("--stress runs real threads; it cannot be combined with --sweep", "--sweep", "--stress")]
        [InlineData("--stress runs real threads; it cannot be combined with --virtual", "--stress", "--virtual")]
        public void BadOptions_GiveAClearMessage(string message, params string[] args)
        {
            OptionException e = Assert.Throws<OptionException>(() => Options.Parse(args));
            Assert.Contains(message, e.Message);
        }

        [Fact]
        public void Main_ExitsWithTwo_OnBadOptions_AndZeroForHelp()
        {
            TextWriter error = System.Console.Error;
            TextWriter output = System.Console.Out;
            StringWriter captured = new StringWriter();
            try
            {
                System.Console.SetError(captured);
                System.Console.SetOut(captured);
                Assert.Equal(2, Program.Main(new[] { "--pool", "many" }));
                Assert.Contains("--pool needs a whole number", captured.ToString());
                Assert.Equal(0, Program.Main(new[] { "--help" }));
                Assert.Contains("Usage: dotnet run --project samples/esp32-irq/host", captured.ToString());
            }
            finally
            {
                System.Console.SetError(error);
                System.Console.SetOut(output);
            }
        }

        private static long Constant(string source, string name)
        {
            Match m = Regex.Match(source, "const (?:int|ulong|long) " + name + " = (?<value>[0-9]+);");
            Assert.True(m.Success, "Program.cs declares no constant " + name);
            return long.Parse(m.Groups["value"].Value);
        }
    }
}
