// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;

namespace NanoMempool
{
    // Tells whether the caller runs on nanoCLR's interrupt thread, the one thread on which GPIO
    // ValueChanged, HighResTimer and every other native-event handler run, where a wait stalls
    // every other interrupt. Any context.
    internal static class CallingContext
    {
        // How it tells (nf-interpreter, src/CLR): the CLR starts its own threads with EnsureSystemThread, which
        // gives them the flag TH_F_System: the interrupt thread (CLR_HW_Hardware::SpawnDispatcher) at priority
        // System_Highest (5), the static-constructor thread at System_Highest too, the System.Threading.Timer
        // thread at Normal, the finalizer thread at BelowNormal. The main thread and every thread the application
        // starts come from NewThread without that flag, at Lowest..Highest (0..4). Managed code sees neither the
        // flag nor priority 5 directly, but two natives of System.Threading.Thread depend on them:
        //   - get_Priority returns the running thread's priority clamped to Lowest..Highest: System_Highest reads
        //     Highest;
        //   - set_Priority refuses a system thread's Thread object with CLR_E_INVALID_OPERATION
        //     (InvalidOperationException) before it changes anything; on any other thread, setting the priority
        //     it already has changes nothing (SetThreadPriority writes the same value, and there is no reschedule
        //     unless the new priority is higher).
        // So "reads Highest, and refuses to be set" is exactly "a CLR system thread at System_Highest": the
        // interrupt thread, or the static-constructor thread (which runs the static constructors before Main, and
        // while it waits nanoCLR runs no other thread at all). Thread.CurrentThread.ManagedThreadId cannot tell:
        // it is 0 on every thread whose Thread object nanoCLR made for Thread.CurrentThread, which includes the
        // main thread and an application thread whose own Thread object was collected.
        // On host .NET the setter never refuses, so the answer is always false.

        // True on nanoCLR's interrupt thread (a GPIO ValueChanged or HighResTimer handler) and on its
        // static-constructor thread; false on the main thread and every thread the application starts, at any
        // priority, in System.Threading.Timer callbacks and finalizers, and always on host .NET. Any context,
        // never waits. When false it makes two or three native calls and allocates nothing (but
        // Thread.CurrentThread makes a new Thread object after a collection has freed the last one
        // for this thread); when true it also throws and catches an InvalidOperationException.
        internal static bool IsInterruptThread()
        {
            Thread current = Thread.CurrentThread;
            if (current.Priority != ThreadPriority.Highest)
            {
                return false;
            }

            try
            {
                current.Priority = ThreadPriority.Highest;
                return false;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }

        // The guard of every member that may block, thrown when IsInterruptThread() is true: waiting there would
        // stall every other native event (Linux catches the same mistake with might_sleep() in mempool_alloc). The
        // message names the member and what to call instead. Callers write
        //     if (CallingContext.IsInterruptThread()) { throw CallingContext.BlockingInHandler("...", "..."); }
        // so that the two string literals are loaded only on the throw path: on nanoCLR every ldstr makes a new
        // String object (12 B on a 32-bit device), which would cost a blocking member 24 B of garbage per call.
        internal static InvalidOperationException BlockingInHandler(string member, string instead)
        {
            return new InvalidOperationException(
                member + " may block, and it was called on nanoFramework's interrupt thread (a GPIO or HighResTimer handler), where a wait stalls every other interrupt. " + instead);
        }
    }
}
