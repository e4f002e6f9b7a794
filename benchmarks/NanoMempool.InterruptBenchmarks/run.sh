#!/usr/bin/env bash
# Usage: benchmarks/NanoMempool.InterruptBenchmarks/run.sh [--dry-run] [--events N] [--load KEPT MAXSIZE]
#            [--sweep EVENTS] [--step-ms N] [--ladders N] [--rounds N] [--iterations N] [--parts LIST] [--timeout SECONDS]
#   Builds the interrupt-path benchmark (this folder) and the library (NanoMempool/**/*.cs) against the nanoCLR kit and
#   runs it on the kit's virtual board (run-nf-app.sh), in up to two runs:
#     1. the 32-bit interpreter with an ESP32's heap (NANOCLR_HEAP_BYTES=110000): whether CallingContext allocates, the
#        three ways (BlockPool + BlockQueue, new byte[] in the handler, a lock pool) at 1 kHz with the main thread also
#        allocating, and (with --sweep) the same at growing main-thread loads;
#     2. the 64-bit interpreter: what CallingContext.IsInterruptThread costs, and the highest timer rate each way
#        sustains with zero drops.
#   Prints the machine and its load, the tables, one "RESULT name value unit" line per figure, "BENCHMARK DONE".
#   --dry-run            a few hundred events, short steps, few rounds: does every path still run? (CI); the figures
#                        mean nothing
#   --events N           handler calls per way of the three-way run (default 30000, i.e. 30 s per way)
#   --load KEPT MAXSIZE  the three-way run's main-thread load: KEPT buffers of 256..MAXSIZE bytes alive (default 16 4096)
#   --sweep EVENTS       also run the three ways at the main-thread loads 16, 20, 22, 24, 26 buffers of 256..MAXSIZE
#                        bytes, EVENTS handler calls each (default: no sweep)
#   --step-ms N          timer time per step of the rate ladder (default 2000)
#   --ladders N          rate ladders per way (default 3)
#   --rounds N           rounds of the cost figures (default 21)
#   --iterations N       calls per round of the cost figures (default 2000)
#   --parts LIST         which runs: 32, 64 or 32,64 (default 32,64)
#   --timeout SECONDS    limit for each nanoCLR run (default 1800)
#   Environment: NANOCLR_KIT = the kit's folder (default: ../shared/nanoclr beside the repository root).
#   Exit status: 0 done; 1 build or run failed, or the program printed no result; 2 bad usage; 77 no kit.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }

dry=false; events=30000; kept=16; maxsize=4096; sweep=0; step=2000; ladders=3; rounds=21; iterations=2000
parts=32,64; timeout=1800
while [ $# -gt 0 ]; do
    case $1 in
        --dry-run) dry=true ;;
        --events) events=${2:-}; shift ;;
        --load) kept=${2:-}; maxsize=${3:-}; shift 2 ;;
        --sweep) sweep=${2:-}; shift ;;
        --step-ms) step=${2:-}; shift ;;
        --ladders) ladders=${2:-}; shift ;;
        --rounds) rounds=${2:-}; shift ;;
        --iterations) iterations=${2:-}; shift ;;
        --parts) parts=${2:-}; shift ;;
        --timeout) timeout=${2:-}; shift ;;
        -h|--help) usage ;;
        *) echo "run.sh: unknown option: $1" >&2; usage ;;
    esac
    shift
done
alloc_calls=5000; max_steps=13
if [ "$dry" = true ]; then
    events=300; sweep=0; step=200; ladders=1; max_steps=2; rounds=3; iterations=200; alloc_calls=200
fi
for value in "$events" "$kept" "$step" "$ladders" "$rounds" "$iterations" "$timeout"; do
    [[ "$value" =~ ^[1-9][0-9]{0,8}$ ]] || { echo "run.sh: expected a positive number, got '$value'" >&2; exit 2; }
done
[[ "$sweep" =~ ^[0-9]{1,9}$ ]] || { echo "run.sh: --sweep takes a number of events" >&2; exit 2; }
[[ "$maxsize" =~ ^[0-9]{3,6}$ ]] && [ "$maxsize" -ge 256 ] || { echo "run.sh: --load MAXSIZE must be at least 256" >&2; exit 2; }
case $parts in 32|64|32,64|64,32) ;; *) echo "run.sh: --parts takes 32, 64 or 32,64" >&2; exit 2 ;; esac

KIT=${NANOCLR_KIT:-$ROOT/../shared/nanoclr}
if [ ! -f "$KIT/nfsdk/nanoFramework.Build.props" ] || [ ! -x "$KIT/run-nf-app.sh" ]; then
    echo "interrupt benchmark not run: no nanoCLR kit at $KIT (set NANOCLR_KIT to the kit's folder)" >&2
    exit 77
fi
KIT=$(cd "$KIT" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# build OUTDIR PROPERTY...: compiles the library and the benchmark with these run parameters into OUTDIR
build() {
    local out=$1 log=$1.build.log
    shift
    mkdir -p "$out"
    if ! dotnet build "$HERE/NanoMempool.InterruptBenchmarks.csproj" -c Release -o "$out" -nologo -v q "-p:NanoclrKit=$KIT" "$@" >"$log" 2>&1; then
        grep -E ': error [A-Z]+[0-9]+' "$log" | sed -e 's/ \[[^]]*\.csproj\]$//' | sort -u
        grep -qE ': error [A-Z]+[0-9]+' "$log" || tail -n 20 "$log"
        echo "run.sh: the interrupt benchmark does not build (log: $log)" >&2
        return 1
    fi
}

# run OUTDIR LABEL [ENV...]: runs the benchmark on the virtual board; fails on a non-zero exit, a missing end line or
# an unhandled exception in the main thread
run() {
    local out=$1 label=$2 log=$1.run.log
    shift 2
    echo "== nanoCLR run ($label)"
    env NANOCLR_VB_STATS=1 "$@" "$KIT/run-nf-app.sh" -t "$timeout" "$out/NanoMempool.InterruptBenchmarks.dll" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then
        echo "run.sh: the interrupt benchmark failed on nanoCLR ($label, exit $rc)" >&2
        return 1
    fi
    if ! grep -q '^RESULT ' "$log" || ! grep -q '^BENCHMARK DONE ' "$log"; then
        echo "run.sh: the interrupt benchmark printed no results ($label)" >&2
        return 1
    fi
    local unhandled
    unhandled=$(grep -c '^\[nfrt\] Unhandled exception' "$log")
    [ "$unhandled" -eq 0 ] || echo "run.sh: $unhandled unhandled exceptions in nanoCLR threads during the $label run (see above)"
}

OUT=$ROOT/artifacts/interrupt-benchmarks
rm -rf "$OUT"
echo "== interrupt-path benchmark: three ways $events events (load $kept x 256..$maxsize B), sweep ${sweep:-0}, rate steps $step ms x $ladders ladders, cost $rounds x $iterations, dry run $dry, parts $parts"
echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kit: $KIT"
echo "library: $ROOT/NanoMempool$(git -C "$ROOT" log -1 --format=' (last commit %h, %cs)' -- NanoMempool 2>/dev/null)"

status=0
if [[ ",$parts," == *",32,"* ]]; then
    if [ -e /lib/ld-linux.so.2 ] && { /lib/ld-linux.so.2 --version >/dev/null 2>&1 || command -v qemu-i386 >/dev/null 2>&1; }; then
        build "$OUT/32" -p:BenchThreeWayEvents="$events" -p:BenchLoadKept="$kept" -p:BenchLoadMaxSize="$maxsize" \
            -p:BenchLoadSweepEvents="$sweep" -p:BenchAllocationCalls="$alloc_calls" || exit 1
        run "$OUT/32" "32-bit interpreter, NANOCLR_HEAP_BYTES=110000" NANOCLR_BITS=32 NANOCLR_HEAP_BYTES=110000 || status=1
    else
        echo "run.sh: the 32-bit interpreter cannot run here: apt-get install libc6-i386 lib32stdc++6 (and qemu-user if the kernel cannot run i386 programs)" >&2
        status=1
    fi
    echo "load after the 32-bit run: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
if [[ ",$parts," == *",64,"* ]]; then
    build "$OUT/64" -p:BenchCostRounds="$rounds" -p:BenchCostIterations="$iterations" -p:BenchRateStepMillis="$step" \
        -p:BenchRateRepeats="$ladders" -p:BenchRateMaxSteps="$max_steps" || exit 1
    run "$OUT/64" "64-bit interpreter" NANOCLR_BITS=64 || status=1
    echo "load after the 64-bit run: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
exit $status
