// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace NanoMempool.DeviceBenchmarks
{
    /// <summary>
    /// The machine-readable lines, kept until the end of the run and printed together, one per figure:
    /// <c>RESULT name value unit</c> (value with a decimal point, unit <c>ns</c>, <c>B</c> or <c>x</c> for a ratio).
    /// </summary>
    internal sealed class Results
    {
        private readonly string[] _lines = new string[128];
        private int _count;

        /// <summary>Records one figure given in hundredths of its unit.</summary>
        internal void Add(string name, long hundredths, string unit)
        {
            if (hundredths == Format.NoRatio)
            {
                return;
            }

            if (_count == _lines.Length)
            {
                throw new InvalidOperationException("too many results");
            }

            _lines[_count++] = "RESULT " + name + " " + Format.Fixed(hundredths, 2) + " " + unit;
        }

        /// <summary>Figures recorded so far.</summary>
        internal int Count
        {
            get { return _count; }
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
