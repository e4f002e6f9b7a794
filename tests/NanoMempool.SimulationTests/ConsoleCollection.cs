// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit;

namespace NanoMempool.SimulationTests
{
    /// <summary>Tests that redirect the process-wide Console (to read what Program.Main prints) run one at a time.</summary>
    [CollectionDefinition(Name)]
    public sealed class ConsoleCollection
    {
        public const string Name = "console";
    }
}
