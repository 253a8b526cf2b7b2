#!/usr/bin/env python3
"""The national benchmark: kpiwatch against the same pack in DuckDB, and the demo end to end.

Builds kpiwatch (release), makes benchmarks/.venv with DuckDB from PyPI if missing, generates the
national dataset if missing, then runs `kpiwatch check` on the national project and the same pack in
DuckDB alternately (--pairs, at least 3), checks that every value, count and case alert agrees (exit 1
naming the first disagreements if not), and prints wall time, peak memory (each run's own maximum
resident set, from wait4), input size and the ratio; then the demo's daily check, process start included.
With --postgres it also loads the data into a throwaway PostgreSQL 15 server (postgres.py) and times
national/kpiwatch-postgres.yaml in each round, whose figures must equal the CSV run's, and prints which
KPIs the database computed (`check --explain-plan`) and the server's own CPU time.
Timings go nowhere but the terminal: this is a benchmark, not a test.

Run: python3 benchmarks/run.py [--pairs 3] [--demo-runs 10] [--skip-build] [--postgres]
"""

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import compare
import postgres

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_PYTHON = HERE / ".venv/bin/python"
DATA = HERE / "data"
AS_OF = "2026-10-31"


def step(message):
    print(f"== {message}", file=sys.stderr, flush=True)


def release_binary(skip_build):
    if not skip_build:
        step("swift build -c release --product kpiwatch")
        subprocess.run(["swift", "build", "-c", "release", "--product", "kpiwatch"], cwd=ROOT, check=True)
    path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    return Path(path) / "kpiwatch"


def ensure_venv():
    if not VENV_PYTHON.exists():
        step("python3 -m venv benchmarks/.venv; pip install -r benchmarks/requirements.txt")
        subprocess.run([sys.executable, "-m", "venv", str(HERE / ".venv")], check=True)
        subprocess.run([str(VENV_PYTHON), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements.txt")],
                       check=True)


def ensure_data():
    if not all((DATA / f"{name}.csv").exists() for name in ("assessments", "plans")):
        step("python3 benchmarks/generate.py")
        subprocess.run([sys.executable, str(HERE / "generate.py")], check=True)


def timed(command, stdout_path, ok_codes, env=None):
    """Wall time, CPU time (user + system) and peak RSS (MiB) of one child process, its output to a file."""
    with open(stdout_path, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, cwd=ROOT, env=env)
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix every child waited for so far).
        stderr = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok_codes:
        sys.exit(f"{' '.join(map(str, command))} exited {process.returncode}:\n{stderr.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")) / 1024 / 1024
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    duck = subprocess.run([str(VENV_PYTHON), "-c", "import duckdb; print(duckdb.__version__)"],
                          capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM; {swift}; DuckDB {duck}; Python {platform.python_version()}"


def row(name, runs, size):
    walls, cpus, rss = runs
    return (f"| {name} | {statistics.median(walls):.2f} s | {min(walls):.2f} s | {max(walls):.2f} s "
            f"| {statistics.median(cpus):.2f} s | {max(rss):.0f} MiB | {size / 1e6:.0f} MB |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--demo-runs", type=int, default=10)
    parser.add_argument("--skip-build", action="store_true", help="use the release build as it is")
    parser.add_argument("--postgres", action="store_true",
                        help="also time the national project over PostgreSQL (postgres.py), in each round")
    args = parser.parse_args()
    if args.pairs < 3:
        parser.error("--pairs: at least 3 alternating pairs")
    binary = release_binary(args.skip_build)
    ensure_venv()
    ensure_data()
    size = sum((DATA / f"{name}.csv").stat().st_size for name in ("assessments", "plans"))
    kpiwatch = [str(binary), "check", "--config", "benchmarks/national/kpiwatch.yaml", "--as-of", AS_OF,
                "--dry-run", "--format", "json"]
    duck = [str(VENV_PYTHON), str(HERE / "duckdb_pack.py"), "--data", str(DATA), "--as-of", AS_OF]
    results = {"kpiwatch": ([], [], []), "duckdb": ([], [], [])}
    runs = [("kpiwatch", kpiwatch, {0, 1, 2}, None), ("duckdb", duck, {0}, None)]
    server = postgres.cluster() if args.postgres else contextlib.nullcontext((None, None))
    with tempfile.TemporaryDirectory() as tmp, server as (pg_url, pg_pid):
        if args.postgres:
            postgres.load(pg_url, DATA)
            pg_env = dict(os.environ, **{postgres.URL_VARIABLE: pg_url})
            pg_command = [str(binary), "check", "--config", postgres.PROJECT, "--as-of", AS_OF, "--dry-run",
                          "--format", "json"]
            runs.append(("postgres", pg_command, {0, 1, 2}, pg_env))
            results["postgres"] = ([], [], [])
            server_cpus = []
        for pair in range(args.pairs):
            outputs = {}
            for name, command, ok, env in runs:
                step(f"pair {pair + 1}/{args.pairs}: {name}")
                outputs[name] = Path(tmp) / f"{name}-{pair}.json"
                server_before = postgres.server_cpu(pg_pid) if name == "postgres" else 0
                for series, figure in zip(results[name], timed(command, outputs[name], ok, env)):
                    series.append(figure)
                if name == "postgres":
                    server_cpus.append(postgres.server_cpu(pg_pid) - server_before)
            # Every pair is checked: a run that differs from the other tool's is never timed as if it counted.
            diff = compare.differences(outputs["kpiwatch"], outputs["duckdb"])
            if args.postgres:
                diff += [f"PostgreSQL: {line}" for line in compare.differences(outputs["postgres"], outputs["kpiwatch"])]
            if diff:
                print(f"FIGURES DISAGREE (pair {pair + 1}):", *diff, sep="\n", file=sys.stderr)
                sys.exit(1)
        values, alerts = compare.summary(outputs["kpiwatch"])
        step(f"figures agree: {values} KPI values (value and count) and {alerts} case alerts, in every pair")
        if args.postgres:
            explained = postgres.explain(binary, pg_url, AS_OF)
        demo = ([], [], [])
        demo_command = [str(binary), "check", "--config", "examples/demo/kpiwatch.yaml", "--dry-run"]
        for _ in range(args.demo_runs):
            for series, figure in zip(demo, timed(demo_command, Path(tmp) / "demo.txt", {0, 1, 2})):
                series.append(figure)
    k, d = results["kpiwatch"], results["duckdb"]
    demo_size = sum(p.stat().st_size for p in (ROOT / "examples/demo/data").glob("*.csv"))
    print(f"\nMachine: {machine()}")
    print(f"National input: {size / 1e6:.0f} MB of CSV ({DATA}); {values} KPI values and {alerts} case alerts agree.\n")
    print("| run | wall (median) | wall (min) | wall (max) | CPU user+sys (median) | peak RSS | input |")
    print("|---|---|---|---|---|---|---|")
    print(row(f"national pack, kpiwatch check (release), {args.pairs} runs", k, size))
    print(row(f"national pack, DuckDB SQL, {args.pairs} runs", d, size))
    if args.postgres:
        print(row(f"national pack, kpiwatch check over PostgreSQL 15 (release), {args.pairs} runs",
                  results["postgres"], size))
    print(row(f"demo check (release, --dry-run), {args.demo_runs} runs", demo, demo_size))
    ratio = statistics.median(k[0]) / statistics.median(d[0])
    cpu_ratio = statistics.median(k[1]) / statistics.median(d[1])
    print(f"\nRatio kpiwatch / DuckDB: {ratio:.2f} (median wall), {cpu_ratio:.2f} (median CPU); "
          f"kpiwatch peak RSS / input: {max(k[2]) * 1048576 / size:.2f}; load average {os.getloadavg()[0]:.1f}")
    if args.postgres:
        p = results["postgres"]
        print(f"PostgreSQL path: {statistics.median(p[0]) / statistics.median(d[0]):.2f} x DuckDB's wall time; "
              f"the server used {statistics.median(server_cpus):.2f} s CPU (median) besides kpiwatch's "
              f"{statistics.median(p[1]):.2f} s; PostgreSQL figures equal the CSV run's in every round.")
        postgres.print_explanation(*explained)


if __name__ == "__main__":
    main()
