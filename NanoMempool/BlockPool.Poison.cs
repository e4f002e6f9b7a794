// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool
{
    /// <summary>Opt-in poisoning of free blocks (BlockPoolOptions.Poisoning), like the kernel's mempool debug fill.</summary>
    public sealed partial class BlockPool
    {
        /// <summary>The byte every free block's buffer is filled with when poisoning is on.</summary>
        public const byte PoisonByte = 0x6B;

        /// <summary>Fills a block the caller owns with the poison byte. O(BlockSize), allocates nothing.</summary>
        private static void Poison(Block block)
        {
            byte[] buffer = block.Buffer;
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = PoisonByte;
            }
        }

        /// <summary>
        /// Checks the fill of a block just taken (before its new owner tag is recorded). A changed byte means
        /// somebody wrote to the block while it was free: counted, remembered with the block and its last
        /// owner tag, and latched as <see cref="PoolHealth.UseAfterFree"/>. O(BlockSize), allocates nothing.
        /// </summary>
        private void VerifyPoison(Block block)
        {
            byte[] buffer = block.Buffer;
            for (int i = 0; i < buffer.Length; i++)
            {
                if (buffer[i] != PoisonByte)
                {
                    _statistics.OnPoisonViolation(block.Index, block._ownerTag);
                    Latch(PoolHealth.UseAfterFree);
                    return;
                }
            }
        }
    }
}
