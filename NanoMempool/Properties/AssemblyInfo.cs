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

[assembly: InternalsVisibleTo("NFUnitTest")]
