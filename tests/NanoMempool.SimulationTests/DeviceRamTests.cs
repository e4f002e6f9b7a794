// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Esp32Irq.Host;
using Xunit;

namespace NanoMempool.SimulationTests
{
    /// <summary>
    /// The RAM figures the reports print (<see cref="DeviceRam"/>): the published ones for 64-byte blocks, and every
    /// line of RamProbe measured on the kit's 32-bit nanoCLR (the ESP32's object sizes).
    /// </summary>
    public class DeviceRamTests
    {
        [Fact]
        public void SixtyFourByteBlocks_CostWhatTheReportsSay()
        {
            // 92 B per 64-byte block beyond its buffer (docs/performance.md's figure) and 552 B per pool; a queue
            // 16 B per slot and 308 B fixed (measured between 1 and 256 slots, as docs/performance.md does).
            Assert.Equal(64 + 92, DeviceRam.PerBlock(64));
            Assert.Equal(552 + (256 * 156), DeviceRam.Pool(64, 256));
            Assert.Equal(308 + (256 * 16), DeviceRam.Queue(256));
            Assert.Equal(16, (DeviceRam.Queue(256) - DeviceRam.Queue(1)) / 255);
        }

        [Fact]
        public void TheBoardsSizes_CostAbout4Point8Kilobytes()
        {
            // samples/esp32-irq/Program.cs: 24 blocks of 64 bytes, a queue of 20.
            Assert.Equal(4296, DeviceRam.Pool(64, 24));
            Assert.Equal(636, DeviceRam.Queue(20));
            Assert.Equal("4,932 B (4.8 KB): pool 4,296 B = 552 + 24 x 156 (64 data + 92), queue 636 B (20 slots)", DeviceRam.Describe(64, 24, 20));
        }

        [Fact]
        public void Buffers_RoundUpToTwelveByteHeapBlocks()
        {
            Assert.Equal(24, DeviceRam.ByteArray(1));
            Assert.Equal(36, DeviceRam.ByteArray(16));
            Assert.Equal(48, DeviceRam.ByteArray(17));
            Assert.Equal(84, DeviceRam.ByteArray(64));
            Assert.Equal(96, DeviceRam.ByteArray(65));
            Assert.All(Enumerable.Range(1, 300), n => Assert.Equal(0, DeviceRam.ByteArray(n) % 12));
        }

        [SkippableFact]
        public void EveryFigure_IsWhatThe32BitNanoclrMeasures()
        {
            string kit = Repository.Kit();
            Skip.If(kit == null, "no nanoCLR kit: set NANOCLR_KIT (or put it at ../shared/nanoclr)");
            Skip.IfNot(Repository.Can32BitRun(kit), "the kit's 32-bit interpreter cannot run here (libc6-i386, lib32stdc++6, or qemu-user)");

            string output = Directory.CreateTempSubdirectory("nanomempool-ramprobe-").FullName;
            try
            {
                var build = Repository.Run(
                    TimeSpan.FromMinutes(5), null, "dotnet", "build", "tests/NanoMempool.SimulationTests/RamProbe/RamProbe.csproj",
                    "-nologo", "-c", "Release", "-o", output, "-p:NanoclrKit=" + kit);
                Assert.True(build.ExitCode == 0, "RamProbe does not build:\n" + build.Output);

                var run = Repository.Run(
                    TimeSpan.FromMinutes(3), new[] { "NANOCLR_BITS", "32" }, "bash", Path.Combine(kit, "run-nf-app.sh"), "-t", "150",
                    Path.Combine(output, "RamProbe.dll"));
                Assert.True(run.ExitCode == 0, "RamProbe failed on the 32-bit nanoCLR:\n" + run.Output);

                List<string> wrong = new List<string>();
                int checkedLines = 0;
                foreach (string line in run.Output.Split('\n').Select(l => l.Trim()))
                {
                    string[] f = line.Split(' ');
                    int predicted;
                    long measured;
                    if (f[0] == "pool" && f.Length == 4)
                    {
                        predicted = DeviceRam.Pool(int.Parse(f[1]), int.Parse(f[2]));
                        measured = long.Parse(f[3]);
                    }
                    else if (f[0] == "queue" && f.Length == 3)
                    {
                        predicted = DeviceRam.Queue(int.Parse(f[1]));
                        measured = long.Parse(f[2]);
                    }
                    else
                    {
                        continue;
                    }

                    checkedLines++;
                    if (predicted != measured)
                    {
                        wrong.Add(line + " (DeviceRam says " + predicted + ")");
                    }
                }

                Assert.Contains("done", run.Output, StringComparison.Ordinal);
                Assert.Equal(9 * 6 + 13, checkedLines);
                Assert.True(wrong.Count == 0, "samples/esp32-irq/host/DeviceRam.cs differs from the 32-bit nanoCLR:\n" + string.Join("\n", wrong));
            }
            finally
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
