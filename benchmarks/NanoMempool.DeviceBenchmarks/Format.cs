// Licensed under the MIT License. See LICENSE in the repository root.

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>Integer fixed-point formatting and ratios (the figures are kept in hundredths, as longs).</summary>
    internal static class Format
    {
        /// <summary>Marks a ratio whose baseline is zero or negative.</summary>
        internal const long NoRatio = long.MinValue;

        /// <summary><paramref name="hundredths"/>/100 with <paramref name="decimals"/> (0 to 2) decimals, rounded half away from zero.</summary>
        internal static string Fixed(long hundredths, int decimals)
        {
            bool negative = hundredths < 0;
            long value = negative ? -hundredths : hundredths;
            long scale = decimals == 0 ? 100 : decimals == 1 ? 10 : 1;
            value = (value + (scale / 2)) / scale;
            long unit = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
            string text = (value / unit).ToString();
            if (decimals > 0)
            {
                string fraction = (value % unit).ToString();
                while (fraction.Length < decimals)
                {
                    fraction = "0" + fraction;
                }

                text = text + "." + fraction;
            }

            return negative && value != 0 ? "-" + text : text;
        }

        /// <summary><paramref name="a"/>/<paramref name="b"/> in hundredths, rounded; <see cref="NoRatio"/> if <paramref name="b"/> is not positive.</summary>
        internal static long Ratio(long a, long b)
        {
            if (b <= 0)
            {
                return NoRatio;
            }

            long scaled = a * 100;
            return scaled >= 0 ? (scaled + (b / 2)) / b : -((-scaled + (b / 2)) / b);
        }

        /// <summary>A ratio in hundredths as "2.41x", or "n/a".</summary>
        internal static string Times(long ratioHundredths)
        {
            return ratioHundredths == NoRatio ? "n/a" : Fixed(ratioHundredths, 2) + "x";
        }

        /// <summary><paramref name="text"/> padded with spaces on the left to <paramref name="width"/>.</summary>
        internal static string Right(string text, int width)
        {
            return text.PadLeft(width, ' ');
        }

        /// <summary><paramref name="text"/> padded with spaces on the right to <paramref name="width"/>.</summary>
        internal static string Left(string text, int width)
        {
            return text.PadRight(width, ' ');
        }
    }
}
