// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.IO;
using Xunit;

namespace NanoMempool.PackageTests
{
    /// <summary>
    /// A nanoFramework program compiled against the NanoMempool.dll taken out of the package runs on nanoCLR:
    /// takes a block, waits for one another thread frees, frees all, prints a line (Consumer/Program.cs).
    /// </summary>
    [Collection(PackageCollection.Name)]
    public class ConsumerTests
    {
        private readonly PackageFixture _package;

        public ConsumerTests(PackageFixture package)
        {
            _package = package;
        }

        [SkippableFact]
        public void ConsumerBuiltAgainstThePackedDllRunsOnNanoclr()
        {
            _package.RequirePackage();
            var lib = Path.Combine(_package.ExtractedTo!, "lib");
            var output = Directory.CreateTempSubdirectory("nanomempool-consumer-").FullName;
            try
            {
                var build = ProcessRunner.Run(
                    _package.RepositoryRoot, TimeSpan.FromMinutes(5), "dotnet", "build",
                    "tests/NanoMempool.PackageTests/Consumer/PackageConsumer.csproj", "-nologo", "-c", "Release",
                    "-o", output, "-p:PackedLibDir=" + lib, "-p:NanoclrKit=" + _package.Kit);
                Assert.True(build.ExitCode == 0, "the consumer does not build against the packed dll:\n" + build);

                var run = ProcessRunner.Run(
                    _package.RepositoryRoot, TimeSpan.FromMinutes(3), "bash",
                    Path.Combine(_package.Kit!, "run-nf-app.sh"), "-t", "120", Path.Combine(output, "PackageConsumer.dll"));
                Assert.True(run.ExitCode == 0, "the consumer failed on nanoCLR:\n" + run);
                Assert.Contains(
                    "NanoMempool " + _package.Expected!.Assembly + ": TryAlloc took a block, Alloc waited 1 time(s) for one freed by another thread, 2/2 blocks free at the end",
                    run.Output,
                    StringComparison.Ordinal);

                // run-nf-app.sh converted the packed dll beside the program; the MetadataProcessor is deterministic,
                // so the .pe that ran is byte for byte the package's lib/NanoMempool.pe.
                Assert.Equal(
                    File.ReadAllBytes(Path.Combine(lib, "NanoMempool.pe")),
                    File.ReadAllBytes(Path.Combine(output, "NanoMempool.pe")));
            }
            finally
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
