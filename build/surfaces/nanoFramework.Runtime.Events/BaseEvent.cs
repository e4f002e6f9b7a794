// Licensed under the MIT License. See LICENSE in the repository root.
//
// COMPILE-ONLY SURFACE: never shipped, never run. The real package is not obtainable on the Linux build host, so this file
// declares exactly the members that samples/esp32-irq uses, with the signatures of the real package (see
// ../shared/docs/nanoframework-platform.md). Every body throws: the assembly exists only so that the sample can
// be compiled against nanoFramework mscorlib; it must never be deployed or packed.

namespace nanoFramework.Runtime.Events
{
    /// <summary>Surface of nanoFramework.Runtime.Events 1.11.x: the base of every native event.</summary>
    public class BaseEvent
    {
        /// <summary>The event source.</summary>
        public ushort Source;

        /// <summary>The event message.</summary>
        public byte Message;
    }
}
