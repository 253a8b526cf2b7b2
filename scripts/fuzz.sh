#!/usr/bin/env bash
# Builds and runs kpiwatch's libFuzzer targets (fuzz/, a package of its own; see fuzz/README.md).
#
#   scripts/fuzz.sh TARGET SECONDS   fuzz one target for SECONDS
#   scripts/fuzz.sh --ci [SECONDS]   every target for SECONDS each (default 20): CI's short pass
#   scripts/fuzz.sh --replay         run every committed corpus input once, no fuzzing
#   scripts/fuzz.sh --list           the targets
#
# Inputs libFuzzer finds go to fuzz/.build/corpus/TARGET (not committed; copy the interesting
# ones to fuzz/corpus/TARGET). A crash, hang, leak or sanitizer report stops the run, writes the
# input to fuzz/.build/artifacts/ and exits non-zero. Extra libFuzzer flags: FUZZ_FLAGS="-jobs=2".
# FUZZ_CONFIG=release builds optimised (about ten times the executions per second, but the first
# build takes minutes more); the default, debug, is what CI uses.
set -euo pipefail
cd "$(dirname "$0")/.."

config=${FUZZ_CONFIG:-debug}
# @testable import needs testability, which only debug builds have by default.
release_flags=()
[ "$config" = release ] && release_flags=(-Xswiftc -enable-testing)
bin=fuzz/.build/$config
targets=(expression project rules csv xlsx json jsonl plugin)
# XLSX seeds are whole workbooks; the other inputs are small text files.
max_len() { if [ "$1" = xlsx ]; then echo 16384; else echo 4096; fi; }

build() {
    # ASan and libFuzzer's coverage instrument every Swift module, kpiwatch's and its dependencies'.
    if ! swift build --package-path fuzz -c "$config" -Xswiftc -sanitize=fuzzer,address \
        ${release_flags[@]+"${release_flags[@]}"} --product "fuzz-$1" 2>&1 |
        { grep -v "ld.gold: warning: Cannot export local symbol" || true; }; then
        echo "fuzz.sh: building fuzz-$1 failed" >&2
        exit 3
    fi
    test -x "$bin/fuzz-$1" || { echo "fuzz.sh: no $bin/fuzz-$1" >&2; exit 3; }
}

# detect_leaks stays on (fuzz/lsan.supp lists the toolchain's own leaks); Swift's crash backtracer
# is off, because it fights ASan for the crashing thread and the report is ASan's to write.
sanitizer_env() {
    ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}" LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp" \
        SWIFT_BACKTRACE=enable=no "$@"
}

run() {
    local target=$1 seconds=$2
    shift 2
    local work=fuzz/.build/corpus/$target artifacts=fuzz/.build/artifacts
    mkdir -p "$work" "$artifacts"
    echo "== fuzz-$target for ${seconds}s"
    sanitizer_env \
        "$bin/fuzz-$target" -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "$@" ${FUZZ_FLAGS:-} \
        "$work" "fuzz/corpus/$target"
}

known() {
    for target in "${targets[@]}"; do [ "$target" = "$1" ] && return 0; done
    echo "fuzz.sh: unknown target '$1'; targets: ${targets[*]}" >&2
    exit 64
}

case "${1:-}" in
--list)
    printf '%s\n' "${targets[@]}"
    ;;
--ci)
    seconds=${2:-20}
    for target in "${targets[@]}"; do build "$target"; done
    for target in "${targets[@]}"; do run "$target" "$seconds"; done
    ;;
--replay)
    for target in "${targets[@]}"; do
        build "$target"
        echo "== fuzz-$target: replaying fuzz/corpus/$target"
        sanitizer_env \
            "$bin/fuzz-$target" -runs=0 -timeout=10 -rss_limit_mb=2048 "fuzz/corpus/$target"
    done
    ;;
"" | -*)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 64
    ;;
*)
    known "$1"
    [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: give the seconds to run, e.g. scripts/fuzz.sh $1 600" >&2; exit 64; }
    build "$1"
    target=$1 seconds=$2
    shift 2
    run "$target" "$seconds" "$@"
    ;;
esac
