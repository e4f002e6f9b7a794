// Licensed under the MIT License. See LICENSE in the repository root.

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
    /// The surface check of the device tier (build/conformance SurfaceChecker, run against the nanoCLR kit's real
    /// assemblies by build/device/run-device-tier.sh) on pairs of small assemblies compiled in memory against the nano
    /// mscorlib: a "surface" and a "real" assembly that differ in exactly one planted way, which must be reported;
    /// members only the real one has are fine.
    /// </summary>
    public class SurfaceCheckerTests
    {
        private const string Real = @"
using System;
using System.Runtime.CompilerServices;
namespace Pkg
{
    public enum Mode { Input = 0, Output = 3 }
    public delegate void Handler(object sender, int value);
    public class Pin : IDisposable
    {
        public Pin(int number) { }
        public static ulong Now() { return 0; }
        public int Number { get { return 0; } }
        public event Handler Changed { add { } remove { } }
        public void Write(Mode mode, byte[] data, int count = 1) { }
        public static void Check(bool condition, [CallerArgumentExpression(nameof(condition))] string message = """") { }
        public void Dispose() { }
        public void OnlyInTheRealOne() { }
        protected int ForDerived;
    }
    public class OnlyInTheRealOneToo { }
}";

        [Fact]
        public void ASubsetWithTheSameSignaturesHolds()
        {
            var surface = @"
using System;
using System.Runtime.CompilerServices;
namespace Pkg
{
    public enum Mode { Input = 0, Output = 3 }
    public delegate void Handler(object sender, int value);
    public class Pin : IDisposable
    {
        public Pin(int number) { }
        public static ulong Now() { return 0; }
        public int Number { get { return 0; } }
        public event Handler Changed { add { } remove { } }
        public void Write(Mode mode, byte[] data, int count = 1) { }
        public static void Check(bool condition, [CallerArgumentExpression(nameof(condition))] string message = """") { }
        public void Dispose() { }
    }
}";
            Assert.Empty(Compare(surface, Real));
        }

        [Fact]
        public void TheRealSurfacesAreDescribedMemberByMember()
        {
            var api = Describe(Real);
            Assert.Equal("public instance returns Void; params mode, data, count = 1", api["method Pkg.Pin::Write(Pkg.Mode, Byte[], Int32)"]);
            Assert.Equal("public static returns Void; params condition, [CallerArgumentExpression(condition)] message = \"\"", api["method Pkg.Pin::Check(Boolean, String)"]);
            Assert.Equal("public static Pkg.Mode = 3", api["field Pkg.Mode::Output"]);
            Assert.Equal("enum, base System.Enum", api["type Pkg.Mode"]);
            Assert.Equal("Int32 get", api["property Pkg.Pin::Number"]);
            Assert.Equal("Pkg.Handler", api["event Pkg.Pin::Changed"]);
            Assert.Equal("protected instance Int32", api["field Pkg.Pin::ForDerived"]);
        }

        [Theory]
        [InlineData("public void Write(Mode mode, byte[] data, long count = 1) { }", "missing in the real assembly: method Pkg.Pin::Write(Pkg.Mode, Byte[], Int64) (the real one has: method Pkg.Pin::Write(Pkg.Mode, Byte[], Int32))")]
        [InlineData("public void Read() { }", "missing in the real assembly: method Pkg.Pin::Read()")]
        [InlineData("public int Write(Mode mode, byte[] data, int count = 1) { return 0; }", "differs: method Pkg.Pin::Write(Pkg.Mode, Byte[], Int32): surface public instance returns Int32;")]
        [InlineData("public static void Write(Mode mode, byte[] data, int count = 1) { }", "differs: method Pkg.Pin::Write(Pkg.Mode, Byte[], Int32): surface public static returns")]
        [InlineData("public void Write(Mode mode, byte[] buffer, int count = 1) { }", "params mode, buffer, count = 1; real public instance returns Void; params mode, data, count = 1")]
        [InlineData("public void Write(Mode mode, byte[] data, int count = 2) { }", "params mode, data, count = 2; real")]
        [InlineData("public void Write(Mode mode, byte[] data, int count) { }", "params mode, data, count; real")]
        [InlineData("public static void Check(bool condition, string message = \"\") { }", "params condition, message = \"\"; real public static returns Void; params condition, [CallerArgumentExpression(condition)] message")]
        [InlineData("public long Number { get { return 0; } }", "differs: property Pkg.Pin::Number: surface Int64 get; real Int32 get")]
        [InlineData("public int Number { get { return 0; } set { } }", "missing in the real assembly: method Pkg.Pin::set_Number(Int32)")]
        [InlineData("public event EventHandler Changed { add { } remove { } }", "differs: event Pkg.Pin::Changed: surface System.EventHandler; real Pkg.Handler")]
        [InlineData("public int ForDerived;", "differs: field Pkg.Pin::ForDerived: surface public instance Int32; real protected instance Int32")]
        public void APlantedDifferenceInPinIsReported(string member, string expected)
        {
            var surface = @"
using System;
using System.Runtime.CompilerServices;
namespace Pkg
{
    public enum Mode { Input = 0, Output = 3 }
    public delegate void Handler(object sender, int value);
    public class Pin
    {
        public Pin(int number) { }
        " + member + @"
    }
}";
            var problems = Compare(surface, Real);
            Assert.Contains(problems, p => p.Contains(expected));
        }

        [Theory]
        [InlineData("public enum Mode { Input = 0, Output = 2 }", "differs: field Pkg.Mode::Output: surface public static Pkg.Mode = 2; real public static Pkg.Mode = 3")]
        [InlineData("public enum Mode { Input = 0, Output = 3, Both = 4 }", "missing in the real assembly: field Pkg.Mode::Both")]
        [InlineData("public struct Mode { }", "differs: type Pkg.Mode: surface struct, base System.ValueType; real enum, base System.Enum")]
        [InlineData("public sealed class Pin { }", "differs: type Pkg.Pin: surface sealed class")]
        [InlineData("public static class Pin { }", "differs: type Pkg.Pin: surface static class")]
        [InlineData("public class Pin : System.EventArgs { }", "differs: type Pkg.Pin: surface class, base System.EventArgs; real class, base System.Object")]
        [InlineData("public class Missing { }", "missing in the real assembly: type Pkg.Missing")]
        [InlineData("public delegate void Handler(object sender, long value);", "missing in the real assembly: method Pkg.Handler::Invoke(Object, Int64)")]
        public void APlantedDifferenceInATypeIsReported(string type, string expected)
        {
            var problems = Compare("namespace Pkg { " + type + " }", Real);
            Assert.Contains(problems, p => p.Contains(expected));
        }

        [Fact]
        public void InternalAndPrivateMembersAreNotPartOfTheSurface()
        {
            var surface = @"
namespace Pkg
{
    public class Pin
    {
        public Pin(int number) { }
        internal void Hidden() { }
        private int _state;
        protected internal void AlsoVisible() { }
    }
    internal class Helper { }
}";
            var problems = Compare(surface, Real);
            Assert.Equal(new[] { "missing in the real assembly: method Pkg.Pin::AlsoVisible()" }, problems);
        }

        private static IReadOnlyList<string> Compare(string surface, string real)
        {
            using var surfacePe = new PEReader(Compile("Surface", surface));
            using var realPe = new PEReader(Compile("Real", real));
            return SurfaceChecker.Compare(surfacePe, realPe);
        }

        private static SortedDictionary<string, string> Describe(string source)
        {
            using var pe = new PEReader(Compile("Described", source));
            return SurfaceChecker.Describe(pe);
        }

        private static ImmutableArray<byte> Compile(string assemblyName, string source)
        {
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
            var compilation = CSharpCompilation.Create(
                assemblyName,
                new[] { tree },
                new[] { MetadataReference.CreateFromFile(BuildInfo.NanoMscorlib) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
            using var ms = new MemoryStream();
            var result = compilation.Emit(ms);
            Assert.True(result.Success, "snippet does not compile: " + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            return ImmutableArray.Create(ms.ToArray());
        }
    }
}
