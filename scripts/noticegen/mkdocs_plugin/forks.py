"""Run tasks in forked processes, a few at a time, and bring back what each returned, raised and logged.

A forked child starts as a copy of the process at the moment it is made: the MkDocs configuration, the
plugins and the pages the first locale built are all there, as they are for the next locale of a serial
build, and nothing has to be pickled to start it. What it sends back (its result, its exception, its log
records) is pickled. Its log records are held back and replayed here in task order, so that the output
reads as a serial run's, and MkDocs' warning counter of the build that waits counts them.
"""

from __future__ import annotations

import copyreg
import logging
import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from types import MappingProxyType
from typing import Any

from mkdocs.exceptions import PluginError


# The model's read-only mappings (a notice's texts, a version's digests) travel back from a forked task as what
# they are; pickle alone refuses them.
def _read_only(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda mapping: (_read_only, (dict(mapping),)))


@dataclass
class Outcome:
    """What a task returned (`value`) or raised (`error`), and the log records it emitted."""

    value: Any = None
    error: BaseException | None = None
    records: list[logging.LogRecord] = field(default_factory=list)

    def replay(self) -> None:
        """Log the task's records here, through the loggers that emitted them."""
        for record in self.records:
            logger = logging.getLogger(record.name)
            if logger.isEnabledFor(record.levelno):
                logger.handle(record)


def can_fork() -> bool:
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def threads_running() -> bool:
    """Whether this process runs other threads: `mkdocs serve`'s server does once it serves, and a lock one
    of them holds when the process forks stays held in the copy."""
    return threading.active_count() > 1


def run_forked(tasks: Sequence[Callable[[], Any]], jobs: int) -> list[Outcome | None]:
    """Each task's outcome, in the order of `tasks`, running at most `jobs` of them at once. Once a task has
    failed no other is started (a serial run would have stopped there): those not started are None."""
    context = multiprocessing.get_context("fork")
    outcomes: list[Outcome | None] = [None] * len(tasks)
    running: dict[Connection, tuple[int, Any]] = {}
    started = 0
    failed = False
    while running or (started < len(tasks) and not failed):
        while len(running) < jobs and started < len(tasks) and not failed:
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(tasks[started], sending), daemon=True)
            process.start()
            sending.close()
            running[receiving] = (started, process)
            started += 1
        for connection in wait(list(running)):
            assert isinstance(connection, Connection)
            index, process = running.pop(connection)
            outcome = _received(connection, process)
            outcomes[index] = outcome
            failed = failed or outcome.error is not None
    return outcomes


class Forked:
    """One task started now in a forked process, while this one goes on; its outcome is asked for later."""

    def __init__(self, task: Callable[[], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self._receiving, sending = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(task, sending), daemon=True)
        self._process.start()
        sending.close()
        self._outcome: Outcome | None = None

    def outcome(self) -> Outcome:
        """The task's outcome, once it has ended (waiting for it if need be)."""
        if self._outcome is None:
            self._outcome = _received(self._receiving, self._process)
        return self._outcome


def _received(connection: Connection, process: Any) -> Outcome:
    """What a forked task sent back, once its process has ended."""
    try:
        outcome: Outcome = connection.recv()
    except (EOFError, OSError, pickle.UnpicklingError) as lost:
        outcome = Outcome(error=PluginError(f"notice plugin: a forked build process ended abruptly ({lost})"))
    connection.close()
    process.join()
    if outcome.error is None and process.exitcode != 0:
        outcome.error = PluginError(f"notice plugin: a forked build process exited with {process.exitcode}")
    return outcome


def _child(task: Callable[[], Any], sending: Connection) -> None:
    records = _captured_records()
    try:
        outcome = Outcome(value=task(), records=records)
    except BaseException as error:  # every failure goes back to the parent, which raises it
        outcome = Outcome(error=_portable(error), records=records)
    try:
        sending.send(outcome)
    except Exception as unpicklable:
        detail = f"{type(unpicklable).__name__}: {unpicklable}"
        sending.send(Outcome(error=PluginError(f"notice plugin: a forked build's result cannot be sent: {detail}")))
    sending.close()


def _portable(error: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else a PluginError that says what it was, with its
    traceback (a serial build would have shown it)."""
    try:
        copy = pickle.loads(pickle.dumps(error))
        if type(copy) is type(error) and str(copy) == str(error):
            return error
    except Exception:  # it is described below instead
        pass
    return PluginError("".join(traceback.format_exception(error)).rstrip())


class _Capture(logging.Handler):
    """Every record that reaches a handler of this process, once, made fit to be pickled."""

    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__()
        self.records = records
        # The records seen, by identity (a record reaches one handler per logger on its way up); each is
        # kept, so that its identity is not given to a later record.
        self.seen: dict[int, logging.LogRecord] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if id(record) in self.seen:
            return
        self.seen[id(record)] = record
        self.records.append(_picklable(record))


def _captured_records() -> list[logging.LogRecord]:
    """From now on, this process's log records are kept instead of written (the handlers that would have
    written them are the parent's, which writes them when it replays them)."""
    records: list[logging.LogRecord] = []
    capture = _Capture(records)
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        if isinstance(logger, logging.Logger) and logger.handlers:
            logger.handlers = [capture]
    return records


def _picklable(record: logging.LogRecord) -> logging.LogRecord:
    copy = logging.makeLogRecord(dict(record.__dict__))
    copy.msg, copy.args = record.getMessage(), None
    if record.exc_info:
        copy.exc_text = logging.Formatter().formatException(record.exc_info)
        copy.exc_info = None
    try:
        pickle.dumps(copy)
    except Exception:  # an attribute some code added: keep what logging itself knows
        standard = logging.makeLogRecord({})
        copy = logging.makeLogRecord({key: value for key, value in copy.__dict__.items() if key in vars(standard)})
    return copy
