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
//   FastPushNoAlert BlockPool.Free: the fast push ignores the alert bit in the word it replaced (no AfterAlertedPush).
//   RetireFirst     BlockPool.Release: a surplus block is retired before the waiting threads are offered it (I4,
//                   demand first).
//
// The build fails if an anchor text is not found exactly once, so no mutant can silently become the real code.
// Usage: dotnet fsi make-mutant.fsx <NanoMempool source folder> <output folder>
open System.IO

let args = fsi.CommandLineArgs |> Array.skip 1
let src, outDir = args.[0], args.[1]

/// One edit: in file, replace the anchor (which must occur exactly once) by the replacement.
type Edit = { File: string; Anchor: string; Replacement: string }

let edit file anchor replacement = { File = file; Anchor = anchor; Replacement = replacement }

let seeds : (string * Edit list) list =
    [
      "HandOffRecheck",
      [ edit "BlockPool.cs"
            "                    // against a freshly read word) loses wake-ups; model/ shows it.\n                }\n"
            ("                    // against a freshly read word) loses wake-ups; model/ shows it.\n" +
             "                    // SEEDED BUG (test-only mutant): CAS against a freshly read word, dropping the re-check.\n" +
             "                    word = _word;\n" +
             "                    top = FreeListWord.Top(word);\n" +
             "                }\n") ]

      "QueuePassOn",
      [ edit "BlockQueue.cs"
            "            if (_sleepers != 0 && (_disposed != 0 || IsHeadReady()))\n"
            ("            // SEEDED BUG (test-only mutant): no pass-on Set when another block is ready.\n" +
             "            if (_sleepers != 0 && _disposed != 0)\n") ]

      "BulkRecheck",
      [ edit "BlockPool.BulkWaiting.cs"
            "            if (FreeCount < count)\n"
            ("            // SEEDED BUG (test-only mutant): sleep without re-reading the free count after registering.\n" +
             "            if (true)\n") ]

      "NoTrim",
      [ edit "BlockPool.cs"
            "            if (depth > _reserveLimit)\n            {\n                TrimReserve();\n            }\n"
            "            // SEEDED BUG (test-only mutant): no trim after a push (the reserve may grow past its size).\n" ]

      "RaiseNoBump",
      [ edit "BlockPool.cs"
            "            while (true)\n            {\n                // Model: model/nanomempool.pml [Alert.raise]\n"
            ("            while (true)\n            {\n" +
             "                // SEEDED BUG (test-only mutant): a set bit is left as it is, the word unchanged.\n" +
             "                if ((word & FreeListWord.AlertBit) != 0)\n" +
             "                {\n" +
             "                    return;\n" +
             "                }\n\n" +
             "                // Model: model/nanomempool.pml [Alert.raise]\n") ]

      "ClearNoRecheck",
      [ edit "BlockPool.cs"
            ("            int word = _word;\n" +
             "            while ((word & FreeListWord.AlertBit) != 0\n" +
             "                && _allocator == null && _bulkWaiting == 0 && !PoolSizes.HasSurplus(_sizes))\n")
            ("            // SEEDED BUG (test-only mutant): the conditions are read once, before the word, and not again.\n" +
             "            if (_allocator != null || _bulkWaiting != 0 || PoolSizes.HasSurplus(_sizes))\n" +
             "            {\n" +
             "                return;\n" +
             "            }\n\n" +
             "            int word = _word;\n" +
             "            while ((word & FreeListWord.AlertBit) != 0)\n") ]

      "LateAlert",
      [ edit "BlockPool.Resize.cs"
            ("                // A surplus needs every push to re-check (I6, I9): raise the alert before our own retire loop.\n" +
             "                if (PoolSizes.HasSurplus(_sizes))\n" +
             "                {\n" +
             "                    RaiseAlert();\n" +
             "                }\n\n")
            ""
        edit "BlockPool.Resize.cs"
            "                SettleSurplus();\n                ClearAlertIfIdle();\n"
            ("                SettleSurplus();\n" +
             "                // SEEDED BUG (test-only mutant): the alert is raised only after the retire loop.\n" +
             "                if (PoolSizes.HasSurplus(_sizes))\n" +
             "                {\n" +
             "                    RaiseAlert();\n" +
             "                }\n\n" +
             "                ClearAlertIfIdle();\n") ]

      "FastPushNoAlert",
      [ edit "BlockPool.cs"
            ("                    // The alert travels in the word this CAS replaced (I9).\n" +
             "                    if ((word & FreeListWord.AlertBit) != 0)\n" +
             "                    {\n" +
             "                        AfterAlertedPush(depth);\n" +
             "                    }\n\n")
            "                    // SEEDED BUG (test-only mutant): the fast push ignores the alert.\n" ]

      "RetireFirst",
      [ edit "BlockPool.cs"
            "            // Model: model/nanomempool.pml [Release.read]\n            int word = _word;\n            while (true)\n"
            ("            // SEEDED BUG (test-only mutant): a surplus block is retired before any waiter is offered it.\n" +
             "            if (PoolSizes.HasSurplus(_sizes) && TryRetire(slot))\n" +
             "            {\n" +
             "                return;\n" +
             "            }\n\n" +
             "            // Model: model/nanomempool.pml [Release.read]\n            int word = _word;\n            while (true)\n") ]
    ]

let occurrences (text: string) (anchor: string) =
    (text.Length - text.Replace(anchor, "").Length) / anchor.Length

let sources =
    Directory.GetFiles(src, "*.cs")
    |> Array.map (fun f -> Path.GetFileName f, File.ReadAllText(f).Replace("\r\n", "\n"))

if Directory.Exists outDir then Directory.Delete(outDir, true)
Directory.CreateDirectory outDir |> ignore
let mutable failed = false
for (seed, edits) in seeds do
    let folder = Path.Combine(outDir, seed)
    Directory.CreateDirectory folder |> ignore
    for (name, original) in sources do
        let mutable text = original.Replace("namespace NanoMempool\n", "namespace NanoMempool.Mutant." + seed + "\n")
        for e in edits |> List.filter (fun e -> e.File = name) do
            let count = occurrences text e.Anchor
            if count <> 1 then
                eprintfn "make-mutant: error: seed %s: an anchor occurs %d times in %s (expected 1)" seed count name
                failed <- true
            else
                text <- text.Replace(e.Anchor, e.Replacement)
        File.WriteAllText(Path.Combine(folder, name), text)
    for e in edits do
        if not (sources |> Array.exists (fun (name, _) -> name = e.File)) then
            eprintfn "make-mutant: error: seed %s: %s not found in %s" seed e.File src
            failed <- true
if failed then exit 1
File.WriteAllText(Path.Combine(outDir, "seeds.txt"), String.concat "\n" (seeds |> List.map fst) + "\n")
printfn "make-mutant: %d mutants, one seeded bug each (%s), in %s" seeds.Length (String.concat ", " (seeds |> List.map fst)) outDir
