// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NanoConformance
{
    /// <summary>One finding: a rule code, the member or table row where it was found, and what.</summary>
    public sealed record Violation(string Code, string Where, string What)
    {
        public override string ToString() => $"{Code} {Where}: {What}";
    }

    /// <summary>
    /// Reads a compiled assembly with System.Reflection.Metadata and reports everything that compiles
    /// against nanoFramework mscorlib 1.17.11 but cannot run on the 1.x device
    /// (shared/docs/nanoframework-platform.md sections 0, 6, 7, 8):
    /// <list type="bullet">
    /// <item>NANO001: a generic type or method definition (GenericParam rows).</item>
    /// <item>NANO002: a generic instantiation: any MethodSpec, any TypeSpec or signature containing a
    ///   generic instance or a generic parameter (Action&lt;T&gt;, Func&lt;...&gt;, EventHandler&lt;T&gt;
    ///   all exist in mscorlib 1.17.11 and compile; the MetadataProcessor / 1.x runtime rejects them).
    ///   Array TypeSpecs (e.g. a cast to byte[]) are fine.</item>
    /// <item>NANO003: a reference to an assembly that is not in the allow-list (mscorlib plus the
    ///   per-output extras). Catches host or netstandard references and unavailable packages.</item>
    /// <item>NANO004: volatile: a modreq(IsVolatile) in a field signature, or the volatile. IL prefix.</item>
    /// <item>NANO005: mscorlib referenced with another version or key than nanoFramework.CoreLibrary 1.17.11.</item>
    /// </list>
    /// </summary>
    public static class Checker
    {
        /// <summary>Assemblies a device output may ever reference: mscorlib and the nanoFramework packages we use.</summary>
        public static readonly ImmutableHashSet<string> KnownDeviceAssemblies = ImmutableHashSet.Create(
            StringComparer.Ordinal,
            "mscorlib",
            "NanoMempool",
            "nanoFramework.TestFramework",
            "System.Device.Gpio",
            "System.Device.Spi",
            "nanoFramework.Hardware.Esp32",
            "nanoFramework.Runtime.Events",
            "nanoFramework.Runtime.Native");

        public static readonly Version MscorlibVersion = new Version(1, 17, 11, 0);
        public const string NanoPublicKeyToken = "c07d481e9758c731";

        private static readonly Dictionary<ushort, OperandType> s_operandTypes = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => unchecked((ushort)o.Value), o => o.OperandType);

        public static IReadOnlyList<Violation> Check(string assemblyPath, IEnumerable<string> allowedReferences)
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            return Check(pe, allowedReferences);
        }

        public static IReadOnlyList<Violation> Check(PEReader pe, IEnumerable<string> allowedReferences)
        {
            var allowed = new HashSet<string>(allowedReferences, StringComparer.Ordinal) { "mscorlib" };
            foreach (var name in allowed)
            {
                if (!KnownDeviceAssemblies.Contains(name))
                {
                    throw new ArgumentException($"'{name}' is not a known device assembly; known: {string.Join(", ", KnownDeviceAssemblies.OrderBy(n => n))}");
                }
            }

            var reader = pe.GetMetadataReader();
            var found = new List<Violation>();
            var seen = new HashSet<string>();
            void Add(string code, string where, string what)
            {
                if (seen.Add(code + "|" + where + "|" + what))
                {
                    found.Add(new Violation(code, where, what));
                }
            }

            var names = new Names(reader);
            var provider = new SignatureProvider(names);

            // NANO003 / NANO005: assembly references.
            foreach (var h in reader.AssemblyReferences)
            {
                var r = reader.GetAssemblyReference(h);
                var name = reader.GetString(r.Name);
                if (!allowed.Contains(name))
                {
                    Add("NANO003", "AssemblyRef", $"reference to '{name}, Version={r.Version}' is not allowed on the device (allowed: {string.Join(", ", allowed.OrderBy(n => n))})");
                }
                else if (name == "mscorlib")
                {
                    var token = Convert.ToHexString(reader.GetBlobBytes(r.PublicKeyOrToken)).ToLowerInvariant();
                    if (r.Version != MscorlibVersion || token != NanoPublicKeyToken)
                    {
                        Add("NANO005", "AssemblyRef", $"mscorlib {r.Version} (token {token}) is not nanoFramework.CoreLibrary's mscorlib {MscorlibVersion} ({NanoPublicKeyToken})");
                    }
                }
            }

            // NANO001: generic definitions.
            for (int row = 1; row <= reader.GetTableRowCount(TableIndex.GenericParam); row++)
            {
                var p = reader.GetGenericParameter(MetadataTokens.GenericParameterHandle(row));
                var owner = p.Parent.Kind == HandleKind.TypeDefinition
                    ? "type " + names.Of((TypeDefinitionHandle)p.Parent)
                    : "method " + names.Of((MethodDefinitionHandle)p.Parent);
                Add("NANO001", owner, $"generic definition with type parameter '{reader.GetString(p.Name)}': generics do not run on nanoFramework 1.x");
            }

            // Signatures of everything this assembly defines.
            foreach (var th in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(th);
                var typeName = names.Of(th);
                if (!type.BaseType.IsNil)
                {
                    CheckTypeHandle(type.BaseType, "type " + typeName + " (base type)");
                }

                foreach (var ih in type.GetInterfaceImplementations())
                {
                    CheckTypeHandle(reader.GetInterfaceImplementation(ih).Interface, "type " + typeName + " (interface)");
                }

                foreach (var fh in type.GetFields())
                {
                    var field = reader.GetFieldDefinition(fh);
                    var where = "field " + typeName + "::" + reader.GetString(field.Name);
                    CheckSig(field.DecodeSignature(provider, null), where);
                }

                foreach (var ph in type.GetProperties())
                {
                    var prop = reader.GetPropertyDefinition(ph);
                    var sig = prop.DecodeSignature(provider, null);
                    var where = "property " + typeName + "::" + reader.GetString(prop.Name);
                    CheckSig(sig.ReturnType, where);
                    foreach (var p in sig.ParameterTypes)
                    {
                        CheckSig(p, where);
                    }
                }

                foreach (var eh in type.GetEvents())
                {
                    var ev = reader.GetEventDefinition(eh);
                    CheckTypeHandle(ev.Type, "event " + typeName + "::" + reader.GetString(ev.Name));
                }

                foreach (var mh in type.GetMethods())
                {
                    var method = reader.GetMethodDefinition(mh);
                    var where = "method " + typeName + "::" + reader.GetString(method.Name);
                    var sig = method.DecodeSignature(provider, null);
                    CheckSig(sig.ReturnType, where);
                    foreach (var p in sig.ParameterTypes)
                    {
                        CheckSig(p, where);
                    }

                    if (method.RelativeVirtualAddress != 0)
                    {
                        CheckBody(pe.GetMethodBody(method.RelativeVirtualAddress), where);
                    }
                }
            }

            // Table-level sweeps, for anything not reached from a body or a definition above.
            if (reader.GetTableRowCount(TableIndex.MethodSpec) > 0)
            {
                for (int row = 1; row <= reader.GetTableRowCount(TableIndex.MethodSpec); row++)
                {
                    CheckToken(MetadataTokens.MethodSpecificationHandle(row), $"MethodSpec #{row}");
                }
            }

            for (int row = 1; row <= reader.GetTableRowCount(TableIndex.TypeSpec); row++)
            {
                CheckToken(MetadataTokens.TypeSpecificationHandle(row), $"TypeSpec #{row}");
            }

            foreach (var mr in reader.MemberReferences)
            {
                CheckToken(mr, "MemberRef " + names.OfMember(mr));
            }

            return found;

            void CheckSig(TypeInfo t, string where)
            {
                if (t.Generic)
                {
                    Add("NANO002", where, $"uses generic type {t.Name}: generics do not run on nanoFramework 1.x");
                }

                if (t.Volatile)
                {
                    Add("NANO004", where, "volatile field (modreq IsVolatile): volatile does not exist on nanoFramework; use Interlocked or lock");
                }
            }

            void CheckTypeHandle(EntityHandle h, string where)
            {
                if (h.Kind == HandleKind.TypeSpecification)
                {
                    CheckSig(reader.GetTypeSpecification((TypeSpecificationHandle)h).DecodeSignature(provider, null), where);
                }
            }

            void CheckToken(EntityHandle h, string where)
            {
                switch (h.Kind)
                {
                    case HandleKind.MethodSpecification:
                        var spec = reader.GetMethodSpecification((MethodSpecificationHandle)h);
                        var args = spec.DecodeSignature(provider, null);
                        Add("NANO002", where, $"calls generic method {names.OfMember(spec.Method)}<{string.Join(", ", args.Select(a => a.Name))}>: generics do not run on nanoFramework 1.x");
                        break;
                    case HandleKind.TypeSpecification:
                        CheckTypeHandle(h, where);
                        break;
                    case HandleKind.MemberReference:
                        var mr = reader.GetMemberReference((MemberReferenceHandle)h);
                        CheckTypeHandle(mr.Parent, where + " (declaring type)");
                        if (mr.GetKind() == MemberReferenceKind.Field)
                        {
                            CheckSig(mr.DecodeFieldSignature(provider, null), where);
                        }
                        else
                        {
                            var msig = mr.DecodeMethodSignature(provider, null);
                            CheckSig(msig.ReturnType, where);
                            foreach (var p in msig.ParameterTypes)
                            {
                                CheckSig(p, where);
                            }
                        }

                        break;
                    case HandleKind.StandaloneSignature:
                        var ss = reader.GetStandaloneSignature((StandaloneSignatureHandle)h);
                        if (ss.GetKind() == StandaloneSignatureKind.LocalVariables)
                        {
                            foreach (var local in ss.DecodeLocalSignature(provider, null))
                            {
                                CheckSig(local, where + " (local variable)");
                            }
                        }
                        else
                        {
                            var ms = ss.DecodeMethodSignature(provider, null);
                            CheckSig(ms.ReturnType, where);
                            foreach (var p in ms.ParameterTypes)
                            {
                                CheckSig(p, where);
                            }
                        }

                        break;
                }
            }

            void CheckBody(MethodBodyBlock body, string where)
            {
                if (!body.LocalSignature.IsNil)
                {
                    CheckToken(body.LocalSignature, where);
                }

                var il = body.GetILReader();
                while (il.RemainingBytes > 0)
                {
                    int offset = il.Offset;
                    ushort code = il.ReadByte();
                    if (code == 0xFE)
                    {
                        code = (ushort)(0xFE00 | il.ReadByte());
                    }

                    if (code == 0xFE13)
                    {
                        Add("NANO004", where, $"volatile. prefix at IL_{offset:x4}: volatile does not exist on nanoFramework");
                    }

                    if (!s_operandTypes.TryGetValue(code, out var operand))
                    {
                        Add("NANO000", where, $"unknown IL opcode 0x{code:x} at IL_{offset:x4}");
                        return;
                    }

                    switch (operand)
                    {
                        case OperandType.InlineNone:
                            break;
                        case OperandType.ShortInlineBrTarget:
                        case OperandType.ShortInlineI:
                        case OperandType.ShortInlineVar:
                            il.ReadByte();
                            break;
                        case OperandType.InlineVar:
                            il.ReadInt16();
                            break;
                        case OperandType.InlineI8:
                        case OperandType.InlineR:
                            il.ReadInt64();
                            break;
                        case OperandType.InlineSwitch:
                            int n = il.ReadInt32();
                            for (int i = 0; i < n; i++)
                            {
                                il.ReadInt32();
                            }

                            break;
                        case OperandType.InlineField:
                        case OperandType.InlineMethod:
                        case OperandType.InlineTok:
                        case OperandType.InlineType:
                        case OperandType.InlineSig:
                            var token = il.ReadInt32();
                            CheckToken(MetadataTokens.EntityHandle(token), where);
                            break;
                        default:
                            il.ReadInt32();
                            break;
                    }
                }
            }
        }
    }

    /// <summary>A decoded signature type: its display name, whether it involves generics, whether it is volatile.</summary>
    public sealed record TypeInfo(string Name, bool Generic, bool Volatile);

    internal sealed class Names
    {
        private readonly MetadataReader _reader;

        public Names(MetadataReader reader) => _reader = reader;

        public string Of(TypeDefinitionHandle h)
        {
            var t = _reader.GetTypeDefinition(h);
            var name = _reader.GetString(t.Name);
            if (t.IsNested)
            {
                return Of(t.GetDeclaringType()) + "/" + name;
            }

            var ns = _reader.GetString(t.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public string Of(TypeReferenceHandle h)
        {
            var t = _reader.GetTypeReference(h);
            var name = _reader.GetString(t.Name);
            if (t.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return Of((TypeReferenceHandle)t.ResolutionScope) + "/" + name;
            }

            var ns = _reader.GetString(t.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public string Of(MethodDefinitionHandle h)
        {
            var m = _reader.GetMethodDefinition(h);
            return Of(m.GetDeclaringType()) + "::" + _reader.GetString(m.Name);
        }

        public string OfType(EntityHandle h) => h.Kind switch
        {
            HandleKind.TypeDefinition => Of((TypeDefinitionHandle)h),
            HandleKind.TypeReference => Of((TypeReferenceHandle)h),
            HandleKind.TypeSpecification => "(type spec)",
            _ => h.Kind.ToString(),
        };

        public string OfMember(EntityHandle h)
        {
            switch (h.Kind)
            {
                case HandleKind.MethodDefinition:
                    return Of((MethodDefinitionHandle)h);
                case HandleKind.MemberReference:
                    var mr = _reader.GetMemberReference((MemberReferenceHandle)h);
                    var parent = mr.Parent.Kind == HandleKind.TypeSpecification
                        ? _reader.GetTypeSpecification((TypeSpecificationHandle)mr.Parent).DecodeSignature(new SignatureProvider(this), null).Name
                        : OfType(mr.Parent);
                    return parent + "::" + _reader.GetString(mr.Name);
                default:
                    return h.Kind.ToString();
            }
        }
    }

    internal sealed class SignatureProvider : ISignatureTypeProvider<TypeInfo, object?>
    {
        private readonly Names _names;

        public SignatureProvider(Names names) => _names = names;

        public TypeInfo GetPrimitiveType(PrimitiveTypeCode typeCode) => new(typeCode.ToString(), false, false);

        public TypeInfo GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => new(_names.Of(handle), false, false);

        public TypeInfo GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => new(_names.Of(handle), false, false);

        public TypeInfo GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
            => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public TypeInfo GetSZArrayType(TypeInfo elementType) => elementType with { Name = elementType.Name + "[]" };

        public TypeInfo GetArrayType(TypeInfo elementType, ArrayShape shape) => elementType with { Name = elementType.Name + "[" + new string(',', shape.Rank - 1) + "]" };

        public TypeInfo GetByReferenceType(TypeInfo elementType) => elementType with { Name = elementType.Name + "&" };

        public TypeInfo GetPointerType(TypeInfo elementType) => elementType with { Name = elementType.Name + "*" };

        public TypeInfo GetPinnedType(TypeInfo elementType) => elementType with { Name = elementType.Name + " pinned" };

        public TypeInfo GetGenericInstantiation(TypeInfo genericType, ImmutableArray<TypeInfo> typeArguments)
            => new(genericType.Name + "<" + string.Join(", ", typeArguments.Select(a => a.Name)) + ">", true, genericType.Volatile || typeArguments.Any(a => a.Volatile));

        public TypeInfo GetGenericMethodParameter(object? genericContext, int index) => new("!!" + index, true, false);

        public TypeInfo GetGenericTypeParameter(object? genericContext, int index) => new("!" + index, true, false);

        public TypeInfo GetModifiedType(TypeInfo modifier, TypeInfo unmodifiedType, bool isRequired)
            => isRequired && modifier.Name == "System.Runtime.CompilerServices.IsVolatile"
                ? unmodifiedType with { Name = unmodifiedType.Name + " modreq(IsVolatile)", Volatile = true }
                : unmodifiedType;

        public TypeInfo GetFunctionPointerType(MethodSignature<TypeInfo> signature)
            => new("method pointer", signature.ReturnType.Generic || signature.ParameterTypes.Any(p => p.Generic), false);
    }
}
