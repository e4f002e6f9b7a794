#!/usr/bin/env bash
# Device tier: builds NanoMempool, its tests, the two samples and the virtual-board program for .NET nanoFramework
# against the REAL assemblies of the nanoCLR kit, converts them to .pe with the kit's MetadataProcessor, runs the tests
# on the real interpreter (nanoCLR) with the real UnitTestLauncher, starts the esp32-spi-fifo sample (it must report
# the missing SPI driver and end cleanly) and runs its logic on the virtual board (tests/SensorBoard), runs the
# virtual-board program (tests/VirtualBoard: CallingContext in every kind of thread, the esp32-irq sample's own
# handlers on the interrupt thread for a few seconds), and checks the compile-only surfaces and the host/device
# test-name parity. See build/README.md, "Device tier".
#
# Usage: build/device/run-device-tier.sh [-t SECONDS] [-v] [--host-trx FILE]
#   -t SECONDS       limit for the nanoCLR test run (default 300) and for the virtual-board run (at most 120)
#   -v               also print every nanoCLR test line and virtual-board check (they are always in
#                    artifacts/device/nanoclr-tests-*.log and virtual-board-*.log)
#   --host-trx FILE  TRX of the host run of the same tests (tests/NanoMempool.Tests.Host) for the parity check; it
#                    must exist. Without the option, artifacts/test-results/NanoMempool.Tests.Host.trx is used if
#                    present, else the parity check is left out (said so, counted nothing).
#
# The kit: $NANOCLR_KIT if set, else ../shared/nanoclr beside the repository root.
#
# Counts: each nanoCLR test result (Setup, test method, data row, Cleanup: one each) of each interpreter run (64-bit,
# and 32-bit where it can run), one check per .pe conversion (library, tests, samples, SensorBoard, VirtualBoard), one
# for the SPI sample's start and one per SensorBoard run, each CHECK line of each virtual-board run (one summary line
# per part: calling context, guard, esp32-irq sample, allocation), one for the surface check, one for the parity
# check. A build failure, a converter error, a crash, an unhandled exception in any nanoCLR thread or a timeout each
# count as one failure.
#
# Output contract (read by ./test.sh):
#   - kit found: the last line is exactly "N passed, M failed"; exit 0 if M = 0 and N > 0, else 1.
#   - no kit (the folder does not exist): the only line printed is
#     "device tier skipped: no nanoCLR kit, set NANOCLR_KIT", and the exit status is 3 (0 passed, 0 failed).
#   - bad usage: exit 2.
# Logs and outputs: artifacts/device/ (build.log, pe-*.log, nanoclr-tests-64.log and -32.log, spi-sample.log,
# sensor-board-64.log and -32.log, virtual-board-64.log and -32.log, surfaces.log, the test-name lists).
# Environment: NANOCLR_KIT (the kit); NANOCLR_BITS=64 or 32 runs the tests on that interpreter only (default: the
# 64-bit one, and the 32-bit one when it can run here; see build/README.md).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SKIP_LINE="device tier skipped: no nanoCLR kit, set NANOCLR_KIT"
HOST_TRX_DEFAULT="$ROOT/artifacts/test-results/NanoMempool.Tests.Host.trx"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }

run_timeout=300
verbose=0
host_trx=""
while [ $# -gt 0 ]; do
    case $1 in
        -t) [ $# -ge 2 ] || usage; run_timeout=$2; shift 2 ;;
        -v) verbose=1; shift ;;
        --host-trx) [ $# -ge 2 ] || usage; host_trx=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "run-device-tier: unknown argument: $1" >&2; usage ;;
    esac
done
[[ "$run_timeout" =~ ^[0-9]+$ ]] && [ "$run_timeout" -gt 0 ] || { echo "run-device-tier: -t needs a positive number of seconds" >&2; exit 2; }
case "${NANOCLR_BITS:-}" in
    ""|32|64) ;;
    *) echo "run-device-tier: NANOCLR_BITS must be 32 or 64, not '$NANOCLR_BITS'" >&2; exit 2 ;;
esac

# The kit.
kit="${NANOCLR_KIT:-}"
[ -n "$kit" ] || kit="$ROOT/../shared/nanoclr"
if [ ! -d "$kit" ]; then
    echo "$SKIP_LINE"
    exit 3
fi
kit=$(cd "$kit" && pwd)
export NANOCLR_KIT="$kit"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

OUT="$ROOT/artifacts/device"
rm -rf "$OUT"
mkdir -p "$OUT"

total_passed=0
total_failed=0

# part NAME PASSED FAILED [NOTE]: one line of the tier's own summary.
part() {
    local line
    line=$(printf '  %-34s %5d passed, %5d failed' "$1" "$2" "$3")
    [ -z "${4:-}" ] || line="$line  ($4)"
    echo "$line"
    total_passed=$((total_passed + $2))
    total_failed=$((total_failed + $3))
}

finish() {
    echo "$total_passed passed, $total_failed failed"
    if [ "$total_failed" -ne 0 ] || [ "$total_passed" -eq 0 ]; then
        exit 1
    fi
    exit 0
}

# The interpreters to run the tests on: NANOCLR_BITS if set (that one only); else the 64-bit one, plus the 32-bit one
# (the ESP32's word size and object sizes) when it can run here: natively, or under qemu-i386 on a kernel that
# cannot run i386 programs (the kit's own rule, tools/nfrt-lib.sh).
declare -A run_pids=()
widths=()
width_note=""
if [ -n "${NANOCLR_BITS:-}" ]; then
    widths=("$NANOCLR_BITS")
else
    widths=(64)
    /lib/ld-linux.so.2 --version >/dev/null 2>&1
    loader=$?
    if [ -x "$kit/nanoclr32/bin/nanoFramework.nanoCLR.test" ] && { [ "$loader" -eq 0 ] || { [ "$loader" -ne 127 ] && command -v qemu-i386 >/dev/null 2>&1; }; }; then
        widths+=(32)
    else
        width_note="the 32-bit interpreter cannot run here: it needs the Debian packages libc6-i386 and lib32stdc++6, and qemu-user on a kernel that cannot run i386 programs"
    fi
fi

echo "device tier: kit $kit, nanoCLR $(IFS=/; echo "${widths[*]}")-bit"
[ -z "$width_note" ] || echo "device tier: $width_note"

missing=()
for f in nfsdk/nanoFramework.Build.props run-nf-tests.sh run-nf-app.sh tools/nfmdp.sh runtime/mscorlib.dll \
         runtime/nanoFramework.TestFramework.dll refs/System.Device.Gpio.dll refs/nanoFramework.Hardware.Esp32.dll \
         refs/nanoFramework.Runtime.Events.dll refs/nanoFramework.Runtime.Native.dll refs/System.Device.Spi.dll; do
    [ -e "$kit/$f" ] || missing+=("$f")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "device tier: $kit is not a complete nanoCLR kit; missing: ${missing[*]}"
    part "kit" 0 1 "incomplete"
    finish
fi

# check_run WIDTH EXIT: reads artifacts/device/nanoclr-tests-WIDTH.log of a finished run-nf-tests.sh, prints the failed
# tests with their messages, unhandled exceptions and a run that did not end normally (crash, timeout), adds the
# results to tests_passed/tests_failed (a run-level problem counts as one failure) and writes the run's test names,
# normalised to Class.Method#row for the parity check, to nanoclr-test-names-WIDTH.txt.
check_run() {
    local w=$1 rc=$2 log="$OUT/nanoclr-tests-$1.log" passed failed skipped extra=0 note last
    tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
    [ "$verbose" -eq 0 ] || grep '^Test ' "$log" | sed "s/^/[$w-bit] /"
    passed=$(grep -c '^Test passed,' "$log")
    failed=$(grep -c '^Test failed,' "$log")
    skipped=$(grep -c '^Test skipped,' "$log")
    note="$w-bit: $passed passed, exit $rc"
    [ "$skipped" -eq 0 ] || note="$note, $skipped skipped"
    if [ "$failed" -gt 0 ]; then
        echo "device tier: tests failed on the $w-bit nanoCLR:"
        # A failure is its "Test failed,<name>,<message>" line, plus the message's further non-empty lines (up to 5)
        # before the next result or interpreter report.
        awk '/^Test (passed|failed|skipped),|^----$|^\[nfrt\]|^$/ { show = 0 }
             /^Test failed,/ { show = 5; sub(/^Test failed,/, ""); sub(/,/, ": "); print "  FAILED " $0; next }
             show > 0 { print "    " $0; show-- }' "$log" | head -n 200
    fi
    if grep -q '^\[nfrt\] Unhandled exception' "$log"; then
        echo "device tier: an unhandled exception on the $w-bit nanoCLR:"
        awk '/^\[nfrt\] Unhandled exception/ { show = 1; print "  " $0; next }
             show && /^\[nfrt\]    at / { print "  " $0; next }
             { show = 0 }' "$log" | head -n 40
        extra=1
        note="$note, unhandled exception"
    fi
    if ! [[ "$(tail -n 1 "$log")" =~ ^[0-9]+\ passed,\ [0-9]+\ failed$ ]] || { [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
        echo "device tier: the $w-bit nanoCLR run did not end normally (exit $rc; artifacts/device/nanoclr-tests-$w.log):"
        grep -E '^nfrt|^run-nf-tests|^\[nfrt\]|^nanoCLR run' "$log" | sed 's/^/  /' | head -n 20
        last=$(grep -E '^Test (passed|failed|skipped),' "$log" | tail -n 1 | cut -d, -f2)
        echo "  last test result before that: ${last:-(none)}"
        [ "$extra" -eq 1 ] || note="$note, did not end normally"
        extra=1
    fi
    sed -n 's/^Test \(passed\|failed\|skipped\),\([^,]*\),.*/\2/p' "$log" \
        | sed -e 's/^NanoMempool\.Tests\.//' -e 's/\.\([0-9][0-9]*\)$/#\1/' | sort >"$OUT/nanoclr-test-names-$w.txt"
    tests_passed=$((tests_passed + passed))
    tests_failed=$((tests_failed + failed + extra))
    run_notes+=("$note")
}

# Virtual-board runs (tests/VirtualBoard): the jumper wires the program expects, and the parts its CHECK lines name, in
# the summary's order.
BOARD_WIRES="2>0,4>5"
BOARD_PARTS=(calling-context guard sample allocation)
declare -A board_passed=() board_failed=() board_notes=()
for part in "${BOARD_PARTS[@]}"; do
    board_passed[$part]=0
    board_failed[$part]=0
    board_notes[$part]=""
done

# check_board WIDTH EXIT: reads artifacts/device/virtual-board-WIDTH.log of a finished run-nf-app.sh, prints the failed
# checks, an unhandled exception and a run that did not end normally (crash, timeout, no "BOARD DONE"), adds the CHECK
# lines to board_passed/board_failed by part (a run-level problem counts as one failure of the sample part) and keeps
# each part's REPORT line and the virtual board's native event counts for the notes.
check_board() {
    local w=$1 rc=$2 log="$OUT/virtual-board-$1.log" part p f report native
    tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
    [ "$verbose" -eq 0 ] || grep '^CHECK ' "$log" | sed "s/^/[$w-bit board] /"
    if grep -q '^CHECK failed,' "$log"; then
        echo "device tier: virtual-board checks failed on the $w-bit nanoCLR:"
        sed -n 's/^CHECK failed,\([^,]*\),\([^,]*\),\(.*\)$/  FAILED \1: \2: \3/p' "$log" | head -n 40
    fi
    for part in "${BOARD_PARTS[@]}"; do
        p=$(grep -c "^CHECK passed,$part," "$log")
        f=$(grep -c "^CHECK failed,$part," "$log")
        board_passed[$part]=$((board_passed[$part] + p))
        board_failed[$part]=$((board_failed[$part] + f))
        report=$(sed -n "s/^REPORT $part //p" "$log" | tail -n 1)
        if [ -n "$report" ]; then
            echo "device tier: $part on the $w-bit virtual board: $report"
        fi
    done
    native=$(sed -n 's/^\[nfrt\] virtual board: native events: \([0-9]*\) posted, \([0-9]*\) dropped.*, \([0-9]*\) discarded.*/\1 posted, \2 dropped, \3 discarded/p' "$log" | tail -n 1)
    [ -z "$native" ] || echo "device tier: native events on the $w-bit virtual board: $native"
    board_notes[sample]="${board_notes[sample]:+${board_notes[sample]}; }$w-bit: $(sed -n 's/^REPORT sample .*dropped \([0-9]*\) (.*timer expiry to handler \(p50 [0-9]*, p99 [0-9]*, max [0-9]*\) us.*/dropped \1, expiry to handler \2 us/p' "$log" | tail -n 1)${native:+, native: $native}"
    if grep -q '^\[nfrt\] Unhandled exception' "$log" || ! grep -q '^BOARD DONE ' "$log" || [ "$rc" -ne 0 ]; then
        echo "device tier: the $w-bit virtual-board run did not end normally (exit $rc; artifacts/device/virtual-board-$w.log):"
        grep -E '^\[nfrt\]|^nfrt|^run-nf-app' "$log" | sed 's/^/  /' | head -n 20
        board_failed[sample]=$((board_failed[sample] + 1))
        board_notes[sample]="${board_notes[sample]}, $w-bit run did not end normally"
    fi
}

started=$SECONDS
timings=()
# lap NAME: appends "NAME Ns" (seconds since the previous lap) to the timings line.
lap() {
    timings+=("$1 $((SECONDS - started)) s")
    started=$SECONDS
}

# 1. Build (Release): the device projects, the surfaces and the conformance tool, in one MSBuild run.
if ! dotnet build "$ROOT/build/device/DeviceTier.slnx" -c Release -nologo -v q >"$OUT/build.log" 2>&1; then
    echo "device tier: the build failed (artifacts/device/build.log):"
    grep -E ' error |: error' "$OUT/build.log" | sed 's/^/  /' | sort -u | head -n 20
    part "build" 0 1 "does not build"
    finish
fi

LIB="$ROOT/build/device/NanoMempool/bin/Release/NanoMempool.dll"
TESTS_DIR="$ROOT/build/device/NanoMempool.Tests/bin/Release"
SAMPLE="$ROOT/build/device/Samples.Esp32Irq/bin/Release/Esp32Irq.dll"
SPI_SAMPLE="$ROOT/build/device/Samples.Esp32SpiFifo/bin/Release/Esp32SpiFifo.dll"
SENSOR_DIR="$ROOT/build/device/SensorBoard/bin/Release"
BOARD_DIR="$ROOT/build/device/VirtualBoard/bin/Release"
lap "build"

# 2. .pe conversions (in parallel; each is a separate MetadataProcessor run).
pe_inputs=("$LIB" "$TESTS_DIR/NFUnitTest.dll" "$SAMPLE" "$SPI_SAMPLE" "$SENSOR_DIR/SensorBoard.dll" "$BOARD_DIR/VirtualBoard.dll")
pe_pids=()
for dll in "${pe_inputs[@]}"; do
    name=$(basename "$dll" .dll)
    "$kit/tools/nfmdp.sh" -v -L "$kit/runtime" -L "$kit/refs" "$dll" >"$OUT/pe-$name.log" 2>&1 &
    pe_pids+=($!)
done
pe_passed=0
pe_failed=0
pe_sizes=()
for i in "${!pe_inputs[@]}"; do
    name=$(basename "${pe_inputs[$i]}" .dll)
    if wait "${pe_pids[$i]}"; then
        pe_passed=$((pe_passed + 1))
        pe_sizes+=("$name.pe $(stat -c %s "${pe_inputs[$i]%.dll}.pe") B")
    else
        pe_failed=$((pe_failed + 1))
        echo "device tier: converting $name.dll to .pe failed:"
        sed 's/^/  /' "$OUT/pe-$name.log" | head -n 20
    fi
done

lap ".pe"

# 3. The tests on nanoCLR with the real UnitTestLauncher, on each interpreter width at once (the tests mostly wait:
#    two runs side by side cost little more wall time than one). A second width runs on its own copy of the test
#    folder, because run-nf-tests.sh writes the .pe files beside the DLLs.
for w in "${widths[@]}"; do
    dir="$TESTS_DIR"
    if [ "$w" != "${widths[0]}" ]; then
        dir="$OUT/tests-$w"
        mkdir -p "$dir"
        cp "$TESTS_DIR"/*.dll "$dir"/
    fi
    NANOCLR_BITS=$w "$kit/run-nf-tests.sh" -t "$run_timeout" "$dir" >"$OUT/nanoclr-tests-$w.log" 2>&1 &
    run_pids[$w]=$!
done
tests_passed=0
tests_failed=0
run_notes=()
for w in "${widths[@]}"; do
    wait "${run_pids[$w]}"
    check_run "$w" $?
done

lap "nanoCLR tests"

# 3b. The esp32-spi-fifo sample. As it starts on a board: nanoCLR has no SPI or pin-function driver, so the program
#     must say so and end cleanly (exit 0), not die with an unhandled exception. Its logic on the virtual board
#     (tests/SensorBoard): the sample's FifoPipeline and Mpu6500Fifo over the simulated MPU-6500, the handler on the
#     interrupt thread fed by 200 data-ready pulses on GPIO 4, on each interpreter width (one check per run).
spi_passed=0
spi_failed=0
spi_notes=()
spi_line="esp32-spi-fifo: cannot open SPI bus 1 on this target"
"$kit/run-nf-app.sh" -t 60 "$SPI_SAMPLE" >"$OUT/spi-sample.log" 2>&1
spi_rc=$?
if [ "$spi_rc" -eq 0 ] && grep -q "^$spi_line" "$OUT/spi-sample.log"; then
    spi_passed=$((spi_passed + 1))
    spi_notes+=("start: reports the missing SPI driver, exit 0")
else
    echo "device tier: the esp32-spi-fifo sample did not report the missing SPI driver and end cleanly (exit $spi_rc; artifacts/device/spi-sample.log):"
    sed 's/^/  /' "$OUT/spi-sample.log" | head -n 20
    spi_failed=$((spi_failed + 1))
    spi_notes+=("start: exit $spi_rc")
fi
declare -A sensor_pids=()
for w in "${widths[@]}"; do
    dir="$SENSOR_DIR"
    if [ "$w" != "${widths[0]}" ]; then
        dir="$OUT/sensor-$w"
        mkdir -p "$dir"
        cp "$SENSOR_DIR"/*.dll "$dir"/
    fi
    NANOCLR_BITS=$w NANOCLR_GPIO_PULSES="4:5ms:400" NANOCLR_VB_STATS=1 \
        "$kit/run-nf-app.sh" -t "$run_timeout" "$dir/SensorBoard.dll" >"$OUT/sensor-board-$w.log" 2>&1 &
    sensor_pids[$w]=$!
done
for w in "${widths[@]}"; do
    wait "${sensor_pids[$w]}"
    rc=$?
    log="$OUT/sensor-board-$w.log"
    [ "$verbose" -eq 0 ] || grep '^SENSOR ' "$log" | sed "s/^/[$w-bit sensor] /"
    if [ "$rc" -eq 0 ] && grep -q '^SENSOR DONE' "$log" && ! grep -q '^SENSOR CHECK failed' "$log"; then
        spi_passed=$((spi_passed + 1))
        spi_notes+=("$w-bit logic: $(grep -c '^SENSOR CHECK passed' "$log") checks, $(sed -n 's/^SENSOR REPORT .*frames \([0-9]*\) in \([0-9]*\) blocks (up to \([0-9]*\) per block).*/\1 frames in \2 blocks, up to \3 per block/p' "$log")")
    else
        echo "device tier: the esp32-spi-fifo logic failed on the $w-bit virtual board (exit $rc; artifacts/device/sensor-board-$w.log):"
        grep -E '^SENSOR CHECK failed|^\[nfrt\]|^run-nf-app' "$log" | sed 's/^/  /' | head -n 20
        spi_failed=$((spi_failed + 1))
        spi_notes+=("$w-bit logic: failed")
    fi
done

lap "SPI sample"

# 4. The virtual-board program on each width, one after the other and after the tests and the SPI sample: it measures
#    handler latencies, which any other run beside it would lengthen. Both widths get a 1 MB heap, not an ESP32's
#    110 KB: on a shared host the interpreter can be starved for seconds, and the events that pile up meanwhile (one
#    heap block each in the CLR's queue, 60 to 96 B) would exhaust 110 KB, which an ESP32's interpreter, never starved
#    by a host, does not meet; 1 MB holds ten seconds of them. (The kit's default 10 MB is not used: on the 32-bit
#    build the allocation part could not fill it down to its 12 KB.) What the ESP32 heap does to the pipeline is
#    measured by benchmarks/NanoMempool.InterruptBenchmarks. One run at a time, so both use the build's folder.
board_timeout=$run_timeout
[ "$board_timeout" -le 120 ] || board_timeout=120   # the program runs for about 25 s; a hang should not cost minutes
for w in "${widths[@]}"; do
    rc=0
    env NANOCLR_BITS="$w" NANOCLR_GPIO_WIRES="$BOARD_WIRES" NANOCLR_VB_STATS=1 NANOCLR_HEAP_BYTES=1M \
        "$kit/run-nf-app.sh" -t "$board_timeout" "$BOARD_DIR/VirtualBoard.dll" >"$OUT/virtual-board-$w.log" 2>&1 || rc=$?
    check_board "$w" "$rc"
done

lap "virtual board"

# 5. Surfaces: every member the compile-only surfaces declare exists in the kit's real assembly, same signature.
surfaces=()
for dir in "$ROOT"/build/surfaces/*/; do
    s=$(basename "$dir")
    surfaces+=("$ROOT/build/surfaces/$s/bin/Release/$s.dll")
done
if dotnet "$ROOT/build/conformance/bin/Release/net10.0/NanoConformance.dll" surface \
        --real "$kit/runtime" --real "$kit/refs" "${surfaces[@]}" >"$OUT/surfaces.log" 2>&1; then
    surface_result=(1 0 "${#surfaces[@]} surfaces")
else
    echo "device tier: a compile-only surface differs from the kit's real assembly (build/surfaces):"
    grep -v '^surface OK' "$OUT/surfaces.log" | sed 's/^/  /' | head -n 40
    surface_result=(0 1 "differs from the real assemblies")
fi

lap "surfaces"

# 6. Parity: the host run and each nanoCLR run report the same set of test names. Both are normalised to
#    Class.Method#i: nanoCLR prints "Namespace.Class.Method.i" (i = data row, 0 for every other call; check_run
#    writes the lists); the host names its cases "NFUnitTest(test: Class.Method)", "Class.Method[#i]",
#    "Class.Method[Setup]", "Class.Method[Cleanup]", with the namespace NanoMempool.Tests left out.
if [ -z "$host_trx" ] && [ -f "$HOST_TRX_DEFAULT" ]; then
    host_trx=$HOST_TRX_DEFAULT
fi
parity_result=()
if [ -z "$host_trx" ]; then
    echo "device tier: parity with the host run not checked: no $HOST_TRX_DEFAULT (./test.sh writes it)"
elif [ ! -f "$host_trx" ]; then
    echo "device tier: parity with the host run: no host TRX at $host_trx (did tests/NanoMempool.Tests.Host run?)"
    parity_result=(0 1 "no host TRX")
else
    grep -o 'testName="NFUnitTest(test: [^"]*)"' "$host_trx" \
        | sed -e 's/^testName="NFUnitTest(test: //' -e 's/)"$//' \
              -e 's/\[#\([0-9][0-9]*\)\]$/#\1/' -e 's/\[\(Setup\|Cleanup\)\]$/#0/' -e '/#[0-9][0-9]*$/!s/$/#0/' \
        | sort >"$OUT/host-test-names.txt"
    if [ ! -s "$OUT/host-test-names.txt" ]; then
        echo "device tier: parity with the host run: $host_trx has no NFUnitTest(test: ...) case"
        parity_result=(0 1 "no host test names")
    else
        parity_result=(1 0 "$(wc -l <"$OUT/host-test-names.txt") names, $(IFS=/; echo "${widths[*]}")-bit")
        for w in "${widths[@]}"; do
            names="$OUT/nanoclr-test-names-$w.txt"
            if ! diff -q "$OUT/host-test-names.txt" "$names" >/dev/null; then
                echo "device tier: the host and the $w-bit nanoCLR runs report different test names (Class.Method#row):"
                comm -23 "$OUT/host-test-names.txt" "$names" | sed 's/^/  only on host:    /' | head -n 40
                comm -13 "$OUT/host-test-names.txt" "$names" | sed 's/^/  only on nanoCLR: /' | head -n 40
                parity_result=(0 1 "names differ")
            fi
        done
    fi
fi

echo "device tier timings: $(IFS=,; echo "${timings[*]}" | sed 's/,/, /g')"
echo "device tier summary:"
part ".pe conversion" "$pe_passed" "$pe_failed" "$(IFS=,; echo "${pe_sizes[*]}" | sed 's/,/, /g')"
part "tests on nanoCLR" "$tests_passed" "$tests_failed" "$(IFS=';'; echo "${run_notes[*]}" | sed 's/;/; /g')"
part "esp32-spi-fifo on nanoCLR" "$spi_passed" "$spi_failed" "$(IFS=';'; echo "${spi_notes[*]}" | sed 's/;/; /g')"
declare -A board_labels=([calling-context]="virtual board: calling context" [guard]="virtual board: guard" [sample]="virtual board: esp32-irq sample" [allocation]="virtual board: allocation")
for p in "${BOARD_PARTS[@]}"; do
    if [ $((board_passed[$p] + board_failed[$p])) -gt 0 ]; then
        part "${board_labels[$p]}" "${board_passed[$p]}" "${board_failed[$p]}" "$(IFS=/; echo "${widths[*]}")-bit${board_notes[$p]:+; ${board_notes[$p]}}"
    fi
done
part "surfaces vs kit assemblies" "${surface_result[@]}"
if [ "${#parity_result[@]}" -gt 0 ]; then
    part "host/nanoCLR test-name parity" "${parity_result[@]}"
fi
finish
