// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NanoMempool.BuildTests
{
    /// <summary>
    /// The library is strong-named with NanoMempool/key.snk and grants its internals to "NFUnitTest, PublicKey=..."
    /// only: an application's own NFUnitTest must not see them, ours must. Every place that states the key or signs
    /// must agree with key.snk, and every assembly the host build names as a friend must be signed with it.
    /// </summary>
    public class SigningTests
    {
        private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

        private static string Root => BuildInfo.RepositoryRoot;

        private static string KeyFile => Path.Combine(Root, "NanoMempool", "key.snk");

        private static readonly Lazy<byte[]> s_library = new Lazy<byte[]>(CompileLibrary);

        [Fact]
        public void EveryStatedPublicKeyIsTheKeyOfKeySnk()
        {
            // The compiler signs with key.snk; the public key it writes into the assembly is the reference.
            var expected = PublicKeyHex(s_library.Value);
            Assert.Equal(320, expected.Length);

            var assemblyInfo = File.ReadAllText(Path.Combine(Root, "NanoMempool", "Properties", "AssemblyInfo.cs"));
            var grants = Regex.Matches(assemblyInfo, "InternalsVisibleTo\\(\"(?<name>[^,\"]+)(?:, PublicKey=(?<key>[0-9a-f]+))?\"\\)").ToList();
            var grant = Assert.Single(grants);
            Assert.Equal("NFUnitTest", grant.Groups["name"].Value);
            Assert.Equal(expected, grant.Groups["key"].Value);

            var signingProps = XDocument.Load(Path.Combine(Root, "build", "Signing.props"));
            Assert.Equal(expected, (string)signingProps.Descendants("NanoMempoolPublicKey").Single());
            Assert.Equal("true", (string)signingProps.Descendants("SignAssembly").Single());
            Assert.Equal("$(MSBuildThisFileDirectory)../NanoMempool/key.snk", (string)signingProps.Descendants("AssemblyOriginatorKeyFile").Single());
        }

        [Fact]
        public void AnUnsignedNFUnitTestCannotSeeTheInternalsAndOursCan()
        {
            var internalType = FirstInternalType(s_library.Value);
            var probe = "public static class Probe { public static object Internal() { return typeof(" + internalType + "); } }";

            var unsigned = Compile("NFUnitTest", new[] { probe }, signed: false, MetadataReference.CreateFromImage(s_library.Value))
                .Emit(new MemoryStream());
            Assert.False(unsigned.Success, "an unsigned NFUnitTest compiled against the library's internals");
            Assert.Contains(unsigned.Diagnostics, d => d.Id == "CS0122" || d.Id == "CS0281");

            var signed = Compile("NFUnitTest", new[] { probe }, signed: true, MetadataReference.CreateFromImage(s_library.Value))
                .Emit(new MemoryStream());
            Assert.True(signed.Success, string.Join(Environment.NewLine, signed.Diagnostics));
        }

        [Fact]
        public void DeviceProjectsAreSignedWithKeySnk()
        {
            var library = XDocument.Load(Path.Combine(Root, "NanoMempool", "NanoMempool.nfproj"));
            Assert.Equal("true", Property(library, "SignAssembly"));
            Assert.Equal("key.snk", Property(library, "AssemblyOriginatorKeyFile"));
            Assert.Equal("false", Property(library, "DelaySign"));
            Assert.Contains("key.snk", library.Descendants(Msb + "None").Select(e => (string)e.Attribute("Include")!));

            var tests = XDocument.Load(Path.Combine(Root, "NanoMempool.Tests", "NanoMempool.Tests.nfproj"));
            Assert.Equal("true", Property(tests, "SignAssembly"));
            Assert.Equal("..\\NanoMempool\\key.snk", Property(tests, "AssemblyOriginatorKeyFile"));
            Assert.Equal("false", Property(tests, "DelaySign"));
        }

        [Theory]
        [InlineData("build/nano/NanoMempool/NanoMempool.Nano.csproj")]
        [InlineData("build/nano/NanoMempool.Tests/NanoMempool.Tests.Nano.csproj")]
        [InlineData("build/host/NanoMempool/NanoMempool.Host.csproj")]
        [InlineData("build/pack/NanoMempool.Pack.csproj")]
        public void LinuxBuildsOfTheLibraryAndItsDeviceTestsAreSigned(string project)
        {
            Assert.True(ImportsSigningProps(Path.Combine(Root, project)), project + " does not import build/Signing.props");
        }

        [Fact]
        public void EveryFriendOfTheHostBuildIsSignedAndNamedByKey()
        {
            var host = XDocument.Load(Path.Combine(Root, "build", "host", "NanoMempool", "NanoMempool.Host.csproj"));
            var friends = host.Descendants("InternalsVisibleTo").ToList();
            Assert.NotEmpty(friends);
            Assert.All(friends, f => Assert.Equal("$(NanoMempoolPublicKey)", (string?)f.Attribute("Key")));

            var projects = Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
                .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal))
                .ToList();
            foreach (var friend in friends.Select(f => (string)f.Attribute("Include")!))
            {
                var owners = projects.Where(p => AssemblyName(p) == friend).ToList();
                Assert.True(owners.Count > 0, "no project builds the friend assembly " + friend);
                Assert.All(owners, p => Assert.True(ImportsSigningProps(p), p + " builds " + friend + " but is not signed (import build/Signing.props)"));
            }
        }

        private static byte[] CompileLibrary()
        {
            var dir = Path.Combine(Root, "NanoMempool");
            var sources = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
                .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal))
                .Select(File.ReadAllText)
                .ToArray();
            var compilation = Compile("NanoMempool", sources, signed: true);
            using var image = new MemoryStream();
            var result = compilation.Emit(image);
            Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            return image.ToArray();
        }

        private static CSharpCompilation Compile(string assemblyName, IEnumerable<string> sources, bool signed, params MetadataReference[] references)
        {
            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
            if (signed)
            {
                options = options.WithCryptoKeyFile(KeyFile).WithStrongNameProvider(new DesktopStrongNameProvider());
            }

            var parse = new CSharpParseOptions(LanguageVersion.CSharp7_3);
            return CSharpCompilation.Create(
                assemblyName,
                sources.Select(s => CSharpSyntaxTree.ParseText(s, parse)),
                references.Append(MetadataReference.CreateFromFile(BuildInfo.NanoMscorlib)),
                options);
        }

        private static string PublicKeyHex(byte[] image)
        {
            using var pe = new PEReader(new MemoryStream(image));
            var md = pe.GetMetadataReader();
            Assert.True(pe.PEHeaders.CorHeader!.Flags.HasFlag(CorFlags.StrongNameSigned), "the library is not strong-name signed");
            return Convert.ToHexStringLower(md.GetBlobBytes(md.GetAssemblyDefinition().PublicKey));
        }

        private static string FirstInternalType(byte[] image)
        {
            using var pe = new PEReader(new MemoryStream(image));
            var md = pe.GetMetadataReader();
            var type = md.TypeDefinitions.Select(md.GetTypeDefinition)
                .First(t => (t.Attributes & TypeAttributes.VisibilityMask) == TypeAttributes.NotPublic
                    && md.GetString(t.Namespace) == "NanoMempool"
                    && t.GetGenericParameters().Count == 0);
            return "NanoMempool." + md.GetString(type.Name);
        }

        private static bool ImportsSigningProps(string project) =>
            XDocument.Load(project).Root!.Elements("Import")
                .Select(i => (string)i.Attribute("Project")!)
                .Any(p => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, p)) == Path.Combine(Root, "build", "Signing.props"));

        private static string AssemblyName(string project) =>
            (string?)XDocument.Load(project).Descendants("AssemblyName").FirstOrDefault() ?? Path.GetFileNameWithoutExtension(project);

        private static string Property(XDocument doc, string name) =>
            (string)doc.Descendants(Msb + "PropertyGroup").Elements(Msb + name).Single();
    }
}
