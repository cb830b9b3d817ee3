"""`python -m noticegen.core.lock FILE COMMAND...`: run COMMAND while holding an exclusive lock on FILE.

`make site` runs its build under it, so two builds started together in one folder take turns: the second
says that it waits, then builds, and `site/` is never the mix of two half-finished builds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def held(descriptor: int, waiting: Callable[[], None]) -> Iterator[None]:
    """An exclusive lock on the open file (or folder) `descriptor` for the block, which closes it: `waiting` is
    called first when another process holds the lock, and the block waits for it."""
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing it releases the lock


def run_locked(lock_path: str, command: list[str]) -> int:
    def waiting() -> None:
        print(f"another build holds {lock_path}: waiting for it to finish", file=sys.stderr, flush=True)

    with held(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644), waiting):
        return subprocess.call(command)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m noticegen.core.lock LOCKFILE COMMAND [ARGUMENT...]", file=sys.stderr)
        return 2
    return run_locked(argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
