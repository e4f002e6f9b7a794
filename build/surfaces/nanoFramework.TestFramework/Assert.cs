// COMPILE-ONLY SURFACE of nanoFramework.TestFramework 3.0.77: never shipped, never run.
// Real source: source/TestFramework/Assert.cs, Assert.AreEqual.cs, Assert.AreNotEqual.cs.
// Nullable annotations ([NotNull], [DoesNotReturn]) are left out: they do not change how callers bind.
// AreEqual/AreNotEqual list the full real overload set so that overload resolution in the test
// files is the same as against the real package.
using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework
{
    public sealed partial class Assert
    {
        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(char expected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(DateTime expected, DateTime actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(double expected, double actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(float expected, float actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(int expected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(long expected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(sbyte expected, sbyte actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(short expected, short actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(string expected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(ulong expected, ulong actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }

        public static void AreNotEqual(bool notExpected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(byte notExpected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(char notExpected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(DateTime notExpected, DateTime actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(double notExpected, double actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(float notExpected, float actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(int notExpected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(long notExpected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(object notExpected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(sbyte notExpected, sbyte actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(short notExpected, short actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(string notExpected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(uint notExpected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(ulong notExpected, ulong actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotEqual(ushort notExpected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }

        public static void AreSame(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void AreNotSame(object notExpected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") { }
        public static void IsTrue(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "") { }
        public static void IsFalse(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "") { }
        public static void IsNull(object value, [CallerArgumentExpression(nameof(value))] string message = "") { }
        public static void IsNotNull(object value, [CallerArgumentExpression(nameof(value))] string message = "") { }
        public static void ThrowsException(Type exception, Action action, [CallerArgumentExpression(nameof(action))] string message = "") { }
        public static void SkipTest(string message = null) { }
    }
}
