// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Esp32Irq.Host
{
    /// <summary>One pool size tried by the sweep.</summary>
    public sealed class SweepPoint
    {
        public int PoolSize;
        public int QueueCapacity;
        public int Events;
        public int DroppedPoolEmpty;
        public int DroppedQueueFull;
        public long P99AgeMicroseconds;
        public long MaxAgeMicroseconds;
        public int PoolPeakInUse;

        /// <summary>What the pool and the queue cost in RAM on a 32-bit ESP32 (<see cref="DeviceRam"/>).</summary>
        public int PoolBytes;
        public int QueueBytes;

        public int TotalBytes
        {
            get { return PoolBytes + QueueBytes; }
        }

        public int Dropped
        {
            get { return DroppedPoolEmpty + DroppedQueueFull; }
        }
    }

    /// <summary>
    /// Runs the load in simulated time for every pool size from the smallest allowed up to --sweep-max and finds the
    /// smallest with zero drops, and its RAM. With --queue unset the queue is pool - 4 (at least 1), as on the board.
    /// </summary>
    public sealed class SweepResult
    {
        public List<SweepPoint> Points = new List<SweepPoint>();

        /// <summary>The smallest pool size with zero drops, or -1 if none up to --sweep-max.</summary>
        public int Answer = -1;

        /// <summary>True when every size tried from <see cref="Answer"/> up also had zero drops.</summary>
        public bool ZeroDropsFromAnswerUp;

        public static SweepResult Run(Options o)
        {
            SweepResult result = new SweepResult();
            int first = Math.Max(2, o.QueueCapacity + 1);
            for (int n = first; n <= o.SweepMax; n++)
            {
                SimulationResult r = VirtualSimulation.Run(o, n);
                string error = r.AccountingError();
                if (error != null)
                {
                    throw new InvalidOperationException("pool " + n + ": " + error);
                }

                long[] ages = SimulationResult.Sorted(r.SampleAgeMicroseconds);
                SweepPoint p = new SweepPoint();
                p.PoolSize = n;
                p.QueueCapacity = r.QueueCapacity;
                p.Events = r.Events;
                p.DroppedPoolEmpty = r.DroppedPoolEmpty;
                p.DroppedQueueFull = r.DroppedQueueFull;
                p.P99AgeMicroseconds = Stats.Percentile(ages, 99);
                p.MaxAgeMicroseconds = Stats.Max(ages);
                p.PoolPeakInUse = r.PoolPeakInUse;
                p.PoolBytes = DeviceRam.Pool(o.BlockSize, n);
                p.QueueBytes = DeviceRam.Queue(r.QueueCapacity);
                result.Points.Add(p);
            }

            foreach (SweepPoint p in result.Points)
            {
                if (p.Dropped == 0)
                {
                    result.Answer = p.PoolSize;
                    break;
                }
            }

            result.ZeroDropsFromAnswerUp = result.Answer > 0 && result.Points.TrueForAll(p => p.PoolSize < result.Answer || p.Dropped == 0);
            return result;
        }

        /// <summary>A table of the points, for the console.</summary>
        public string Table()
        {
            StringBuilder s = new StringBuilder();
            s.AppendLine(" pool  queue  dropped  pool-empty  queue-full  latency-p99-ms  latency-max-ms  peak-in-use  pool-B  queue-B  RAM-B");
            foreach (SweepPoint p in Points)
            {
                s.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,5}  {1,5}  {2,7}  {3,10}  {4,10}  {5,14:F2}  {6,14:F2}  {7,11}  {8,6}  {9,7}  {10,5}",
                    p.PoolSize, p.QueueCapacity, p.Dropped, p.DroppedPoolEmpty, p.DroppedQueueFull,
                    p.P99AgeMicroseconds / 1000.0, p.MaxAgeMicroseconds / 1000.0, p.PoolPeakInUse, p.PoolBytes, p.QueueBytes, p.TotalBytes));
            }

            return s.ToString();
        }

        /// <summary>An SVG plot of drops (left axis) and p99 sample latency (right axis) against pool size.</summary>
        public string Svg(string title)
        {
            const int W = 760, H = 450, L = 70, R = 70, T = 60, B = 60;
            int plotW = W - L - R, plotH = H - T - B;
            int minX = Points[0].PoolSize, maxX = Points[Points.Count - 1].PoolSize;
            double maxDrops = 1, maxAge = 0.001;
            foreach (SweepPoint p in Points)
            {
                maxDrops = Math.Max(maxDrops, p.Dropped);
                maxAge = Math.Max(maxAge, p.P99AgeMicroseconds / 1000.0);
            }

            maxDrops = Nice(maxDrops);
            maxAge = Nice(maxAge);
            Func<double, double> x = v => L + (maxX == minX ? plotW / 2.0 : (v - minX) * plotW / (maxX - minX));
            Func<double, double> yDrops = v => T + plotH - (v * plotH / maxDrops);
            Func<double, double> yAge = v => T + plotH - (v * plotH / maxAge);
            CultureInfo c = CultureInfo.InvariantCulture;

            StringBuilder s = new StringBuilder();
            s.AppendLine("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + W + "\" height=\"" + H + "\" viewBox=\"0 0 " + W + " " + H + "\" font-family=\"sans-serif\" font-size=\"12\">");
            s.AppendLine("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
            s.AppendLine("<text x=\"" + (W / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" + Escape(title) + "</text>");
            s.AppendLine(string.Format(c, "<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\" fill=\"none\" stroke=\"#444\"/>", L, T, plotW, plotH));
            for (int i = 0; i <= 5; i++)
            {
                double fy = T + plotH - (i * plotH / 5.0);
                s.AppendLine(string.Format(c, "<line x1=\"{0}\" y1=\"{1:F1}\" x2=\"{2}\" y2=\"{1:F1}\" stroke=\"#ddd\"/>", L, fy, L + plotW));
                s.AppendLine(string.Format(c, "<text x=\"{0}\" y=\"{1:F1}\" text-anchor=\"end\" fill=\"#c0392b\">{2}</text>", L - 6, fy + 4, Label(maxDrops * i / 5)));
                s.AppendLine(string.Format(c, "<text x=\"{0}\" y=\"{1:F1}\" fill=\"#2471a3\">{2}</text>", L + plotW + 6, fy + 4, Label(maxAge * i / 5)));
            }

            int step = Math.Max(1, (maxX - minX) / 10);
            for (int v = minX; v <= maxX; v += step)
            {
                s.AppendLine(string.Format(c, "<text x=\"{0:F1}\" y=\"{1}\" text-anchor=\"middle\">{2}</text>", x(v), T + plotH + 18, v));
            }

            s.AppendLine(string.Format(c, "<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\">pool size (blocks){2}</text>", L + (plotW / 2), H - 18, QueueNote()));
            s.AppendLine(string.Format(c, "<text transform=\"translate(18,{0}) rotate(-90)\" text-anchor=\"middle\" fill=\"#c0392b\">dropped samples</text>", T + (plotH / 2)));
            s.AppendLine(string.Format(c, "<text transform=\"translate({0},{1}) rotate(90)\" text-anchor=\"middle\" fill=\"#2471a3\">sample latency p99 (ms)</text>", W - 16, T + (plotH / 2)));

            if (Answer > 0)
            {
                s.AppendLine(string.Format(c, "<line x1=\"{0:F1}\" y1=\"{1}\" x2=\"{0:F1}\" y2=\"{2}\" stroke=\"#27ae60\" stroke-dasharray=\"5,4\"/>", x(Answer), T, T + plotH));
                s.AppendLine(string.Format(c, "<text x=\"{0:F1}\" y=\"{1}\" fill=\"#27ae60\">zero drops from {2} blocks</text>", x(Answer) + 5, T + 16, Answer));
            }

            StringBuilder drops = new StringBuilder();
            StringBuilder ages = new StringBuilder();
            foreach (SweepPoint p in Points)
            {
                drops.Append(string.Format(c, "{0:F1},{1:F1} ", x(p.PoolSize), yDrops(p.Dropped)));
                ages.Append(string.Format(c, "{0:F1},{1:F1} ", x(p.PoolSize), yAge(p.P99AgeMicroseconds / 1000.0)));
            }

            s.AppendLine("<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"" + drops.ToString().Trim() + "\"/>");
            s.AppendLine("<polyline fill=\"none\" stroke=\"#2471a3\" stroke-width=\"2\" points=\"" + ages.ToString().Trim() + "\"/>");
            foreach (SweepPoint p in Points)
            {
                s.AppendLine(string.Format(c, "<circle cx=\"{0:F1}\" cy=\"{1:F1}\" r=\"2.5\" fill=\"#c0392b\"/>", x(p.PoolSize), yDrops(p.Dropped)));
                s.AppendLine(string.Format(c, "<circle cx=\"{0:F1}\" cy=\"{1:F1}\" r=\"2.5\" fill=\"#2471a3\"/>", x(p.PoolSize), yAge(p.P99AgeMicroseconds / 1000.0)));
            }

            s.AppendLine(string.Format(c, "<text x=\"{0}\" y=\"44\" text-anchor=\"end\" fill=\"#c0392b\">&#9632; dropped samples (left axis)</text>", (W / 2) - 10));
            s.AppendLine(string.Format(c, "<text x=\"{0}\" y=\"44\" fill=\"#2471a3\">&#9632; sample latency p99, capture to main thread (right axis)</text>", (W / 2) + 10));
            s.AppendLine("</svg>");
            return s.ToString();
        }

        /// <summary>The answer's point, or null when no pool size tried had zero drops.</summary>
        public SweepPoint AnswerPoint
        {
            get { return Points.Find(p => p.PoolSize == Answer); }
        }

        private string QueueNote()
        {
            bool fixedQueue = Points.TrueForAll(p => p.QueueCapacity == Points[0].QueueCapacity);
            return fixedQueue && Points.Count > 1 ? "; queue " + Points[0].QueueCapacity : "; queue = pool - 4 (at least 1)";
        }

        /// <summary>1, 2 or 5 times a power of ten, at or above the value.</summary>
        internal static double Nice(double value)
        {
            double power = Math.Pow(10, Math.Floor(Math.Log10(value)));
            foreach (double m in new double[] { 1, 2, 5, 10 })
            {
                if (m * power >= value)
                {
                    return m * power;
                }
            }

            return 10 * power;
        }

        private static string Label(double v)
        {
            return v >= 10 || v == Math.Floor(v) ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);
        }

        private static string Escape(string text)
        {
            return text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
        }
    }
}
