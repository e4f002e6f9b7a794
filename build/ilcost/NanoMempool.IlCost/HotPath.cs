// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.IlCost
{
    /// <summary>The methods the report and the guard tests cover (patterns for <see cref="CostAnalyzer.Match"/>).</summary>
    public static class HotPath
    {
        /// <summary>
        /// The "any context" entry points a handler may call: they must never allocate, lock or wait
        /// (their error paths, which throw, excepted).
        /// </summary>
        public static readonly string[] HandlerEntryPoints =
        {
            "NanoMempool.BlockPool::TryAlloc",
            "NanoMempool.BlockPool::Free",
            "NanoMempool.Block::Dispose",
            "NanoMempool.BlockQueue::TryEnqueue",
            "NanoMempool.BlockQueue::TryDequeue",
            "NanoMempool.ManagedHeapAllocator::Release",
        };

        /// <summary>
        /// Interface calls the handler path may make into application code, each bound by its documented
        /// contract: <c>IBlockAllocator.Release</c> ("any context: must never wait, take a lock a thread may
        /// hold, allocate, or throw"), reached from Free only when a backing allocator is set and the reserve
        /// is full. The shipped implementation, ManagedHeapAllocator.Release, is itself a guarded entry point.
        /// </summary>
        public static readonly string[] AllowedContractCalls =
        {
            "NanoMempool.IBlockAllocator::Release(System.Byte[])",
        };

        /// <summary>
        /// Everything reported, entry points first, then their fast-path callees. The bulk overloads are
        /// guarded (above) but not tabulated: their work is in a for loop, which the loop-free path counts skip.
        /// </summary>
        public static readonly string[] Reported =
        {
            "NanoMempool.BlockPool::TryAlloc(NanoMempool.Block&)",
            "NanoMempool.BlockPool::Free(NanoMempool.Block)",
            "NanoMempool.Block::Dispose",
            "NanoMempool.BlockPool::OnAllocatedSlow",
            "NanoMempool.BlockPool::FreeChecked",
            "NanoMempool.BlockPool::Release",
            "NanoMempool.BlockPool::AfterAlertedPush",
            "NanoMempool.BlockQueue::TryEnqueue",
            "NanoMempool.BlockQueue::TryDequeue",
        };
    }
}
