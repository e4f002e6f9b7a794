// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Diagnostics;
using System.Text;

namespace NanoMempool.PackageTests
{
    /// <summary>Runs a command to its end (or kills it at a time limit) and keeps its exit code and output.</summary>
    public sealed class ProcessRunner
    {
        private ProcessRunner(int exitCode, string output)
        {
            ExitCode = exitCode;
            Output = output;
        }

        /// <summary>The exit code; -1 if the command was killed at its time limit.</summary>
        public int ExitCode { get; }

        /// <summary>Standard output and standard error, interleaved as they came.</summary>
        public string Output { get; }

        public static ProcessRunner Run(string workingDirectory, TimeSpan limit, string fileName, params string[] arguments)
        {
            var info = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in arguments)
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";
            var output = new StringBuilder();
            using var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)limit.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                Append(output, $"[killed after {limit.TotalSeconds} s]");
                return new ProcessRunner(-1, output.ToString());
            }

            process.WaitForExit();
            return new ProcessRunner(process.ExitCode, output.ToString());
        }

        public override string ToString() => $"{Output}{Environment.NewLine}(exit code {ExitCode})";

        private static void Append(StringBuilder output, string? line)
        {
            if (line == null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
