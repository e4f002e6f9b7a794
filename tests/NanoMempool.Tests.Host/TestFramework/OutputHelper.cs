// Licensed under the MIT License. See LICENSE in the repository root.
//
// HOST IMPLEMENTATION of nanoFramework.TestFramework 3.0.77 OutputHelper. On the device it writes to
// the console; here each line goes to the output of the test case that is running (shown by
// `dotnet test` for failures and kept in the TRX), because xunit does not capture the console.
using NanoMempool.Tests.Host;

namespace nanoFramework.TestFramework
{
    /// <summary>Writes test output.</summary>
    public static class OutputHelper
    {
        /// <summary>Writes <paramref name="message"/> to the current test's output.</summary>
        public static void Write(string message)
        {
            LauncherSession.WriteOutput(message, false);
        }

        /// <summary>Writes <paramref name="message"/> and a line end to the current test's output.</summary>
        public static void WriteLine(string message)
        {
            LauncherSession.WriteOutput(message, true);
        }
    }
}
