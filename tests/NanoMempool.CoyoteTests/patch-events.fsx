// Test-only build step (run by NanoMempool.CoyoteTests.csproj before `dotnet coyote rewrite`):
// in the TEST COPY of a NanoMempool assembly in bin/, replace the calls
//   EventWaitHandle::Set(), WaitHandle::WaitOne(int, bool), WaitHandle::WaitOne()
// by calls to NanoMempool.CoyoteShim.ControlledEvent (same stack shape: instance + args -> static), and
//   newobj AutoResetEvent::.ctor(bool)
// by ControlledEvent.Create(bool) (same stack shape: bool -> event), which keeps the event out of Coyote's
// registry of wait handles (Coyote 1.7.11 never removes an event from it: every pool of every iteration leaked).
// Why: see Shim/ControlledEvent.cs. The library sources and the shipped assemblies are never touched.
// Usage: dotnet fsi patch-events.fsx <assembly.dll> <NanoMempool.CoyoteShim.dll>
#r "nuget: Mono.Cecil, 0.11.4"
open System
open System.IO
open Mono.Cecil
open Mono.Cecil.Cil

let args = fsi.CommandLineArgs |> Array.skip 1
let target, shimPath = args.[0], args.[1]
let dir = Path.GetDirectoryName(Path.GetFullPath target)
let resolver = new DefaultAssemblyResolver()
resolver.AddSearchDirectory dir
resolver.AddSearchDirectory(Path.GetDirectoryName(typeof<obj>.Assembly.Location))
let bytes = File.ReadAllBytes target
let hasPdb = File.Exists(Path.ChangeExtension(target, ".pdb"))
let rp = ReaderParameters(AssemblyResolver = resolver, ReadSymbols = hasPdb, InMemory = true)
if hasPdb then
    rp.SymbolStream <- new MemoryStream(File.ReadAllBytes(Path.ChangeExtension(target, ".pdb")))
    rp.SymbolReaderProvider <- PortablePdbReaderProvider()
let asm = AssemblyDefinition.ReadAssembly(new MemoryStream(bytes), rp)
let shimName = "NanoMempool.CoyoteShim"
if asm.MainModule.AssemblyReferences |> Seq.exists (fun r -> r.Name = shimName) then
    printfn "patch-events: %s already patched" (Path.GetFileName target)
    exit 0
let shim = AssemblyDefinition.ReadAssembly(shimPath, ReaderParameters(AssemblyResolver = resolver))
let ce = shim.MainModule.GetType("NanoMempool.CoyoteShim.ControlledEvent")
let pick name (ps: string list) =
    ce.Methods |> Seq.find (fun m -> m.Name = name && (m.Parameters |> Seq.map (fun p -> p.ParameterType.Name) |> List.ofSeq) = ps)
let module_ = asm.MainModule
let setM = module_.ImportReference(pick "Set" ["EventWaitHandle"])
let wait3 = module_.ImportReference(pick "WaitOne" ["WaitHandle"; "Int32"; "Boolean"])
let wait1 = module_.ImportReference(pick "WaitOne" ["WaitHandle"])
let create = module_.ImportReference(pick "Create" ["Boolean"])
let mutable sets, waits3, waits1, creates = 0, 0, 0, 0
for t in module_.GetTypes() do
  for m in t.Methods do
    if m.HasBody then
      for ins in m.Body.Instructions do
        match ins.Operand with
        | :? MethodReference as mr when (ins.OpCode = OpCodes.Call || ins.OpCode = OpCodes.Callvirt) ->
            let owner = mr.DeclaringType.FullName
            let ps = mr.Parameters |> Seq.map (fun p -> p.ParameterType.FullName) |> List.ofSeq
            if owner = "System.Threading.EventWaitHandle" && mr.Name = "Set" && ps = [] then
                ins.OpCode <- OpCodes.Call; ins.Operand <- setM; sets <- sets + 1
            elif owner = "System.Threading.WaitHandle" && mr.Name = "WaitOne" && ps = ["System.Int32"; "System.Boolean"] then
                ins.OpCode <- OpCodes.Call; ins.Operand <- wait3; waits3 <- waits3 + 1
            elif owner = "System.Threading.WaitHandle" && mr.Name = "WaitOne" && ps = [] then
                ins.OpCode <- OpCodes.Call; ins.Operand <- wait1; waits1 <- waits1 + 1
        | :? MethodReference as mr when ins.OpCode = OpCodes.Newobj ->
            let ps = mr.Parameters |> Seq.map (fun p -> p.ParameterType.FullName) |> List.ofSeq
            if mr.DeclaringType.FullName = "System.Threading.AutoResetEvent" && ps = ["System.Boolean"] then
                ins.OpCode <- OpCodes.Call; ins.Operand <- create; creates <- creates + 1
        | _ -> ()
// The library waits with WaitOne(int, bool) only; WaitOne() is patched wherever a build has it.
if sets = 0 || waits3 = 0 || creates = 0 then
    eprintfn "patch-events: error: expected Set and WaitOne(int,bool) calls and new AutoResetEvent(bool) in %s, found %d/%d/%d (and %d WaitOne())" target sets waits3 creates waits1
    exit 1
let wp = WriterParameters(WriteSymbols = hasPdb)
if hasPdb then wp.SymbolWriterProvider <- PortablePdbWriterProvider()
asm.Write(target, wp)
printfn "patch-events: %s: %d Set, %d WaitOne(int,bool), %d WaitOne() calls and %d new AutoResetEvent(bool) now go to ControlledEvent" (Path.GetFileName target) sets waits3 waits1 creates
