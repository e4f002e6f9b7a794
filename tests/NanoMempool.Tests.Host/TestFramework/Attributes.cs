// Licensed under the MIT License. See LICENSE in the repository root.
//
// HOST IMPLEMENTATION of the nanoFramework.TestFramework 3.0.77 attributes (same namespace, names and
// signatures as the real package, see build/surfaces/nanoFramework.TestFramework). Written for this
// repository from the documented API; no nanoFramework source is copied.
using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a class whose methods the launcher runs.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
        /// <summary>Returns the given attribute (extension point of the real framework, unused here).</summary>
        public virtual TestMethodAttribute GetTestMethodAttribute(TestMethodAttribute testMethodAttribute)
        {
            return testMethodAttribute;
        }
    }

    /// <summary>A test method: run once, after the class's [Setup] methods.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public class TestMethodAttribute : Attribute
    {
    }

    /// <summary>Run once per class, before its tests (not before each test).</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public class SetupAttribute : Attribute
    {
    }

    /// <summary>Run once per class, after its tests.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public class CleanupAttribute : Attribute
    {
    }

    /// <summary>One run of the method with these arguments, after all [TestMethod]s of the class.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        /// <summary>Creates a data row; like the real one, null or no arguments are an error.</summary>
        public DataRowAttribute(params object[] methodParameters)
        {
            if (methodParameters == null || methodParameters.Length == 0)
            {
                throw new ArgumentException("DataRow needs at least one argument", "methodParameters");
            }

            MethodParameters = methodParameters;
        }

        /// <summary>The arguments passed to the method.</summary>
        public object[] MethodParameters { get; }
    }

    /// <summary>Thrown by <see cref="Assert.SkipTest"/>; the launcher reports the test as skipped.</summary>
    public class SkipTestException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public SkipTestException(string message = null, Exception innerException = null)
            : base(message, innerException)
        {
        }
    }
}

namespace TestFrameworkShared
{
    /// <summary>Thrown by every failing assertion (namespace TestFrameworkShared, as in the real package).</summary>
    public class AssertFailedException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public AssertFailedException()
        {
        }

        /// <summary>Creates the exception.</summary>
        public AssertFailedException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception.</summary>
        public AssertFailedException(string message, Exception ex)
            : base(message, ex)
        {
        }
    }
}
