// Licensed under the MIT License. See LICENSE in the repository root.
//
// COMPILE-ONLY SURFACE: never shipped, never run. The real package is not obtainable on the Linux build host, so this file
// declares exactly the members that samples/esp32-spi-fifo uses, with the signatures of the real package (checked against
// the kit's assembly by the device tier's surface check). Every body throws: the assembly exists only so that the sample
// can be compiled against nanoFramework mscorlib; it must never be deployed or packed.

using System;

namespace System.Device.Spi
{
    /// <summary>Surface of nanoFramework.System.Device.Spi 1.3.x: clock polarity and phase.</summary>
    public enum SpiMode
    {
        /// <summary>CPOL 0, CPHA 0.</summary>
        Mode0 = 0,

        /// <summary>CPOL 0, CPHA 1.</summary>
        Mode1 = 1,

        /// <summary>CPOL 1, CPHA 0.</summary>
        Mode2 = 2,

        /// <summary>CPOL 1, CPHA 1.</summary>
        Mode3 = 3,
    }

    /// <summary>Surface of nanoFramework.System.Device.Spi 1.3.x: how to reach one device on a bus.</summary>
    public sealed class SpiConnectionSettings
    {
        /// <summary>A device on bus <paramref name="busId"/> with its chip select on GPIO <paramref name="chipSelectLine"/>.</summary>
        public SpiConnectionSettings(int busId, int chipSelectLine = -1)
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>The clock mode.</summary>
        public SpiMode Mode
        {
            get { throw new NotSupportedException("Compile-only surface."); }
            set { throw new NotSupportedException("Compile-only surface."); }
        }

        /// <summary>The clock frequency in Hz.</summary>
        public int ClockFrequency
        {
            get { throw new NotSupportedException("Compile-only surface."); }
            set { throw new NotSupportedException("Compile-only surface."); }
        }
    }

    /// <summary>Surface of nanoFramework.System.Device.Spi 1.3.x: one device on an SPI bus.</summary>
    public class SpiDevice : IDisposable
    {
        private SpiDevice()
        {
        }

        /// <summary>Opens the device.</summary>
        public static SpiDevice Create(SpiConnectionSettings settings)
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>One full-duplex transaction, chip select held.</summary>
        public void TransferFullDuplex(SpanByte writeBuffer, SpanByte readBuffer)
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>Closes the device.</summary>
        public void Dispose()
        {
            throw new NotSupportedException("Compile-only surface.");
        }
    }
}
