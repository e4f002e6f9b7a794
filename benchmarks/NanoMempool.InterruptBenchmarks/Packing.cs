// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// The capture pipeline's work, the same for every <see cref="CaptureWay"/> and the same layouts as the esp32-irq
    /// sample: a 16-byte sample ([0] kind, [4..7] sequence, [8..15] capture time) from the handler; 8-byte records
    /// packed into 64-byte packets (a 4-byte header, 7 records); a completed packet is summed into a checksum, the
    /// stand-in for sending it.
    /// </summary>
    internal sealed class Packing
    {
        /// <summary>Bytes per buffer, sample and packet alike.</summary>
        internal const int BufferSize = 64;

        private const int HeaderSize = 4;
        private const int RecordSize = 8;
        private const int RecordsPerPacket = (BufferSize - HeaderSize) / RecordSize;

        private int _records;
        private int _packets;
        private int _checksum;

        /// <summary>Packets completed.</summary>
        internal int Packets
        {
            get { return _packets; }
        }

        /// <summary>Records held in the open packet.</summary>
        internal int OpenRecords
        {
            get { return _records; }
        }

        /// <summary>Handler: writes one timer sample into <paramref name="b"/>.</summary>
        internal static void WriteSample(byte[] b, int sequence, long capturedAt)
        {
            b[0] = 1;
            b[1] = 0;
            b[2] = (byte)sequence;
            b[3] = 0;
            b[4] = (byte)sequence;
            b[5] = (byte)(sequence >> 8);
            b[6] = (byte)(sequence >> 16);
            b[7] = (byte)(sequence >> 24);
            int low = (int)capturedAt;
            int high = (int)(capturedAt >> 32);
            b[8] = (byte)low;
            b[9] = (byte)(low >> 8);
            b[10] = (byte)(low >> 16);
            b[11] = (byte)(low >> 24);
            b[12] = (byte)high;
            b[13] = (byte)(high >> 8);
            b[14] = (byte)(high >> 16);
            b[15] = (byte)(high >> 24);
        }

        /// <summary>Main thread: starts a packet in <paramref name="packet"/>.</summary>
        internal void Open(byte[] packet)
        {
            packet[0] = 0xA5;
            packet[1] = 0;
            packet[2] = (byte)_packets;
            packet[3] = (byte)(_packets >> 8);
            _records = 0;
        }

        /// <summary>Main thread: appends a sample's record; true when the packet is full (then <see cref="Close"/> it).</summary>
        internal bool Append(byte[] sample, byte[] packet)
        {
            int at = HeaderSize + (_records * RecordSize);
            packet[at] = sample[0];
            packet[at + 1] = sample[1];
            packet[at + 2] = sample[2];
            packet[at + 3] = sample[3];
            packet[at + 4] = sample[8];
            packet[at + 5] = sample[9];
            packet[at + 6] = sample[10];
            packet[at + 7] = sample[11];
            _records++;
            packet[1] = (byte)_records;
            return _records == RecordsPerPacket;
        }

        /// <summary>Main thread: "sends" the packet (sums its bytes); the caller then gives its buffer back.</summary>
        internal void Close(byte[] packet)
        {
            int length = HeaderSize + (_records * RecordSize);
            int sum = _checksum;
            for (int i = 0; i < length; i++)
            {
                sum += packet[i];
            }

            _checksum = sum;
            _packets++;
            _records = 0;
        }
    }
}
