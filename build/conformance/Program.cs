// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;

namespace NanoConformance
{
    /// <summary>
    /// Usage: NanoConformance [--allow Name1;Name2] assembly.dll [[--allow ...] assembly.dll ...]
    /// Each --allow applies to the assemblies after it (until the next --allow); mscorlib is always
    /// allowed, and only the names in Checker.KnownDeviceAssemblies may be allowed.
    /// Prints one line per assembly ("conformance OK: X" or "conformance FAILED: X" followed by
    /// "  NANOxxx where: what" lines) and exits with the number of failing assemblies (2 on bad usage).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var allowed = new List<string>();
            int checkedCount = 0;
            int failed = 0;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--allow")
                {
                    if (i + 1 >= args.Length)
                    {
                        Console.Error.WriteLine("--allow needs a value");
                        return 2;
                    }

                    allowed = new List<string>(args[++i].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    continue;
                }

                var path = args[i];
                checkedCount++;
                IReadOnlyList<Violation> violations;
                try
                {
                    violations = Checker.Check(path, allowed);
                }
                catch (Exception e) when (e is IOException || e is ArgumentException || e is BadImageFormatException || e is UnauthorizedAccessException)
                {
                    Console.WriteLine($"conformance FAILED: {path}");
                    Console.WriteLine($"  cannot check: {e.Message}");
                    failed++;
                    continue;
                }

                if (violations.Count == 0)
                {
                    Console.WriteLine($"conformance OK: {Path.GetFileName(path)}");
                }
                else
                {
                    failed++;
                    Console.WriteLine($"conformance FAILED: {path} ({violations.Count} problem(s))");
                    foreach (var v in violations)
                    {
                        Console.WriteLine("  " + v);
                    }
                }
            }

            if (checkedCount == 0)
            {
                Console.Error.WriteLine("usage: NanoConformance [--allow A;B] assembly.dll ...");
                return 2;
            }

            return failed;
        }
    }
}
