// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading;

namespace NanoMempool
{
    // Lock-free high- and low-water marks on an int: a CAS loop that moves the mark only
    // further out. Callers test the mark with a plain read first and call in only on a new record, so the
    // fast path stays free of the call and of any Interlocked operation.
    internal static class Watermark
    {
        // Raises mark to value unless it is already higher. Any context.
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

        // Lowers mark to value unless it is already lower. Any context.
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
