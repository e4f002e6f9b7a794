// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NanoConformance;
using Xunit;

namespace NanoMempool.BuildTests
{
    /// <summary>
    /// Compiles small C# snippets in memory against the nano mscorlib 1.17.11 (exactly like
    /// build/nano does, C# 7.3, no standard library) and runs the conformance checker on the bytes.
    /// Each planted problem must be reported with its rule code; idiomatic device code must pass.
    /// </summary>
    public class ConformanceCheckerTests
    {
        private static readonly MetadataReference s_nanoMscorlib = MetadataReference.CreateFromFile(BuildInfo.NanoMscorlib);

        [Fact]
        public void CleanDeviceCodePasses()
        {
            var source = @"
using System;
using System.Threading;
namespace Clean
{
    public delegate void BlockHandler(object sender, int index);
    public interface IThing { int Count { get; } }
    public enum Mode { A, B }
    public struct Pair { public int X; public int Y; }
    public sealed class Pool : IThing, IDisposable
    {
        private static readonly object s_gate = new object();
        private readonly AutoResetEvent _event = new AutoResetEvent(false);
        private readonly byte[][] _blocks = new byte[4][];
        private int _count;
        public event BlockHandler Freed;
        public event EventHandler Changed;
        public int Count { get { return _count; } }
        public bool Take(int ms)
        {
            int seen;
            do { seen = _count; } while (Interlocked.CompareExchange(ref _count, seen + 1, seen) != seen);
            lock (s_gate) { _blocks[0] = new byte[8]; }
            if (Freed != null) { Freed(this, seen); }
            if (Changed != null) { Changed(this, EventArgs.Empty); }
            return _event.WaitOne(ms, false);
        }
        public static byte[] AsBytes(object o) { return o as byte[]; }
        public string Describe(Mode m, Pair p) { return ""Pool "" + _count + "" "" + m.ToString() + $"" {p.X}""; }
        public void Dispose()
        {
            Action a = () => { _count = 0; };
            a();
            foreach (var b in _blocks) { if (b == null) { throw new ObjectDisposedException(""Pool""); } }
        }
    }
}";
            Assert.Empty(CheckSnippet(source));
        }

        [Fact]
        public void GenericDelegateUseIsCaught()
        {
            var violations = CheckSnippet(@"
using System;
public static class UsesAction
{
    public static void Run() { Action<int> a = x => { }; a(1); }
}");
            Assert.Contains(violations, v => v.Code == "NANO002" && v.What.Contains("System.Action`1<Int32>") && v.Where.Contains("UsesAction::Run"));
        }

        [Fact]
        public void GenericFieldTypeIsCaughtEvenWhenUnused()
        {
            var violations = CheckSnippet(@"
using System;
public class HoldsFunc { private Func<int> _f; public bool Has() { return _f != null; } }");
            Assert.Contains(violations, v => v.Code == "NANO002" && v.Where == "field HoldsFunc::_f");
        }

        [Fact]
        public void GenericTypeDefinitionIsCaught()
        {
            var violations = CheckSnippet("public class Box<T> { public T Value; }");
            Assert.Contains(violations, v => v.Code == "NANO001" && v.Where == "type Box`1");
        }

        [Fact]
        public void GenericMethodDefinitionAndCallAreCaught()
        {
            var violations = CheckSnippet(@"
public static class Util
{
    public static T Same<T>(T x) { return x; }
    public static int Use() { return Same(3); }
}");
            Assert.Contains(violations, v => v.Code == "NANO001" && v.Where == "method Util::Same");
            Assert.Contains(violations, v => v.Code == "NANO002" && v.Where == "method Util::Use" && v.What.Contains("Util::Same<Int32>"));
        }

        [Fact]
        public void ForeignAssemblyReferenceIsCaught()
        {
            var foreign = Compile("Foreign", "namespace Foreign { public class Helper { public static int Two() { return 2; } } }");
            var violations = CheckSnippet(
                "public static class User { public static int Get() { return Foreign.Helper.Two(); } }",
                new[] { MetadataReference.CreateFromImage(foreign) });
            var v = Assert.Single(violations);
            Assert.Equal("NANO003", v.Code);
            Assert.Contains("'Foreign", v.What);
        }

        [Fact]
        public void AllowListedReferencePassesOnlyWhenAllowed()
        {
            var pool = Compile("NanoMempool", "namespace NanoMempool { public class BlockPool { public int Capacity; } }");
            var source = "public static class T { public static int Cap(NanoMempool.BlockPool p) { return p.Capacity; } }";
            var refs = new[] { MetadataReference.CreateFromImage(pool) };

            Assert.Empty(CheckSnippet(source, refs, "NanoMempool"));
            Assert.Contains(CheckSnippet(source, refs), v => v.Code == "NANO003" && v.What.Contains("'NanoMempool"));
        }

        [Fact]
        public void AllowingAnAssemblyThatIsNotADevicePackageIsRejected()
        {
            var image = Compile("Ok", "public class Ok { }");
            using var pe = new PEReader(image);
            Assert.Throws<ArgumentException>(() => Checker.Check(pe, new[] { "System.Runtime" }));
        }

        [Fact]
        public void VolatileFieldIsCaught()
        {
            // `volatile` does not compile against nano mscorlib (no IsVolatile: CS0518), so the only way
            // it could reach a device assembly is a wrong reference set; compile it against the host
            // corlib to make sure the checker sees the modreq and the volatile. prefix anyway.
            var image = Compile("Flag", "public class Flag { private volatile int _set; public int Get() { return _set; } }", HostCorlib(), withNanoMscorlib: false);
            using var pe = new PEReader(image);
            var violations = Checker.Check(pe, Array.Empty<string>());
            Assert.Contains(violations, v => v.Code == "NANO004" && v.Where == "field Flag::_set");
            Assert.Contains(violations, v => v.Code == "NANO004" && v.Where == "method Flag::Get" && v.What.Contains("volatile. prefix"));
        }

        [Fact]
        public void HostCompiledAssemblyIsCaught()
        {
            var image = Compile("HostBuilt", "public class HostBuilt { public int X; }", HostCorlib(), withNanoMscorlib: false);
            using var pe = new PEReader(image);
            var violations = Checker.Check(pe, Array.Empty<string>());
            Assert.Contains(violations, v => v.Code == "NANO003" && v.What.Contains("'System.Private.CoreLib"));
        }

        [Fact]
        public void AnotherMscorlibIsCaught()
        {
            // A minimal corlib named mscorlib, version 4.0.0.0, no public key: like compiling against
            // .NET Framework's mscorlib instead of nanoFramework.CoreLibrary's.
            var fakeCorlib = Compile(
                "mscorlib",
                @"[assembly: System.Reflection.AssemblyVersion(""4.0.0.0"")]
namespace System
{
    public class Object { }
    public struct Void { }
    public abstract class ValueType { }
    public struct Int32 { }
    public struct Boolean { }
    public sealed class String { }
    public abstract class Enum : ValueType { }
    public class Attribute { }
    public class Type { }
    public abstract class Array { }
    public abstract class Delegate { }
    public abstract class MulticastDelegate : Delegate { }
    public struct IntPtr { }
}
namespace System.Reflection
{
    public sealed class AssemblyVersionAttribute : Attribute { public AssemblyVersionAttribute(string version) { } }
}",
                withNanoMscorlib: false);
            var image = Compile("Other", "public class Other { }", new[] { MetadataReference.CreateFromImage(fakeCorlib) }, withNanoMscorlib: false);
            using var pe = new PEReader(image);
            var v = Assert.Single(Checker.Check(pe, Array.Empty<string>()));
            Assert.Equal("NANO005", v.Code);
            Assert.Contains("mscorlib 4.0.0.0", v.What);
        }

        private static MetadataReference[] HostCorlib() =>
            new[] { (MetadataReference)MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };

        private static IReadOnlyList<Violation> CheckSnippet(string source, IEnumerable<MetadataReference>? extra = null, params string[] allowed)
        {
            var image = Compile("Snippet", source, extra);
            using var pe = new PEReader(image);
            return Checker.Check(pe, allowed);
        }

        private static ImmutableArray<byte> Compile(string assemblyName, string source, IEnumerable<MetadataReference>? extra = null, bool withNanoMscorlib = true)
        {
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp7_3));
            var refs = new List<MetadataReference>();
            if (withNanoMscorlib)
            {
                refs.Add(s_nanoMscorlib);
            }

            refs.AddRange(extra ?? Enumerable.Empty<MetadataReference>());
            var compilation = CSharpCompilation.Create(
                assemblyName,
                new[] { tree },
                refs,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
            using var ms = new MemoryStream();
            var result = compilation.Emit(ms);
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(result.Success, "snippet does not compile: " + string.Join(Environment.NewLine, errors));
            return ImmutableArray.Create(ms.ToArray());
        }
    }
}
