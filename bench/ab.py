"""Before/after on a shared machine: two source trees timed turn about, read by read, in one run.

    .venv/bin/python bench/ab.py BEFORE_TREE AFTER_TREE customers STORE.duckdb [--runs 15]
    .venv/bin/python bench/ab.py BEFORE_TREE AFTER_TREE stocks STORE.duckdb [--runs 15]
    .venv/bin/python bench/ab.py BEFORE_TREE AFTER_TREE queries STORE.duckdb [--runs 15]
    .venv/bin/python bench/ab.py BEFORE_TREE AFTER_TREE views STORE.duckdb [--runs 15]

A tree is a checkout (`git worktree add /tmp/before <commit>`, or `git archive <commit> | tar -x -C DIR`).
Each tree gets a worker process (its own `src/` first on the path) on its own copy of the store (the newer
tree migrates its copy when it opens it); the driver asks the two workers for one timed call each, in turn,
so that both see the same load, and prints the medians (and minima) of each and their ratio.
`customers`: the reports of bench/customers.py on bench/queries.py's store; `stocks`: the inventory reads of
bench/stocks.py `--queries` on its store, each right after a write that changes the orders (as a sync does);
`queries`: every store query of bench/queries.py on each of its views, on its store; `views`: whole cold
dashboard views through the app (bench/dashboard.py's requests at once), each right after a write.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

WORKER = Path(__file__).resolve().parent / "ab_worker.py"


class Worker:
    def __init__(self, tree: Path, kind: str, store: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(tree / "src")}
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), kind, str(store), str(tree)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.names = self._line().split("\t")

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the worker stopped")
        return line.rstrip("\n")

    def time(self, index: int) -> float:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{index}\n")
        self.process.stdin.flush()
        return float(self._line())

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("kind", choices=["customers", "queries", "stocks", "views"])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copies = [Path(folder) / "before.duckdb", Path(folder) / "after.duckdb"]
        for copy in copies:
            shutil.copyfile(args.store, copy)
        workers = [Worker(args.before, args.kind, copies[0]), Worker(args.after, args.kind, copies[1])]
        names = workers[0].names
        print(f"load before: {os.getloadavg()[0]:.2f}")
        print("| read | before median (min) ms | after median (min) ms | after ÷ before |")
        print("|---|---|---|---|")
        for index, name in enumerate(names):
            samples: list[list[float]] = [[], []]
            for worker in workers:
                worker.time(index)  # a warm-up call each
            for _ in range(args.runs):
                for side, worker in enumerate(workers):
                    samples[side].append(worker.time(index))
            before, after = (statistics.median(s) for s in samples)
            print(
                f"| {name} | {before:.1f} ({min(samples[0]):.1f}) | {after:.1f} ({min(samples[1]):.1f})"
                f" | {after / before:.2f} |"
            )
        print(f"load after: {os.getloadavg()[0]:.2f}")
        for worker in workers:
            worker.close()


if __name__ == "__main__":
    main()
