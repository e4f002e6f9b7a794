// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool.InterruptBenchmarks
{
    /// <summary>
    /// The machine-readable lines, kept until the end of the run and printed together: <c>RESULT name value unit</c>
    /// (an integer; unit <c>n</c> a count, <c>us</c>, <c>ns</c>, <c>Hz</c>, <c>x100</c> a ratio in hundredths,
    /// <c>bool</c> 1 or 0).
    /// </summary>
    internal sealed class Results
    {
        private readonly string[] _lines = new string[256];
        private int _count;

        /// <summary>Figures recorded so far.</summary>
        internal int Count
        {
            get { return _count; }
        }

        /// <summary>Records one figure.</summary>
        internal void Add(string name, long value, string unit)
        {
            if (_count == _lines.Length)
            {
                throw new InvalidOperationException("too many results");
            }

            _lines[_count++] = "RESULT " + name + " " + value.ToString() + " " + unit;
        }

        /// <summary>Prints every line.</summary>
        internal void Print()
        {
            for (int i = 0; i < _count; i++)
            {
                Console.WriteLine(_lines[i]);
            }
        }
    }
}
