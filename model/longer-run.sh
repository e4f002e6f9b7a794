#!/bin/sh
# Longer spin runs of model/nanomempool.pml than CI does
# (see docs/concurrency/free-list.md, "Deep tier and longer runs").
# Usage: model/longer-run.sh [memory-limit-MB]   (default 8192). Needs spin and gcc. Runs one after another.
set -eu
MEM=${1:-8192}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$HERE/nanomempool.pml" "$WORK/m.pml"
cd "$WORK"
run() {
    name=$1; model=$2; cflags=$3; pflags=$4
    echo "== $name: spin $model | gcc $cflags | pan $pflags"
    spin $model -a m.pml > /dev/null
    gcc -O2 -w -DMEMLIM="$MEM" $cflags -o pan pan.c
    ./pan $pflags 2>&1 | grep -E 'errors:|states, stored|elapsed|violated|acceptance cycle|invalid end|MEMLIM|not completed' || true
}
SAFE="-DNOCLAIM -DCOLLAPSE"
run "3x2, two operations per context" "-DHOPS=2 -DWOPS=2 -DUNTIMED=0" "$SAFE" "-m3000000"
run "3x2, liveness wake0" "-DHOPS=2 -DWOPS=2 -DUNTIMED=0" "-DCOLLAPSE -DNFAIR=3" "-a -f -N wake0 -m3000000"
run "4 contexts with resize" "-DNWAITER=2 -DNRESIZER=1 -DHOPS=1 -DWOPS=1 -DROPS=1" "$SAFE" "-m3000000"
run "dispose, two allocations per thread" "-DNDISPOSER=1 -DHOPS=2 -DWOPS=2" "$SAFE" "-m3000000"
run "cyclic 3x2 (unbounded operations), exhaustive" "-DOPS=0 -DUNTIMED=0" "$SAFE" "-m100000000"
# Approximate (bitstate) sweep of the cyclic 3x2 model: 53.6 M states, 112 s here, but a DFS stack of ~8 GB.
run "cyclic 3x2, bitstate sweep (approximate)" "-DOPS=0 -DUNTIMED=0" "-DNOCLAIM -DBITSTATE -DSAFETY" "-w31 -m100000000"
# Demand first (I4) where it is not vacuous: a handler holds both blocks (bulk 2) while the thread sleeps and Resize shrinks.
run "demand first, bulk handler + thread + resizer" "-DNB=2 -DNHANDLER=1 -DNWAITER=1 -DNRESIZER=1 -DBULK=2 -DHOPS=1 -DWOPS=1 -DROPS=1" "$SAFE" "-m3000000"
