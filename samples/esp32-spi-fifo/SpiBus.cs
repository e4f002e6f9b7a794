// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Device.Spi;

namespace Esp32SpiFifo
{
    /// <summary>
    /// nanoFramework's <see cref="SpiDevice"/> as the sensor driver's <see cref="ISpiTransfer"/>: the block's buffer
    /// goes to the driver through a <c>SpanByte</c> over exactly the bytes of the transfer. Device only (the host
    /// simulation has its own <see cref="ISpiTransfer"/>).
    /// </summary>
    internal sealed class SpiBus : ISpiTransfer
    {
        private readonly SpiDevice _device;

        internal SpiBus(SpiDevice device)
        {
            _device = device;
        }

        /// <summary>One transaction, chip select held throughout. Any context (the driver waits for the bus).</summary>
        public void TransferFullDuplex(byte[] write, byte[] read, int readAt, int count)
        {
            SpanByte output = new SpanByte(write, 0, count);
            SpanByte input = new SpanByte(read, readAt, count);
            _device.TransferFullDuplex(output, input);
        }
    }
}
