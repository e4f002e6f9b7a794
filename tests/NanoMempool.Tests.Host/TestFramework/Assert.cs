// Licensed under the MIT License. See LICENSE in the repository root.
//
// HOST IMPLEMENTATION of nanoFramework.TestFramework 3.0.77 Assert (see Assert.AreEqual.cs).
using System;
using System.Runtime.CompilerServices;
using TestFrameworkShared;

namespace nanoFramework.TestFramework
{
    public sealed partial class Assert
    {
        /// <summary>Fails unless both refer to the same object; value types always fail, as in the real one.</summary>
        public static void AreSame(object expected, object actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (ReferenceEquals(expected, actual))
            {
                return;
            }

            if (expected is ValueType || actual is ValueType)
            {
                HandleFail("Assert.AreSame", "Do not pass value types to AreSame(). Values converted to Object will never be the same. Consider using AreEqual(). " + ReplaceNulls(message));
            }

            HandleFail("Assert.AreSame", "Expected the same object. " + ReplaceNulls(message));
        }

        /// <summary>Fails if both refer to the same object.</summary>
        public static void AreNotSame(object notExpected, object actual, [CallerArgumentExpression("actual")] string message = "")
        {
            if (ReferenceEquals(notExpected, actual))
            {
                HandleFail("Assert.AreNotSame", "Expected two different objects. " + ReplaceNulls(message));
            }
        }

        /// <summary>Fails if <paramref name="condition"/> is false.</summary>
        public static void IsTrue(bool condition, [CallerArgumentExpression("condition")] string message = "")
        {
            if (!condition)
            {
                HandleFail("Assert.IsTrue", message);
            }
        }

        /// <summary>Fails if <paramref name="condition"/> is true.</summary>
        public static void IsFalse(bool condition, [CallerArgumentExpression("condition")] string message = "")
        {
            if (condition)
            {
                HandleFail("Assert.IsFalse", message);
            }
        }

        /// <summary>Fails unless <paramref name="value"/> is null.</summary>
        public static void IsNull(object value, [CallerArgumentExpression("value")] string message = "")
        {
            if (value != null)
            {
                HandleFail("Assert.IsNull", "Actual:<" + ReplaceNulls(value) + ">. " + ReplaceNulls(message));
            }
        }

        /// <summary>Fails if <paramref name="value"/> is null.</summary>
        public static void IsNotNull(object value, [CallerArgumentExpression("value")] string message = "")
        {
            if (value == null)
            {
                HandleFail("Assert.IsNotNull", message);
            }
        }

        /// <summary>
        /// Fails unless <paramref name="action"/> throws an exception of exactly
        /// <paramref name="exception"/>; a derived type does not match (as in the real one).
        /// </summary>
        public static void ThrowsException(Type exception, Action action, [CallerArgumentExpression("action")] string message = "")
        {
            if (action == null)
            {
                throw new ArgumentNullException("action");
            }

            try
            {
                action();
            }
            catch (Exception ex)
            {
                if (ex.GetType() == exception)
                {
                    return;
                }

                HandleFail(
                    "Assert.ThrowsException",
                    "Threw exception " + ex.GetType().Name + ", but exception " + exception.Name + " was expected. " + ReplaceNulls(message)
                    + "\r\nException Message: " + ex.Message);
            }

            HandleFail("Assert.ThrowsException", "No exception thrown. " + exception.Name + " exception was expected. " + ReplaceNulls(message));
        }

        /// <summary>Throws <see cref="SkipTestException"/>: the launcher reports the test as skipped.</summary>
        public static void SkipTest(string message = null)
        {
            throw new SkipTestException(message);
        }

        private static void HandleFail(string assertion, string message)
        {
            throw new AssertFailedException(assertion + " failed. " + (string.IsNullOrEmpty(message) ? string.Empty : message));
        }

        private static string ReplaceNulls(object input)
        {
            if (input == null)
            {
                return "(null)";
            }

            string text = input.ToString();
            return text == null ? "(object)" : text.Replace("\0", "\\0");
        }
    }
}
