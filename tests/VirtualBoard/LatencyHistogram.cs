// Licensed under the MIT License. See LICENSE in the repository root.

namespace VirtualBoard
{
    /// <summary>
    /// Microsecond latencies in buckets of 10 µs up to 2 ms, 100 µs up to 20 ms and 1 ms up to 1 s (beyond: counted,
    /// the largest kept exactly), so that any number of them fit in 5 KB of an ESP32-sized heap. Percentiles are a
    /// bucket's upper edge (at most <see cref="Max"/>). One thread adds; any thread reads after it stopped.
    /// </summary>
    internal sealed class LatencyHistogram
    {
        // Tier i holds values below TierEnd[i] in buckets of TierWidth[i] µs, from the previous tier's end.
        private static readonly int[] TierEnd = { 2000, 20000, 1000000 };
        private static readonly int[] TierWidth = { 10, 100, 1000 };
        private const int Buckets = (2000 / 10) + (18000 / 100) + (980000 / 1000);

        private readonly int[] _counts = new int[Buckets];
        private int _count;
        private int _over;
        private long _min = long.MaxValue;
        private long _max = long.MinValue;

        /// <summary>Values added.</summary>
        internal int Count
        {
            get { return _count; }
        }

        /// <summary>The largest value added (exact); 0 when empty.</summary>
        internal long Max
        {
            get { return _count == 0 ? 0 : _max; }
        }

        /// <summary>The smallest value added (exact); 0 when empty.</summary>
        internal long Min
        {
            get { return _count == 0 ? 0 : _min; }
        }

        /// <summary>Empties it, to be used again.</summary>
        internal void Reset()
        {
            for (int i = 0; i < Buckets; i++)
            {
                _counts[i] = 0;
            }

            _count = 0;
            _over = 0;
            _min = long.MaxValue;
            _max = long.MinValue;
        }

        /// <summary>Adds one latency in µs (a negative one counts in the first bucket; <see cref="Min"/> keeps it).</summary>
        internal void Add(long micros)
        {
            _count++;
            if (micros < _min)
            {
                _min = micros;
            }

            if (micros > _max)
            {
                _max = micros;
            }

            int bucket = Bucket(micros < 0 ? 0 : micros);
            if (bucket < 0)
            {
                _over++;
            }
            else
            {
                _counts[bucket]++;
            }
        }

        // The bucket of a value, or -1 beyond the last tier.
        private static int Bucket(long micros)
        {
            int first = 0;
            long start = 0;
            for (int t = 0; t < TierEnd.Length; t++)
            {
                if (micros < TierEnd[t])
                {
                    return first + (int)((micros - start) / TierWidth[t]);
                }

                first += (int)((TierEnd[t] - start) / TierWidth[t]);
                start = TierEnd[t];
            }

            return -1;
        }

        // The upper edge (exclusive) of a bucket, in µs.
        private static long UpperEdge(int bucket)
        {
            int first = 0;
            long start = 0;
            for (int t = 0; t < TierEnd.Length; t++)
            {
                int inTier = (int)((TierEnd[t] - start) / TierWidth[t]);
                if (bucket < first + inTier)
                {
                    return start + ((long)(bucket - first + 1) * TierWidth[t]);
                }

                first += inTier;
                start = TierEnd[t];
            }

            return long.MaxValue;
        }

        /// <summary>
        /// The value at or below which <paramref name="perMille"/>/1000 of the values lie: the upper edge of its bucket,
        /// or <see cref="Max"/> when it lies beyond the last bucket (or is the largest value). 0 when empty.
        /// </summary>
        internal long Percentile(int perMille)
        {
            if (_count == 0)
            {
                return 0;
            }

            // rank: 1-based position of the wanted value in sorted order
            int rank = (int)(((long)_count * perMille + 999) / 1000);
            if (rank < 1)
            {
                rank = 1;
            }

            int seen = 0;
            for (int i = 0; i < Buckets; i++)
            {
                seen += _counts[i];
                if (seen >= rank)
                {
                    long edge = UpperEdge(i);
                    return edge < _max ? edge : _max;
                }
            }

            return _max;
        }

        /// <summary>"p50 A, p99 B, max C us" (bucket edges, exact max).</summary>
        internal string Describe()
        {
            return "p50 " + Percentile(500).ToString() + ", p99 " + Percentile(990).ToString() + ", max " + Max.ToString() + " us";
        }
    }
}
