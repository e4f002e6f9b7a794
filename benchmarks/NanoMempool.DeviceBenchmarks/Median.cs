// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>Order statistics of a few longs (no generics, no LINQ on nanoFramework).</summary>
    internal static class Median
    {
        /// <summary>The median (the mean of the two middle values for an even count).</summary>
        internal static long Of(long[] values)
        {
            long[] sorted = Sorted(values);
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }

        /// <summary>The smallest value.</summary>
        internal static long Min(long[] values)
        {
            return Sorted(values)[0];
        }

        /// <summary>The largest value.</summary>
        internal static long Max(long[] values)
        {
            long[] sorted = Sorted(values);
            return sorted[sorted.Length - 1];
        }

        private static long[] Sorted(long[] values)
        {
            long[] sorted = new long[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                long value = values[i];
                int j = i - 1;
                while (j >= 0 && sorted[j] > value)
                {
                    sorted[j + 1] = sorted[j];
                    j--;
                }

                sorted[j + 1] = value;
            }

            return sorted;
        }
    }
}
