// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace NanoMempool.IlCost
{
    /// <summary>Decodes signatures to type-name strings, comparable across assemblies (no generics context).</summary>
    public sealed class SignatureFormatter : ISignatureTypeProvider<string, object>
    {
        private readonly MetadataReader _reader;

        public SignatureFormatter(MetadataReader reader)
        {
            _reader = reader;
        }

        public static string TypeName(MetadataReader reader, TypeDefinitionHandle handle)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            string name = reader.GetString(type.Name);
            TypeDefinitionHandle declaring = type.GetDeclaringType();
            if (!declaring.IsNil)
            {
                return TypeName(reader, declaring) + "/" + name;
            }

            string ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public static string TypeName(MetadataReader reader, TypeReferenceHandle handle)
        {
            TypeReference type = reader.GetTypeReference(handle);
            string name = reader.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return TypeName(reader, (TypeReferenceHandle)type.ResolutionScope) + "/" + name;
            }

            string ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode.ToString();

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeName(reader, handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => TypeName(reader, handle);

        public string GetTypeFromSpecification(MetadataReader reader, object genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
            => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";

        public string GetGenericMethodParameter(object genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object genericContext, int index) => "!" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        /// <summary>"(T1,T2)" for a method signature blob.</summary>
        public string Parameters(BlobHandle signature)
        {
            BlobReader r = _reader.GetBlobReader(signature);
            MethodSignature<string> decoded = new SignatureDecoder<string, object>(this, _reader, null).DecodeMethodSignature(ref r);
            return "(" + string.Join(",", decoded.ParameterTypes) + ")";
        }

        /// <summary>The return type of a method signature blob.</summary>
        public string ReturnType(BlobHandle signature)
        {
            BlobReader r = _reader.GetBlobReader(signature);
            return new SignatureDecoder<string, object>(this, _reader, null).DecodeMethodSignature(ref r).ReturnType;
        }
    }
}
