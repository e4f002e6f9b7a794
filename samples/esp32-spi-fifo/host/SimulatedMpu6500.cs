// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace Esp32SpiFifo.Host
{
    /// <summary>
    /// An MPU-6500 on SPI, as far as the sample uses it: a register file, the accelerometer sampling into a 512-byte
    /// FIFO at the configured rate in simulated time, and the SPI protocol (bit 7 of the first byte reads, addresses
    /// auto-increment except at FIFO_R_W, where each byte read takes one out of the FIFO). Frame k carries X = k (as a
    /// 16-bit number), so the consumer can check that frames arrive once each, in order; Y is a triangle wave and Z is
    /// 1 g (8192 at +-4 g).
    /// </summary>
    /// <remarks>
    /// <para>C# 7.3 with nothing nanoFramework 1.x lacks: the host simulation runs it, and so does the device tier's
    /// run of the sample's logic on nanoCLR (tests/SensorBoard), where the data-ready handler calls
    /// <see cref="TakeSample"/> instead of a clock.</para>
    /// <para>With CONFIG.FIFO_MODE set the FIFO takes no sample it has no room for (the simulation writes whole frames
    /// only, a simplification: the datasheet does not say whether a last partial frame is written). It knows which
    /// frames were never written and which a FIFO reset threw away, so that a run can account for every frame.</para>
    /// </remarks>
    public sealed class SimulatedMpu6500 : Esp32SpiFifo.ISpiTransfer
    {
        /// <summary>What MISO carries while the address byte goes out: anything; this value, to be recognised.</summary>
        public const byte AddressPhaseByte = 0xA5;

        private readonly byte[] _registers = new byte[128];
        private readonly byte[] _fifo = new byte[Mpu6500Fifo.FifoSize];
        private int _fifoHead;
        private int _fifoCount;
        private long _nextSampleMicroseconds = -1;

        /// <summary>A chip just powered on: registers at their reset values, the FIFO empty, not sampling.</summary>
        public SimulatedMpu6500()
        {
            PowerOnReset();
        }

        /// <summary>Samples written to the FIFO.</summary>
        public int FramesWritten { get; private set; }

        /// <summary>Samples taken while the FIFO had no room for them (lost on the sensor).</summary>
        public int FramesNotWritten { get; private set; }

        /// <summary>Frames (whole, in bytes / 6) that a FIFO reset threw away unread.</summary>
        public int FramesDiscardedByReset { get; private set; }

        /// <summary>Bytes read from FIFO_R_W while it was empty (a driver bug if ever non-zero).</summary>
        public int EmptyFifoReads { get; private set; }

        /// <summary>SPI transactions so far.</summary>
        public int Transfers { get; private set; }

        /// <summary>Bytes clocked in those transactions.</summary>
        public long TransferredBytes { get; private set; }

        /// <summary>Bytes in the FIFO now.</summary>
        public int FifoCount => _fifoCount;

        /// <summary>The most bytes the FIFO held.</summary>
        public int FifoPeak { get; private set; }

        /// <summary>The time between samples, from SMPLRT_DIV: 1 kHz / (1 + divider) with the low-pass filter on.</summary>
        public long SamplePeriodMicroseconds
        {
            get
            {
                int lowPass = _registers[Mpu6500Fifo.Config] & 0x07;
                return (lowPass >= 1 && lowPass <= 6 ? 1000L : 125L) * (1 + _registers[Mpu6500Fifo.SmplrtDiv]);
            }
        }

        /// <summary>True once the FIFO takes accelerometer samples (USER_CTRL.FIFO_EN and FIFO_EN.ACCEL set).</summary>
        public bool Sampling => (_registers[Mpu6500Fifo.UserCtrl] & Mpu6500Fifo.UserCtrlFifoEn) != 0 && (_registers[Mpu6500Fifo.FifoEn] & 0x08) != 0;

        /// <summary>The time of the next sample, once <see cref="Sampling"/>; long.MaxValue before.</summary>
        public long NextSampleMicroseconds => Sampling && _nextSampleMicroseconds >= 0 ? _nextSampleMicroseconds : long.MaxValue;

        /// <summary>Starts the sample clock: the first sample one period after <paramref name="nowMicroseconds"/>.</summary>
        public void StartClock(long nowMicroseconds)
        {
            _nextSampleMicroseconds = nowMicroseconds + SamplePeriodMicroseconds;
        }

        /// <summary>Takes every sample due at or before <paramref name="nowMicroseconds"/>; returns how many.</summary>
        public int AdvanceTo(long nowMicroseconds)
        {
            int taken = 0;
            while (Sampling && _nextSampleMicroseconds >= 0 && _nextSampleMicroseconds <= nowMicroseconds)
            {
                TakeSample();
                _nextSampleMicroseconds += SamplePeriodMicroseconds;
                taken++;
            }

            return taken;
        }

        /// <inheritdoc/>
        public void TransferFullDuplex(byte[] write, byte[] read, int readAt, int count)
        {
            if (count < 1 || write.Length < count || readAt < 0 || read.Length - readAt < count)
            {
                throw new ArgumentOutOfRangeException("count", "The buffers are shorter than the transfer.");
            }

            Transfers++;
            TransferredBytes += count;
            int address = write[0] & 0x7F;
            bool isRead = (write[0] & Mpu6500Fifo.ReadBit) != 0;
            read[readAt] = AddressPhaseByte;
            for (int i = 1; i < count; i++)
            {
                if (isRead)
                {
                    read[readAt + i] = ReadRegister(address);
                }
                else
                {
                    read[readAt + i] = 0;
                    WriteRegister(address, write[i]);
                }

                if (address != Mpu6500Fifo.FifoRW)
                {
                    address = (address + 1) & 0x7F;
                }
            }
        }

        /// <summary>Takes one sample now: writes it to the FIFO if there is room, else counts it lost.</summary>
        public void TakeSample()
        {
            int k = FramesWritten + FramesNotWritten;
            if ((_registers[Mpu6500Fifo.Config] & 0x40) != 0 && _fifoCount + Mpu6500Fifo.FrameSize > _fifo.Length)
            {
                FramesNotWritten++;
                return;
            }

            int phase = k & 255;
            short y = (short)((phase < 128 ? phase : 255 - phase) * 32);
            Push((short)k);
            Push(y);
            Push(8192);
            FramesWritten++;
            if (_fifoCount > FifoPeak)
            {
                FifoPeak = _fifoCount;
            }
        }

        private void Push(short value)
        {
            PushByte((byte)(value >> 8));
            PushByte((byte)value);
        }

        private void PushByte(byte value)
        {
            if (_fifoCount == _fifo.Length)
            {
                // FIFO_MODE 0: the oldest byte makes room.
                _fifoHead = (_fifoHead + 1) % _fifo.Length;
                _fifoCount--;
            }

            _fifo[(_fifoHead + _fifoCount) % _fifo.Length] = value;
            _fifoCount++;
        }

        private byte ReadRegister(int address)
        {
            switch (address)
            {
                case Mpu6500Fifo.FifoCountH:
                    return (byte)(_fifoCount >> 8);
                case Mpu6500Fifo.FifoCountH + 1:
                    return (byte)_fifoCount;
                case Mpu6500Fifo.FifoRW:
                    if (_fifoCount == 0)
                    {
                        EmptyFifoReads++;
                        return 0xFF;
                    }

                    byte value = _fifo[_fifoHead];
                    _fifoHead = (_fifoHead + 1) % _fifo.Length;
                    _fifoCount--;
                    return value;
                default:
                    return _registers[address];
            }
        }

        private void WriteRegister(int address, byte value)
        {
            if (address == Mpu6500Fifo.WhoAmI || address == Mpu6500Fifo.FifoCountH || address == Mpu6500Fifo.FifoCountH + 1)
            {
                return;   // read-only
            }

            if (address == Mpu6500Fifo.PwrMgmt1 && (value & 0x80) != 0)
            {
                PowerOnReset();
                return;
            }

            if (address == Mpu6500Fifo.UserCtrl && (value & Mpu6500Fifo.UserCtrlFifoRst) != 0)
            {
                FramesDiscardedByReset += _fifoCount / Mpu6500Fifo.FrameSize;
                _fifoHead = 0;
                _fifoCount = 0;
                value = (byte)(value & ~Mpu6500Fifo.UserCtrlFifoRst);   // the reset bit clears itself
            }

            _registers[address] = value;
        }

        private void PowerOnReset()
        {
            Array.Clear(_registers, 0, _registers.Length);
            _registers[Mpu6500Fifo.PwrMgmt1] = 0x01;
            _registers[Mpu6500Fifo.WhoAmI] = Mpu6500Fifo.WhoAmIMpu6500;
            FramesDiscardedByReset += _fifoCount / Mpu6500Fifo.FrameSize;
            _fifoHead = 0;
            _fifoCount = 0;
        }
    }
}
