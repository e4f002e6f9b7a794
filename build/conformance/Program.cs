// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NanoConformance
{
    /// <summary>
    /// Usage: NanoConformance [--allow Name1;Name2] assembly.dll [[--allow ...] assembly.dll ...]
    /// Each --allow applies to the assemblies after it (until the next --allow); mscorlib is always
    /// allowed, and only the names in Checker.KnownDeviceAssemblies may be allowed.
    /// Prints one line per assembly ("conformance OK: X" or "conformance FAILED: X" followed by
    /// "  NANOxxx where: what" lines) and exits with the number of failing assemblies (2 on bad usage).
    /// <para>
    /// Usage: NanoConformance surface --real DIR [--real DIR ...] surface.dll [surface.dll ...]
    /// Checks each compile-only surface against the real assembly of the same file name, taken from the first
    /// --real folder that has it (SurfaceChecker). Prints "surface OK: X (N members)" or "surface FAILED: X"
    /// followed by one line per missing or different member, and exits with the number of failing surfaces.
    /// </para>
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "surface")
            {
                return Surface(args.Skip(1).ToArray());
            }

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

        private static int Surface(string[] args)
        {
            var realFolders = new List<string>();
            var surfaces = new List<string>();
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--real" && i + 1 < args.Length)
                {
                    realFolders.Add(args[++i]);
                }
                else
                {
                    surfaces.Add(args[i]);
                }
            }

            if (realFolders.Count == 0 || surfaces.Count == 0)
            {
                Console.Error.WriteLine("usage: NanoConformance surface --real DIR [--real DIR ...] surface.dll ...");
                return 2;
            }

            int failed = 0;
            foreach (var surface in surfaces)
            {
                var fileName = Path.GetFileName(surface);
                var real = realFolders.Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists);
                if (real == null)
                {
                    Console.WriteLine($"surface FAILED: {fileName}");
                    Console.WriteLine($"  no real {fileName} in {string.Join(" or ", realFolders)}");
                    failed++;
                    continue;
                }

                IReadOnlyList<string> problems;
                int count;
                try
                {
                    problems = SurfaceChecker.Compare(surface, real);
                    count = SurfaceChecker.Describe(surface).Count;
                }
                catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException || e is InvalidOperationException)
                {
                    Console.WriteLine($"surface FAILED: {fileName}");
                    Console.WriteLine($"  cannot compare with {real}: {e.Message}");
                    failed++;
                    continue;
                }

                if (problems.Count == 0)
                {
                    Console.WriteLine($"surface OK: {fileName} ({count} types and members, as in {real})");
                }
                else
                {
                    failed++;
                    Console.WriteLine($"surface FAILED: {fileName} against {real} ({problems.Count} problem(s))");
                    foreach (var p in problems)
                    {
                        Console.WriteLine("  " + p);
                    }
                }
            }

            return failed;
        }
    }
}
