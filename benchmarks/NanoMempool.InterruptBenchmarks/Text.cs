// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>Table cells and fixed-point numbers (mscorlib 1.17.11 has no string.Format alignment).</summary>
    internal static class Text
    {
        /// <summary><paramref name="s"/> padded with spaces on the left to <paramref name="width"/>.</summary>
        internal static string Right(string s, int width)
        {
            while (s.Length < width)
            {
                s = " " + s;
            }

            return s;
        }

        /// <summary><paramref name="s"/> padded with spaces on the right to <paramref name="width"/>.</summary>
        internal static string Left(string s, int width)
        {
            while (s.Length < width)
            {
                s = s + " ";
            }

            return s;
        }

        /// <summary><paramref name="hundredths"/>/100 with two decimals ("-" for long.MinValue).</summary>
        internal static string Hundredths(long hundredths)
        {
            if (hundredths == long.MinValue)
            {
                return "-";
            }

            string sign = hundredths < 0 ? "-" : string.Empty;
            long v = hundredths < 0 ? -hundredths : hundredths;
            long frac = v % 100;
            return sign + (v / 100).ToString() + "." + (frac < 10 ? "0" : string.Empty) + frac.ToString();
        }
    }
}
