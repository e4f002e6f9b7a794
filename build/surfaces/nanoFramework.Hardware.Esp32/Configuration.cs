// Licensed under the MIT License. See LICENSE in the repository root.
//
// COMPILE-ONLY SURFACE: never shipped, never run. The real package is not obtainable on the Linux build host, so this file
// declares exactly the members that samples/esp32-spi-fifo uses, with the signatures of the real package (checked against
// the kit's assembly by the device tier's surface check). Every body throws: the assembly exists only so that the sample
// can be compiled against nanoFramework mscorlib; it must never be deployed or packed.

using System;

namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Surface of nanoFramework.Hardware.Esp32 1.6.x: functions a GPIO pin can be routed to.</summary>
    public enum DeviceFunction
    {
        /// <summary>SPI bus 1, MOSI.</summary>
        SPI1_MOSI = 65792,

        /// <summary>SPI bus 1, MISO.</summary>
        SPI1_MISO = 65793,

        /// <summary>SPI bus 1, clock.</summary>
        SPI1_CLOCK = 65794,
    }

    /// <summary>Surface of nanoFramework.Hardware.Esp32 1.6.x: the ESP32's GPIO matrix.</summary>
    public class Configuration
    {
        /// <summary>Routes a device function to a pin.</summary>
        public static void SetPinFunction(int pin, DeviceFunction value)
        {
            throw new NotSupportedException("Compile-only surface.");
        }
    }
}
