// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NanoConformance
{
    /// <summary>
    /// Checks a compile-only surface (build/surfaces/*: the members our device code uses of a nanoFramework package that
    /// cannot be restored on Linux) against the real assembly of that package (the nanoCLR kit's runtime/ or refs/):
    /// every public or protected type and member the surface declares must exist in the real assembly with the same
    /// signature, or code that compiles against the surface could fail to bind, or bind differently, on the device.
    /// <para>
    /// A member is found by its kind, declaring type, name and parameter types; then its details must match: public or
    /// protected, static or instance, return or field type, parameter names, optional-parameter defaults, [CallerArgumentExpression]
    /// targets and a constant's value. A type must have the same kind (class, struct, enum, interface, delegate) and
    /// base type. Members only the real assembly has are fine (a surface declares only what we use).
    /// </para>
    /// </summary>
    public static class SurfaceChecker
    {
        /// <summary>Compares the surface assembly at <paramref name="surfacePath"/> with the real one at <paramref name="realPath"/>.</summary>
        /// <returns>One sentence per surface element that is missing or differs in the real assembly; empty when the surface holds.</returns>
        public static IReadOnlyList<string> Compare(string surfacePath, string realPath)
        {
            using var surfaceStream = File.OpenRead(surfacePath);
            using var surfacePe = new PEReader(surfaceStream);
            using var realStream = File.OpenRead(realPath);
            using var realPe = new PEReader(realStream);
            return Compare(surfacePe, realPe);
        }

        /// <summary>Compares two loaded assemblies: <paramref name="surface"/> must be a subset of <paramref name="real"/>.</summary>
        /// <returns>One sentence per surface element that is missing or differs in the real assembly; empty when the surface holds.</returns>
        public static IReadOnlyList<string> Compare(PEReader surfacePe, PEReader realPe)
        {
            var surface = Describe(surfacePe);
            var real = Describe(realPe);
            var problems = new List<string>();
            foreach (var entry in surface)
            {
                if (!real.TryGetValue(entry.Key, out var realDetail))
                {
                    var sameName = real.Keys.Where(k => NameOf(k) == NameOf(entry.Key)).OrderBy(k => k, StringComparer.Ordinal).ToList();
                    problems.Add(sameName.Count == 0
                        ? $"missing in the real assembly: {entry.Key}"
                        : $"missing in the real assembly: {entry.Key} (the real one has: {string.Join("; ", sameName)})");
                }
                else if (realDetail != entry.Value)
                {
                    problems.Add($"differs: {entry.Key}: surface {entry.Value}; real {realDetail}");
                }
            }

            return problems;
        }

        /// <summary>
        /// The visible API of an assembly: for each public or protected type and member (reachable through public
        /// nesting), a key that identifies it ("method System.Device.Gpio.GpioController::OpenPin(Int32, System.Device.Gpio.PinMode)")
        /// and the details that must agree ("public instance returns System.Device.Gpio.GpioPin; params pinNumber, mode").
        /// </summary>
        public static SortedDictionary<string, string> Describe(string assemblyPath)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            return Describe(pe);
        }

        /// <summary>The visible API of a loaded assembly, as <see cref="Describe(string)"/>.</summary>
        public static SortedDictionary<string, string> Describe(PEReader pe)
        {
            var reader = pe.GetMetadataReader();
            var names = new Names(reader);
            var provider = new SignatureProvider(names);
            var api = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var th in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(th);
                if (!IsVisible(reader, type))
                {
                    continue;
                }

                var typeName = names.Of(th);
                var baseName = type.BaseType.IsNil ? "(none)" : names.OfType(type.BaseType);
                api["type " + typeName] = KindOf(type, baseName) + ", base " + baseName;

                foreach (var mh in type.GetMethods())
                {
                    var method = reader.GetMethodDefinition(mh);
                    if (!IsVisible(method.Attributes & MethodAttributes.MemberAccessMask))
                    {
                        continue;
                    }

                    var sig = method.DecodeSignature(provider, null);
                    var key = $"method {typeName}::{reader.GetString(method.Name)}({string.Join(", ", sig.ParameterTypes.Select(p => p.Name))})";
                    api[key] = Access(method.Attributes & MethodAttributes.MemberAccessMask) + " " + Static(method.Attributes.HasFlag(MethodAttributes.Static)) + " returns " + sig.ReturnType.Name + Parameters(reader, method);
                }

                foreach (var fh in type.GetFields())
                {
                    var field = reader.GetFieldDefinition(fh);
                    if (!IsVisible(field.Attributes & FieldAttributes.FieldAccessMask))
                    {
                        continue;
                    }

                    var detail = Access((MethodAttributes)(int)(field.Attributes & FieldAttributes.FieldAccessMask)) + " " + Static(field.Attributes.HasFlag(FieldAttributes.Static)) + " " + field.DecodeSignature(provider, null).Name;
                    if (!field.GetDefaultValue().IsNil)
                    {
                        detail += " = " + ConstantText(reader, field.GetDefaultValue());
                    }

                    api[$"field {typeName}::{reader.GetString(field.Name)}"] = detail;
                }

                foreach (var ph in type.GetProperties())
                {
                    var property = reader.GetPropertyDefinition(ph);
                    var accessors = property.GetAccessors();
                    var getter = accessors.Getter.IsNil ? (MethodAttributes?)null : reader.GetMethodDefinition(accessors.Getter).Attributes;
                    var setter = accessors.Setter.IsNil ? (MethodAttributes?)null : reader.GetMethodDefinition(accessors.Setter).Attributes;
                    var visibleGet = getter.HasValue && IsVisible(getter.Value & MethodAttributes.MemberAccessMask);
                    var visibleSet = setter.HasValue && IsVisible(setter.Value & MethodAttributes.MemberAccessMask);
                    if (!visibleGet && !visibleSet)
                    {
                        continue;
                    }

                    // The accessors are compared as methods above; the property itself by type and which accessors are visible.
                    var sig = property.DecodeSignature(provider, null);
                    var key = $"property {typeName}::{reader.GetString(property.Name)}" + (sig.ParameterTypes.Length == 0 ? string.Empty : "[" + string.Join(", ", sig.ParameterTypes.Select(p => p.Name)) + "]");
                    api[key] = sig.ReturnType.Name + (visibleGet ? " get" : string.Empty) + (visibleSet ? " set" : string.Empty);
                }

                foreach (var eh in type.GetEvents())
                {
                    var ev = reader.GetEventDefinition(eh);
                    var adder = ev.GetAccessors().Adder;
                    if (adder.IsNil || !IsVisible(reader.GetMethodDefinition(adder).Attributes & MethodAttributes.MemberAccessMask))
                    {
                        continue;
                    }

                    api[$"event {typeName}::{reader.GetString(ev.Name)}"] = names.OfType(ev.Type);
                }
            }

            return api;
        }

        /// <summary>The member or type name of a key ("method T::OpenPin(...)" gives "T::OpenPin"), to list near misses.</summary>
        private static string NameOf(string key)
        {
            var name = key.Substring(key.IndexOf(' ') + 1);
            var cut = name.IndexOfAny(new[] { '(', '[' });
            return cut < 0 ? name : name.Substring(0, cut);
        }

        private static string Static(bool isStatic) => isStatic ? "static" : "instance";

        /// <summary>"public", "protected" or "protected internal" (field and method access masks share their values).</summary>
        private static string Access(MethodAttributes access) => access switch
        {
            MethodAttributes.Public => "public",
            MethodAttributes.Family => "protected",
            MethodAttributes.FamORAssem => "protected internal",
            _ => "non-visible",
        };

        private static bool IsVisible(MethodAttributes access)
            => access == MethodAttributes.Public || access == MethodAttributes.Family || access == MethodAttributes.FamORAssem;

        private static bool IsVisible(FieldAttributes access)
            => access == FieldAttributes.Public || access == FieldAttributes.Family || access == FieldAttributes.FamORAssem;

        private static bool IsVisible(MetadataReader reader, TypeDefinition type)
        {
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (!type.IsNested)
            {
                return visibility == TypeAttributes.Public;
            }

            var nestedVisible = visibility == TypeAttributes.NestedPublic || visibility == TypeAttributes.NestedFamily || visibility == TypeAttributes.NestedFamORAssem;
            return nestedVisible && IsVisible(reader, reader.GetTypeDefinition(type.GetDeclaringType()));
        }

        private static string KindOf(TypeDefinition type, string baseName)
        {
            if (type.Attributes.HasFlag(TypeAttributes.Interface))
            {
                return "interface";
            }

            var kind = baseName switch
            {
                "System.Enum" => "enum",
                "System.ValueType" => "struct",
                "System.MulticastDelegate" => "delegate",
                _ => "class",
            };
            if (kind == "class")
            {
                var isAbstract = type.Attributes.HasFlag(TypeAttributes.Abstract);
                var isSealed = type.Attributes.HasFlag(TypeAttributes.Sealed);
                kind = isAbstract && isSealed ? "static class" : isAbstract ? "abstract class" : isSealed ? "sealed class" : "class";
            }

            return kind;
        }

        /// <summary>"; params a, b = 0, [CallerArgumentExpression(b)] c = """: names, defaults and caller-expression targets in order.</summary>
        private static string Parameters(MetadataReader reader, MethodDefinition method)
        {
            var parameters = method.GetParameters()
                .Select(reader.GetParameter)
                .Where(p => p.SequenceNumber > 0)
                .OrderBy(p => p.SequenceNumber)
                .ToList();
            if (parameters.Count == 0)
            {
                return string.Empty;
            }

            var parts = new List<string>();
            foreach (var p in parameters)
            {
                var text = reader.GetString(p.Name);
                var caller = CallerArgumentExpression(reader, p);
                if (caller != null)
                {
                    text = "[CallerArgumentExpression(" + caller + ")] " + text;
                }

                if (p.Attributes.HasFlag(ParameterAttributes.Optional) || p.Attributes.HasFlag(ParameterAttributes.HasDefault))
                {
                    text += " = " + (p.GetDefaultValue().IsNil ? "(optional)" : ConstantText(reader, p.GetDefaultValue()));
                }

                parts.Add(text);
            }

            return "; params " + string.Join(", ", parts);
        }

        private static string? CallerArgumentExpression(MetadataReader reader, Parameter parameter)
        {
            foreach (var ah in parameter.GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(ah);
                string typeName;
                if (attribute.Constructor.Kind == HandleKind.MemberReference)
                {
                    var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                    typeName = new Names(reader).OfType(parent);
                }
                else
                {
                    typeName = new Names(reader).Of(reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType());
                }

                if (typeName == "System.Runtime.CompilerServices.CallerArgumentExpressionAttribute")
                {
                    // Blob: prolog 0x0001, then the SerString argument.
                    var blob = reader.GetBlobReader(attribute.Value);
                    blob.ReadUInt16();
                    return blob.ReadSerializedString();
                }
            }

            return null;
        }

        private static string ConstantText(MetadataReader reader, ConstantHandle handle)
        {
            var constant = reader.GetConstant(handle);
            var blob = reader.GetBlobReader(constant.Value);
            return constant.TypeCode switch
            {
                ConstantTypeCode.NullReference => "null",
                ConstantTypeCode.String => blob.Length == 0 ? "\"\"" : "\"" + blob.ReadUTF16(blob.Length) + "\"",
                ConstantTypeCode.Boolean => blob.ReadBoolean() ? "true" : "false",
                ConstantTypeCode.Char => "'" + blob.ReadChar() + "'",
                ConstantTypeCode.SByte => blob.ReadSByte().ToString(CultureInfo.InvariantCulture),
                ConstantTypeCode.Byte => blob.ReadByte().ToString(CultureInfo.InvariantCulture),
                ConstantTypeCode.Int16 => blob.ReadInt16().ToString(CultureInfo.InvariantCulture),
                ConstantTypeCode.UInt16 => blob.ReadUInt16().ToString(CultureInfo.InvariantCulture),
                ConstantTypeCode.Int32 => blob.ReadInt32().ToString(CultureInfo.InvariantCulture),
                ConstantTypeCode.UInt32 => blob.ReadUInt32().ToString(CultureInfo.InvariantCulture),
                ConstantTypeCode.Int64 => blob.ReadInt64().ToString(CultureInfo.InvariantCulture),
                ConstantTypeCode.UInt64 => blob.ReadUInt64().ToString(CultureInfo.InvariantCulture),
                ConstantTypeCode.Single => blob.ReadSingle().ToString("R", CultureInfo.InvariantCulture),
                ConstantTypeCode.Double => blob.ReadDouble().ToString("R", CultureInfo.InvariantCulture),
                _ => constant.TypeCode.ToString(),
            };
        }
    }
}
