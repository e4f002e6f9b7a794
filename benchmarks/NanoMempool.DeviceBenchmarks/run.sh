#!/usr/bin/env bash
# Usage: benchmarks/NanoMempool.DeviceBenchmarks/run.sh [--dry-run] [--rounds N] [--iterations N]
#            [--handoff-iterations N] [--bits 64|32|both] [--library DIR] [--timeout SECONDS]
#   Builds the device benchmark (this folder) and the library (NanoMempool/**/*.cs) against the nanoCLR kit's
#   mscorlib 1.17.11 and nanoFramework.Runtime.Native, converts them to .pe and runs the benchmark on the kit's
#   nanoCLR interpreter (run-nf-app.sh). Prints the machine, the memory and timing tables, one
#   "RESULT name value unit" line per figure, and the size of NanoMempool.pe (tools/nfmdp.sh -v).
#   --dry-run               few iterations, one round: checks that every path runs (CI); the figures mean nothing
#   --rounds N              rounds of every timed figure; the table reports the median and the best round (default 101)
#   --iterations N          operations per timed single-thread batch (default 1000)
#   --handoff-iterations N  round trips per timed hand-off batch (default 20)
#   --bits 64|32|both       64: the 64-bit interpreter (timing and memory); 32: the 32-bit one (memory only: its
#                           objects have the ESP32's sizes, and it may run under qemu-i386, too slow to time);
#                           both (default): 64, then the 32-bit memory pass when the 32-bit interpreter can run here
#   --library DIR           measure the library sources in DIR (e.g. another version, extracted with git archive)
#                           instead of the repository's NanoMempool/
#   --timeout SECONDS       limit for each nanoCLR run (default 600)
#   Environment: NANOCLR_KIT = the kit's folder (default: ../shared/nanoclr beside the repository root).
#   Exit status: 0 done; 1 build, conversion or run failed, or the program printed no result; 2 bad usage;
#   77 no kit (nothing was run).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }

dry=false; rounds=101; iterations=1000; handoff=20; bits=both; timeout=600; library=$ROOT/NanoMempool
while [ $# -gt 0 ]; do
    case $1 in
        --dry-run) dry=true ;;
        --rounds) rounds=${2:-}; shift ;;
        --iterations) iterations=${2:-}; shift ;;
        --handoff-iterations) handoff=${2:-}; shift ;;
        --bits) bits=${2:-}; shift ;;
        --library) library=${2:-}; shift ;;
        --timeout) timeout=${2:-}; shift ;;
        -h|--help) usage ;;
        *) echo "run.sh: unknown option: $1" >&2; usage ;;
    esac
    shift
done
if [ "$dry" = true ]; then
    rounds=1; iterations=200; handoff=5
fi
for value in "$rounds" "$iterations" "$handoff" "$timeout"; do
    [[ "$value" =~ ^[1-9][0-9]{0,8}$ ]] || { echo "run.sh: expected a positive number, got '$value'" >&2; exit 2; }
done
case $bits in 64|32|both) ;; *) echo "run.sh: --bits takes 64, 32 or both" >&2; exit 2 ;; esac
[ -d "$library" ] || { echo "run.sh: no such library folder: $library" >&2; exit 2; }
library=$(cd "$library" && pwd)

KIT=${NANOCLR_KIT:-$ROOT/../shared/nanoclr}
if [ ! -f "$KIT/nfsdk/nanoFramework.Build.props" ] || [ ! -x "$KIT/run-nf-app.sh" ]; then
    echo "device benchmark not run: no nanoCLR kit at $KIT (set NANOCLR_KIT to the kit's folder)" >&2
    exit 77
fi
KIT=$(cd "$KIT" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# can_run_32: whether the kit's 32-bit interpreter can start here (natively, or under qemu-i386)
can_run_32() {
    [ -e /lib/ld-linux.so.2 ] || return 1
    /lib/ld-linux.so.2 --version >/dev/null 2>&1 && return 0
    command -v qemu-i386 >/dev/null 2>&1
}

# build OUTDIR MEMORYONLY: compiles the library and the benchmark with this run's parameters into OUTDIR
build() {
    local out=$1 log=$1.build.log
    mkdir -p "$out"
    if ! dotnet build "$HERE/NanoMempool.DeviceBenchmarks.csproj" -c Release -o "$out" -nologo -v q \
        "-p:NanoclrKit=$KIT" "-p:BenchRounds=$rounds" "-p:BenchPairIterations=$iterations" \
        "-p:BenchHandOffIterations=$handoff" "-p:BenchDryRun=$dry" "-p:BenchMemoryOnly=$2" \
        "-p:NanoMempoolSources=$library" >"$log" 2>&1; then
        grep -E ': error [A-Z]+[0-9]+' "$log" | sed -e 's/ \[[^]]*\.csproj\]$//' | sort -u
        grep -qE ': error [A-Z]+[0-9]+' "$log" || tail -n 20 "$log"
        echo "run.sh: the device benchmark does not build (log: $log)" >&2
        return 1
    fi
}

# run OUTDIR LABEL [ENV...]: runs the benchmark on nanoCLR; fails on a non-zero exit or a missing end line
run() {
    local out=$1 label=$2 log=$1.run.log
    shift 2
    echo "== nanoCLR run ($label)"
    env "$@" "$KIT/run-nf-app.sh" -t "$timeout" "$out/NanoMempool.DeviceBenchmarks.dll" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then
        echo "run.sh: the device benchmark failed on nanoCLR ($label, exit $rc)" >&2
        return 1
    fi
    if ! grep -q '^RESULT ' "$log" || ! grep -q '^BENCHMARK DONE ' "$log"; then
        echo "run.sh: the device benchmark printed no results ($label)" >&2
        return 1
    fi
}

OUT=$ROOT/artifacts/device-benchmarks
echo "== device benchmark: rounds $rounds, single-thread batch $iterations, hand-off batch $handoff, dry run $dry, bits $bits"
echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kit: $KIT"
library_version=$(git -C "$library" log -1 --format=' (last commit %h, %cs' -- . 2>/dev/null)
if [ -n "$library_version" ]; then
    [ -n "$(git -C "$library" status --porcelain -- . 2>/dev/null)" ] && library_version="$library_version, with uncommitted changes"
    library_version="$library_version)"
fi
echo "library: $library$library_version"

status=0
if [ "$bits" != 32 ]; then
    build "$OUT/64" false || exit 1
    run "$OUT/64" "64-bit interpreter" NANOCLR_BITS=64 || status=1
    if [ -f "$OUT/64/NanoMempool.dll" ]; then
        # The library's .pe as the MetadataProcessor makes it (what a board loads).
        pe=$("$KIT/tools/nfmdp.sh" -v -o "$OUT/NanoMempool.size-check.pe" "$OUT/64/NanoMempool.dll") || status=1
        echo "$pe"
        size=$(printf '%s\n' "$pe" | sed -n 's/.*(\([0-9]*\) bytes).*/\1/p')
        [ -n "$size" ] && echo "RESULT pe.nanomempool.bytes $size B"
        rm -f "$OUT/NanoMempool.size-check.pe" "$OUT/NanoMempool.size-check.pdbx"
    fi
fi
if [ "$bits" != 64 ]; then
    if can_run_32; then
        build "$OUT/32" true || exit 1
        run "$OUT/32" "32-bit interpreter, memory only" NANOCLR_BITS=32 || status=1
    elif [ "$bits" = 32 ]; then
        echo "run.sh: the 32-bit interpreter cannot run here: apt-get install libc6-i386 lib32stdc++6 (and qemu-user if the kernel cannot run i386 programs)" >&2
        status=1
    else
        echo "32-bit memory pass skipped: the 32-bit interpreter needs libc6-i386 and lib32stdc++6 (and qemu-user if the kernel cannot run i386 programs)"
    fi
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
