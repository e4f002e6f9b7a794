// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    /// <summary>
    /// Lock-free high- and low-water marks on an <see cref="int"/>: a CAS loop that moves the mark only
    /// further out. Callers test the mark with a plain read first and call in only on a new record, so the
    /// fast path stays free of the call and of any Interlocked operation.
    /// </summary>
    internal static class Watermark
    {
        /// <summary>Raises <paramref name="mark"/> to <paramref name="value"/> unless it is already higher. Any context.</summary>
        internal static void RaiseTo(ref int mark, int value)
        {
            int current = mark;
            while (value > current)
            {
                int seen = Interlocked.CompareExchange(ref mark, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }

        /// <summary>Lowers <paramref name="mark"/> to <paramref name="value"/> unless it is already lower. Any context.</summary>
        internal static void LowerTo(ref int mark, int value)
        {
            int current = mark;
            while (value < current)
            {
                int seen = Interlocked.CompareExchange(ref mark, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
