// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;

namespace NanoMempool.SimulationTests
{
    /// <summary>The repository's root, the nanoCLR kit (or null), and running a command to its end.</summary>
    internal static class Repository
    {
        internal static readonly string Root = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value;

        /// <summary>NANOCLR_KIT, else ../shared/nanoclr beside the repository; null if it has no run-nf-app.sh.</summary>
        internal static string Kit()
        {
            string kit = Environment.GetEnvironmentVariable("NANOCLR_KIT");
            if (string.IsNullOrEmpty(kit))
            {
                kit = Path.Combine(Root, "..", "shared", "nanoclr");
            }

            kit = Path.GetFullPath(kit);
            return File.Exists(Path.Combine(kit, "run-nf-app.sh")) && File.Exists(Path.Combine(kit, "nfsdk", "nanoFramework.Build.props")) ? kit : null;
        }

        /// <summary>True when the kit's 32-bit interpreter can start here (the kit's own rule, tools/nfrt-lib.sh).</summary>
        internal static bool Can32BitRun(string kit)
        {
            if (!File.Exists(Path.Combine(kit, "nanoclr32", "bin", "nanoFramework.nanoCLR.test")) || !File.Exists("/lib/ld-linux.so.2"))
            {
                return false;
            }

            return Run(TimeSpan.FromSeconds(30), null, "/lib/ld-linux.so.2", "--version").ExitCode == 0
                || Run(TimeSpan.FromSeconds(30), null, "sh", "-c", "command -v qemu-i386").ExitCode == 0;
        }

        /// <summary>Runs a command; returns its exit code (-1 if killed at the limit) and its interleaved output.</summary>
        internal static (int ExitCode, string Output) Run(TimeSpan limit, string[] environment, string fileName, params string[] arguments)
        {
            ProcessStartInfo info = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in arguments)
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";
            for (int i = 0; environment != null && i + 1 < environment.Length; i += 2)
            {
                info.Environment[environment[i]] = environment[i + 1];
            }

            StringBuilder output = new StringBuilder();
            using (Process process = new Process { StartInfo = info })
            {
                DataReceivedEventHandler append = (sender, e) =>
                {
                    if (e.Data != null)
                    {
                        lock (output)
                        {
                            output.AppendLine(e.Data);
                        }
                    }
                };
                process.OutputDataReceived += append;
                process.ErrorDataReceived += append;
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                if (!process.WaitForExit((int)limit.TotalMilliseconds))
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                    return (-1, output + "[killed after " + limit.TotalSeconds + " s]");
                }

                process.WaitForExit();
                return (process.ExitCode, output.ToString());
            }
        }
    }
}
