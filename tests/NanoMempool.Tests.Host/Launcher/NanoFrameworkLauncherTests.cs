// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace NanoMempool.Tests.Host
{
    /// <summary>
    /// Reports every call of the nanoFramework launcher session (LauncherSession) as its own xunit test
    /// case: one theory row per [Setup], [TestMethod], [DataRow] row and [Cleanup]. The session itself
    /// runs once, in launcher order, when the first row executes; each row then reports its cached
    /// result (passed, failed with the exception, or skipped), with what the call wrote through
    /// OutputHelper.
    /// </summary>
    public class NanoFrameworkLauncherTests
    {
        private readonly ITestOutputHelper _output;

        /// <summary>Created by xunit.</summary>
        public NanoFrameworkLauncherTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>The launcher calls, by name.</summary>
        public static IEnumerable<object[]> Calls()
        {
            foreach (var c in LauncherSession.Cases)
            {
                yield return new object[] { new LauncherCall(c.Id) };
            }
        }

        /// <summary>One launcher call.</summary>
        [SkippableTheory(DisplayName = "NFUnitTest")]
        [MemberData(nameof(Calls))]
        public void Launch(LauncherCall test)
        {
            var result = LauncherSession.GetResult(test.Id);
            if (result.Output.Length > 0)
            {
                _output.WriteLine(result.Output);
            }

            _output.WriteLine("launcher: " + result.Outcome + " in " + result.Elapsed.TotalMilliseconds.ToString("0.0") + " ms");
            if (result.Outcome == LauncherOutcome.Skipped)
            {
                // Xunit.SkippableFact: reported as skipped, counted neither passed nor failed.
                throw new SkipException(result.Message);
            }

            if (result.Outcome == LauncherOutcome.Failed)
            {
                throw new LauncherTestFailedException(test + " failed on the launcher: " + result.Message);
            }
        }
    }

    /// <summary>
    /// The theory argument: a launcher call's name. A serializable type whose ToString is the name, so
    /// that each row is its own test case with its full name (xunit shortens string arguments).
    /// </summary>
    public sealed class LauncherCall : IXunitSerializable
    {
        /// <summary>For the xunit deserializer.</summary>
        public LauncherCall()
        {
        }

        /// <summary>Creates it.</summary>
        public LauncherCall(string id)
        {
            Id = id;
        }

        /// <summary>The launcher call's name (LauncherCase.Id).</summary>
        public string Id { get; private set; }

        /// <summary>Reads the name.</summary>
        public void Deserialize(IXunitSerializationInfo info)
        {
            Id = info.GetValue<string>("id");
        }

        /// <summary>Writes the name.</summary>
        public void Serialize(IXunitSerializationInfo info)
        {
            info.AddValue("id", Id);
        }

        /// <summary>The name, shown as the test case's argument.</summary>
        public override string ToString()
        {
            return Id;
        }
    }

    /// <summary>Carries a launcher failure to xunit.</summary>
    public sealed class LauncherTestFailedException : Exception
    {
        /// <summary>Creates it.</summary>
        public LauncherTestFailedException(string message)
            : base(message)
        {
        }
    }
}
