// COMPILE-ONLY SURFACE of nanoFramework.TestFramework 3.0.77: never shipped, never run.
// Real source: source/TestFramework/OutputHelper.cs.
namespace nanoFramework.TestFramework
{
    public static class OutputHelper
    {
        public static void Write(string message) { }
        public static void WriteLine(string message) { }
    }
}
