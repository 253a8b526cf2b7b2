#!/usr/bin/env python3
"""The national dataset in PostgreSQL: the path for a user whose data outgrows one machine.

Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 (as scripts/with-postgres.sh does: initdb under
/usr/lib/postgresql/15/bin, trust auth, removed afterwards), loads benchmarks/data/*.csv into typed
tables (the columns that national/kpiwatch.yaml maps as dates become DATE, read as DD/MM/YYYY, with
blank cells and its null_values NULL; text stays as written, since kpiwatch trims text and applies
null_values to a SQL source's cells as it does to CSV cells), and runs national/kpiwatch-postgres.yaml
against it. run.py --postgres times that project alternately with the CSV path and DuckDB; run alone,
this script loads the data and prints `check --explain-plan`'s verdict per KPI.

Run: python3 benchmarks/postgres.py [--skip-build]   (or: python3 benchmarks/run.py --postgres)
"""

import argparse
import contextlib
import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path("/usr/lib/postgresql/15/bin")
PROJECT = "benchmarks/national/kpiwatch-postgres.yaml"
URL_VARIABLE = "KPIWATCH_BENCH_POSTGRES_URL"
DATASETS = ("assessments", "plans")
# The characters kpiwatch trims from a cell (CellDecoder): ASCII white space and U+00A0.
TRIMMED = "chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160)"


def step(message):
    print(f"== {message}", file=sys.stderr, flush=True)


def free_port(start=56800):
    port = start
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
        port += 1


@contextlib.contextmanager
def cluster():
    """A PostgreSQL 15 server on 127.0.0.1 for the duration; yields (url, postmaster pid)."""
    directory = Path(tempfile.mkdtemp(prefix="kpiwatch-bench-pg."))
    # initdb refuses to run as root, so the cluster then belongs to the postgres user.
    as_pg = []
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    data = directory / "data"
    port = free_port()
    try:
        subprocess.run(as_pg + [str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                "--encoding=UTF8", "--locale=C.UTF-8"], check=True, stdout=subprocess.DEVNULL)
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory} "
                   "-c fsync=off -c shared_buffers=512MB -c work_mem=64MB")
        subprocess.run(as_pg + [str(BIN / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"), "-w",
                                "-o", options, "start"], check=True, stdout=subprocess.DEVNULL)
        pid = int((data / "postmaster.pid").read_text().split()[0])
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres", pid
    finally:
        subprocess.run(as_pg + [str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(directory, ignore_errors=True)


def dataset_block(project_text, dataset):
    """The lines of one dataset in the project file's `datasets:`."""
    return re.split(r"\n  \w+:\n|\n\w", project_text.split(f"\n  {dataset}:\n", 1)[1])[0]


def date_columns(project_text, dataset):
    """The columns a dataset of the project maps as dates."""
    return re.findall(r'\{ column: "([^"]+)", type: date', dataset_block(project_text, dataset))


def null_values(project_text, dataset):
    found = re.search(r"null_values: \[(.*)\]", dataset_block(project_text, dataset))
    return [v.strip().strip('"') for v in found.group(1).split(",")] if found else [""]


def quoted(name):
    return '"' + name.replace('"', '""') + '"'


def literal(text):
    return "'" + text.replace("'", "''") + "'"


def load_script(data_dir):
    """psql commands that load each dataset's CSV as text and type its date columns."""
    project = (HERE / "national/kpiwatch.yaml").read_text()
    lines = ["\\set ON_ERROR_STOP on", "SET datestyle = 'ISO, DMY';", "SET client_min_messages = warning;"]
    for name in DATASETS:
        path = data_dir / f"{name}.csv"
        with open(path, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        dates = set(date_columns(project, name))
        nulls = ", ".join(literal(v) for v in dict.fromkeys([""] + null_values(project, name)))
        raw = f"{name}_csv"
        lines.append(f"DROP TABLE IF EXISTS {name}; DROP TABLE IF EXISTS {raw};")
        lines.append(f"CREATE UNLOGGED TABLE {raw} ({', '.join(quoted(c) + ' TEXT' for c in header)});")
        lines.append(f"\\copy {raw} FROM {literal(str(path))} WITH (FORMAT csv, HEADER true)")
        columns = []
        for column in header:
            if column in dates:
                trimmed = f"btrim({quoted(column)}, {TRIMMED})"
                columns.append(f"CASE WHEN {trimmed} IN ({nulls}) THEN NULL ELSE CAST({trimmed} AS DATE) END "
                               f"AS {quoted(column)}")
            else:
                columns.append(quoted(column))
        lines.append(f"CREATE TABLE {name} AS SELECT {', '.join(columns)} FROM {raw};")
        lines.append(f"DROP TABLE {raw}; VACUUM ANALYZE {name};")
    return "\n".join(lines) + "\n"


def load(url, data_dir):
    step(f"loading {', '.join(DATASETS)} into PostgreSQL")
    start = time.perf_counter()
    subprocess.run(["psql", "-q", url], input=load_script(data_dir), text=True, check=True)
    step(f"loaded in {time.perf_counter() - start:.1f} s")


def server_cpu(pid):
    """CPU seconds (user + system) the cluster has used so far: the postmaster, its live children, and the
    backends it has reaped (a connection's backend exits when kpiwatch disconnects)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, ... utime (index 11), stime, cutime, cstime.
        if int(entry.name) == pid:
            total += sum(int(x) for x in fields[11:15])
        elif int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def explain(binary, url, as_of):
    """`check --explain-plan` on the PostgreSQL project: (pushed-down KPI ids, [(KPI id, reason)])."""
    environment = dict(os.environ, **{URL_VARIABLE: url})
    text = subprocess.run([str(binary), "check", "--config", PROJECT, "--as-of", as_of, "--explain-plan"],
                          cwd=ROOT, env=environment, check=True, capture_output=True, text=True).stdout
    pushed, refused = [], []
    for line in text.splitlines():
        verdict = re.match(r"  (\S+): (pushed down|in process: (.*))$", line)
        if verdict:
            (pushed.append(verdict.group(1)) if verdict.group(2) == "pushed down"
             else refused.append((verdict.group(1), verdict.group(3))))
    return pushed, refused


def print_explanation(pushed, refused):
    print(f"\nPostgreSQL --explain-plan: {len(pushed)} of {len(pushed) + len(refused)} KPIs pushed down"
          + (":" if refused else " (the case alert reads its rows)."))
    for kpi, reason in refused:
        print(f"- {kpi}: in process: {reason}")


def main():
    import run  # the release build, the data and the timing are run.py's

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="use the release build as it is")
    args = parser.parse_args()
    binary = run.release_binary(args.skip_build)
    run.ensure_data()
    with cluster() as (url, _):
        load(url, run.DATA)
        print_explanation(*explain(binary, url, run.AS_OF))


if __name__ == "__main__":
    main()
