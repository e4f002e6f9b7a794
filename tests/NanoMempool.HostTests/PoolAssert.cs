// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;

namespace NanoMempool.HostTests
{
    /// <summary>Assertions on a pool at a quiet moment (no other context using it).</summary>
    internal static class PoolAssert
    {
        /// <summary>BlockPool.Validate finds nothing wrong; otherwise the test fails with its sentence.</summary>
        internal static void Valid(BlockPool pool)
        {
            string problem;
            bool valid = pool.Validate(out problem);
            Assert.True(valid, "Validate: " + problem);
            Assert.Null(problem);
        }
    }
}
