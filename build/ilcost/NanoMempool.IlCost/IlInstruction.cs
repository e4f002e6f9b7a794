// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace NanoMempool.IlCost
{
    /// <summary>One decoded IL instruction.</summary>
    public sealed class IlInstruction
    {
        public int Offset { get; init; }
        public int Size { get; init; }
        public OpCode OpCode { get; init; }

        /// <summary>Metadata token (calls, fields, types, strings), or 0.</summary>
        public int Token { get; init; }

        /// <summary>Branch targets (absolute offsets) for branches and switch; empty otherwise.</summary>
        public int[] Targets { get; init; } = Array.Empty<int>();

        /// <summary>Local or argument index for ldloc/stloc forms, else -1.</summary>
        public int LocalIndex { get; init; } = -1;

        public int End => Offset + Size;

        public override string ToString() => $"IL_{Offset:X4}: {OpCode.Name}";
    }

    /// <summary>Decodes a method body's IL byte stream.</summary>
    public static class IlDecoder
    {
        private static readonly OpCode[] OneByte = new OpCode[0x100];
        private static readonly OpCode[] TwoByte = new OpCode[0x100];

        static IlDecoder()
        {
            foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (field.GetValue(null) is OpCode code)
                {
                    ushort value = unchecked((ushort)code.Value);
                    if (code.Size == 1)
                    {
                        OneByte[value] = code;
                    }
                    else
                    {
                        TwoByte[value & 0xFF] = code;
                    }
                }
            }
        }

        public static List<IlInstruction> Decode(byte[] il)
        {
            var result = new List<IlInstruction>();
            int offset = 0;
            while (offset < il.Length)
            {
                int start = offset;
                OpCode code;
                byte first = il[offset++];
                if (first == 0xFE)
                {
                    code = TwoByte[il[offset++]];
                }
                else
                {
                    code = OneByte[first];
                }

                if (code.Size == 0)
                {
                    throw new BadImageFormatException($"Unknown IL opcode 0x{first:X2} at offset {start}.");
                }

                int token = 0;
                int local = -1;
                int[] targets = Array.Empty<int>();
                switch (code.OperandType)
                {
                    case OperandType.InlineNone:
                        local = ImplicitLocal(code);
                        break;
                    case OperandType.ShortInlineBrTarget:
                        targets = new[] { offset + 1 + (sbyte)il[offset] };
                        offset += 1;
                        break;
                    case OperandType.ShortInlineI:
                        offset += 1;
                        break;
                    case OperandType.ShortInlineVar:
                        local = il[offset];
                        offset += 1;
                        break;
                    case OperandType.InlineVar:
                        local = BitConverter.ToUInt16(il, offset);
                        offset += 2;
                        break;
                    case OperandType.InlineBrTarget:
                        targets = new[] { offset + 4 + BitConverter.ToInt32(il, offset) };
                        offset += 4;
                        break;
                    case OperandType.InlineSwitch:
                        int count = BitConverter.ToInt32(il, offset);
                        offset += 4;
                        int baseOffset = offset + (4 * count);
                        targets = new int[count];
                        for (int i = 0; i < count; i++)
                        {
                            targets[i] = baseOffset + BitConverter.ToInt32(il, offset);
                            offset += 4;
                        }

                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        offset += 8;
                        break;
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineSig:
                    case OperandType.InlineString:
                    case OperandType.InlineTok:
                    case OperandType.InlineType:
                        token = BitConverter.ToInt32(il, offset);
                        offset += 4;
                        break;
                    default:
                        // InlineI, ShortInlineR
                        offset += 4;
                        break;
                }

                result.Add(new IlInstruction { Offset = start, Size = offset - start, OpCode = code, Token = token, Targets = targets, LocalIndex = local });
            }

            return result;
        }

        /// <summary>The local index of ldloc.0..3 / stloc.0..3, else -1.</summary>
        private static int ImplicitLocal(OpCode code)
        {
            if (code == OpCodes.Ldloc_0 || code == OpCodes.Stloc_0) return 0;
            if (code == OpCodes.Ldloc_1 || code == OpCodes.Stloc_1) return 1;
            if (code == OpCodes.Ldloc_2 || code == OpCodes.Stloc_2) return 2;
            if (code == OpCodes.Ldloc_3 || code == OpCodes.Stloc_3) return 3;
            return -1;
        }

        public static bool IsStloc(OpCode c) => c == OpCodes.Stloc || c == OpCodes.Stloc_S || c == OpCodes.Stloc_0 || c == OpCodes.Stloc_1 || c == OpCodes.Stloc_2 || c == OpCodes.Stloc_3;

        public static bool IsLdloc(OpCode c) => c == OpCodes.Ldloc || c == OpCodes.Ldloc_S || c == OpCodes.Ldloc_0 || c == OpCodes.Ldloc_1 || c == OpCodes.Ldloc_2 || c == OpCodes.Ldloc_3;

        public static bool IsCall(OpCode c) => c == OpCodes.Call || c == OpCodes.Callvirt || c == OpCodes.Newobj;

        public static bool EndsFlow(OpCode c) => c == OpCodes.Ret || c == OpCodes.Throw || c == OpCodes.Rethrow || c == OpCodes.Endfinally || c == OpCodes.Endfilter || c == OpCodes.Jmp;

        public static bool IsUnconditionalBranch(OpCode c) => c == OpCodes.Br || c == OpCodes.Br_S || c == OpCodes.Leave || c == OpCodes.Leave_S;

        public static bool IsBrTrue(OpCode c) => c == OpCodes.Brtrue || c == OpCodes.Brtrue_S;

        public static bool IsBrFalse(OpCode c) => c == OpCodes.Brfalse || c == OpCodes.Brfalse_S;
    }
}
