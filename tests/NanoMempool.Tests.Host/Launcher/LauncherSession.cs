// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using System.Threading;
using nanoFramework.TestFramework;

namespace NanoMempool.Tests.Host
{
    /// <summary>What the launcher calls a method for.</summary>
    public enum LauncherPhase
    {
        /// <summary>[Setup]: once per class, first.</summary>
        Setup,

        /// <summary>[TestMethod]: once, after the setups.</summary>
        TestMethod,

        /// <summary>[DataRow]: once per row, after all test methods.</summary>
        DataRow,

        /// <summary>[Cleanup]: once per class, last.</summary>
        Cleanup,
    }

    /// <summary>How one call ended.</summary>
    public enum LauncherOutcome
    {
        /// <summary>Returned normally.</summary>
        Passed,

        /// <summary>Threw (an assertion or anything else), timed out, or could not be called.</summary>
        Failed,

        /// <summary>Threw SkipTestException, or its class's [Setup] did.</summary>
        Skipped,
    }

    /// <summary>One call the launcher makes: a method, why, and for a data row its arguments.</summary>
    public sealed class LauncherCase
    {
        internal LauncherCase(Type type, MethodInfo method, LauncherPhase phase, int row, object[] arguments, string error)
        {
            Type = type;
            Method = method;
            Phase = phase;
            Row = row;
            Arguments = arguments;
            DiscoveryError = error;
            string cls = type.FullName.StartsWith("NanoMempool.Tests.", StringComparison.Ordinal) ? type.FullName.Substring("NanoMempool.Tests.".Length) : type.FullName;
            string suffix = phase == LauncherPhase.DataRow ? "[#" + row + "]" : phase == LauncherPhase.Setup ? "[Setup]" : phase == LauncherPhase.Cleanup ? "[Cleanup]" : string.Empty;
            Id = cls + "." + (method == null ? "(attributes)" : method.Name) + suffix;
        }

        /// <summary>Unique, stable name: Class.Method, Class.Method[#row], Class.Method[Setup], Class.Method[Cleanup].</summary>
        public string Id { get; }

        /// <summary>The [TestClass].</summary>
        public Type Type { get; }

        /// <summary>The method (null when the class's attributes could not be read).</summary>
        public MethodInfo Method { get; }

        /// <summary>The phase.</summary>
        public LauncherPhase Phase { get; }

        /// <summary>Data row index in attribute order (DataRow phase only).</summary>
        public int Row { get; }

        /// <summary>Arguments (DataRow phase only, else null).</summary>
        public object[] Arguments { get; }

        /// <summary>Why the case cannot run (e.g. a DataRow attribute that throws), or null.</summary>
        public string DiscoveryError { get; }
    }

    /// <summary>The result of one call.</summary>
    public sealed class LauncherResult
    {
        internal LauncherResult(LauncherOutcome outcome, string message, string output, TimeSpan elapsed)
        {
            Outcome = outcome;
            Message = message;
            Output = output;
            Elapsed = elapsed;
        }

        /// <summary>How it ended.</summary>
        public LauncherOutcome Outcome { get; }

        /// <summary>Failure or skip details.</summary>
        public string Message { get; }

        /// <summary>What the call wrote with OutputHelper.</summary>
        public string Output { get; }

        /// <summary>Wall time of the call.</summary>
        public TimeSpan Elapsed { get; }
    }

    /// <summary>
    /// The nanoFramework UnitTestLauncher's semantics on host .NET (platform doc section 1):
    /// for each [TestClass] in metadata order: every [Setup] method once, then every [TestMethod],
    /// then every [DataRow] method once per row, then every [Cleanup] once; a [Setup] that skips skips
    /// the rest of its class; methods are called with no instance (instance methods run with a null
    /// `this`, so test state must be static, as on the device); everything runs once, sequentially, in
    /// one process, so static state persists across tests and classes. The whole session runs the first
    /// time a result is asked for, and the results are cached. Host-only addition: a watchdog fails a
    /// call that has not returned after NANO_TEST_TIMEOUT_SECONDS (default 60) and moves on.
    /// </summary>
    public static class LauncherSession
    {
        private static readonly object s_gate = new object();
        private static readonly object s_outputGate = new object();
        private static List<LauncherCase> s_cases;
        private static Dictionary<string, LauncherResult> s_results;
        private static StringBuilder s_output = new StringBuilder();

        /// <summary>Every call the launcher will make, in order (reflection only, runs nothing).</summary>
        public static IList<LauncherCase> Cases
        {
            get
            {
                lock (s_gate)
                {
                    if (s_cases == null)
                    {
                        // The device test files; the host's own probe classes (Launcher/) are not part of the session.
                        s_cases = Discover(typeof(LauncherSession).Assembly.GetTypes()
                            .Where(t => t.Namespace == null || !t.Namespace.StartsWith("NanoMempool.Tests.Host", StringComparison.Ordinal)));
                    }

                    return s_cases;
                }
            }
        }

        /// <summary>Runs the session once (on first use) and returns the result of <paramref name="id"/>.</summary>
        public static LauncherResult GetResult(string id)
        {
            lock (s_gate)
            {
                if (s_results == null)
                {
                    s_results = RunAll(Cases, TimeoutFromEnvironment());
                }

                LauncherResult result;
                if (!s_results.TryGetValue(id, out result))
                {
                    throw new InvalidOperationException("no launcher case named " + id);
                }

                return result;
            }
        }

        /// <summary>Output from OutputHelper goes to the call that is running.</summary>
        internal static void WriteOutput(string message, bool newLine)
        {
            lock (s_outputGate)
            {
                s_output.Append(message);
                if (newLine)
                {
                    s_output.AppendLine();
                }
            }
        }

        /// <summary>Lists the calls the real launcher would make for the [TestClass] types among <paramref name="types"/>.</summary>
        public static List<LauncherCase> Discover(IEnumerable<Type> types)
        {
            var cases = new List<LauncherCase>();
            foreach (var type in types.Where(t => t.IsClass).OrderBy(t => t.MetadataToken))
            {
                if (!type.GetCustomAttributes(true).Any(a => a.GetType() == typeof(TestClassAttribute)))
                {
                    continue;
                }

                // Type.GetMethods(): public instance and static methods, declared ones in metadata order.
                var methods = type.GetMethods()
                    .OrderBy(m => m.DeclaringType == type ? 0 : 1)
                    .ThenBy(m => m.MetadataToken)
                    .ToList();
                var attributes = new Dictionary<MethodInfo, object[]>();
                foreach (var method in methods)
                {
                    try
                    {
                        attributes[method] = method.GetCustomAttributes(true);
                    }
                    catch (Exception e)
                    {
                        cases.Add(new LauncherCase(type, method, LauncherPhase.TestMethod, 0, null, "its attributes cannot be created: " + Describe(e)));
                        attributes[method] = new object[0];
                    }
                }

                foreach (var phase in new[] { LauncherPhase.Setup, LauncherPhase.TestMethod, LauncherPhase.DataRow, LauncherPhase.Cleanup })
                {
                    var attributeType = AttributeTypeOf(phase);
                    foreach (var method in methods)
                    {
                        int row = 0;
                        foreach (var attribute in attributes[method])
                        {
                            if (attribute.GetType() != attributeType)
                            {
                                continue;
                            }

                            object[] arguments = phase == LauncherPhase.DataRow ? ((DataRowAttribute)attribute).MethodParameters : null;
                            cases.Add(new LauncherCase(type, method, phase, row, arguments, null));
                            row++;
                        }
                    }
                }
            }

            var duplicate = cases.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
            {
                throw new InvalidOperationException("two launcher calls would have the same name: " + duplicate.Key + " (overloaded test methods are not supported)");
            }

            return cases;
        }

        /// <summary>Runs <paramref name="cases"/> in order with the launcher's rules.</summary>
        public static Dictionary<string, LauncherResult> RunAll(IList<LauncherCase> cases, TimeSpan timeout)
        {
            var results = new Dictionary<string, LauncherResult>();
            Type skippedClass = null;
            string skipReason = null;
            foreach (var c in cases)
            {
                if (c.Type == skippedClass)
                {
                    results[c.Id] = new LauncherResult(LauncherOutcome.Skipped, skipReason, string.Empty, TimeSpan.Zero);
                    continue;
                }

                var result = RunOne(c, timeout);
                results[c.Id] = result;
                if (c.Phase == LauncherPhase.Setup && result.Outcome == LauncherOutcome.Skipped)
                {
                    // The real launcher stops the class here: no tests, no cleanup.
                    skippedClass = c.Type;
                    skipReason = "[Setup] " + c.Method.Name + " skipped the class: " + result.Message;
                }
            }

            return results;
        }

        private static LauncherResult RunOne(LauncherCase c, TimeSpan timeout)
        {
            if (c.DiscoveryError != null)
            {
                return new LauncherResult(LauncherOutcome.Failed, c.DiscoveryError, string.Empty, TimeSpan.Zero);
            }

            string argumentError = CheckArguments(c.Method, c.Arguments ?? new object[0]);
            if (argumentError != null)
            {
                return new LauncherResult(LauncherOutcome.Failed, argumentError, string.Empty, TimeSpan.Zero);
            }

            var invoke = CreateNullInstanceInvoker(c.Method);
            Exception error = null;
            lock (s_outputGate)
            {
                s_output = new StringBuilder();
            }

            var thread = new Thread(() =>
            {
                try
                {
                    invoke(c.Arguments);
                }
                catch (Exception e)
                {
                    error = e;
                }
            });
            thread.IsBackground = true;
            thread.Name = c.Id;
            var clock = Stopwatch.StartNew();
            thread.Start();
            bool finished = thread.Join(timeout);
            clock.Stop();
            string output;
            lock (s_outputGate)
            {
                output = s_output.ToString();
            }

            if (!finished)
            {
                return new LauncherResult(
                    LauncherOutcome.Failed,
                    "did not return within " + timeout.TotalSeconds + " s (host-only watchdog; the device has no per-test timeout and would hang the whole run). "
                    + "Every blocking call in a test needs a timeout. The thread is abandoned and the next test runs.",
                    output,
                    clock.Elapsed);
            }

            if (error == null)
            {
                return new LauncherResult(LauncherOutcome.Passed, null, output, clock.Elapsed);
            }

            if (error.GetType() == typeof(SkipTestException))
            {
                return new LauncherResult(LauncherOutcome.Skipped, error.Message, output, clock.Elapsed);
            }

            return new LauncherResult(LauncherOutcome.Failed, Describe(error), output, clock.Elapsed);
        }

        private static string CheckArguments(MethodInfo method, object[] arguments)
        {
            var parameters = method.GetParameters();
            if (parameters.Length != arguments.Length)
            {
                return method.Name + " takes " + parameters.Length + " parameter(s) but gets " + arguments.Length + " value(s)";
            }

            for (int i = 0; i < parameters.Length; i++)
            {
                var type = parameters[i].ParameterType;
                if (type.IsByRef)
                {
                    return "parameter '" + parameters[i].Name + "' is by-reference: the launcher cannot pass it";
                }

                if (arguments[i] == null ? type.IsValueType : !type.IsInstanceOfType(arguments[i]))
                {
                    return "DataRow value #" + i + " (" + (arguments[i] == null ? "null" : arguments[i].GetType().Name) + ") does not match parameter '"
                        + parameters[i].Name + "' (" + type.Name + "): write the value with the parameter's exact type (e.g. 1L for long), "
                        + "the device does not convert it";
                }
            }

            return null;
        }

        /// <summary>
        /// Builds a call of <paramref name="method"/> that passes no instance, like the device's
        /// method.Invoke(null, args): a static method is called normally; an instance method is called
        /// non-virtually with a null `this` (so touching an instance field throws NullReferenceException,
        /// as it fails on the device). Exceptions propagate unwrapped.
        /// </summary>
        private static Action<object[]> CreateNullInstanceInvoker(MethodInfo method)
        {
            var dm = new DynamicMethod("launch_" + method.Name, typeof(void), new[] { typeof(object[]) }, method.Module, true);
            var il = dm.GetILGenerator();
            if (!method.IsStatic)
            {
                il.Emit(OpCodes.Ldnull);
            }

            var parameters = method.GetParameters();
            for (int i = 0; i < parameters.Length; i++)
            {
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldc_I4, i);
                il.Emit(OpCodes.Ldelem_Ref);
                var type = parameters[i].ParameterType;
                il.Emit(type.IsValueType ? OpCodes.Unbox_Any : OpCodes.Castclass, type);
            }

            il.Emit(OpCodes.Call, method);
            if (method.ReturnType != typeof(void))
            {
                il.Emit(OpCodes.Pop);
            }

            il.Emit(OpCodes.Ret);
            return (Action<object[]>)dm.CreateDelegate(typeof(Action<object[]>));
        }

        private static Type AttributeTypeOf(LauncherPhase phase)
        {
            switch (phase)
            {
                case LauncherPhase.Setup:
                    return typeof(SetupAttribute);
                case LauncherPhase.TestMethod:
                    return typeof(TestMethodAttribute);
                case LauncherPhase.DataRow:
                    return typeof(DataRowAttribute);
                default:
                    return typeof(CleanupAttribute);
            }
        }

        private static TimeSpan TimeoutFromEnvironment()
        {
            int seconds;
            string text = Environment.GetEnvironmentVariable("NANO_TEST_TIMEOUT_SECONDS");
            return TimeSpan.FromSeconds(int.TryParse(text, out seconds) && seconds > 0 ? seconds : 60);
        }

        private static string Describe(Exception e)
        {
            return e.GetType().FullName + ": " + e.Message + Environment.NewLine + e.StackTrace;
        }
    }
}
