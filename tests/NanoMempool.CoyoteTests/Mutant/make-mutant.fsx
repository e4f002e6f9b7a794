// Test-only build step of NanoMempool.Mutant.csproj: copies the library sources (NanoMempool/*.cs, never edited)
// into obj/ once per seeded bug, each copy in its own namespace NanoMempool.Mutant.<Seed> with exactly ONE edit, so
// that every mutant is the real code plus one bug and a seeded-bug test can fail only through its own seed:
//
//   HandOffRecheck  BlockPool.Release: after a scan that found no waiter, the push CAS is made against a freshly read
//                   word (the HAND-OFF RE-CHECK dropped): a thread that registered during the scan is not noticed.
//   QueuePassOn     BlockQueue.Dequeue: a leaving sleeper passes its Set() on only after Dispose, never because
//                   another block is ready (the dropped pass-on Set).
//   BulkRecheck     BlockPool.AwaitBulkWake: sleeps right after registering, without re-reading the free count.
//   NoTrim          BlockPool.AfterAlertedPush: no reserve trim after a push (I7).
//   RaiseNoBump     BlockPool.RaiseAlert: returns without a CAS when the alert bit is already set, so the word does
//                   not change and a ClearAlertIfIdle that decided on an older word still succeeds (I9).
//   ClearNoRecheck  BlockPool.ClearAlertIfIdle: reads the conditions once, before the word, and retries its CAS
//                   without reading them again (I9).
//   LateAlert       BlockPool.Resize: raises the alert after its own retire loop instead of before it (I6).
//   FastPushNoAlert BlockPool.Free: the fast push ignores the alert bit of the word it replaces (pushes without AfterAlertedPush).
//   RetireFirst     BlockPool.Release: a surplus block is retired before the waiting threads are offered it (I4,
//                   demand first).
//
// Each edit names the member it changes (Type.Member: every declaration of that name in that type, overloads and
// partial declarations included, in whichever NanoMempool/*.cs file it sits) and a code ANCHOR inside it. The anchor
// is code only (a comment in it is an error): comments in the library are invisible to the search (blanked before
// it), and each run of whitespace in the anchor matches any run of whitespace (or a blanked comment) in the code, so
// re-indenting, re-wrapping, re-commenting or moving the member to another file does not break it. The build fails
// if an anchor is not found exactly once in its member, so no mutant can silently become the real code; edits of one
// seed apply in order (a later anchor is found in the text the earlier ones left).
// Usage: dotnet fsi make-mutant.fsx <NanoMempool source folder> <output folder>
open System
open System.IO
open System.Text.RegularExpressions

let args = fsi.CommandLineArgs |> Array.skip 1
let src, outDir = args.[0], args.[1]

/// One edit: in member Type.Member, replace the anchor (code, which must occur exactly once there) by the replacement.
type Edit = { Member: string; Anchor: string; Replacement: string }

let edit memberName anchor replacement = { Member = memberName; Anchor = anchor; Replacement = replacement }

let seeds : (string * Edit list) list =
    [
      "HandOffRecheck",
      [ edit "BlockPool.Release"
            "if (_waiters.TryHandOff(_blocks[slot]))\n{\nreturn;\n}\n"
            ("if (_waiters.TryHandOff(_blocks[slot]))\n{\nreturn;\n}\n" +
             "// SEEDED BUG (test-only mutant): CAS against a freshly read word, dropping the re-check.\n" +
             "word = _word;\n" +
             "top = FreeListWord.Top(word);\n") ]

      "QueuePassOn",
      [ edit "BlockQueue.Dequeue"
            "if (_sleepers != 0 && (_disposed != 0 || IsHeadReady()))"
            ("// SEEDED BUG (test-only mutant): no pass-on Set when another block is ready.\n" +
             "if (_sleepers != 0 && _disposed != 0)") ]

      "BulkRecheck",
      [ edit "BlockPool.AwaitBulkWake"
            "if (FreeCount < count)"
            ("// SEEDED BUG (test-only mutant): sleep without re-reading the free count after registering.\n" +
             "if (true)") ]

      "NoTrim",
      [ edit "BlockPool.AfterAlertedPush"
            "if (depth > _reserveLimit)\n{\nTrimReserve();\n}"
            "// SEEDED BUG (test-only mutant): no trim after a push (the reserve may grow past its size).\n" ]

      "RaiseNoBump",
      [ edit "BlockPool.RaiseAlert"
            "if (Interlocked.CompareExchange(ref _word, FreeListWord.WithFlag(word, FreeListWord.AlertBit, true), word) == word)"
            ("// SEEDED BUG (test-only mutant): a set bit is left as it is, the word unchanged.\n" +
             "if ((word & FreeListWord.AlertBit) != 0)\n" +
             "{\n" +
             "    return;\n" +
             "}\n\n" +
             "if (Interlocked.CompareExchange(ref _word, FreeListWord.WithFlag(word, FreeListWord.AlertBit, true), word) == word)") ]

      "ClearNoRecheck",
      [ edit "BlockPool.ClearAlertIfIdle"
            ("int word = _word;\n" +
             "while ((word & FreeListWord.AlertBit) != 0\n" +
             "&& _allocator == null && _bulkWaiting == 0 && !PoolSizes.HasSurplus(_sizes))")
            ("// SEEDED BUG (test-only mutant): the conditions are read once, before the word, and not again.\n" +
             "if (_allocator != null || _bulkWaiting != 0 || PoolSizes.HasSurplus(_sizes))\n" +
             "{\n" +
             "    return;\n" +
             "}\n\n" +
             "int word = _word;\n" +
             "while ((word & FreeListWord.AlertBit) != 0)") ]

      "LateAlert",
      [ edit "BlockPool.Resize"
            "if (PoolSizes.HasSurplus(_sizes))\n{\nRaiseAlert();\n}"
            "// SEEDED BUG (test-only mutant): the alert is raised only after the retire loop (below).\n"
        edit "BlockPool.Resize"
            "SettleSurplus();\nClearAlertIfIdle();"
            ("SettleSurplus();\n" +
             "// SEEDED BUG (test-only mutant): the alert is raised only after the retire loop.\n" +
             "if (PoolSizes.HasSurplus(_sizes))\n" +
             "{\n" +
             "    RaiseAlert();\n" +
             "}\n\n" +
             "ClearAlertIfIdle();") ]

      "FastPushNoAlert",
      [ edit "BlockPool.Free"
            "if ((word & (FreeListWord.WaitersBit | FreeListWord.AlertBit)) != 0)"
            ("// SEEDED BUG (test-only mutant): the fast push ignores the alert.\n" +
             "if ((word & FreeListWord.WaitersBit) != 0)") ]

      "RetireFirst",
      [ edit "BlockPool.Release"
            "int word = _word;\nwhile (true)"
            ("// SEEDED BUG (test-only mutant): a surplus block is retired before any waiter is offered it.\n" +
             "if (PoolSizes.HasSurplus(_sizes) && TryRetire(slot))\n" +
             "{\n" +
             "    return;\n" +
             "}\n\n" +
             "int word = _word;\nwhile (true)") ]
    ]

/// The source with each comment blanked (newlines kept, so positions stay), and the same with the contents of every
/// string and character literal blanked too (for counting braces).
let blank (text: string) : string * string =
    let code = text.ToCharArray()
    let bare = text.ToCharArray()
    let n = text.Length
    let mutable i = 0
    let blankAt (a: char[]) j = if a.[j] <> '\n' then a.[j] <- ' '
    while i < n do
        let c = text.[i]
        let next = if i + 1 < n then text.[i + 1] else '\000'
        if c = '/' && next = '/' then
            while i < n && text.[i] <> '\n' do
                blankAt code i; blankAt bare i; i <- i + 1
        elif c = '/' && next = '*' then
            let close = text.IndexOf("*/", i + 2)
            let stop = if close < 0 then n else close + 2
            while i < stop do
                blankAt code i; blankAt bare i; i <- i + 1
        elif c = '@' && next = '"' then
            i <- i + 2
            let mutable fin = false
            while not fin && i < n do
                if text.[i] = '"' && i + 1 < n && text.[i + 1] = '"' then
                    blankAt bare i; blankAt bare (i + 1); i <- i + 2
                elif text.[i] = '"' then
                    fin <- true; i <- i + 1
                else
                    blankAt bare i; i <- i + 1
        elif c = '"' || c = '\'' then
            i <- i + 1
            let mutable fin = false
            while not fin && i < n do
                if text.[i] = '\\' && i + 1 < n then
                    blankAt bare i; blankAt bare (i + 1); i <- i + 2
                elif text.[i] = c || text.[i] = '\n' then
                    fin <- true; i <- i + 1
                else
                    blankAt bare i; i <- i + 1
        else
            i <- i + 1
    String(code), String(bare)

/// The index of the brace that closes the one at `openAt` in `bare`, or -1.
let closing (bare: string) (openAt: int) =
    let mutable depth = 0
    let mutable result = -1
    let mutable i = openAt
    while result < 0 && i < bare.Length do
        match bare.[i] with
        | '{' -> depth <- depth + 1
        | '}' -> depth <- depth - 1; if depth = 0 then result <- i
        | _ -> ()
        i <- i + 1
    result

/// The spans (start, end) of every declaration of member `name` in every declaration of type `typeName` in one
/// source: a member is declared at the top level of the type's body (not inside another member or a nested type).
let memberSpans (bare: string) (typeName: string) (name: string) : (int * int) list =
    [ for t in Regex.Matches(bare, @"\b(class|struct|interface)\s+" + Regex.Escape typeName + @"\b") do
        let openAt = bare.IndexOf('{', t.Index)
        let closeAt = if openAt < 0 then -1 else closing bare openAt
        if closeAt > 0 then
            // Depth of each position inside the type's body, relative to the body.
            let depthAt = Array.zeroCreate (closeAt - openAt)
            let mutable d = 0
            for i in openAt + 1 .. closeAt - 1 do
                depthAt.[i - openAt] <- d
                match bare.[i] with
                | '{' | '(' | '[' -> d <- d + 1
                | '}' | ')' | ']' -> d <- d - 1
                | _ -> ()
            let declaration = Regex(@"(?<![.\w])(?<!\bnew\s+)" + Regex.Escape name + @"\s*(\(|\{|=>)")
            for m in declaration.Matches(bare.Substring(0, closeAt), openAt + 1) do
                if depthAt.[m.Index - openAt] = 0 then
                    // The member ends with its body's closing brace, or the ';' of an expression body.
                    let mutable i = m.Index + name.Length
                    let mutable stop = -1
                    let mutable parens = 0
                    while stop < 0 && i < closeAt do
                        match bare.[i] with
                        | '(' -> parens <- parens + 1
                        | ')' -> parens <- parens - 1
                        | '{' when parens = 0 -> stop <- closing bare i
                        | ';' when parens = 0 -> stop <- i
                        | _ -> ()
                        i <- i + 1
                    if stop > 0 then yield (m.Index, stop + 1) ]

/// A regular expression for the anchor: its text exactly, with every run of whitespace matching any run of
/// whitespace (blanked comments included).
let anchorPattern (anchor: string) =
    let parts = Regex.Split(anchor.Trim(), @"\s+") |> Array.map Regex.Escape
    Regex(String.Join(@"\s+", parts))

let mutable failed = false
let fail (message: string) =
    eprintfn "make-mutant: error: %s" message
    failed <- true

let sources =
    Directory.GetFiles(src, "*.cs")
    |> Array.sort
    |> Array.map (fun f -> Path.GetFileName f, File.ReadAllText(f).Replace("\r\n", "\n"))

/// Applies one edit to the sources of one mutant (file name -> text); reports an anchor not found exactly once.
let apply (seed: string) (files: Map<string, string>) (e: Edit) : Map<string, string> =
    if e.Anchor.Contains "//" || e.Anchor.Contains "/*" then
        fail (sprintf "seed %s: the anchor in %s contains a comment; anchors are code only" seed e.Member)
        files
    else
        let dot = e.Member.LastIndexOf '.'
        let typeName, name = e.Member.Substring(0, dot), e.Member.Substring(dot + 1)
        let pattern = anchorPattern e.Anchor
        let hits =
            [ for KeyValue(file, text) in files do
                let code, bare = blank text
                let spans = memberSpans bare typeName name
                for (a, b) in spans do
                    for m in pattern.Matches(code.Substring(0, b), a) do
                        yield file, m.Index, m.Length, spans.Length ]
        let declarations =
            files |> Seq.sumBy (fun (KeyValue(_, text)) -> memberSpans (snd (blank text)) typeName name |> List.length)
        match hits with
        | [ (file, index, length, _) ] ->
            let text = files.[file]
            files.Add(file, text.Substring(0, index) + e.Replacement + text.Substring(index + length))
        | _ ->
            fail (sprintf "seed %s: the anchor occurs %d times in %s (%d declarations found in %s; expected exactly 1 occurrence): %s"
                    seed hits.Length e.Member declarations src (e.Anchor.Replace("\n", " ")))
            files

if Directory.Exists outDir then Directory.Delete(outDir, true)
Directory.CreateDirectory outDir |> ignore
for (seed, edits) in seeds do
    let folder = Path.Combine(outDir, seed)
    Directory.CreateDirectory folder |> ignore
    let renamed =
        sources
        |> Array.map (fun (name, text) -> name, text.Replace("namespace NanoMempool\n", "namespace NanoMempool.Mutant." + seed + "\n"))
        |> Map.ofArray
    let edited = edits |> List.fold (apply seed) renamed
    for KeyValue(name, text) in edited do
        File.WriteAllText(Path.Combine(folder, name), text)
if failed then exit 1
File.WriteAllText(Path.Combine(outDir, "seeds.txt"), String.concat "\n" (seeds |> List.map fst) + "\n")
printfn "make-mutant: %d mutants, one seeded bug each (%s), in %s" seeds.Length (String.concat ", " (seeds |> List.map fst)) outDir
