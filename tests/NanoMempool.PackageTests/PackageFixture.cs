// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace NanoMempool.PackageTests
{
    /// <summary>
    /// Packs once for all the tests: runs ./pack.sh (the documented command), extracts the .nupkg, and asks
    /// Nerdbank.GitVersioning (GetBuildVersion on build/pack) for the version it computes from version.json and the
    /// git history, which the package and its assembly must carry. Without a nanoCLR kit nothing is run and
    /// <see cref="SkipReason"/> says why.
    /// </summary>
    public sealed class PackageFixture : IDisposable
    {
        private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

        public PackageFixture()
        {
            RepositoryRoot = typeof(PackageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "RepositoryRoot").Value!;
            Kit = FindKit(RepositoryRoot);
            if (Kit == null)
            {
                SkipReason = "no nanoCLR kit: set NANOCLR_KIT (or put it at ../shared/nanoclr)";
                return;
            }

            PackRun = ProcessRunner.Run(RepositoryRoot, Limit, "bash", "pack.sh");
            if (PackRun.ExitCode != 0)
            {
                return;
            }

            var printed = PackRun.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            PackagePath = printed[printed.Count - 1];
            SymbolsPath = printed.Count > 1 && printed[printed.Count - 2].EndsWith(".snupkg", StringComparison.Ordinal) ? printed[printed.Count - 2] : null;
            ExtractedTo = Directory.CreateTempSubdirectory("nanomempool-package-").FullName;
            ZipFile.ExtractToDirectory(PackagePath, ExtractedTo);
            using (var zip = ZipFile.OpenRead(PackagePath))
            {
                Entries = zip.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            }

            Nuspec = XDocument.Load(Path.Combine(ExtractedTo, "NanoMempool.nuspec"));
            VersionRun = ProcessRunner.Run(
                RepositoryRoot, Limit, "dotnet", "msbuild", "build/pack/NanoMempool.Pack.csproj", "-nologo",
                "-p:Configuration=Release", "-p:NanoclrKit=" + Kit, "-t:GetBuildVersion",
                "-getProperty:NuGetPackageVersion", "-getProperty:AssemblyVersion", "-getProperty:AssemblyFileVersion",
                "-getProperty:AssemblyInformationalVersion", "-getProperty:GitCommitId");
            if (VersionRun.ExitCode == 0)
            {
                using var json = JsonDocument.Parse(VersionRun.Output.Substring(VersionRun.Output.IndexOf('{')));
                var p = json.RootElement.GetProperty("Properties");
                Expected = new ExpectedVersion(
                    p.GetProperty("NuGetPackageVersion").GetString()!,
                    p.GetProperty("AssemblyVersion").GetString()!,
                    p.GetProperty("AssemblyFileVersion").GetString()!,
                    p.GetProperty("AssemblyInformationalVersion").GetString()!,
                    p.GetProperty("GitCommitId").GetString()!);
            }
        }

        public string RepositoryRoot { get; }

        /// <summary>The nanoCLR kit's folder, or null.</summary>
        public string? Kit { get; }

        /// <summary>Why the tests cannot run here, or null.</summary>
        public string? SkipReason { get; }

        public ProcessRunner? PackRun { get; }

        public string? PackagePath { get; }

        /// <summary>The symbols package ./pack.sh printed before the package (null if it printed none).</summary>
        public string? SymbolsPath { get; }

        public string? ExtractedTo { get; }

        public string[] Entries { get; } = Array.Empty<string>();

        public XDocument? Nuspec { get; }

        public ProcessRunner? VersionRun { get; }

        public ExpectedVersion? Expected { get; }

        /// <summary>Skips the calling test without a kit; fails it if packing failed.</summary>
        public void RequirePackage()
        {
            Skip.If(SkipReason != null, SkipReason);
            Assert.True(PackRun!.ExitCode == 0, "./pack.sh failed:\n" + PackRun);
            Assert.True(Expected != null, "GetBuildVersion failed:\n" + VersionRun);
        }

        public void Dispose()
        {
            if (ExtractedTo != null)
            {
                Directory.Delete(ExtractedTo, recursive: true);
            }
        }

        private static string? FindKit(string root)
        {
            var kit = Environment.GetEnvironmentVariable("NANOCLR_KIT");
            if (string.IsNullOrEmpty(kit))
            {
                kit = Path.Combine(root, "..", "shared", "nanoclr");
            }

            kit = Path.GetFullPath(kit);
            return File.Exists(Path.Combine(kit, "tools", "nfmdp.sh")) && File.Exists(Path.Combine(kit, "run-nf-app.sh")) ? kit : null;
        }
    }

    /// <summary>What Nerdbank.GitVersioning computes for this commit.</summary>
    public sealed record ExpectedVersion(string Package, string Assembly, string File, string Informational, string Commit);

    [CollectionDefinition(Name)]
    public sealed class PackageCollection : ICollectionFixture<PackageFixture>
    {
        public const string Name = "package";
    }
}
