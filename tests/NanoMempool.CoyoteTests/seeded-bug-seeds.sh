#!/usr/bin/env bash
# Evidence that every Coyote run that must find a bug (CoyoteRunner.RunUntilBug: the seeded bugs of the mutants and
# Coyote's own model defects) finds it whatever the seed, within its budget: runs those tests once per seed
# FIRST..LAST (NANOMEMPOOL_COYOTE_SEED=seed), then prints per run how many seeds found the bug and the fewest,
# median and most schedules it took. The tests themselves start from CoyoteRunner.UntilBugSeed (1), so each run is
# deterministic; this shows that seed 1 is not a lucky one and how much room the budget (10,000) leaves.
#
#   tests/NanoMempool.CoyoteTests/seeded-bug-seeds.sh [FIRST [LAST]]     (default 1 100)
#
# Needs a Release build of the project (dotnet build tests/NanoMempool.CoyoteTests -c Release). Writes the raw lines
# to artifacts/seeded-bug-seeds.txt. Cost: about 6 s per seed on an idle 2-core machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
first=${1:-1}
last=${2:-100}
filter='FullyQualifiedName~.SeededBug_|FullyQualifiedName~.Coyote1711_'
out=artifacts/seeded-bug-seeds.txt
mkdir -p artifacts
: >"$out"
failed_runs=0
for seed in $(seq "$first" "$last"); do
    log=$(NANOMEMPOOL_COYOTE_SEED=$seed dotnet test tests/NanoMempool.CoyoteTests -c Release --no-build -nologo \
        --filter "$filter" --logger "console;verbosity=normal" 2>&1) || failed_runs=$((failed_runs + 1))
    # "coyote NAME: iterations N, time T s, bugs B (seed S, ..." -> "NAME N B S"
    grep -E '^coyote [a-z0-9-]+: iterations' <<<"$log" \
        | sed -E 's/^coyote ([a-z0-9-]+): iterations ([0-9]+), time [^,]*, bugs ([0-9]+) \(seed ([0-9]+).*/\1 \2 \3 \4/' >>"$out"
    grep -E '^\s+Failed ' <<<"$log" | sed "s/^/seed $seed: /" || true
done
echo "seeds $first..$last; dotnet test runs with a failed test: $failed_runs"
printf '%-28s %6s %6s %6s %7s %6s\n' run seeds found fewest median most
sort -k1,1 -k2,2n "$out" | awk '
    { n[$1]++; if ($3 > 0) { f[$1]++; v[$1, f[$1]] = $2 } }
    END {
        for (r in n) {
            k = f[r] + 0
            if (k == 0) { printf "%-28s %6d %6d %6s %7s %6s\n", r, n[r], 0, "-", "-", "-"; continue }
            printf "%-28s %6d %6d %6d %7d %6d\n", r, n[r], k, v[r, 1], v[r, int((k + 1) / 2)], v[r, k]
        }
    }' | sort
