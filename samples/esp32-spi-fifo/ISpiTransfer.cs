// Licensed under the MIT License. See LICENSE in the repository root.

namespace Esp32SpiFifo
{
    /// <summary>
    /// The SPI bus as the sensor driver sees it: one full-duplex transaction, chip select held from its first byte to
    /// its last. On the board <c>SpiBus</c> passes it to nanoFramework's <c>SpiDevice</c>; the host simulation answers
    /// as an MPU-6500 would.
    /// </summary>
    public interface ISpiTransfer
    {
        /// <summary>
        /// Clocks out <paramref name="write"/>[0 .. <paramref name="count"/>) while clocking <paramref name="count"/>
        /// bytes in to <paramref name="read"/>[<paramref name="readAt"/> .. <paramref name="readAt"/> + count).
        /// </summary>
        void TransferFullDuplex(byte[] write, byte[] read, int readAt, int count);
    }
}
