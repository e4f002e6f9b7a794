// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;

namespace NanoMempool.IlCost
{
    /// <summary>What a call instruction calls.</summary>
    public enum CallKind
    {
        /// <summary>A method of the analysed assembly: followed.</summary>
        Library,

        /// <summary>A native (extern / InternalCall) method of System.Threading.Interlocked.</summary>
        Interlocked,

        /// <summary>Any other native method of mscorlib (decided by its ImplAttributes / RVA).</summary>
        Native,

        /// <summary>A managed (IL) method of mscorlib: followed like a library method.</summary>
        Corlib,

        /// <summary>Could not be resolved (not in mscorlib, abstract, a generic instantiation): cost unknown.</summary>
        Unresolved,

        /// <summary>
        /// An interface (abstract) method of the analysed assembly, e.g. IBlockAllocator.Release: the
        /// application supplies the implementation, so its cost is bounded only by the interface's documented
        /// contract. Reported apart (<see cref="MethodReport.ContractCalls"/>), not followed.
        /// </summary>
        Contract,
    }

    /// <summary>A call instruction and what it was resolved to.</summary>
    public sealed class CallSite
    {
        public string Caller { get; init; }
        public int Offset { get; init; }
        public string Target { get; init; }

        /// <summary>Registry key of the callee for Library/Corlib calls, else null.</summary>
        public string Key { get; init; }

        public CallKind Kind { get; init; }
        public bool IsNewObj { get; init; }

        /// <summary>False when the call is on a path that always ends in a throw (an error path).</summary>
        public bool Hot { get; init; }

        public override string ToString() => $"{Caller} IL_{Offset:X4}: {(IsNewObj ? "newobj" : "call")} {Target} [{Kind}]";
    }

    /// <summary>A finding: an allocation, lock, wait or unknown call, with where it is.</summary>
    public sealed class Site
    {
        public string Method { get; init; }
        public int Offset { get; init; }
        public string What { get; init; }

        public override string ToString() => $"{Method} IL_{Offset:X4}: {What}";
    }

    /// <summary>A minimum and a maximum over paths.</summary>
    public readonly struct Range
    {
        public Range(int min, int max)
        {
            Min = min;
            Max = max;
        }

        public int Min { get; }
        public int Max { get; }

        public static Range operator +(Range a, Range b) => new Range(a.Min + b.Min, a.Max + b.Max);

        public static Range Union(Range a, Range b) => new Range(Math.Min(a.Min, b.Min), Math.Max(a.Max, b.Max));

        public override string ToString() => Min == Max ? Min.ToString() : Min + ".." + Max;
    }

    /// <summary>
    /// Counts over the loop-free, non-throwing paths from a method's entry to a return (loop bodies are
    /// counted once: a path never takes a back edge), callees included. Each count's min and max are taken
    /// separately (they may come from different paths).
    /// </summary>
    public sealed class PathCost
    {
        public static readonly PathCost Zero = new PathCost(default, default, default, default, Array.Empty<string>());

        public PathCost(Range instructions, Range calls, Range interlocked, Range native, IReadOnlyList<string> minPath)
        {
            Instructions = instructions;
            Calls = calls;
            Interlocked = interlocked;
            Native = native;
            MinPath = minPath;
        }

        /// <summary>IL instructions executed (nop excluded), callees' included.</summary>
        public Range Instructions { get; }

        /// <summary>Call instructions executed (call, callvirt, newobj), callees' included.</summary>
        public Range Calls { get; }

        /// <summary>Calls into System.Threading.Interlocked.</summary>
        public Range Interlocked { get; }

        /// <summary>Calls into native mscorlib methods, Interlocked included.</summary>
        public Range Native { get; }

        /// <summary>The calls made along the path with the fewest instructions, in order.</summary>
        public IReadOnlyList<string> MinPath { get; }

        public static PathCost Sequence(PathCost a, PathCost b)
        {
            var path = new List<string>(a.MinPath.Count + b.MinPath.Count);
            path.AddRange(a.MinPath);
            path.AddRange(b.MinPath);
            return new PathCost(a.Instructions + b.Instructions, a.Calls + b.Calls, a.Interlocked + b.Interlocked, a.Native + b.Native, path);
        }

        /// <summary>Either path; null stands for "no feasible path".</summary>
        public static PathCost Choice(PathCost a, PathCost b)
        {
            if (a == null)
            {
                return b;
            }

            if (b == null)
            {
                return a;
            }

            return new PathCost(
                Range.Union(a.Instructions, b.Instructions),
                Range.Union(a.Calls, b.Calls),
                Range.Union(a.Interlocked, b.Interlocked),
                Range.Union(a.Native, b.Native),
                a.Instructions.Min <= b.Instructions.Min ? a.MinPath : b.MinPath);
        }
    }

    /// <summary>Everything the tool reports for one method.</summary>
    public sealed class MethodReport
    {
        public string Method { get; init; }

        /// <summary>IL instructions in the body (nop excluded).</summary>
        public int IlInstructions { get; init; }

        /// <summary>IL instructions outside the blocks that always end in a throw (nop excluded).</summary>
        public int HotIlInstructions { get; init; }

        /// <summary>The method's own call instructions.</summary>
        public IReadOnlyList<CallSite> Calls { get; init; }

        /// <summary>Over every non-throwing, loop-free path.</summary>
        public PathCost AnyReturn { get; init; }

        /// <summary>Paths that return the constant true (1); null if none (or not a bool method).</summary>
        public PathCost ReturnsTrue { get; init; }

        /// <summary>Paths that return the constant false (0); null if none.</summary>
        public PathCost ReturnsFalse { get; init; }

        /// <summary>Library and managed mscorlib methods reachable through calls outside throw-only blocks (this one included).</summary>
        public IReadOnlyList<string> Reachable { get; init; }

        /// <summary>newobj / newarr / box (and ldstr: nanoCLR creates a new string object at every ldstr, measured 12 B on the 32-bit interpreter) outside throw-only blocks, transitively.</summary>
        public IReadOnlyList<Site> Allocations { get; init; }

        /// <summary>Monitor calls and [MethodImpl(Synchronized)] methods, transitively (throw-only blocks excluded).</summary>
        public IReadOnlyList<Site> Locks { get; init; }

        /// <summary>WaitOne/WaitAny/WaitAll, Thread.Sleep/Join, SpinWait.SpinUntil, transitively.</summary>
        public IReadOnlyList<Site> Waits { get; init; }

        /// <summary>Calls the tool could not resolve or follow (abstract/virtual-only targets, generics), transitively.</summary>
        public IReadOnlyList<Site> UnknownCalls { get; init; }

        /// <summary>Hot calls through the assembly's own interfaces (<see cref="CallKind.Contract"/>).</summary>
        public IReadOnlyList<Site> ContractCalls { get; init; }

        /// <summary>newobj of a struct (no heap object on .NET; see docs/performance.md for nanoCLR), transitively.</summary>
        public IReadOnlyList<Site> StructConstructions { get; init; }

        /// <summary>Native calls reachable, transitively (each site once), Interlocked included.</summary>
        public IReadOnlyList<Site> NativeCalls { get; init; }
    }
}
