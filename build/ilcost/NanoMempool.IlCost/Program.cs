// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace NanoMempool.IlCost
{
    /// <summary>
    /// dotnet run --project build/ilcost/NanoMempool.IlCost -- [--assembly NanoMempool.dll] [--mscorlib mscorlib.dll]
    ///     [--method Namespace.Type::Name]... [--details] [--list] [--il]
    /// Default assembly: build/nano/NanoMempool/bin/Release/NanoMempool.dll, else .../Debug/... (build it first with
    /// dotnet build [-c Release] build/nano/NanoMempool/NanoMempool.Nano.csproj).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            string assembly = null;
            string mscorlib = CostAnalyzer.DefaultMscorlibPath();
            var methods = new List<string>();
            bool details = false;
            bool list = false;
            bool il = false;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--assembly": assembly = args[++i]; break;
                    case "--mscorlib": mscorlib = args[++i]; break;
                    case "--method": methods.Add(args[++i]); break;
                    case "--details": details = true; break;
                    case "--list": list = true; break;
                    case "--il": il = true; break;
                    default:
                        Console.Error.WriteLine("Unknown argument " + args[i]);
                        return 2;
                }
            }

            assembly ??= FindDefaultAssembly();
            if (assembly == null || !File.Exists(assembly))
            {
                Console.Error.WriteLine("NanoMempool.dll (nano build) not found; build build/nano/NanoMempool/NanoMempool.Nano.csproj or pass --assembly.");
                return 2;
            }

            using var analyzer = new CostAnalyzer(assembly, mscorlib);
            if (list)
            {
                foreach (string name in analyzer.MethodNames)
                {
                    Console.WriteLine(name);
                }

                return 0;
            }

            if (il)
            {
                foreach (string name in methods.SelectMany(m => analyzer.Match(m)))
                {
                    Console.WriteLine(name);
                    Console.Write(analyzer.Disassemble(name));
                }

                return 0;
            }

            Console.WriteLine("Assembly: " + Path.GetFullPath(assembly));
            Console.WriteLine();
            Console.Write(Report.Table(analyzer, methods.Count > 0 ? methods.ToArray() : HotPath.Reported, details));
            return 0;
        }

        private static string FindDefaultAssembly()
        {
            string dir = Directory.GetCurrentDirectory();
            while (dir != null)
            {
                foreach (string configuration in new[] { "Release", "Debug" })
                {
                    string candidate = Path.Combine(dir, "build", "nano", "NanoMempool", "bin", configuration, "NanoMempool.dll");
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }

                dir = Path.GetDirectoryName(dir);
            }

            return null;
        }
    }

    /// <summary>Markdown rendering of method reports.</summary>
    public static class Report
    {
        public static string Table(CostAnalyzer analyzer, string[] patterns, bool details)
        {
            var text = new StringBuilder();
            text.AppendLine("| method | IL instr. (non-throw / all) | path instr. | calls | Interlocked | native (incl. Interlocked) | allocates | locks | waits | unknown-cost calls |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---|---|---|---|");
            var reports = new List<MethodReport>();
            var missing = new List<string>();
            foreach (string pattern in patterns)
            {
                IReadOnlyList<string> names = analyzer.Match(pattern);
                if (names.Count == 0)
                {
                    missing.Add(pattern);
                }

                foreach (string name in names)
                {
                    MethodReport r = analyzer.Analyze(name);
                    reports.Add(r);
                    PathCost path = r.ReturnsTrue ?? r.AnyReturn;
                    string which = r.ReturnsTrue != null ? " (returns true)" : string.Empty;
                    text.AppendLine($"| `{Short(r.Method)}`{which} | {r.HotIlInstructions} / {r.IlInstructions} | {Show(path?.Instructions)} | {Show(path?.Calls)} | {Show(path?.Interlocked)} | {Show(path?.Native)} | {YesNo(r.Allocations)} | {YesNo(r.Locks)} | {YesNo(r.Waits)} | {YesNo(r.UnknownCalls)} |");
                }
            }

            text.AppendLine();
            text.AppendLine("Path columns: min..max over loop-free, non-throwing paths to a return, callees included (a CAS retry loop counts once).");
            text.AppendLine("Flag columns: transitive, over every library method reachable outside throw-only blocks (loops included).");
            if (missing.Count > 0)
            {
                text.AppendLine("Not in this assembly: " + string.Join(", ", missing.Select(m => "`" + Short(m) + "`")) + ".");
            }

            if (details)
            {
                foreach (MethodReport r in reports)
                {
                    text.AppendLine();
                    text.AppendLine($"### {Short(r.Method)}");
                    text.AppendLine($"- any return: instr {Show(r.AnyReturn?.Instructions)}, Interlocked {Show(r.AnyReturn?.Interlocked)}, native {Show(r.AnyReturn?.Native)}");
                    if (r.ReturnsTrue != null)
                    {
                        text.AppendLine($"- returns true: instr {Show(r.ReturnsTrue.Instructions)}, Interlocked {Show(r.ReturnsTrue.Interlocked)}; shortest: {string.Join(" > ", r.ReturnsTrue.MinPath)}");
                    }

                    if (r.ReturnsFalse != null)
                    {
                        text.AppendLine($"- returns false: instr {Show(r.ReturnsFalse.Instructions)}, Interlocked {Show(r.ReturnsFalse.Interlocked)}; shortest: {string.Join(" > ", r.ReturnsFalse.MinPath)}");
                    }

                    if (r.AnyReturn != null)
                    {
                        text.AppendLine($"- shortest path's calls: {string.Join(" > ", r.AnyReturn.MinPath)}");
                    }

                    text.AppendLine("- reachable: " + string.Join(", ", r.Reachable.Select(Short)));
                    foreach (Site s in r.NativeCalls)
                    {
                        text.AppendLine("- native site: " + Short(s.Method) + $" IL_{s.Offset:X4} " + s.What);
                    }

                    foreach (Site s in r.StructConstructions)
                    {
                        text.AppendLine("- struct: " + s);
                    }

                    foreach (Site s in r.Allocations.Concat(r.Locks).Concat(r.Waits).Concat(r.UnknownCalls))
                    {
                        text.AppendLine("- FLAG: " + s);
                    }
                }
            }

            return text.ToString();
        }

        private static string Short(string name) => name.Replace("NanoMempool.", string.Empty).Replace("System.", string.Empty);

        private static string Show(Range? range) => range.HasValue ? range.Value.ToString() : "-";

        private static string YesNo(IReadOnlyList<Site> sites) => sites.Count == 0 ? "no" : "**YES** (" + sites.Count + ")";
    }
}
