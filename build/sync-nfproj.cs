// Licensed under the MIT License. See LICENSE in the repository root.
//
// Rewrites the <Compile Include> lists of NanoMempool/NanoMempool.nfproj,
// NanoMempool.Tests/NanoMempool.Tests.nfproj and the samples' .nfproj files from the .cs files on disk
// (nanoFramework projects list every file explicitly; tests/NanoMempool.BuildTests fails when a list is
// out of date). A sample's project lists the .cs files of its own folder only: its host/ simulation is
// another project.
// Run from the repository root:  dotnet run build/sync-nfproj.cs
using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

var projects = new[]
{
    ("NanoMempool", "NanoMempool.nfproj", SearchOption.AllDirectories),
    ("NanoMempool.Tests", "NanoMempool.Tests.nfproj", SearchOption.AllDirectories),
    ("samples/esp32-irq", "Esp32Irq.nfproj", SearchOption.TopDirectoryOnly),
    ("samples/esp32-spi-fifo", "Esp32SpiFifo.nfproj", SearchOption.TopDirectoryOnly),
};
foreach (var (folder, file, depth) in projects)
{
    var path = Path.Combine(folder, file);
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"{path} not found: run this from the repository root");
        return 1;
    }

    var items = Directory.EnumerateFiles(folder, "*.cs", depth)
        .Select(p => Path.GetRelativePath(folder, p).Replace('/', '\\'))
        .Where(p => !p.StartsWith("bin\\") && !p.StartsWith("obj\\"))
        .OrderBy(p => p, StringComparer.OrdinalIgnoreCase)
        .Select(p => $"    <Compile Include=\"{p}\" />");
    var text = File.ReadAllText(path);
    var group = new Regex("(?<open>  <ItemGroup>\\r?\\n)(?:\\s*<Compile Include=\"[^\"]*\" />\\r?\\n)+(?<close>  </ItemGroup>)");
    if (!group.IsMatch(text))
    {
        Console.Error.WriteLine($"{path}: no ItemGroup of Compile items found");
        return 1;
    }

    var newline = text.Contains("\r\n") ? "\r\n" : "\n";
    var updated = group.Replace(text, m => m.Groups["open"].Value + string.Join(newline, items) + newline + m.Groups["close"].Value, 1);
    if (updated != text)
    {
        File.WriteAllText(path, updated);
        Console.WriteLine($"updated {path}");
    }
    else
    {
        Console.WriteLine($"{path} is up to date");
    }
}

return 0;
