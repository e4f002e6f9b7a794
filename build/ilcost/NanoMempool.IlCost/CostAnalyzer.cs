// Licensed under the MIT License. See LICENSE in the repository root.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NanoMempool.IlCost
{
    /// <summary>
    /// Static cost analysis of an assembly compiled against nanoFramework's mscorlib. For a method it
    /// splits the IL into basic blocks, marks the blocks from which every path ends in a throw ("cold":
    /// error paths), and then
    /// <list type="bullet">
    /// <item>computes min/max counts over the loop-free, non-throwing paths to a return (PathCost),
    /// following calls into the library; a bool callee whose result directly decides a branch contributes
    /// only its paths that return the matching constant;</item>
    /// <item>collects every allocation, lock, wait, native and unknown call outside cold blocks in the
    /// method and in every library method it can call from outside cold blocks (loops included).</item>
    /// </list>
    /// Whether an mscorlib method is native is read from mscorlib itself: InternalCall / PInvoke, or no body.
    /// </summary>
    public sealed class CostAnalyzer : IDisposable
    {
        private static readonly HashSet<string> LockMethods = new HashSet<string>
        {
            "System.Threading.Monitor::Enter", "System.Threading.Monitor::TryEnter", "System.Threading.Monitor::Exit",
            "System.Threading.Monitor::Wait", "System.Threading.Monitor::Pulse", "System.Threading.Monitor::PulseAll",
        };

        private static readonly HashSet<string> WaitMethods = new HashSet<string>
        {
            "System.Threading.WaitHandle::WaitOne", "System.Threading.WaitHandle::WaitAny", "System.Threading.WaitHandle::WaitAll",
            "System.Threading.AutoResetEvent::WaitOne", "System.Threading.ManualResetEvent::WaitOne",
            "System.Threading.Thread::Sleep", "System.Threading.Thread::Join", "System.Threading.SpinWait::SpinUntil",
        };

        /// <summary>Key prefix of mscorlib methods (library methods are keyed by their bare display name).</summary>
        public const string CorlibPrefix = "[mscorlib]";

        private readonly Module _lib;
        private readonly Module _corlib;
        private readonly Dictionary<string, TypeDefinitionHandle> _corTypes = new Dictionary<string, TypeDefinitionHandle>();
        private readonly Dictionary<string, MethodModel> _models = new Dictionary<string, MethodModel>();
        private readonly Dictionary<string, (Module Module, MethodDefinitionHandle Handle)> _byKey = new Dictionary<string, (Module, MethodDefinitionHandle)>();

        /// <param name="assemblyImage">The analysed assembly (e.g. NanoMempool.dll of the nano build).</param>
        /// <param name="mscorlibPath">nanoFramework's mscorlib.dll (reference assembly with the real ImplAttributes).</param>
        public CostAnalyzer(byte[] assemblyImage, string mscorlibPath)
        {
            _lib = new Module(new PEReader(new MemoryStream(assemblyImage)), string.Empty);
            _corlib = new Module(new PEReader(File.OpenRead(mscorlibPath)), CorlibPrefix);
            foreach (TypeDefinitionHandle type in _corlib.Md.TypeDefinitions)
            {
                _corTypes[SignatureFormatter.TypeName(_corlib.Md, type)] = type;
            }

            foreach (Module module in new[] { _lib, _corlib })
            {
                foreach (TypeDefinitionHandle type in module.Md.TypeDefinitions)
                {
                    foreach (MethodDefinitionHandle method in module.Md.GetTypeDefinition(type).GetMethods())
                    {
                        _byKey[module.Prefix + DisplayName(module, method)] = (module, method);
                    }
                }
            }
        }

        public CostAnalyzer(string assemblyPath, string mscorlibPath)
            : this(File.ReadAllBytes(assemblyPath), mscorlibPath)
        {
        }

        /// <summary>Every method of the assembly, as "Namespace.Type::Name(ParamType,...)".</summary>
        public IEnumerable<string> MethodNames => _byKey.Keys.Where(k => !k.StartsWith(CorlibPrefix, StringComparison.Ordinal)).OrderBy(name => name, StringComparer.Ordinal);

        /// <summary>
        /// The methods a pattern names: an exact "Namespace.Type::Name(Params)", or "Namespace.Type::Name"
        /// for every overload. Empty when none exists (e.g. a type not written yet).
        /// </summary>
        public IReadOnlyList<string> Match(string pattern)
        {
            if (_byKey.ContainsKey(pattern) && !pattern.StartsWith(CorlibPrefix, StringComparison.Ordinal))
            {
                return new[] { pattern };
            }

            return MethodNames.Where(name => name.StartsWith(pattern + "(", StringComparison.Ordinal)).ToList();
        }

        /// <summary>
        /// The method's IL, one instruction a line, with basic blocks, throw-only ("cold") blocks and call
        /// targets marked: for checking a path count by hand.
        /// </summary>
        public string Disassemble(string method)
        {
            MethodModel model = Model(method);
            var text = new System.Text.StringBuilder();
            for (int b = 0; b < model.Blocks.Count; b++)
            {
                BasicBlock block = model.Blocks[b];
                text.AppendLine($"  block {b}{(block.Cold ? " (cold: always ends in throw)" : string.Empty)} -> {string.Join(", ", block.Successors.Select(e => e.Target + (e.IsBack ? " (back)" : string.Empty)))}");
                foreach (IlInstruction ins in block.Instructions)
                {
                    string operand = string.Empty;
                    if (model.CallSiteAt.TryGetValue(ins.Offset, out CallSite call))
                    {
                        operand = " " + call.Target + " [" + call.Kind + "]";
                    }
                    else if (ins.Targets.Length > 0)
                    {
                        operand = " " + string.Join(", ", ins.Targets.Select(t => "IL_" + t.ToString("X4")));
                    }

                    text.AppendLine($"    IL_{ins.Offset:X4}: {ins.OpCode.Name}{operand}");
                }
            }

            return text.ToString();
        }

        /// <summary>The default mscorlib: nanoFramework.CoreLibrary 1.17.11 in the NuGet package folder.</summary>
        public static string DefaultMscorlibPath()
        {
            string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            }

            return Path.Combine(root, "nanoframework.corelibrary", "1.17.11", "lib", "mscorlib.dll");
        }

        /// <summary>Analyses a method named "Namespace.Type::Name(ParamType,...)" (see <see cref="MethodNames"/>).</summary>
        public MethodReport Analyze(string method)
        {
            if (!_byKey.ContainsKey(method))
            {
                throw new ArgumentException("No method " + method + " in the assembly. Known: " + string.Join("; ", MethodNames), nameof(method));
            }

            MethodModel model = Model(method);
            var reachable = new List<MethodModel>();
            Collect(model, reachable, new HashSet<string>());
            var allocations = new List<Site>();
            var locks = new List<Site>();
            var waits = new List<Site>();
            var unknown = new List<Site>();
            var contracts = new List<Site>();
            var native = new List<Site>();
            var structs = new List<Site>();
            foreach (MethodModel m in reachable)
            {
                if (m.Synchronized)
                {
                    locks.Add(new Site { Method = m.Name, Offset = 0, What = "[MethodImpl(Synchronized)]" });
                }

                foreach (IlInstruction ins in m.HotInstructions)
                {
                    string alloc = AllocationOf(m.Module, ins);
                    if (alloc != null)
                    {
                        allocations.Add(new Site { Method = m.Name, Offset = ins.Offset, What = alloc });
                    }
                    else if (ins.OpCode == OpCodes.Newobj)
                    {
                        structs.Add(new Site { Method = m.Name, Offset = ins.Offset, What = "newobj (struct) " + Resolve(m.Module, ins.Token).Name });
                    }
                }

                foreach (CallSite call in m.CallSites.Where(c => c.Hot))
                {
                    string plain = StripParameters(call.Target);
                    if (LockMethods.Contains(plain))
                    {
                        locks.Add(new Site { Method = m.Name, Offset = call.Offset, What = call.Target });
                    }

                    if (WaitMethods.Contains(plain))
                    {
                        waits.Add(new Site { Method = m.Name, Offset = call.Offset, What = call.Target });
                    }

                    if (call.Kind == CallKind.Unresolved)
                    {
                        unknown.Add(new Site { Method = m.Name, Offset = call.Offset, What = call.Target + " [" + call.Kind + "]" });
                    }

                    if (call.Kind == CallKind.Contract)
                    {
                        contracts.Add(new Site { Method = m.Name, Offset = call.Offset, What = call.Target });
                    }

                    if (call.Kind == CallKind.Native || call.Kind == CallKind.Interlocked)
                    {
                        native.Add(new Site { Method = m.Name, Offset = call.Offset, What = call.Target });
                    }
                }
            }

            return new MethodReport
            {
                Method = method,
                IlInstructions = model.Instructions.Count(i => i.OpCode != OpCodes.Nop),
                HotIlInstructions = model.HotInstructions.Count(i => i.OpCode != OpCodes.Nop),
                Calls = model.CallSites,
                AnyReturn = Cost(model, ReturnClass.Any, new HashSet<string>()),
                ReturnsTrue = model.IsBool ? Cost(model, ReturnClass.True, new HashSet<string>()) : null,
                ReturnsFalse = model.IsBool ? Cost(model, ReturnClass.False, new HashSet<string>()) : null,
                Reachable = reachable.Select(m => m.Name).ToList(),
                Allocations = allocations,
                Locks = locks,
                Waits = waits,
                UnknownCalls = unknown,
                ContractCalls = contracts,
                NativeCalls = native,
                StructConstructions = structs,
            };
        }

        public void Dispose()
        {
            _lib.Pe.Dispose();
            _corlib.Pe.Dispose();
        }

        private static string StripParameters(string target)
        {
            int paren = target.IndexOf('(');
            return paren < 0 ? target : target.Substring(0, paren);
        }

        private string AllocationOf(Module module, IlInstruction ins)
        {
            if (ins.OpCode == OpCodes.Newobj && !IsValueTypeConstructor(module, ins.Token))
            {
                return "newobj " + Resolve(module, ins.Token).Name;
            }

            if (ins.OpCode == OpCodes.Newarr)
            {
                return "newarr " + TypeTokenName(module, ins.Token);
            }

            if (ins.OpCode == OpCodes.Box)
            {
                return "box " + TypeTokenName(module, ins.Token);
            }

            if (ins.OpCode == OpCodes.Ldstr)
            {
                return "ldstr (nanoCLR creates a new string object at every ldstr)";
            }

            return null;
        }

        /// <summary>
        /// True when a newobj builds a struct (its type derives from System.ValueType or System.Enum): an
        /// evaluation-stack value, not a heap object, so it is listed apart from allocations.
        /// </summary>
        private bool IsValueTypeConstructor(Module module, int token)
        {
            (string name, string key, CallKind kind) = Resolve(module, token);
            if (key == null || !_byKey.TryGetValue(key, out var target))
            {
                return false;
            }

            TypeDefinition type = target.Module.Md.GetTypeDefinition(target.Module.Md.GetMethodDefinition(target.Handle).GetDeclaringType());
            EntityHandle baseType = type.BaseType;
            if (baseType.IsNil)
            {
                return false;
            }

            string baseName = baseType.Kind switch
            {
                HandleKind.TypeReference => SignatureFormatter.TypeName(target.Module.Md, (TypeReferenceHandle)baseType),
                HandleKind.TypeDefinition => SignatureFormatter.TypeName(target.Module.Md, (TypeDefinitionHandle)baseType),
                _ => null,
            };
            return baseName == "System.ValueType" || baseName == "System.Enum";
        }

        private static string TypeTokenName(Module module, int token)
        {
            EntityHandle handle = MetadataTokens.EntityHandle(token);
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return SignatureFormatter.TypeName(module.Md, (TypeDefinitionHandle)handle);
                case HandleKind.TypeReference:
                    return SignatureFormatter.TypeName(module.Md, (TypeReferenceHandle)handle);
                default:
                    return module.Format.GetTypeFromSpecification(module.Md, null, (TypeSpecificationHandle)handle, 0);
            }
        }

        private void Collect(MethodModel model, List<MethodModel> into, HashSet<string> seen)
        {
            if (!seen.Add(model.Key))
            {
                return;
            }

            into.Add(model);
            foreach (CallSite call in model.CallSites)
            {
                if (call.Hot && (call.Kind == CallKind.Library || call.Kind == CallKind.Corlib))
                {
                    Collect(Model(call.Key), into, seen);
                }
            }
        }

        private static string DisplayName(Module module, MethodDefinitionHandle handle)
        {
            MethodDefinition method = module.Md.GetMethodDefinition(handle);
            return SignatureFormatter.TypeName(module.Md, method.GetDeclaringType()) + "::" + module.Md.GetString(method.Name) + module.Format.Parameters(method.Signature);
        }

        /// <summary>Resolves a method token of <paramref name="module"/> to its display name, registry key and kind.</summary>
        private (string Name, string Key, CallKind Kind) Resolve(Module module, int token)
        {
            EntityHandle handle = MetadataTokens.EntityHandle(token);
            if (handle.Kind == HandleKind.MethodDefinition)
            {
                var definition = (MethodDefinitionHandle)handle;
                string own = DisplayName(module, definition);
                if (module == _lib)
                {
                    bool isAbstract = (module.Md.GetMethodDefinition(definition).Attributes & MethodAttributes.Abstract) != 0;
                    return (own, isAbstract ? null : own, isAbstract ? CallKind.Contract : CallKind.Library);
                }

                return (own, CorlibPrefix + own, CorlibKind(own, module.Md.GetMethodDefinition(definition)));
            }

            if (handle.Kind == HandleKind.MethodSpecification || module != _lib)
            {
                return ("unresolved method token 0x" + token.ToString("X8"), null, CallKind.Unresolved);
            }

            MetadataReader md = module.Md;
            MemberReference member = md.GetMemberReference((MemberReferenceHandle)handle);
            string name = md.GetString(member.Name);
            string parameters = module.Format.Parameters(member.Signature);
            string returns = module.Format.ReturnType(member.Signature);
            string typeName;
            switch (member.Parent.Kind)
            {
                case HandleKind.TypeReference:
                    typeName = SignatureFormatter.TypeName(md, (TypeReferenceHandle)member.Parent);
                    break;
                case HandleKind.TypeDefinition:
                    typeName = SignatureFormatter.TypeName(md, (TypeDefinitionHandle)member.Parent);
                    break;
                default:
                    return ("generic type member " + name + parameters, null, CallKind.Unresolved);
            }

            string display = typeName + "::" + name + parameters;
            if (!_corTypes.TryGetValue(typeName, out TypeDefinitionHandle corType))
            {
                return (display, null, CallKind.Unresolved);
            }

            MetadataReader cor = _corlib.Md;
            foreach (MethodDefinitionHandle candidateHandle in cor.GetTypeDefinition(corType).GetMethods())
            {
                MethodDefinition candidate = cor.GetMethodDefinition(candidateHandle);
                if (cor.GetString(candidate.Name) == name
                    && _corlib.Format.Parameters(candidate.Signature) == parameters
                    && _corlib.Format.ReturnType(candidate.Signature) == returns)
                {
                    return (display, CorlibPrefix + display, CorlibKind(display, candidate));
                }
            }

            return (display, null, CallKind.Unresolved);
        }

        /// <summary>Native (InternalCall, PInvoke or no body), abstract (unresolved) or managed IL (followed).</summary>
        private static CallKind CorlibKind(string display, MethodDefinition method)
        {
            bool isNative = (method.ImplAttributes & MethodImplAttributes.InternalCall) != 0
                || (method.Attributes & MethodAttributes.PinvokeImpl) != 0
                || (method.RelativeVirtualAddress == 0 && (method.Attributes & MethodAttributes.Abstract) == 0);
            if (isNative)
            {
                return display.StartsWith("System.Threading.Interlocked::", StringComparison.Ordinal) ? CallKind.Interlocked : CallKind.Native;
            }

            return method.RelativeVirtualAddress == 0 ? CallKind.Unresolved : CallKind.Corlib;
        }

        private MethodModel Model(string key)
        {
            if (_models.TryGetValue(key, out MethodModel model))
            {
                return model;
            }

            (Module module, MethodDefinitionHandle handle) = _byKey[key];
            model = new MethodModel(this, module, handle, key);
            _models[key] = model;
            return model;
        }

        private sealed class Module
        {
            public Module(PEReader pe, string prefix)
            {
                Pe = pe;
                Md = pe.GetMetadataReader();
                Format = new SignatureFormatter(Md);
                Prefix = prefix;
            }

            public PEReader Pe { get; }
            public MetadataReader Md { get; }
            public SignatureFormatter Format { get; }
            public string Prefix { get; }
        }

        private enum ReturnClass
        {
            Any,
            False,
            True,
        }

        /// <summary>PathCost of a method restricted to returns of the given class; null if it has none.</summary>
        private PathCost Cost(MethodModel model, ReturnClass returns, HashSet<string> active)
        {
            if (model.Costs.TryGetValue(returns, out PathCost cached))
            {
                return cached;
            }

            if (!active.Add(model.Key))
            {
                // Recursion: count the call, not the callee (never happens in NanoMempool's hot path).
                return PathCost.Zero;
            }

            var memo = new Dictionary<int, PathCost>();
            PathCost result = BlockCost(model, 0, returns, memo, active);
            active.Remove(model.Key);
            model.Costs[returns] = result;
            return result;
        }

        private PathCost BlockCost(MethodModel model, int block, ReturnClass returns, Dictionary<int, PathCost> memo, HashSet<string> active)
        {
            if (memo.TryGetValue(block, out PathCost known))
            {
                return known;
            }

            memo[block] = null;
            BasicBlock b = model.Blocks[block];
            PathCost own = PathCost.Zero;
            foreach (IlInstruction ins in b.Instructions)
            {
                if (ins.OpCode == OpCodes.Nop)
                {
                    continue;
                }

                own = PathCost.Sequence(own, new PathCost(new Range(1, 1), default, default, default, Array.Empty<string>()));
                if (IlDecoder.IsCall(ins.OpCode) && ins != b.DecidingCall && ins != b.ReturningCall)
                {
                    own = PathCost.Sequence(own, CallCost(model, ins, ReturnClass.Any, active));
                }
            }

            PathCost result;
            IlInstruction last = b.Instructions[b.Instructions.Count - 1];
            if (last.OpCode == OpCodes.Ret)
            {
                if (b.ReturningCall != null)
                {
                    // "return Callee(...)": the callee's paths that return the wanted value.
                    PathCost call = CallCost(model, b.ReturningCall, returns, active);
                    result = call == null ? null : PathCost.Sequence(own, call);
                }
                else
                {
                    ReturnClass exit = ExitClass(b);
                    result = returns == ReturnClass.Any || exit == ReturnClass.Any || exit == returns ? own : null;
                }
            }
            else
            {
                result = null;
                foreach (Edge edge in b.Successors)
                {
                    if (edge.IsBack || model.Blocks[edge.Target].Cold)
                    {
                        continue;
                    }

                    PathCost rest = BlockCost(model, edge.Target, returns, memo, active);
                    if (rest == null)
                    {
                        continue;
                    }

                    PathCost edgeCost = own;
                    if (b.DecidingCall != null)
                    {
                        PathCost call = CallCost(model, b.DecidingCall, edge.CalleeReturns ? ReturnClass.True : ReturnClass.False, active);
                        if (call == null)
                        {
                            continue;
                        }

                        edgeCost = PathCost.Sequence(own, call);
                    }

                    result = PathCost.Choice(result, PathCost.Sequence(edgeCost, rest));
                }
            }

            memo[block] = result;
            return result;
        }

        private static ReturnClass ExitClass(BasicBlock b)
        {
            if (b.Instructions.Count >= 2)
            {
                OpCode before = b.Instructions[b.Instructions.Count - 2].OpCode;
                if (before == OpCodes.Ldc_I4_0)
                {
                    return ReturnClass.False;
                }

                if (before == OpCodes.Ldc_I4_1)
                {
                    return ReturnClass.True;
                }
            }

            return ReturnClass.Any;
        }

        /// <summary>The cost of one call instruction's callee (the call instruction itself is counted by the caller).</summary>
        private PathCost CallCost(MethodModel caller, IlInstruction ins, ReturnClass returns, HashSet<string> active)
        {
            CallSite site = caller.CallSiteAt[ins.Offset];
            var one = new Range(1, 1);
            switch (site.Kind)
            {
                case CallKind.Library:
                case CallKind.Corlib:
                    PathCost callee = Cost(Model(site.Key), returns, active);
                    if (callee == null)
                    {
                        return null;
                    }

                    string label = StripParameters(site.Target);
                    label = label.Substring(label.LastIndexOf('.') + 1);
                    if (returns != ReturnClass.Any)
                    {
                        label += returns == ReturnClass.True ? "=true" : "=false";
                    }

                    return PathCost.Sequence(new PathCost(default, one, default, default, new[] { label }), callee);
                case CallKind.Interlocked:
                    return new PathCost(default, one, one, one, new[] { ShortName(site.Target) + " [native]" });
                case CallKind.Native:
                    return new PathCost(default, one, default, one, new[] { ShortName(site.Target) + " [native]" });
                default:
                    return new PathCost(default, one, default, default, new[] { ShortName(site.Target) + " [" + site.Kind + "]" });
            }
        }

        private static string ShortName(string target)
        {
            string plain = StripParameters(target);
            int dot = plain.LastIndexOf('.', plain.IndexOf("::", StringComparison.Ordinal));
            return plain.Substring(dot + 1);
        }

        private readonly struct Edge
        {
            public Edge(int target, bool calleeReturns)
            {
                Target = target;
                CalleeReturns = calleeReturns;
                IsBack = false;
            }

            private Edge(int target, bool calleeReturns, bool isBack)
            {
                Target = target;
                CalleeReturns = calleeReturns;
                IsBack = isBack;
            }

            public int Target { get; }

            /// <summary>When the block's deciding call is a bool method: the value it returned on this edge.</summary>
            public bool CalleeReturns { get; }

            public bool IsBack { get; }

            public Edge AsBack() => new Edge(Target, CalleeReturns, true);
        }

        private sealed class BasicBlock
        {
            public List<IlInstruction> Instructions { get; } = new List<IlInstruction>();
            public List<Edge> Successors { get; } = new List<Edge>();
            public bool Cold { get; set; }

            /// <summary>A call to a bool method whose result alone decides the block's final branch, or null.</summary>
            public IlInstruction DecidingCall { get; set; }

            /// <summary>In a bool method, a call to a bool method whose result is returned as is ("call; ret"), or null.</summary>
            public IlInstruction ReturningCall { get; set; }
        }

        private sealed class MethodModel
        {
            public MethodModel(CostAnalyzer owner, Module module, MethodDefinitionHandle handle, string key)
            {
                Module = module;
                Key = key;
                Name = key;
                MethodDefinition method = module.Md.GetMethodDefinition(handle);
                Synchronized = (method.ImplAttributes & MethodImplAttributes.Synchronized) != 0;
                IsBool = module.Format.ReturnType(method.Signature) == "System.Boolean";
                byte[] il = method.RelativeVirtualAddress == 0
                    ? Array.Empty<byte>()
                    : module.Pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes();
                Instructions = IlDecoder.Decode(il);
                BuildBlocks(owner);
                MarkCold();
                MarkBackEdges();
                HotInstructions = Blocks.Where(b => !b.Cold).SelectMany(b => b.Instructions).ToList();
                var hotOffsets = new HashSet<int>(HotInstructions.Select(i => i.Offset));
                var sites = new List<CallSite>();
                foreach (IlInstruction ins in Instructions.Where(i => IlDecoder.IsCall(i.OpCode)))
                {
                    (string target, string calleeKey, CallKind kind) = owner.Resolve(module, ins.Token);
                    var site = new CallSite { Caller = Name, Offset = ins.Offset, Target = target, Key = calleeKey, Kind = kind, IsNewObj = ins.OpCode == OpCodes.Newobj, Hot = hotOffsets.Contains(ins.Offset) };
                    sites.Add(site);
                    CallSiteAt[ins.Offset] = site;
                }

                CallSites = sites;
                foreach (BasicBlock b in Blocks)
                {
                    FindDecidingCall(owner, b);
                    FindReturningCall(owner, b);
                }
            }

            public Module Module { get; }
            public string Key { get; }
            public string Name { get; }
            public bool Synchronized { get; }
            public bool IsBool { get; }
            public List<IlInstruction> Instructions { get; }
            public List<IlInstruction> HotInstructions { get; }
            public List<BasicBlock> Blocks { get; } = new List<BasicBlock>();
            public List<CallSite> CallSites { get; }
            public Dictionary<int, CallSite> CallSiteAt { get; } = new Dictionary<int, CallSite>();
            public Dictionary<ReturnClass, PathCost> Costs { get; } = new Dictionary<ReturnClass, PathCost>();

            private void BuildBlocks(CostAnalyzer owner)
            {
                if (Instructions.Count == 0)
                {
                    return;
                }

                var leaders = new SortedSet<int> { 0 };
                foreach (IlInstruction ins in Instructions)
                {
                    foreach (int target in ins.Targets)
                    {
                        leaders.Add(target);
                    }

                    if (ins.Targets.Length > 0 || IlDecoder.EndsFlow(ins.OpCode))
                    {
                        leaders.Add(ins.End);
                    }
                }

                var blockAt = new Dictionary<int, int>();
                foreach (IlInstruction ins in Instructions)
                {
                    if (leaders.Contains(ins.Offset))
                    {
                        blockAt[ins.Offset] = Blocks.Count;
                        Blocks.Add(new BasicBlock());
                    }

                    Blocks[Blocks.Count - 1].Instructions.Add(ins);
                }

                for (int i = 0; i < Blocks.Count; i++)
                {
                    BasicBlock b = Blocks[i];
                    IlInstruction last = b.Instructions[b.Instructions.Count - 1];
                    if (IlDecoder.EndsFlow(last.OpCode))
                    {
                        continue;
                    }

                    bool conditional = last.Targets.Length > 0 && !IlDecoder.IsUnconditionalBranch(last.OpCode);
                    bool takenMeansTrue = IlDecoder.IsBrTrue(last.OpCode);
                    foreach (int target in last.Targets)
                    {
                        b.Successors.Add(new Edge(blockAt[target], takenMeansTrue));
                    }

                    if ((last.Targets.Length == 0 || conditional) && blockAt.ContainsKey(last.End))
                    {
                        b.Successors.Add(new Edge(blockAt[last.End], !takenMeansTrue));
                    }
                }
            }

            /// <summary>Cold: the block ends in throw, or every successor is cold (fixpoint).</summary>
            private void MarkCold()
            {
                foreach (BasicBlock b in Blocks)
                {
                    OpCode last = b.Instructions[b.Instructions.Count - 1].OpCode;
                    b.Cold = last == OpCodes.Throw || last == OpCodes.Rethrow;
                }

                bool changed = true;
                while (changed)
                {
                    changed = false;
                    foreach (BasicBlock b in Blocks)
                    {
                        if (!b.Cold && b.Successors.Count > 0 && b.Successors.All(e => Blocks[e.Target].Cold))
                        {
                            b.Cold = true;
                            changed = true;
                        }
                    }
                }
            }

            /// <summary>Marks the edges to a block on the current DFS stack (loops) as back edges.</summary>
            private void MarkBackEdges()
            {
                if (Blocks.Count == 0)
                {
                    return;
                }

                var state = new int[Blocks.Count]; // 0 new, 1 on stack, 2 done
                var stack = new Stack<(int Block, int Next)>();
                stack.Push((0, 0));
                state[0] = 1;
                while (stack.Count > 0)
                {
                    (int block, int next) = stack.Pop();
                    List<Edge> successors = Blocks[block].Successors;
                    if (next == successors.Count)
                    {
                        state[block] = 2;
                        continue;
                    }

                    stack.Push((block, next + 1));
                    int target = successors[next].Target;
                    if (state[target] == 1)
                    {
                        successors[next] = successors[next].AsBack();
                    }
                    else if (state[target] == 0)
                    {
                        state[target] = 1;
                        stack.Push((target, 0));
                    }
                }
            }

            private void FindReturningCall(CostAnalyzer owner, BasicBlock b)
            {
                List<IlInstruction> ins = b.Instructions.Where(i => i.OpCode != OpCodes.Nop).ToList();
                int n = ins.Count;
                if (!IsBool || n < 2 || ins[n - 1].OpCode != OpCodes.Ret || !(ins[n - 2].OpCode == OpCodes.Call || ins[n - 2].OpCode == OpCodes.Callvirt))
                {
                    return;
                }

                CallSite site = CallSiteAt[ins[n - 2].Offset];
                if ((site.Kind == CallKind.Library || site.Kind == CallKind.Corlib) && owner.Model(site.Key).IsBool)
                {
                    b.ReturningCall = ins[n - 2];
                }
            }

            /// <summary>
            /// Finds "call boolMethod; [stloc.n; ldloc.n]; [ldc.i4.0; ceq]; brtrue/brfalse" at the end of a
            /// block (Release and Debug shapes): then each outgoing edge fixes the callee's return value.
            /// </summary>
            private void FindDecidingCall(CostAnalyzer owner, BasicBlock b)
            {
                List<IlInstruction> ins = b.Instructions.Where(i => i.OpCode != OpCodes.Nop).ToList();
                int n = ins.Count;
                if (n < 2)
                {
                    return;
                }

                OpCode branch = ins[n - 1].OpCode;
                if (!IlDecoder.IsBrTrue(branch) && !IlDecoder.IsBrFalse(branch))
                {
                    return;
                }

                int i = n - 2;
                bool negated = false;
                if (i >= 1 && ins[i].OpCode == OpCodes.Ceq && ins[i - 1].OpCode == OpCodes.Ldc_I4_0)
                {
                    negated = true;
                    i -= 2;
                }

                if (i >= 1 && IlDecoder.IsLdloc(ins[i].OpCode) && IlDecoder.IsStloc(ins[i - 1].OpCode) && ins[i].LocalIndex == ins[i - 1].LocalIndex && ins[i].LocalIndex >= 0)
                {
                    i -= 2;
                }

                if (i < 0 || !(ins[i].OpCode == OpCodes.Call || ins[i].OpCode == OpCodes.Callvirt))
                {
                    return;
                }

                CallSite site = CallSiteAt[ins[i].Offset];
                if ((site.Kind != CallKind.Library && site.Kind != CallKind.Corlib) || !owner.Model(site.Key).IsBool)
                {
                    return;
                }

                b.DecidingCall = ins[i];
                if (negated)
                {
                    for (int e = 0; e < b.Successors.Count; e++)
                    {
                        Edge edge = b.Successors[e];
                        Edge flipped = new Edge(edge.Target, !edge.CalleeReturns);
                        b.Successors[e] = edge.IsBack ? flipped.AsBack() : flipped;
                    }
                }
            }
        }
    }
}
