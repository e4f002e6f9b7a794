// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace VirtualBoard
{
    /// <summary>
    /// The device tier's program for the nanoCLR kit's virtual board (build/device/run-device-tier.sh runs it on the
    /// 64-bit and the 32-bit interpreter with NANOCLR_GPIO_WIRES="2>0,4>5"): CallingContext in every kind of thread,
    /// the esp32-irq sample's own wiring and handlers for a bounded time, and (once the library calls it) the guard
    /// against blocking in a handler, and that the blocking members allocate nothing per call. Prints one CHECK line per verdict, REPORT lines with figures, and
    /// <c>BOARD DONE</c>.
    /// </summary>
    public static class BoardProgram
    {
        /// <summary>Entry point (the build's StartupObject; the sample's own Main is not run).</summary>
        public static void Main()
        {
            Console.WriteLine("virtual board: free heap at start " + NativeGC.Run(false).ToString() + " bytes");
            Checks checks = new Checks();
            CallingContextChecks.Run(checks);
            GuardChecks.Run(checks);
            SampleRun.Run(checks);
            AllocationChecks.Run(checks);
            Console.WriteLine("virtual board: free heap at the end " + NativeGC.Run(false).ToString() + " bytes");
            Console.WriteLine("BOARD DONE " + checks.Passed.ToString() + " passed, " + checks.Failed.ToString() + " failed");
        }
    }
}
