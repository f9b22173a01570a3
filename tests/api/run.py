#!/usr/bin/env python3
"""Runs the core API suites one after another (a developer convenience).

The suites are tests/api/test_<resource>.py; each starts its own server on a
fresh database and can be run alone with the same options. tests/run-all.sh
runs every tests/api/test_*.py itself and does not use this file.

    python3 tests/api/run.py --bin build/src/cli/haicang --db sqlite
    python3 tests/api/run.py --bin build/src/cli/haicang --db mariadb      # one temp mariadbd per suite
    python3 tests/api/run.py --bin build/src/cli/haicang -k order -k wave  # a subset (name contains)
    python3 tests/api/run.py --all ...                                    # every test_*.py, customs too

Ends with one line `N passed, N failed` summed over the suites; exits non-zero
if any suite failed.
"""

import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORE = ["openapi", "catalog", "inbound", "orders", "waves", "returns", "journal", "auth",
        "badinput", "paging", "concurrency"]


def main(argv):
    args = list(argv)
    if "--all" in args:
        args.remove("--all")
        suites = sorted(glob.glob(os.path.join(HERE, "test_*.py")))
    else:
        suites = [os.path.join(HERE, "test_%s.py" % n) for n in CORE]
    passed = failed = 0
    bad = []
    for path in suites:
        name = os.path.basename(path)
        print("== %s" % name, flush=True)
        p = subprocess.run([sys.executable, path] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        out = p.stdout.decode("utf-8", "replace")
        sys.stdout.write(out)
        m = re.search(r"^(\d+) passed, (\d+) failed\s*$", out, re.M)
        if m is None:
            failed += 1
            bad.append(name)
            continue
        passed += int(m.group(1))
        failed += int(m.group(2))
        if p.returncode != 0 or int(m.group(2)):
            bad.append(name)
    if bad:
        print("\nsuites with failures: " + ", ".join(bad))
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    if "-h" in sys.argv[1:] or "--help" in sys.argv[1:]:
        print(__doc__)
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
