// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool.TestTiers
{
    /// <summary>
    /// The test tier chosen by ./test.sh (environment variable NANOMEMPOOL_TIER): <c>quick</c> (after each
    /// change: the systematic and exhaustive runs at smoke-test depth), <c>full</c> (the default: every proof at
    /// the depth CI runs) or <c>deep</c> (longer runs and larger configurations than CI has time for).
    /// Linked into the test projects that scale with the tier (tests/NanoMempool.CoyoteTests,
    /// tests/NanoMempool.ModelTests); read once per process.
    /// </summary>
    internal static class TestTier
    {
        /// <summary>The environment variable that selects the tier.</summary>
        internal const string Variable = "NANOMEMPOOL_TIER";

        private static readonly string Name = Parse(Environment.GetEnvironmentVariable(Variable));

        /// <summary>True for the quick tier: smoke-test depth only.</summary>
        internal static bool IsQuick => Name == "quick";

        /// <summary>True for the deep tier: runs too long for the full tier are added.</summary>
        internal static bool IsDeep => Name == "deep";

        /// <summary>The tier's name, for test output: quick, full or deep.</summary>
        internal static string Current => Name;

        private static string Parse(string value)
        {
            if (string.IsNullOrEmpty(value) || value == "full")
            {
                return "full";
            }

            if (value == "quick" || value == "deep")
            {
                return value;
            }

            throw new InvalidOperationException(Variable + "=" + value + ": expected quick, full or deep.");
        }
    }
}
