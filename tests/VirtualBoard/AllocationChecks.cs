// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using NanoMempool;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace VirtualBoard
{
    /// <summary>
    /// The blocking members allocate nothing per call on nanoCLR once warmed up: Alloc() and Alloc(ms) with a free
    /// block, Dequeue(ms) with a block queued, Dequeue(ms) timing out on an empty queue, Alloc() served by a hand-off
    /// from another thread and Dequeue() served by a producer thread, each run many times on the main thread with the
    /// free heap held down to about 12 KB by a ballast, so that every 12 KB of garbage forces a collection; collections
    /// are counted with a sentinel held only by a WeakReference. Each case must see none. Two calibrations in the same
    /// heap show the method sees what it looks for: a new object per call, and a call that is passed two string
    /// literals (on nanoCLR each ldstr makes a String object), each must see at least one collection. The call counts
    /// are chosen so that 24 B per call (the smallest allocation looked for, two ldstr on the 32-bit interpreter)
    /// adds up to more than the free heap; the run is deterministic (one thread allocates at a time, no timers).
    /// </summary>
    internal static class AllocationChecks
    {
        private const string Part = "allocation";
        // About 12 KB free: with 15 KB free each waiting case caused no collection in 3000 calls, but with 3 KB free a
        // hand-off caused one per call and then ran out of memory (the interpreter's own needs on a nearly full heap,
        // not garbage). 2000 and 600 calls of 24 B are 48 and 14.4 KB, more than 12 KB.
        private const int FreeTarget = 12288;
        private const int FreeLimit = 13312;
        private const int Calls = 2000;
        private const int WaitingCalls = 600;
        private const int Cases = 8;

        private static BlockPool s_pool;
        private static BlockPool s_single;
        private static BlockQueue s_queue;
        private static AutoResetEvent s_go;
        private static AutoResetEvent s_taken;
        private static int s_helperJob;
        private static object s_sink;
        private static object s_ballast;
        private static WeakReference s_sentinel;
        private static int s_collections;
        private static int[] s_counts;

        private const int Stop = 0;
        private const int HoldThenFree = 1;
        private const int Produce = 2;

        /// <summary>Runs every case and prints one verdict each. Main thread.</summary>
        internal static void Run(Checks checks)
        {
            s_pool = new BlockPool(64, 4);
            s_single = new BlockPool(64, 1);
            s_queue = new BlockQueue(2);
            s_go = new AutoResetEvent(false);
            s_taken = new AutoResetEvent(false);
            Thread helper = new Thread(Helper);
            helper.Start();

            // Warm-up: every case a few times, so that one-time allocations (the waiter records, the Thread objects)
            // happen before the measurement.
            for (int c = 0; c <= 7; c++)
            {
                for (int i = 0; i < 3; i++)
                {
                    Step(c);
                }
            }

            long free = HoldDownFreeHeap();
            bool heapReady = free >= 0 && free <= FreeLimit;
            checks.That(heapReady, Part, "free heap held down to about 12 KB", "free " + free.ToString() + " B after the ballast");
            s_counts = new int[Cases];
            if (heapReady)
            {
                Expect(checks, 0, "new object() per call (calibration)", Calls, true);
                Expect(checks, 1, "a call passed two string literals (calibration)", WaitingCalls, true);
                Expect(checks, 2, "Alloc() + Free, a block free", Calls, false);
                Expect(checks, 3, "Alloc(100) + Free, a block free", Calls, false);
                Expect(checks, 4, "TryAlloc + TryEnqueue + Dequeue(100) + Free, a block queued", Calls, false);
                Expect(checks, 5, "Dequeue(1) timing out on an empty queue", WaitingCalls, false);
                Expect(checks, 6, "Alloc() served by a hand-off from a thread", WaitingCalls, false);
                Expect(checks, 7, "Dequeue() served by a producer thread", WaitingCalls, false);
            }

            s_ballast = null;
            string figures = "free " + free.ToString() + " B; collections per case:";
            for (int c = 0; c < Cases; c++)
            {
                figures += " " + s_counts[c].ToString();
            }

            checks.Report(Part, figures + " (calibrations first)");
            s_helperJob = Stop;
            s_go.Set();
            helper.Join();
            NativeGC.Run(false);
        }

        // Runs case c calls times on the main thread, counts collections, prints one verdict: at least one expected
        // when allocates, else none.
        private static void Expect(Checks checks, int c, string name, int calls, bool allocates)
        {
            s_sentinel = new WeakReference(new object());
            s_collections = 0;
            for (int i = 0; i < calls; i++)
            {
                Step(c);
                if (!s_sentinel.IsAlive)
                {
                    s_collections++;
                    s_sentinel = new WeakReference(new object());
                }
            }

            s_counts[c] = s_collections;
            bool ok = allocates ? s_collections > 0 : s_collections == 0;
            checks.That(ok, Part, name, s_collections.ToString() + " collections in " + calls.ToString() + " calls");
        }

        private static void Step(int c)
        {
            Block block;
            switch (c)
            {
                case 0:
                    s_sink = new object();
                    break;
                case 1:
                    TwoStrings("BlockPool.Alloc", "In a handler call TryAlloc.");
                    break;
                case 2:
                    s_pool.Free(s_pool.Alloc());
                    break;
                case 3:
                    s_pool.Free(s_pool.Alloc(100));
                    break;
                case 4:
                    s_pool.TryAlloc(out block);
                    s_queue.TryEnqueue(block);
                    s_pool.Free(s_queue.Dequeue(100));
                    break;
                case 5:
                    s_queue.Dequeue(1);
                    break;
                case 6:
                    // The helper takes the only block, says so, sleeps, frees it: this Alloc() waits and is handed it.
                    s_helperJob = HoldThenFree;
                    s_go.Set();
                    s_taken.WaitOne();
                    s_single.Free(s_single.Alloc());
                    break;
                case 7:
                    s_helperJob = Produce;
                    s_go.Set();
                    s_pool.Free(s_queue.Dequeue());
                    break;
            }
        }

        private static void TwoStrings(string member, string instead)
        {
            s_sink = null;
        }

        private static void Helper()
        {
            while (true)
            {
                s_go.WaitOne();
                Block block;
                switch (s_helperJob)
                {
                    case Stop:
                        return;
                    case HoldThenFree:
                        s_single.TryAlloc(out block);
                        s_taken.Set();
                        Thread.Sleep(1);
                        s_single.Free(block);
                        break;
                    case Produce:
                        Thread.Sleep(1);
                        s_pool.TryAlloc(out block);
                        s_queue.TryEnqueue(block);
                        break;
                }
            }
        }

        // Compacts the heap and fills it with byte arrays, chained from s_ballast, until about FreeTarget bytes are
        // free: in rounds, each taking about half the excess and then reading the free bytes; returns the free bytes
        // then, or -1 if an array did not fit. Arrays of 16 KB while more than 64 KB is free, then of 1 KB: nanoCLR's
        // heap is made of clusters and an object does not span two, so the last free bytes are in small pieces.
        private static long HoldDownFreeHeap()
        {
            NativeGC.Run(true);
            try
            {
                while (true)
                {
                    long free = NativeGC.Run(false);
                    long excess = free - FreeTarget;
                    if (excess <= 256)
                    {
                        return free;
                    }

                    int size = excess > 65536 ? 16384 : (excess > 2048 ? 1024 : (int)(excess / 2));
                    long arrays = (excess / 2) / (size + 256);
                    if (arrays < 1)
                    {
                        arrays = 1;
                    }
                    for (long i = 0; i < arrays; i++)
                    {
                        Chain(size);
                    }
                }
            }
            catch (OutOfMemoryException)
            {
                s_ballast = null;
                return -1;
            }
        }

        private static void Chain(int bytes)
        {
            object[] node = new object[2];
            node[0] = new byte[bytes];
            node[1] = s_ballast;
            s_ballast = node;
        }
    }
}
