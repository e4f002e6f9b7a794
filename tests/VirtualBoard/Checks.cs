// Licensed under the MIT License. See LICENSE in the repository root.

using System;

namespace VirtualBoard
{
    /// <summary>
    /// The program's verdicts, one line each, for build/device/run-device-tier.sh: <c>CHECK passed,PART,NAME</c> or
    /// <c>CHECK failed,PART,NAME,DETAIL</c>, and <c>REPORT PART TEXT</c> for the figures the tier prints beside a
    /// part's count. Main thread only.
    /// </summary>
    internal sealed class Checks
    {
        private int _passed;
        private int _failed;

        /// <summary>Checks that passed so far.</summary>
        internal int Passed
        {
            get { return _passed; }
        }

        /// <summary>Checks that failed so far.</summary>
        internal int Failed
        {
            get { return _failed; }
        }

        /// <summary>Prints one verdict: passed if <paramref name="ok"/>, else failed with <paramref name="detail"/>.</summary>
        internal void That(bool ok, string part, string name, string detail)
        {
            if (ok)
            {
                _passed++;
                Console.WriteLine("CHECK passed," + part + "," + name);
            }
            else
            {
                _failed++;
                Console.WriteLine("CHECK failed," + part + "," + name + "," + detail);
            }
        }

        /// <summary>Prints the figures of a part (one line; the tier shows the last one per part).</summary>
        internal void Report(string part, string text)
        {
            Console.WriteLine("REPORT " + part + " " + text);
        }
    }
}
