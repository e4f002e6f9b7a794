// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace NanoMempool.PackageTests
{
    /// <summary>lib/NanoMempool.dll in the package: the version source's version, signed with key.snk, for nanoFramework 1.x.</summary>
    [Collection(PackageCollection.Name)]
    public class PackagedAssemblyTests
    {
        private readonly PackageFixture _package;

        public PackagedAssemblyTests(PackageFixture package)
        {
            _package = package;
        }

        [SkippableFact]
        public void CarriesThePackageVersion()
        {
            _package.RequirePackage();
            using var pe = Open();
            var md = pe.GetMetadataReader();
            var expected = _package.Expected!;

            var version = md.GetAssemblyDefinition().Version;
            Assert.Equal(expected.Assembly, version.ToString());
            var packageNumbers = Version.Parse(expected.Package.Split('-', '+')[0]);
            Assert.Equal(new Version(packageNumbers.Major, packageNumbers.Minor, packageNumbers.Build, 0), version);

            Assert.Equal(expected.File, Attribute(md, "AssemblyFileVersionAttribute"));
            Assert.Equal(expected.Informational, Attribute(md, "AssemblyInformationalVersionAttribute"));
            Assert.Contains(expected.Commit.Substring(0, 10), expected.Informational, StringComparison.Ordinal);
            Assert.Equal("0.0.0.0", Attribute(md, "AssemblyNativeVersionAttribute"));
        }

        [SkippableFact]
        public void IsSignedWithKeySnkAndBuiltAgainstMscorlib1_17_11Only()
        {
            _package.RequirePackage();
            using var pe = Open();
            var md = pe.GetMetadataReader();
            Assert.True(pe.PEHeaders.CorHeader!.Flags.HasFlag(CorFlags.StrongNameSigned), "not strong-name signed");
            var name = md.GetAssemblyDefinition().GetAssemblyName();
            var signingProps = File.ReadAllText(Path.Combine(_package.RepositoryRoot, "build", "Signing.props"));
            Assert.Contains("<NanoMempoolPublicKey>" + Convert.ToHexStringLower(name.GetPublicKey()!) + "</NanoMempoolPublicKey>", signingProps, StringComparison.Ordinal);

            var reference = Assert.Single(md.AssemblyReferences.Select(md.GetAssemblyReference));
            Assert.Equal("mscorlib", md.GetString(reference.Name));
            Assert.Equal(new Version(1, 17, 11, 0), reference.Version);
            Assert.Equal("c07d481e9758c731", Convert.ToHexStringLower(md.GetBlobBytes(reference.PublicKeyOrToken)));
        }

        private PEReader Open() => new PEReader(File.OpenRead(Path.Combine(_package.ExtractedTo!, "lib", "NanoMempool.dll")));

        private static string Attribute(MetadataReader md, string typeName)
        {
            foreach (var handle in md.GetAssemblyDefinition().GetCustomAttributes())
            {
                var attribute = md.GetCustomAttribute(handle);
                if (attribute.Constructor.Kind != HandleKind.MemberReference)
                {
                    continue;
                }

                var parent = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                if (parent.Kind == HandleKind.TypeReference && md.GetString(md.GetTypeReference((TypeReferenceHandle)parent).Name) == typeName)
                {
                    var value = md.GetBlobReader(attribute.Value);
                    value.ReadUInt16();   // prolog
                    return value.ReadSerializedString()!;
                }
            }

            throw new Xunit.Sdk.XunitException(typeName + " not found on the assembly");
        }
    }
}
