// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace Esp32SpiFifo
{
    /// <summary>
    /// An InvenSense MPU-6500 (also the accelerometer inside an MPU-9250) on SPI, set up to sample its accelerometer
    /// into its 512-byte FIFO and pulse its INT pin at every sample: the register-level part of the sample, with no
    /// pool in it. Frames are 6 bytes: X, Y, Z, each a big-endian <c>short</c> (8192 per g at +-4 g).
    /// </summary>
    /// <remarks>
    /// SPI: mode 3, at most 1 MHz for every register; a register address with bit 7 set reads, clear writes; the
    /// address auto-increments, except at FIFO_R_W, where every byte read takes the next byte out of the FIFO. So one
    /// transfer of 1 + 6n bytes from FIFO_R_W drains n frames; the byte clocked in while the address goes out carries
    /// nothing. The FIFO stops taking samples when full (CONFIG.FIFO_MODE = 1), so <see cref="ResetFifo"/> is how to
    /// start again in step after an overflow. One caller at a time: <see cref="Configure"/> before the data-ready
    /// handler is wired, the other members from that handler.
    /// </remarks>
    public sealed class Mpu6500Fifo
    {
        /// <summary>Bytes per FIFO frame: accelerometer X, Y, Z.</summary>
        public const int FrameSize = 6;

        /// <summary>The FIFO's size in bytes.</summary>
        public const int FifoSize = 512;

        /// <summary>WHO_AM_I of an MPU-6500.</summary>
        public const byte WhoAmIMpu6500 = 0x70;

        /// <summary>WHO_AM_I of an MPU-9250 (an MPU-6500 and a magnetometer in one package).</summary>
        public const byte WhoAmIMpu9250 = 0x71;

        /// <summary>WHO_AM_I of an MPU-9255.</summary>
        public const byte WhoAmIMpu9255 = 0x73;

        // Registers (MPU-6500 register map, revision 2.1).
        internal const byte SmplrtDiv = 0x19;
        internal const byte Config = 0x1A;
        internal const byte AccelConfig = 0x1C;
        internal const byte AccelConfig2 = 0x1D;
        internal const byte FifoEn = 0x23;
        internal const byte IntPinCfg = 0x37;
        internal const byte IntEnable = 0x38;
        internal const byte UserCtrl = 0x6A;
        internal const byte PwrMgmt1 = 0x6B;
        internal const byte FifoCountH = 0x72;
        internal const byte FifoRW = 0x74;
        internal const byte WhoAmI = 0x75;

        internal const byte ReadBit = 0x80;

        // USER_CTRL: FIFO on, I2C off (SPI only), FIFO reset (clears itself).
        internal const byte UserCtrlFifoEn = 0x40;
        internal const byte UserCtrlI2cIfDis = 0x10;
        internal const byte UserCtrlFifoRst = 0x04;

        private readonly ISpiTransfer _spi;
        private readonly int _maxFrames;

        // Preallocated so that the handler's calls allocate nothing here: the FIFO burst's command (the read address,
        // then zeros), the count read's command, and a scratch for register writes and short replies.
        private readonly byte[] _burst;
        private readonly byte[] _countCommand = new byte[] { FifoCountH | ReadBit, 0, 0 };
        private readonly byte[] _command = new byte[3];
        private readonly byte[] _reply = new byte[3];

        /// <summary>Creates the driver; nothing is sent until <see cref="Configure"/>. Threads only.</summary>
        /// <param name="spi">The bus, with the sensor's chip select.</param>
        /// <param name="maxFrames">The most frames one <see cref="ReadFrames"/> will be asked for.</param>
        public Mpu6500Fifo(ISpiTransfer spi, int maxFrames)
        {
            if (spi == null)
            {
                throw new ArgumentNullException("spi");
            }

            if (maxFrames < 1 || maxFrames > FifoSize / FrameSize)
            {
                throw new ArgumentOutOfRangeException("maxFrames");
            }

            _spi = spi;
            _maxFrames = maxFrames;
            _burst = new byte[1 + (maxFrames * FrameSize)];
            _burst[0] = FifoRW | ReadBit;
        }

        /// <summary>
        /// Resets the chip and starts sampling the accelerometer (+-4 g) at 1 kHz / (1 + <paramref name="sampleRateDivider"/>)
        /// into an empty FIFO, with an INT pulse (active high, 50 us) at every sample. Threads only: it sleeps 100 ms
        /// after the reset.
        /// </summary>
        /// <returns>The chip's WHO_AM_I.</returns>
        /// <exception cref="InvalidOperationException">No MPU-6500 answered (WHO_AM_I is none of the three).</exception>
        public byte Configure(byte sampleRateDivider)
        {
            WriteRegister(PwrMgmt1, 0x80);            // H_RESET
            Thread.Sleep(100);
            WriteRegister(PwrMgmt1, 0x01);            // clock: the best available
            WriteRegister(UserCtrl, UserCtrlI2cIfDis);
            byte id = ReadRegister(WhoAmI);
            if (id != WhoAmIMpu6500 && id != WhoAmIMpu9250 && id != WhoAmIMpu9255)
            {
                throw new InvalidOperationException("No MPU-6500 on the SPI bus: WHO_AM_I reads 0x" + Hex(id)
                    + ", not 0x70, 0x71 or 0x73. Check the wiring and the chip select.");
            }

            WriteRegister(Config, 0x41);              // FIFO_MODE: stop when full; DLPF_CFG 1 (1 kHz internal rate)
            WriteRegister(SmplrtDiv, sampleRateDivider);
            WriteRegister(AccelConfig, 0x08);         // +-4 g
            WriteRegister(AccelConfig2, 0x01);        // accelerometer low-pass on, 1 kHz
            WriteRegister(IntPinCfg, 0x00);           // INT active high, push-pull, 50 us pulse
            WriteRegister(FifoEn, 0x08);              // the accelerometer's X, Y, Z into the FIFO
            WriteRegister(UserCtrl, UserCtrlFifoEn | UserCtrlI2cIfDis | UserCtrlFifoRst);
            WriteRegister(IntEnable, 0x01);           // RAW_RDY_EN: a pulse at every sample
            return id;
        }

        /// <summary>Bytes waiting in the FIFO (0 to 512). Any context: one 3-byte transfer, allocates nothing here.</summary>
        public int FifoCount()
        {
            _spi.TransferFullDuplex(_countCommand, _reply, 0, 3);
            return ((_reply[1] & 0x1F) << 8) | _reply[2];
        }

        /// <summary>
        /// Takes <paramref name="frames"/> frames out of the FIFO in one transfer of 1 + 6 x frames bytes, into
        /// <paramref name="into"/> from <paramref name="at"/>: <c>into[at]</c> gets the meaningless byte clocked in
        /// while the address went out (the caller overwrites it), the frames follow from <c>at + 1</c>. Any context.
        /// </summary>
        public void ReadFrames(byte[] into, int at, int frames)
        {
            if (frames < 1 || frames > _maxFrames)
            {
                throw new ArgumentOutOfRangeException("frames");
            }

            _spi.TransferFullDuplex(_burst, into, at, 1 + (frames * FrameSize));
        }

        /// <summary>Empties the FIFO, so that it takes samples again, frame-aligned. Any context: one 2-byte transfer.</summary>
        public void ResetFifo()
        {
            WriteRegister(UserCtrl, UserCtrlFifoEn | UserCtrlI2cIfDis | UserCtrlFifoRst);
        }

        private void WriteRegister(byte register, byte value)
        {
            _command[0] = register;
            _command[1] = value;
            _spi.TransferFullDuplex(_command, _reply, 0, 2);
        }

        private byte ReadRegister(byte register)
        {
            _command[0] = (byte)(register | ReadBit);
            _command[1] = 0;
            _spi.TransferFullDuplex(_command, _reply, 0, 2);
            return _reply[1];
        }

        private static string Hex(byte value)
        {
            const string Digits = "0123456789ABCDEF";
            return Digits[value >> 4].ToString() + Digits[value & 15].ToString();
        }
    }
}
