// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.ModelTests
{
    /// <summary>
    /// The gcc and pan flags the runs of model/nanomempool.pml share (SpinRunner.Run's gccFlags and panFlags). The
    /// queue model and the deep tier keep their own depth bounds (their runs are longer).
    /// </summary>
    internal static class PanOptions
    {
        /// <summary>Safety runs: no never claim; COLLAPSE is lossless state compression (memory only).</summary>
        internal const string Safety = "-DNOCLAIM -DCOLLAPSE";

        /// <summary>Liveness runs: NFAIR makes room for the fairness copies of 5 processes.</summary>
        internal const string Liveness = "-DCOLLAPSE -DNFAIR=3";

        /// <summary>
        /// Safety with pan trying the processes in reverse order, for a violation found first in the resizer's moves
        /// (the search order only).
        /// </summary>
        internal const string SafetyResizerFirst = Safety + " -DREVERSE";

        /// <summary>
        /// pan's depth bound (the deepest run reaches about 70,000 steps) and a hash table of 2^20 slots: enough for
        /// about 2 M states, and the default of 2^24 costs half a second of page faults per run.
        /// </summary>
        internal const string Depth = "-m200000 -w20";

        /// <summary>The same depth bound with the default hash table, for the runs of more states.</summary>
        internal const string DepthLarge = "-m200000";
    }
}
