// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Threading;
using nanoFramework.Hardware.Esp32;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// What CallingContext.IsInterruptThread costs, against baselines timed in the same run: per call, net of an
    /// empty loop, the median of the rounds (DateTime.UtcNow around each batch). On the main thread (Normal: the
    /// getter only), on a thread at Highest (getter and setter), in a HighResTimer handler (the setter throws and the
    /// exception is caught), beside Thread.CurrentThread and its Priority getter, a TryAlloc + Free pair and an
    /// uncontended Alloc() + Free, the fast path of the blocking member a guard would precede. Then whether it
    /// allocates: collections counted over many calls (run it on an ESP32-sized heap, where garbage shows at once).
    /// </summary>
    internal static class CostFigures
    {
        private const int HandlerBatchDivisor = 20;

        private static int s_iterations;
        private static long[] s_rounds;
        private static int s_round;
        private static ManualResetEvent s_done;
        private static int s_sink;

        /// <summary>Times every figure: <paramref name="rounds"/> batches of <paramref name="iterations"/> calls each.</summary>
        internal static void Run(int rounds, int iterations, Results results)
        {
            Console.WriteLine("");
            Console.WriteLine("== CallingContext.IsInterruptThread cost: " + rounds.ToString() + " rounds of " + iterations.ToString()
                + " calls (in the handler " + (iterations / HandlerBatchDivisor).ToString() + "), ns per call net of the empty loop: median round / best round");
            s_iterations = iterations;
            long[] emptyRounds = Time(0, rounds, iterations);
            long empty = Median(emptyRounds);
            long emptyBest = Min(emptyRounds);
            Console.WriteLine(Text.Left("empty loop (raw, subtracted below)", 48) + Text.Right(Text.Hundredths(empty), 10) + " / " + Text.Hundredths(emptyBest));
            results.Add("cost.empty_loop_raw_ns_x100", empty, "x100");

            long current = Figure("Thread.CurrentThread", Time(1, rounds, iterations), empty, emptyBest, results, "cost.current_thread");
            Figure("Thread.CurrentThread.Priority", Time(2, rounds, iterations), empty, emptyBest, results, "cost.priority_getter");
            long onMain = Figure("IsInterruptThread(), main thread (Normal)", Time(3, rounds, iterations), empty, emptyBest, results, "cost.main");
            long pair = Figure("TryAlloc + Free (BlockPool 64 B x 16)", Time(4, rounds, iterations), empty, emptyBest, results, "cost.pair");
            long alloc = Figure("Alloc() + Free, uncontended", Time(5, rounds, iterations), empty, emptyBest, results, "cost.alloc_free");
            long atHighest = Figure("IsInterruptThread(), thread at Highest", OnThreadAtHighest(rounds, iterations), empty, emptyBest, results, "cost.highest");
            long inHandler = Figure("IsInterruptThread(), HighResTimer handler", InHandler(rounds, iterations / HandlerBatchDivisor), empty, emptyBest, results, "cost.handler");

            Console.WriteLine("ratios of the medians: main thread / TryAlloc+Free " + Ratio(onMain, pair) + ", main thread / Alloc()+Free " + Ratio(onMain, alloc)
                + ", thread at Highest / Alloc()+Free " + Ratio(atHighest, alloc) + ", handler / Alloc()+Free " + Ratio(inHandler, alloc)
                + ", main thread / Thread.CurrentThread " + Ratio(onMain, current));
            results.Add("cost.ratio.main_vs_alloc_free", alloc <= 0 ? 0 : onMain * 100 / alloc, "x100");
            results.Add("cost.ratio.highest_vs_alloc_free", alloc <= 0 ? 0 : atHighest * 100 / alloc, "x100");
            results.Add("cost.ratio.handler_vs_alloc_free", alloc <= 0 ? 0 : inHandler * 100 / alloc, "x100");
        }

        /// <summary>Counts collections over <paramref name="calls"/> calls on the main thread, at Highest and in a handler.</summary>
        internal static void Allocations(int calls, Results results)
        {
            Console.WriteLine("");
            Console.WriteLine("== does IsInterruptThread allocate? collections counted over " + calls.ToString() + " calls in each context");
            GcCounter collections = new GcCounter();
            nanoFramework.Runtime.Native.GC.Run(true);
            collections.Reset();
            for (int i = 0; i < calls; i++)
            {
                CallingContext.IsInterruptThread();
                collections.Poll();
            }

            int onMain = collections.Count;
            s_iterations = calls;
            s_done = new ManualResetEvent(false);
            Thread thread = new Thread(CountOnThisThread);
            thread.Priority = ThreadPriority.Highest;
            thread.Start();
            s_done.WaitOne();
            thread.Join();
            int atHighest = s_sink;

            s_iterations = calls;
            s_done = new ManualResetEvent(false);
            HighResTimer timer = new HighResTimer();
            timer.OnHighResTimerExpired += CountInHandler;
            timer.StartOneShot(1000);
            s_done.WaitOne();
            timer.Dispose();
            int inHandler = s_sink;
            Console.WriteLine("collections: main thread " + onMain.ToString() + ", thread at Highest " + atHighest.ToString() + ", handler "
                + inHandler.ToString() + " (each call there throws and catches an InvalidOperationException)");
            results.Add("alloc.main_collections", onMain, "n");
            results.Add("alloc.highest_collections", atHighest, "n");
            results.Add("alloc.handler_collections", inHandler, "n");
        }

        private static string Ratio(long a, long b)
        {
            return b <= 0 ? "-" : Text.Hundredths(a * 100 / b) + "x";
        }

        // Prints and records one figure (median and best round, net of the empty loop's); returns the median.
        private static long Figure(string label, long[] rounds, long empty, long emptyBest, Results results, string key)
        {
            long net = Median(rounds) - empty;
            long best = Min(rounds) - emptyBest;
            Console.WriteLine(Text.Left(label, 48) + Text.Right(Text.Hundredths(net), 10) + " / " + Text.Hundredths(best));
            results.Add(key + "_ns_x100", net, "x100");
            results.Add(key + "_best_ns_x100", best, "x100");
            return net;
        }

        // Each round's time per iteration, in hundredths of a ns.
        private static long[] Time(int body, int rounds, int iterations)
        {
            BlockPool pool = new BlockPool(64, 16);
            long[] perRound = new long[rounds];
            for (int r = 0; r < rounds; r++)
            {
                nanoFramework.Runtime.Native.GC.Run(false);
                long t0 = DateTime.UtcNow.Ticks;
                Batch(body, iterations, pool);
                long t1 = DateTime.UtcNow.Ticks;
                perRound[r] = (t1 - t0) * 10000 / iterations;
            }

            return perRound;
        }

        private static void Batch(int body, int iterations, BlockPool pool)
        {
            int sink = 0;
            switch (body)
            {
                case 0:
                    for (int i = 0; i < iterations; i++)
                    {
                    }

                    break;
                case 1:
                    for (int i = 0; i < iterations; i++)
                    {
                        if (Thread.CurrentThread == null)
                        {
                            sink++;
                        }
                    }

                    break;
                case 2:
                    for (int i = 0; i < iterations; i++)
                    {
                        sink += (int)Thread.CurrentThread.Priority;
                    }

                    break;
                case 3:
                    for (int i = 0; i < iterations; i++)
                    {
                        if (CallingContext.IsInterruptThread())
                        {
                            sink++;
                        }
                    }

                    break;
                case 4:
                    for (int i = 0; i < iterations; i++)
                    {
                        Block block;
                        pool.TryAlloc(out block);
                        pool.Free(block);
                    }

                    break;
                default:
                    for (int i = 0; i < iterations; i++)
                    {
                        pool.Free(pool.Alloc());
                    }

                    break;
            }

            s_sink = sink;
        }

        private static long[] OnThreadAtHighest(int rounds, int iterations)
        {
            s_rounds = new long[rounds];
            s_iterations = iterations;
            Thread thread = new Thread(TimeOnThisThread);
            thread.Priority = ThreadPriority.Highest;
            thread.Start();
            thread.Join();
            return s_rounds;
        }

        private static void TimeOnThisThread()
        {
            BlockPool pool = new BlockPool(64, 1);
            for (int r = 0; r < s_rounds.Length; r++)
            {
                long t0 = DateTime.UtcNow.Ticks;
                Batch(3, s_iterations, pool);
                long t1 = DateTime.UtcNow.Ticks;
                s_rounds[r] = (t1 - t0) * 10000 / s_iterations;
            }
        }

        private static long[] InHandler(int rounds, int iterations)
        {
            s_rounds = new long[rounds];
            s_iterations = iterations;
            HighResTimer timer = new HighResTimer();
            timer.OnHighResTimerExpired += TimeInHandler;
            for (s_round = 0; s_round < rounds; s_round++)
            {
                s_done = new ManualResetEvent(false);
                timer.StartOneShot(1000);
                s_done.WaitOne();
            }

            timer.Dispose();
            return s_rounds;
        }

        private static void TimeInHandler(HighResTimer sender, object e)
        {
            BlockPool pool = null;
            long t0 = DateTime.UtcNow.Ticks;
            Batch(3, s_iterations, pool);
            long t1 = DateTime.UtcNow.Ticks;
            s_rounds[s_round] = (t1 - t0) * 10000 / s_iterations;
            s_done.Set();
        }

        private static void CountOnThisThread()
        {
            GcCounter collections = new GcCounter();
            for (int i = 0; i < s_iterations; i++)
            {
                CallingContext.IsInterruptThread();
                collections.Poll();
            }

            s_sink = collections.Count;
            s_done.Set();
        }

        private static void CountInHandler(HighResTimer sender, object e)
        {
            GcCounter collections = new GcCounter();
            for (int i = 0; i < s_iterations; i++)
            {
                CallingContext.IsInterruptThread();
                collections.Poll();
            }

            s_sink = collections.Count;
            s_done.Set();
        }

        private static long Min(long[] values)
        {
            long min = long.MaxValue;
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] < min)
                {
                    min = values[i];
                }
            }

            return min;
        }

        private static long Median(long[] values)
        {
            long[] sorted = new long[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                long v = values[i];
                int j = i - 1;
                while (j >= 0 && sorted[j] > v)
                {
                    sorted[j + 1] = sorted[j];
                    j--;
                }

                sorted[j + 1] = v;
            }

            return sorted[sorted.Length / 2];
        }
    }
}
