// COMPILE-ONLY SURFACE of nanoFramework.TestFramework 3.0.77: never shipped, never run.
using System.Reflection;

[assembly: AssemblyVersion("3.0.77.0")]
[assembly: AssemblyTitle("nanoFramework.TestFramework (compile-only surface)")]
