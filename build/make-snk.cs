// Licensed under the MIT License. See LICENSE in the repository root.
//
// Strong-name key tool, for machines without the .NET Framework `sn` tool (Linux):
//   dotnet run build/make-snk.cs new NanoMempool/key.snk   writes a new 1024-bit RSA key pair (refuses to
//                                                            overwrite an existing file) and prints its public key
//   dotnet run build/make-snk.cs show NanoMempool/key.snk  prints the public key and token of a key file
// A .snk file is the key pair as a CryptoAPI PRIVATEKEYBLOB (what `sn -k` writes, and what the C# compiler reads
// for SignAssembly/AssemblyOriginatorKeyFile). The public key printed is the blob an assembly carries in its
// metadata and that InternalsVisibleTo("Name, PublicKey=...") must quote; the token is the last 8 bytes of its
// SHA-1, reversed. Run from the repository root.
using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

const uint CalgRsaSign = 0x00002400;
const uint CalgSha1 = 0x00008004;

if (args.Length != 2 || (args[0] != "new" && args[0] != "show"))
{
    Console.Error.WriteLine("usage: dotnet run build/make-snk.cs new|show <file.snk>");
    return 2;
}

var path = args[1];
byte[] snk;
if (args[0] == "new")
{
    if (File.Exists(path))
    {
        Console.Error.WriteLine($"{path} exists: a new key would break every InternalsVisibleTo that names the old one");
        return 1;
    }

    using var rsa = RSA.Create(1024);
    snk = PrivateKeyBlob(rsa.ExportParameters(true));
    File.WriteAllBytes(path, snk);
    Console.WriteLine($"wrote {path} ({snk.Length} bytes)");
}
else
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"{path} not found");
        return 1;
    }

    snk = File.ReadAllBytes(path);
}

var publicKey = AssemblyPublicKey(snk);
var token = SHA1.HashData(publicKey).TakeLast(8).Reverse().ToArray();
Console.WriteLine("PublicKey=" + Convert.ToHexStringLower(publicKey));
Console.WriteLine("PublicKeyToken=" + Convert.ToHexStringLower(token));
return 0;

// PRIVATEKEYBLOB: BLOBHEADER, RSAPUBKEY ("RSA2"), then modulus, p, q, dp, dq, inverse q, d, little-endian.
static byte[] PrivateKeyBlob(RSAParameters k)
{
    int bits = k.Modulus!.Length * 8;
    using var s = new MemoryStream();
    using var w = new BinaryWriter(s);
    w.Write((byte)0x07);          // PRIVATEKEYBLOB
    w.Write((byte)0x02);          // blob version
    w.Write((ushort)0);
    w.Write(CalgRsaSign);
    w.Write(0x32415352u);         // "RSA2"
    w.Write((uint)bits);
    w.Write(Exponent(k.Exponent!));
    w.Write(LittleEndian(k.Modulus, bits / 8));
    w.Write(LittleEndian(k.P!, bits / 16));
    w.Write(LittleEndian(k.Q!, bits / 16));
    w.Write(LittleEndian(k.DP!, bits / 16));
    w.Write(LittleEndian(k.DQ!, bits / 16));
    w.Write(LittleEndian(k.InverseQ!, bits / 16));
    w.Write(LittleEndian(k.D!, bits / 8));
    w.Flush();
    return s.ToArray();
}

// The assembly's public key: SigAlgId, HashAlgId, length, then a PUBLICKEYBLOB (BLOBHEADER, "RSA1", modulus).
static byte[] AssemblyPublicKey(byte[] snk)
{
    if (snk.Length < 20 || snk[0] != 0x07 || BitConverter.ToUInt32(snk, 8) != 0x32415352u)
    {
        throw new InvalidDataException("not a strong-name key pair (CryptoAPI PRIVATEKEYBLOB)");
    }

    uint bits = BitConverter.ToUInt32(snk, 12);
    int modulusBytes = (int)(bits / 8);
    using var s = new MemoryStream();
    using var w = new BinaryWriter(s);
    w.Write(CalgRsaSign);
    w.Write(CalgSha1);
    w.Write((uint)(20 + modulusBytes));
    w.Write((byte)0x06);          // PUBLICKEYBLOB
    w.Write((byte)0x02);
    w.Write((ushort)0);
    w.Write(CalgRsaSign);
    w.Write(0x31415352u);         // "RSA1"
    w.Write(bits);
    w.Write(snk, 16, 4 + modulusBytes);   // public exponent, modulus
    w.Flush();
    return s.ToArray();
}

static byte[] LittleEndian(byte[] bigEndian, int length)
{
    var padded = new byte[length];
    Array.Copy(bigEndian, 0, padded, length - bigEndian.Length, bigEndian.Length);
    Array.Reverse(padded);
    return padded;
}

static uint Exponent(byte[] bigEndian) => bigEndian.Aggregate(0u, (acc, b) => (acc << 8) | b);
