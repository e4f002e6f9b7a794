// Licensed under the MIT License. See LICENSE in the repository root.
//
// COMPILE-ONLY SURFACE: never shipped, never run. The real package is not obtainable on the Linux build host, so this file
// declares exactly the members that samples/esp32-irq uses, with the signatures of the real package (see
// ../shared/docs/nanoframework-platform.md). Every body throws: the assembly exists only so that the sample can
// be compiled against nanoFramework mscorlib; it must never be deployed or packed.

using System;
using nanoFramework.Runtime.Events;

namespace System.Device.Gpio
{
    /// <summary>Surface of nanoFramework.System.Device.Gpio 1.1.x: pin modes.</summary>
    public enum PinMode
    {
        /// <summary>Input.</summary>
        Input,

        /// <summary>Input with pull-down.</summary>
        InputPullDown,

        /// <summary>Input with pull-up.</summary>
        InputPullUp,

        /// <summary>Output.</summary>
        Output,

        /// <summary>Open-drain output.</summary>
        OutputOpenDrain,

        /// <summary>Open-drain output with pull-up.</summary>
        OutputOpenDrainPullUp,

        /// <summary>Open-source output.</summary>
        OutputOpenSource,

        /// <summary>Open-source output with pull-down.</summary>
        OutputOpenSourcePullDown,
    }

    /// <summary>Surface of nanoFramework.System.Device.Gpio 1.1.x: edge kinds.</summary>
    [Flags]
    public enum PinEventTypes
    {
        /// <summary>No edge.</summary>
        None = 0,

        /// <summary>Low to high.</summary>
        Rising = 1,

        /// <summary>High to low.</summary>
        Falling = 2,
    }

    /// <summary>Surface of nanoFramework.System.Device.Gpio 1.1.x: handler of <see cref="GpioPin.ValueChanged"/>.</summary>
    public delegate void PinValueChangedEventHandler(object sender, PinValueChangedEventArgs e);

    /// <summary>Surface of nanoFramework.System.Device.Gpio 1.1.x: an edge on a pin (a native event, not EventArgs).</summary>
    public class PinValueChangedEventArgs : BaseEvent
    {
        /// <summary>Creates the event data.</summary>
        public PinValueChangedEventArgs(PinEventTypes changeType, int pinNumber)
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>The kind of edge.</summary>
        public PinEventTypes ChangeType
        {
            get { throw new NotSupportedException("Compile-only surface."); }
        }

        /// <summary>The pin that changed.</summary>
        public int PinNumber
        {
            get { throw new NotSupportedException("Compile-only surface."); }
        }
    }

    /// <summary>Surface of nanoFramework.System.Device.Gpio 1.1.x: one open pin.</summary>
    public sealed class GpioPin : IDisposable
    {
        private GpioPin()
        {
        }

        /// <summary>Raised on the managed interrupt thread for each edge.</summary>
        public event PinValueChangedEventHandler ValueChanged
        {
            add { throw new NotSupportedException("Compile-only surface."); }
            remove { throw new NotSupportedException("Compile-only surface."); }
        }

        /// <summary>Closes the pin.</summary>
        public void Dispose()
        {
            throw new NotSupportedException("Compile-only surface.");
        }
    }

    /// <summary>Surface of nanoFramework.System.Device.Gpio 1.1.x: opens pins.</summary>
    public sealed class GpioController : IDisposable
    {
        /// <summary>Creates a controller with logical pin numbering.</summary>
        public GpioController()
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>Opens a pin in the given mode.</summary>
        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            throw new NotSupportedException("Compile-only surface.");
        }

        /// <summary>Closes every pin.</summary>
        public void Dispose()
        {
            throw new NotSupportedException("Compile-only surface.");
        }
    }
}
