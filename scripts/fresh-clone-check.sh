#!/usr/bin/env bash
# Clones the committed HEAD into an empty folder, with nothing beside it, and runs what a new user runs
# there: the README's two set-up commands and `kpiwatch benchmarks --la 878` with no flags. A test or
# command that reads outside the repository fails here, since nothing is outside.
#
# Usage: scripts/fresh-clone-check.sh [--full | --quick]
#   --full   the whole test suite in the clone (the default when CI=true)
#   --quick  the suites that read data files, after building every test (the default otherwise)
# Uncommitted changes are not in the clone: commit first.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODE=quick
[ "${CI:-}" = true ] && MODE=full
case "${1:-}" in
    --full) MODE=full ;;
    --quick) MODE=quick ;;
    "") ;;
    *) echo "usage: $0 [--full | --quick]" >&2; exit 64 ;;
esac
# The suites that read files of the repository: benchmarks (the extract), the shipped plugins, the demo.
QUICK_FILTER='Benchmark|ShippedPlugin|Demo|Pack'

COMMIT="$(git -C "$ROOT" rev-parse HEAD)"
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
    echo "note: uncommitted changes in $ROOT are not checked; this checks commit $COMMIT" >&2
fi

PARENT="$(mktemp -d /tmp/kpiwatch-fresh-clone.XXXXXX)"
trap 'rm -rf "$PARENT"' EXIT
CLONE="$PARENT/kpiwatch"
LOG="$PARENT/step.log"
START=$SECONDS

# Runs one step with its output in a log, shown only when the step does not end as expected.
step() {
    local expected=$1 name=$2
    shift 2
    local began=$SECONDS status=0
    "$@" >"$LOG" 2>&1 || status=$?
    if [ "$status" != "$expected" ]; then
        tail -n 60 "$LOG" >&2
        # A failed test may lie far above the tail; a test process the kernel killed prints nothing at all.
        if grep -q -E "✘|Fatal error" "$LOG"; then
            echo "fresh-clone-check: the failures in the log:" >&2
            grep -E "✘|Fatal error" "$LOG" | head -n 40 >&2
        elif [ "$status" != 0 ] && grep -q "Test run started" "$LOG" && ! grep -q -E "Test run with [0-9]+ tests" "$LOG"; then
            echo "fresh-clone-check: the test process ended without finishing the run and without a failure:" \
                "killed (out of memory?) or crashed; the kernel's log may say which" >&2
        fi
        echo "fresh-clone-check: FAILED: $name exited $status, expected $expected (commit $COMMIT)" >&2
        exit 1
    fi
    echo "fresh-clone-check: ok: $name ($((SECONDS - began)) s)"
}

step 0 "git clone into an empty folder" \
    bash -c "git clone --quiet --no-checkout '$ROOT' '$CLONE' && git -C '$CLONE' checkout --quiet --detach '$COMMIT'"
cd "$CLONE"
[ -z "$(ls -A "$PARENT" | grep -v -x -e kpiwatch -e step.log)" ] || { echo "the clone's folder is not empty" >&2; exit 1; }

# The README's first command: the demo has critical KPIs, so it exits 2.
step 2 "swift run kpiwatch check --config examples/demo/kpiwatch.yaml" \
    swift run kpiwatch check --config examples/demo/kpiwatch.yaml
grep -q "critical" "$LOG" || { cat "$LOG" >&2; echo "fresh-clone-check: FAILED: no KPI table" >&2; exit 1; }

step 0 "swift run kpiwatch benchmarks --la 878" swift run kpiwatch benchmarks --la 878
grep -q "national_timeliness_20w: { value: 46.4, year: 2024" "$LOG" || {
    cat "$LOG" >&2
    echo "fresh-clone-check: FAILED: benchmarks did not write England's 2024 timeliness" >&2
    exit 1
}

# The README's second command, built here once; the PostgreSQL tests skip themselves without a server.
step 0 "swift build --build-tests" swift build --build-tests
if [ "$MODE" = full ]; then
    step 0 "swift test (the whole suite)" swift test --skip-build
else
    step 0 "swift test --filter '$QUICK_FILTER'" swift test --skip-build --filter "$QUICK_FILTER"
fi
# In this script's own words, so that CI's reading of the suite's closing line is the suite's own.
TESTS="$(grep -o -E "Test run with [0-9]+ tests" "$LOG" | tail -n 1 | grep -o -E "[0-9]+" || echo "?")"
echo "fresh-clone-check: the clone's tests: $TESTS, all passed"

echo "fresh-clone-check: passed for commit $COMMIT in $((SECONDS - START)) s"
