#!/usr/bin/env bash
# Builds and checks everything, runs every test project, and ends with the line "N passed, N failed".
#
#   1. nano compile: every build/nano/*/*.csproj against nanoFramework mscorlib 1.17.11 (surfaces of
#      unavailable packages are built through ProjectReference);
#   2. conformance: build/conformance over each nano output (generics, foreign references, volatile);
#      each nano project counts as one check: passed if it compiles and conforms, else failed;
#   3. host build: every build/host/*/*.csproj (one check each);
#   4. tests: `dotnet test` on every tests/*/*.csproj, TRX into artifacts/test-results/, counts read
#      from the TRX counters. A project that does not build or runs no test counts as one failure;
#      one whose tests all report themselves skipped (the package tests without a nanoCLR kit) counts nothing.
#   5. device tier: build/device/run-device-tier.sh (with the nanoCLR kit: NANOCLR_KIT, else
#      ../shared/nanoclr): .pe conversion, the device tests on nanoCLR, surface and parity checks; without
#      the kit it prints one "device tier skipped" line and counts nothing.
# Exit status: non-zero if anything failed or nothing passed. Logs: artifacts/test-results/*.log.
# Environment: NANO_TEST_TIMEOUT_SECONDS (host watchdog per device test, default 60),
#              TEST_PROJECT_TIMEOUT (seconds per test project, default 1500),
#              NANOCLR_KIT (the nanoCLR kit's folder for the device tier and the package tests; default
#              ../shared/nanoclr).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"
RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
PROJECT_TIMEOUT="${TEST_PROJECT_TIMEOUT:-1500}"

total_passed=0
total_failed=0
summary=()

# record NAME PASSED FAILED [NOTE]
record() {
    local line
    line=$(printf '%-46s %5d passed, %5d failed' "$1" "$2" "$3")
    if [ -n "${4:-}" ]; then
        line="$line  ($4)"
    fi
    summary+=("$line")
    total_passed=$((total_passed + $2))
    total_failed=$((total_failed + $3))
}

# show_errors LOG: the compiler/MSBuild errors of a failed step, briefly.
show_errors() {
    grep -E ' error |error [A-Z]+[0-9]+|: error' "$1" | sort -u | head -n 20 || tail -n 20 "$1"
}

# trx_counter FILE NAME: value of a <Counters> attribute.
trx_counter() {
    local v
    v=$(grep -o "<Counters [^>]*" "$1" | head -n 1 | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || true)
    echo "${v:-0}"
}

echo "== nano compile (against nanoFramework mscorlib 1.17.11) and conformance"
conformance_tool=""
if dotnet build build/conformance/NanoConformance.csproj -nologo -v q >"$RESULTS/build-conformance.log" 2>&1; then
    conformance_tool="$ROOT/build/conformance/bin/Debug/net10.0/NanoConformance.dll"
else
    echo "build/conformance does not build:"
    show_errors "$RESULTS/build-conformance.log"
    record "conformance checker" 0 1 "does not build"
fi

shopt -s nullglob
nano_projects=(build/nano/*/*.csproj)
host_projects=(build/host/*/*.csproj)
test_projects=(tests/*/*.csproj)
shopt -u nullglob

for project in "${nano_projects[@]}"; do
    name="nano $(basename "$(dirname "$project")")"
    log="$RESULTS/build-$(basename "$project" .csproj).log"
    if ! dotnet build "$project" -nologo -v q >"$log" 2>&1; then
        echo "$name: does not compile for the device:"
        show_errors "$log"
        record "$name" 0 1 "does not compile"
        continue
    fi
    if [ -z "$conformance_tool" ]; then
        record "$name" 0 1 "compiled; conformance not checked"
        continue
    fi
    props=$(dotnet msbuild "$project" -nologo -getProperty:TargetPath -getProperty:NanoConformanceAllow 2>>"$log") || props=""
    target=$(printf '%s\n' "$props" | sed -n 's/^ *"TargetPath": "\(.*\)",\{0,1\}$/\1/p')
    allow=$(printf '%s\n' "$props" | sed -n 's/^ *"NanoConformanceAllow": "\(.*\)",\{0,1\}$/\1/p')
    if [ -z "$target" ] || [ ! -f "$target" ]; then
        echo "$name: cannot find its output ($target)"
        record "$name" 0 1 "no output"
        continue
    fi
    if dotnet "$conformance_tool" --allow "$allow" "$target" >"$RESULTS/conformance-$(basename "$project" .csproj).log" 2>&1; then
        cat "$RESULTS/conformance-$(basename "$project" .csproj).log"
        record "$name" 1 0 "compile + conformance"
    else
        cat "$RESULTS/conformance-$(basename "$project" .csproj).log"
        record "$name" 0 1 "conformance failed"
    fi
done

echo "== host build (the same sources for net10.0)"
for project in "${host_projects[@]}"; do
    name="host $(basename "$(dirname "$project")")"
    log="$RESULTS/build-$(basename "$project" .csproj).log"
    if dotnet build "$project" -nologo -v q >"$log" 2>&1; then
        record "$name" 1 0 "builds"
    else
        echo "$name: does not build:"
        show_errors "$log"
        record "$name" 0 1 "does not build"
    fi
done

echo "== tests"
for project in "${test_projects[@]}"; do
    name=$(basename "$project" .csproj)
    log="$RESULTS/$name.log"
    trx="$RESULTS/$name.trx"
    echo "-- $name"
    status=0
    timeout --kill-after=30 "$PROJECT_TIMEOUT" \
        dotnet test "$project" -nologo \
        --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
        --blame-hang-timeout 10m \
        >"$log" 2>&1 || status=$?
    # The per-test lines of failures and the runner's own summary line.
    grep -E '^\s+Failed |^(Passed|Failed)!|error [A-Z]+[0-9]+' "$log" | sort -u | head -n 40 || true
    if [ ! -f "$trx" ]; then
        if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
            record "$name" 0 1 "timed out after ${PROJECT_TIMEOUT}s"
        else
            show_errors "$log"
            record "$name" 0 1 "did not build or run (exit $status)"
        fi
        continue
    fi
    passed=$(trx_counter "$trx" passed)
    failed=$(( $(trx_counter "$trx" failed) + $(trx_counter "$trx" error) + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted) ))
    executed=$(trx_counter "$trx" executed)
    total=$(trx_counter "$trx" total)
    note=""
    if [ "$total" -gt "$executed" ]; then
        note="$((total - executed)) not executed or skipped"
    fi
    if [ "$executed" -eq 0 ] && [ "$total" -gt 0 ] && [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]; then
        # Every test reported itself skipped (e.g. the package tests without a nanoCLR kit): counts nothing.
        record "$name" 0 0 "all $total skipped"
    elif [ "$executed" -eq 0 ]; then
        record "$name" "$passed" $((failed + 1)) "ran no test"
    elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
        record "$name" "$passed" 1 "dotnet test exited $status${note:+; $note}"
    else
        record "$name" "$passed" "$failed" "$note"
    fi
done

echo "== device tier (nanoCLR)"
# build/device/run-device-tier.sh: exit 3 = no kit (it printed its one skip line; nothing counted), else its last
# line is "N passed, M failed". It reads the host run's TRX for the host/nanoCLR test-name parity check.
device_status=0
build/device/run-device-tier.sh --host-trx "$RESULTS/NanoMempool.Tests.Host.trx" >"$RESULTS/device-tier.log" 2>&1 || device_status=$?
grep -v '^[0-9]* passed, [0-9]* failed$' "$RESULTS/device-tier.log" || true
if [ "$device_status" -ne 3 ]; then
    device_counts=$(tail -n 1 "$RESULTS/device-tier.log" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
    read -r device_passed device_failed <<<"${device_counts:-0 1}"
    [ "$device_status" -eq 0 ] || [ "$device_failed" -gt 0 ] || device_failed=1
    record "device tier (nanoCLR)" "$device_passed" "$device_failed" "build/device; log: device-tier.log"
fi

if [ "${CI:-}" = "true" ]; then
    dotnet build-server shutdown >/dev/null 2>&1 || true
fi

echo "== summary"
for line in "${summary[@]}"; do
    echo "$line"
done
echo "$total_passed passed, $total_failed failed"
if [ "$total_failed" -ne 0 ] || [ "$total_passed" -eq 0 ]; then
    exit 1
fi
