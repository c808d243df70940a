#!/usr/bin/env python3
"""Times two stakeshift binaries on the same command, alternating them run by run, so
that both see the same periods of a noisy host; prints each one's median and fastest.

    python3 bench/alternate.py OLD_BINARY NEW_BINARY [RUNS] [-- ARGS...]

ARGS default to `simulate --paths 1000000 --quiet` (issue 7's benchmark)."""

import statistics
import subprocess
import sys
import time


def main() -> None:
    argv = sys.argv[1:]
    args = ["simulate", "--paths", "1000000", "--quiet"]
    if "--" in argv:
        k = argv.index("--")
        argv, args = argv[:k], argv[k + 1 :]
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    binaries = argv[:2]
    runs = int(argv[2]) if len(argv) == 3 else 20
    times: dict[str, list[float]] = {b: [] for b in binaries}
    for i in range(runs):
        # Alternate which goes first, so that neither always follows the other.
        for b in binaries if i % 2 == 0 else binaries[::-1]:
            start = time.perf_counter()
            subprocess.run([b, *args], stdout=subprocess.DEVNULL, check=True)
            times[b].append(time.perf_counter() - start)
    for b in binaries:
        t = times[b]
        print(f"{b}: median {statistics.median(t) * 1000:.1f} ms, fastest {min(t) * 1000:.1f} ms ({len(t)} runs)")
    old, new = (statistics.median(times[b]) for b in binaries)
    print(f"median ratio old/new: {old / new:.2f}")


if __name__ == "__main__":
    main()
