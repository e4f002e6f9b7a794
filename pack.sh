#!/usr/bin/env bash
# Builds the NuGet package of the library on Linux: artifacts/NanoMempool.<version>.nupkg, and its symbols package
# artifacts/NanoMempool.<version>.snupkg.
#
# Needs the .NET SDK and the nanoCLR kit (its mscorlib to compile against, its MetadataProcessor for the .pe):
# the kit's folder is NANOCLR_KIT, else ../shared/nanoclr beside the repository. The version comes from
# version.json and the git history (Nerdbank.GitVersioning), so run it in a git clone.
# What it does: dotnet pack build/pack/NanoMempool.Pack.csproj -c Release (see that project's header).
# Extra arguments go to dotnet pack. Prints the symbols package's path, then the package's on the last line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

kit="${NANOCLR_KIT:-../shared/nanoclr}"
if [ ! -f "$kit/tools/nfmdp.sh" ] || [ ! -f "$kit/nfsdk/nanoFramework.Build.props" ]; then
    echo "pack: no nanoCLR kit at $kit (needs nfsdk/ and tools/nfmdp.sh): set NANOCLR_KIT to its folder" >&2
    exit 2
fi
kit=$(cd "$kit" && pwd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
rm -f artifacts/NanoMempool.*.nupkg artifacts/NanoMempool.*.snupkg
dotnet pack build/pack/NanoMempool.Pack.csproj -c Release -nologo -p:NanoclrKit="$kit" "$@"

shopt -s nullglob
packages=(artifacts/NanoMempool.*.nupkg)
symbols=(artifacts/NanoMempool.*.snupkg)
if [ "${#packages[@]}" -ne 1 ] || [ "${#symbols[@]}" -ne 1 ]; then
    echo "pack: expected one artifacts/NanoMempool.*.nupkg and one .snupkg, found ${#packages[@]} and ${#symbols[@]}" >&2
    exit 1
fi
echo "$PWD/${symbols[0]}"
echo "$PWD/${packages[0]}"
