// Licensed under the MIT License. See LICENSE in the repository root.

using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyTitle("NanoMempool")]
[assembly: AssemblyDescription("Fixed-block memory pool for .NET nanoFramework: non-blocking TryAlloc for handlers, waiting Alloc for threads.")]
[assembly: AssemblyCompany("NanoMempool contributors")]
[assembly: AssemblyProduct("NanoMempool")]
[assembly: AssemblyCopyright("Copyright (c) 2026 NanoMempool contributors")]

// Pure managed library: no native code behind it.
[assembly: AssemblyNativeVersion("0.0.0.0")]

// The device tests (assembly NFUnitTest, signed with the same key.snk) see the internals; an application's own
// NFUnitTest does not, since it is not signed with this key. Public key: build/Signing.props, or
// `dotnet run build/make-snk.cs show NanoMempool/key.snk`.
[assembly: InternalsVisibleTo("NFUnitTest, PublicKey=00240000048000009400000006020000002400005253413100040000010001001f4cfd011d6eed3779f4aecabef878c29e4a568a3bc413f0b25b20fd7255a69aa43f50921116954531c535f3a9a3a4c53fe692bd0eb3e14cdc9cf1df7c20c4db4a4be1564c05c93d3ff563da3992ba27dee812294126355441f4939411763e8f4594b2890a258f2c926cd007d48f9b49fde0ab1fcfd540b5c04faa203aff44ca")]
