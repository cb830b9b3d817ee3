"""`python -m noticegen.core.lock FILE COMMAND...`: run COMMAND while holding an exclusive lock on FILE.

`make site` runs its build under it, so two builds started together in one folder take turns: the second
says that it waits, then builds, and `site/` is never the mix of two half-finished builds.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys


def run_locked(lock_path: str, command: list[str]) -> int:
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build holds {lock_path}: waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        return subprocess.call(command)
    finally:
        os.close(descriptor)  # closing the file releases the lock


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m noticegen.core.lock LOCKFILE COMMAND [ARGUMENT...]", file=sys.stderr)
        return 2
    return run_locked(argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
