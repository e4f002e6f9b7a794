// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Globalization;

namespace Esp32Irq.Host
{
    /// <summary>
    /// What a pool and a queue cost in managed heap on a 32-bit ESP32, in bytes: nanoFramework's object sizes on the
    /// 32-bit interpreter (every object is made of 12-byte heap blocks; an array of n bytes takes 12 * ceil((n + 20) / 12)).
    /// </summary>
    /// <remarks>
    /// Measured on the kit's 32-bit nanoCLR (the same interpreter and object layout as on an ESP32) with
    /// <c>GC.Run(false)</c> before and after constructing <c>BlockPool(blockSize, n)</c> and <c>BlockQueue(n)</c>, as
    /// the device benchmark's MemoryFigures.cs does; tests/NanoMempool.SimulationTests/RamProbe is that program, and
    /// <c>DeviceRamTests</c> runs it and checks these formulas against it for block sizes 1 to 1024 and counts 1 to
    /// 256, exactly: a change to the library's objects fails that test until the figures here are measured again. For
    /// 64-byte blocks: 92 B per block beyond the buffer and 552 B per pool; a queue costs 16 B per slot and 308 B at
    /// large sizes.
    /// </remarks>
    public static class DeviceRam
    {
        /// <summary>Bytes of a pool that do not depend on its block count (the pool object, its events, statistics, arrays' headers).</summary>
        public const int PoolFixed = 552;

        /// <summary>Bytes each block adds beyond its byte[] buffer: the Block object and its entries in the pool's arrays.</summary>
        public const int BlockBeyondBuffer = 72;

        /// <summary>Bytes of a queue that do not depend on its capacity, beside its int[] of marks.</summary>
        public const int QueueFixed = 288;

        /// <summary>Bytes each queue slot takes in the queue's Block[] (one 12-byte reference slot).</summary>
        public const int QueueSlot = 12;

        /// <summary>A heap block of the 32-bit interpreter: every object's size is a multiple of it.</summary>
        public const int HeapBlock = 12;

        /// <summary>A byte[] of <paramref name="length"/> bytes (header included).</summary>
        public static int ByteArray(int length)
        {
            return RoundUp(length + 20);
        }

        /// <summary>An int[] of <paramref name="length"/> elements (header included).</summary>
        public static int IntArray(int length)
        {
            return RoundUp((4 * length) + 20);
        }

        /// <summary>One block of the pool: its buffer and what the pool keeps for it.</summary>
        public static int PerBlock(int blockSize)
        {
            return ByteArray(blockSize) + BlockBeyondBuffer;
        }

        /// <summary>A <c>BlockPool(blockSize, blocks)</c> with default options.</summary>
        public static int Pool(int blockSize, int blocks)
        {
            return PoolFixed + (blocks * PerBlock(blockSize));
        }

        /// <summary>A <c>BlockQueue(capacity)</c>.</summary>
        public static int Queue(int capacity)
        {
            return QueueFixed + (QueueSlot * capacity) + IntArray(capacity);
        }

        /// <summary>The pool and the queue together.</summary>
        public static int Total(int blockSize, int blocks, int queueCapacity)
        {
            return Pool(blockSize, blocks) + Queue(queueCapacity);
        }

        /// <summary>
        /// One line: "4,932 B (4.8 KB): pool 4,296 B = 552 + 24 x 156 (64 data + 92), queue 636 B (20 slots)".
        /// </summary>
        public static string Describe(int blockSize, int blocks, int queueCapacity)
        {
            int perBlock = PerBlock(blockSize);
            int total = Total(blockSize, blocks, queueCapacity);
            return Bytes(total) + " (" + Kilobytes(total) + "): pool " + Bytes(Pool(blockSize, blocks)) + " = " + PoolFixed + " + "
                + blocks + " x " + perBlock + " (" + blockSize + " data + " + (perBlock - blockSize) + "), queue "
                + Bytes(Queue(queueCapacity)) + " (" + queueCapacity + " slots)";
        }

        /// <summary>"4,908 B".</summary>
        public static string Bytes(int bytes)
        {
            return bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
        }

        /// <summary>"4.8 KB" (1 KB = 1024 B).</summary>
        public static string Kilobytes(int bytes)
        {
            return (bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " KB";
        }

        private static int RoundUp(int bytes)
        {
            return checked((bytes + HeapBlock - 1) / HeapBlock * HeapBlock);
        }
    }
}
