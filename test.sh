#!/usr/bin/env bash
# Builds and checks everything, runs every test project, and ends with the line "N passed, N failed".
#
#   ./test.sh            full tier: every check and proof at the depth CI runs (what .ci/run calls)
#   ./test.sh --quick    quick tier: the same builds, checks and tests, but the spin model checks and the Coyote
#                        systematic tests only at smoke-test depth (after each change)
#   ./test.sh --deep     deep tier: the full tier plus runs too long for it (Coyote at 10x the schedules, the
#                        larger spin configurations)
# The tier reaches the test projects as NANOMEMPOOL_TIER=quick|full|deep (tests/Shared/TestTier.cs); what each
# tier runs is in build/README.md, "Test tiers".
#
#   1. build: one MSBuild run (Release, two nodes) of every project below, from a solution written into
#      artifacts/ (so that no project is left out); if it fails, each project is built alone to say which;
#   2. nano compile + conformance: every build/nano/*/*.csproj is compiled against nanoFramework mscorlib 1.17.11
#      (surfaces of unavailable packages through ProjectReference), then build/conformance checks its output
#      (generics, foreign references, volatile); one check each: passed if it compiles and conforms;
#   3. host build: every build/host/*/*.csproj (one check each);
#   4. tests: every tests/*/*.csproj runs with `dotnet test --no-build`, TEST_JOBS at a time (default 2, the
#      longest first; every project but Coyote at nice 10, see run_tests), TRX into artifacts/test-results/, counts
#      read from the TRX counters. A project that does not build or runs no test counts as one failure; one whose
#      tests all report themselves skipped (the package tests without a nanoCLR kit) counts nothing;
#   5. device tier, as one more job: build/device/run-device-tier.sh (with the nanoCLR kit: NANOCLR_KIT, else
#      ../shared/nanoclr): .pe conversion, the device tests on nanoCLR, the surface and host/device parity checks;
#      without the kit it prints one "device tier skipped" line and counts nothing.
# Exit status: non-zero if anything failed or nothing passed. Logs: artifacts/test-results/*.log.
# Environment: NANO_TEST_TIMEOUT_SECONDS (host watchdog per device test, default 60),
#              TEST_PROJECT_TIMEOUT (seconds per test project; default 900 quick, 3000 full, 21600 deep),
#              TEST_JOBS (test projects run at the same time, default 2),
#              NANOCLR_KIT (the nanoCLR kit's folder for the device tier and the package tests; default
#              ../shared/nanoclr).
set -euo pipefail

tier=full
for arg in "$@"; do
    case "$arg" in
        --quick) tier=quick ;;
        --deep) tier=deep ;;
        --full) tier=full ;;
        -h|--help)
            sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "unknown option: $arg (expected --quick, --deep or nothing)" >&2
            exit 2
            ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"
RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NANOMEMPOOL_TIER="$tier"
# Per project (TEST_PROJECT_TIMEOUT) and per single test (dotnet test's hang timeout), by tier.
case "$tier" in
    quick) default_timeout=900 hang=10m ;;
    full) default_timeout=3000 hang=20m ;;
    deep) default_timeout=21600 hang=240m ;;
esac
PROJECT_TIMEOUT="${TEST_PROJECT_TIMEOUT:-$default_timeout}"
JOBS="${TEST_JOBS:-2}"
started=$SECONDS
echo "== tier: $tier"

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

shopt -s nullglob
nano_projects=(build/nano/*/*.csproj)
surface_projects=(build/surfaces/*/*.csproj)
host_projects=(build/host/*/*.csproj)
test_projects=(tests/*/*.csproj)
shopt -u nullglob

echo "== build (one MSBuild run, Release)"
# One solution for everything, written here so that it always lists every project; projects shared by several
# (the host library, the surfaces) are built once. Release: the IL-cost guards read the Release nano build. The
# surfaces are listed too: a project reached only by ProjectReference from a solution build is built in its default
# configuration (Debug), and the doc tests compile the snippets against the Release surfaces.
solution="$ROOT/artifacts/All.slnx"
{
    echo "<Solution>"
    for project in build/conformance/NanoConformance.csproj "${nano_projects[@]}" "${surface_projects[@]}" "${host_projects[@]}" "${test_projects[@]}"; do
        echo "  <Project Path=\"../$project\" />"
    done
    echo "</Solution>"
} >"$solution"
build_failed=0
if ! dotnet build "$solution" -c Release -m:2 -nodeReuse:false -nologo -v q >"$RESULTS/build.log" 2>&1; then
    build_failed=1
    echo "the build failed; building each project alone to find which (artifacts/test-results/build-*.log)"
fi

# built PROJECT LOG: true if PROJECT is built (the solution build succeeded, or its own build does).
built_ok() {
    [ "$build_failed" -eq 0 ] && return 0
    dotnet build "$1" -c Release -nologo -v q >"$2" 2>&1
}

# csproj_value PROJECT NAME: a property set once in the project file (AssemblyName, NanoConformanceAllow).
csproj_value() {
    sed -n "s:.*<$2>\(.*\)</$2>.*:\1:p" "$1" | head -n 1
}

echo "== nano compile (against nanoFramework mscorlib 1.17.11) and conformance"
conformance_tool="$ROOT/build/conformance/bin/Release/net10.0/NanoConformance.dll"
if ! built_ok build/conformance/NanoConformance.csproj "$RESULTS/build-conformance.log"; then
    echo "build/conformance does not build:"
    show_errors "$RESULTS/build-conformance.log"
    record "conformance checker" 0 1 "does not build"
    conformance_tool=""
fi

for project in "${nano_projects[@]}"; do
    name="nano $(basename "$(dirname "$project")")"
    log="$RESULTS/build-$(basename "$project" .csproj).log"
    if ! built_ok "$project" "$log"; then
        echo "$name: does not compile for the device:"
        show_errors "$log"
        record "$name" 0 1 "does not compile"
        continue
    fi
    if [ -z "$conformance_tool" ]; then
        record "$name" 0 1 "compiled; conformance not checked"
        continue
    fi
    target="$(dirname "$project")/bin/Release/$(csproj_value "$project" AssemblyName).dll"
    allow=$(csproj_value "$project" NanoConformanceAllow)
    if [ ! -f "$target" ]; then
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
    if built_ok "$project" "$log"; then
        record "$name" 1 0 "builds"
    else
        echo "$name: does not build:"
        show_errors "$log"
        record "$name" 0 1 "does not build"
    fi
done

built=()
for project in "${test_projects[@]}"; do
    name=$(basename "$project" .csproj)
    if built_ok "$project" "$RESULTS/build-$name.log"; then
        built+=("$project")
    else
        echo "$name: does not build:"
        show_errors "$RESULTS/build-$name.log"
        record "$name" 0 1 "does not build"
    fi
done
echo "build: $((SECONDS - started)) s"

# run_tests PROJECT: runs one test project and writes its summary line's fields (passed, failed, note) to
# $RESULTS/NAME.result and the lines worth showing to $RESULTS/NAME.excerpt.
run_tests() {
    local project=$1 name log trx status passed failed executed total note t0
    name=$(basename "$project" .csproj)
    log="$RESULTS/$name.log"
    trx="$RESULTS/$name.trx"
    t0=$SECONDS
    status=0
    # Coyote's wall time is bound by latency, not CPU: one OS thread of a schedule runs at a time and hands control
    # to the next, thousands of times per schedule, and each hand-off waits for a core. Beside two busy processes of
    # the same priority it ran 12 times slower than alone, beside two at nice 10 about 4 times (docs/
    # concurrency/README.md, "Coyote: what a run costs"). So every other test project, and the device tier, runs at a
    # lower priority: they only need throughput.
    local niceness=10
    if [ "$name" = NanoMempool.CoyoteTests ]; then
        niceness=0
    fi
    # timeout runs the tests in a process group of its own; a TERM to this job is passed on to it.
    nice -n "$niceness" timeout --kill-after=30 "$PROJECT_TIMEOUT" \
        dotnet test "$project" --no-build -c Release -nologo \
        --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
        --blame-hang-timeout "$hang" \
        >"$log" 2>&1 &
    local job=$!
    trap 'kill -TERM "$job" 2>/dev/null; exit 143' TERM
    wait "$job" || status=$?
    # The per-test lines of failures and the runner's own summary line.
    grep -E '^\s+Failed |^(Passed|Failed)!|error [A-Z]+[0-9]+' "$log" | sort -u | head -n 40 >"$RESULTS/$name.excerpt" || true
    if [ ! -f "$trx" ]; then
        if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
            printf '0\t1\ttimed out after %ss\n' "$PROJECT_TIMEOUT" >"$RESULTS/$name.result"
        else
            show_errors "$log" >>"$RESULTS/$name.excerpt"
            printf '0\t1\tdid not run (exit %s)\n' "$status" >"$RESULTS/$name.result"
        fi
        return
    fi
    passed=$(trx_counter "$trx" passed)
    failed=$(( $(trx_counter "$trx" failed) + $(trx_counter "$trx" error) + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted) ))
    executed=$(trx_counter "$trx" executed)
    total=$(trx_counter "$trx" total)
    note="$((SECONDS - t0)) s"
    if [ "$total" -gt "$executed" ]; then
        note="$note; $((total - executed)) skipped in this tier or not executed"
    fi
    if [ "$executed" -eq 0 ] && [ "$total" -gt 0 ] && [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]; then
        # Every test reported itself skipped (e.g. the package tests without a nanoCLR kit): counts nothing.
        printf '0\t0\tall %s skipped; %s\n' "$total" "$note" >"$RESULTS/$name.result"
    elif [ "$executed" -eq 0 ]; then
        printf '%s\t%s\tran no test; %s\n' "$passed" "$((failed + 1))" "$note" >"$RESULTS/$name.result"
    elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
        printf '%s\t1\tdotnet test exited %s; %s\n' "$passed" "$status" "$note" >"$RESULTS/$name.result"
    else
        printf '%s\t%s\t%s\n' "$passed" "$failed" "$note" >"$RESULTS/$name.result"
    fi
}

# run_device_tier: the device tier as one job (build/device/run-device-tier.sh: exit 3 = no kit, it printed its one
# skip line and nothing is counted; else its last line is "N passed, M failed"). Its parity check reads the host run's
# TRX, so it waits for tests/NanoMempool.Tests.Host to finish (that project is queued before it).
run_device_tier() {
    local status=0 waited=0 line
    while [ ! -f "$RESULTS/NanoMempool.Tests.Host.result" ] && [ "$waited" -lt "$PROJECT_TIMEOUT" ]; do
        sleep 2
        waited=$((waited + 2))
    done
    nice -n 10 build/device/run-device-tier.sh --host-trx "$RESULTS/NanoMempool.Tests.Host.trx" >"$RESULTS/device-tier.log" 2>&1 || status=$?
    grep -v '^[0-9]* passed, [0-9]* failed$' "$RESULTS/device-tier.log" >"$RESULTS/device-tier.excerpt" || true
    if [ "$status" -eq 3 ]; then
        : >"$RESULTS/device-tier.result"
        return
    fi
    line=$(tail -n 1 "$RESULTS/device-tier.log")
    if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        printf '%s\t%s\tnanoCLR\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" >"$RESULTS/device-tier.result"
    else
        printf '0\t1\tno result line (exit %s)\n' "$status" >"$RESULTS/device-tier.result"
    fi
}

echo "== tests: run ($JOBS at a time)"
# The longest projects start first, so that the short ones fill the other lane around them; the device tier
# (after the host run of the same tests, for its parity check) is one more job.
ordered=()
for long in NanoMempool.CoyoteTests NanoMempool.ModelTests NanoMempool.Tests.Host DEVICE NanoMempool.StressTests; do
    if [ "$long" = DEVICE ]; then
        ordered+=(DEVICE)
        continue
    fi
    for project in "${built[@]}"; do
        [ "$(basename "$project" .csproj)" = "$long" ] && ordered+=("$project")
    done
done
for project in "${built[@]}"; do
    case " ${ordered[*]} " in
        *" $project "*) ;;
        *) ordered+=("$project") ;;
    esac
done
# Ctrl-C or a TERM stops the test projects still running, not only this script.
trap 'kill -TERM $(jobs -p) 2>/dev/null; wait; exit 130' INT TERM
running=0
for project in "${ordered[@]}"; do
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    if [ "$project" = DEVICE ]; then
        echo "-- device tier started"
        run_device_tier &
    else
        echo "-- $(basename "$project" .csproj) started"
        run_tests "$project" &
    fi
    running=$((running + 1))
done
wait || true
trap - INT TERM

for project in "${built[@]}"; do
    name=$(basename "$project" .csproj)
    echo "-- $name"
    cat "$RESULTS/$name.excerpt" 2>/dev/null || true
    if [ -f "$RESULTS/$name.result" ]; then
        IFS=$'\t' read -r passed failed note <"$RESULTS/$name.result"
        record "$name" "$passed" "$failed" "$note"
    else
        record "$name" 0 1 "no result"
    fi
done

echo "-- device tier (nanoCLR)"
cat "$RESULTS/device-tier.excerpt" 2>/dev/null || true
if [ -s "$RESULTS/device-tier.result" ]; then
    IFS=$'\t' read -r passed failed note <"$RESULTS/device-tier.result"
    record "device tier (nanoCLR)" "$passed" "$failed" "$note"
elif [ ! -f "$RESULTS/device-tier.result" ]; then
    record "device tier (nanoCLR)" 0 1 "no result"
fi

if [ "${CI:-}" = "true" ]; then
    dotnet build-server shutdown >/dev/null 2>&1 || true
fi

echo "== summary (tier $tier, $((SECONDS - started)) s)"
for line in "${summary[@]}"; do
    echo "$line"
done
echo "$total_passed passed, $total_failed failed"
if [ "$total_failed" -ne 0 ] || [ "$total_passed" -eq 0 ]; then
    exit 1
fi
