// Test-only build step of NanoMempool.Mutant.csproj: copies the library sources (NanoMempool/*.cs, never
// edited) into obj/, renames the namespace to NanoMempool.Mutant, and seeds ONE bug: the hand-off re-check
// in BlockPool.Release is dropped (after a scan that found no waiter, the push CAS is made against a freshly
// read word, so a thread that registered during the scan is not noticed). A second, independent seed in
// BlockQueue.cs (used only by the queue's mutant test): a thread leaving Dequeue passes its Set() on only
// after Dispose, never because another block is ready (the dropped pass-on Set). A third, independent seed in
// BlockPool.BulkWaiting.cs (used only by the blocking bulk mutant test): AwaitBulkWake sleeps without re-reading
// the free count after registering (the dropped bulk re-check). A fourth: Release no longer trims the reserve
// after a push (BackingScenarioTests; with no backing allocator the trim never runs, so the pool scenarios on
// the mutant see only the first seed). The build fails if an anchor text is not found exactly once, so the
// mutant can never silently become the real code.
// Usage: dotnet fsi make-mutant.fsx <NanoMempool source folder> <output folder>
open System.IO

let args = fsi.CommandLineArgs |> Array.skip 1
let src, outDir = args.[0], args.[1]
Directory.CreateDirectory outDir |> ignore
for old in Directory.GetFiles(outDir, "*.cs") do File.Delete old

let anchor = "                    block._next = FreeListWord.Empty;\n                    depth = 1;\n"
let seeded =
    anchor +
    "                    // SEEDED BUG (test-only mutant): CAS against a freshly read word, dropping the re-check.\n" +
    "                    int fresh = _word;\n" +
    "                    if (FreeListWord.Field(fresh) != FreeListWord.EmptyWithWaiters)\n" +
    "                    {\n" +
    "                        word = fresh;\n" +
    "                        continue;\n" +
    "                    }\n\n" +
    "                    word = fresh;\n"

let queueAnchor = "            if (_sleepers != 0 && (_disposed != 0 || IsHeadReady()))\n"
let queueSeeded =
    "            // SEEDED BUG (test-only mutant): no pass-on Set when another block is ready.\n" +
    "            if (_sleepers != 0 && _disposed != 0)\n"

let bulkAnchor = "            bool woken = FreeCount < count && waiter._signal.WaitOne(millisecondsTimeout, false);\n"
let bulkSeeded =
    "            // SEEDED BUG (test-only mutant): sleep without re-reading the free count after registering.\n" +
    "            bool woken = waiter._signal.WaitOne(millisecondsTimeout, false);\n"

let trimAnchor = "                    if (depth > _reserveLimit)\n                    {\n                        TrimReserve();\n                    }\n"
let trimSeeded =
    "                    // SEEDED BUG (test-only mutant): no trim after a push (the reserve may grow past its size).\n"

let mutable seededCount = 0
for file in Directory.GetFiles(src, "*.cs") do
    let mutable text = File.ReadAllText(file).Replace("\r\n", "\n")
    text <- text.Replace("namespace NanoMempool\n", "namespace NanoMempool.Mutant\n")
    if Path.GetFileName file = "BlockPool.cs" then
        let count = (text.Length - text.Replace(anchor, "").Length) / anchor.Length
        if count <> 1 then
            eprintfn "make-mutant: error: the mutation anchor occurs %d times in BlockPool.cs (expected 1)" count
            exit 1
        text <- text.Replace(anchor, seeded)
        seededCount <- seededCount + 1
        let trimCount = (text.Length - text.Replace(trimAnchor, "").Length) / trimAnchor.Length
        if trimCount <> 1 then
            eprintfn "make-mutant: error: the trim anchor occurs %d times in BlockPool.cs (expected 1)" trimCount
            exit 1
        text <- text.Replace(trimAnchor, trimSeeded)
    if Path.GetFileName file = "BlockQueue.cs" then
        let count = (text.Length - text.Replace(queueAnchor, "").Length) / queueAnchor.Length
        if count <> 1 then
            eprintfn "make-mutant: error: the queue mutation anchor occurs %d times in BlockQueue.cs (expected 1)" count
            exit 1
        text <- text.Replace(queueAnchor, queueSeeded)
        seededCount <- seededCount + 1
    if Path.GetFileName file = "BlockPool.BulkWaiting.cs" then
        let count = (text.Length - text.Replace(bulkAnchor, "").Length) / bulkAnchor.Length
        if count <> 1 then
            eprintfn "make-mutant: error: the bulk mutation anchor occurs %d times in BlockPool.BulkWaiting.cs (expected 1)" count
            exit 1
        text <- text.Replace(bulkAnchor, bulkSeeded)
        seededCount <- seededCount + 1
    File.WriteAllText(Path.Combine(outDir, Path.GetFileName file), text)
if seededCount <> 3 then
    eprintfn "make-mutant: error: BlockPool.cs, BlockQueue.cs or BlockPool.BulkWaiting.cs not found in %s" src
    exit 1
printfn "make-mutant: seeded the dropped hand-off re-check and the dropped reserve trim (BlockPool), the dropped pass-on Set (BlockQueue) and the dropped bulk re-check (BlockPool.BulkWaiting) into %s" outDir
