"""Episode chunks written side by side by several processes (issue 17 point 7).

A chunk of episode rows holds whole children, and whole groups of children missing
together (Importer.chunks, chunks.missing_together), and its rows read nothing another
chunk writes: a child's placements, episodes and providers are the child's own, and a
missing-together link and the episodes it is dated by are the group's. So the chunks can
be written at once by forked processes, each on its own database connection, each chunk in
its own transaction as ever (Importer.run_chunk). The chunks are dealt out in turn, so each
process has about as many rows; each process sends each chunk's outcomes back as it
commits, and the parent reports them as one import would.

Meanwhile the parent may write rows of its own that some chunks depend on (the child rows,
which must be written in order, one process: see Importer.run_apart), telling the
processes as it goes (`meanwhile`, `tell`, `after`): a chunk waits until what it reads is
written.

A process that stops (killed, or its database lost for good) leaves the chunks it committed,
whole, and nothing of the rest; the other processes finish theirs, and then the import stops
with WorkersStopped, which says to run it again: the rows already imported are found held
and left unchanged. If the import itself is killed, its processes are killed with it (on
Linux), leaving whole chunks likewise.

PostgreSQL only: SQLite writes one connection at a time. Not in a transaction (a dry run
is one, rolled back): the processes could not see what it holds.
"""

import ctypes
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence, Sized
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar, cast

from django.db import connection, connections

from mace.imports.rows import ImportInterrupted

# More processes than this gain nothing on the machines MACE runs on, and each holds a
# database connection.
MAX_WORKERS = 16

_PR_SET_PDEATHSIG = 1  # linux/prctl.h

_Chunk = TypeVar("_Chunk", bound=Sized)
_Result = TypeVar("_Result")


class WorkersStopped(ImportInterrupted):
    """One or more processes stopped before writing all their chunks."""


def can_share_out(workers: int, chunks: int) -> bool:
    """Whether chunks may be written by `workers` processes: more than one of each, on
    PostgreSQL, and outside any transaction."""
    return (
        workers > 1
        and chunks > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


def share_out(
    chunks: Sequence[_Chunk],
    workers: int,
    write: Callable[[_Chunk], _Result],
    written: Callable[[int], None] = lambda rows: None,
    *,
    meanwhile: Callable[[Callable[[Any], None]], None] | None = None,
    after: Sequence[int] | None = None,
    hear: Callable[[Any], None] = lambda news: None,
) -> list[_Result]:
    """`write(chunk)` for each chunk, in `workers` forked processes; the results in the
    order of the chunks. `written(rows)` is told of each chunk as it lands (a progress bar).
    Raises WorkersStopped, once every process has ended, if any stopped short.

    While the processes write, the parent may do work of its own, `meanwhile(tell)`, which
    calls `tell(news)` to send news to every process: a process hears it (`hear(news)`, in
    the process) before it writes a chunk that waits for it, chunk i waiting for the first
    `after[i]` pieces of news (all of them once `meanwhile` has returned)."""
    assert can_share_out(workers, len(chunks))
    context = multiprocessing.get_context("fork")
    # A connection must not cross a fork: both processes would talk on one socket. Each
    # process connects afresh on its first query, the parent included.
    connections.close_all()
    results: list[_Result | None] = [None] * len(chunks)
    running: dict[Connection, tuple[int, multiprocessing.process.BaseProcess]] = {}
    finished: set[int] = set()
    problems: list[str] = []
    # The news, a queue a process: putting never waits, so neither side waits on the other.
    inboxes = [context.Queue() for _ in range(workers)] if meanwhile is not None else []

    def collect() -> None:
        """The processes' results as they come, until every process has ended: in a thread
        of its own, so that a process never waits to send while the parent is busy."""
        while running:
            for ready in wait(list(running)):
                receiving = cast(Connection, ready)
                number, process = running[receiving]
                try:
                    kind, payload = receiving.recv()
                except EOFError:  # the process has ended
                    del running[receiving]
                    receiving.close()
                    process.join()
                    if number not in finished and not any(
                        problem.startswith(f"process {number} ") for problem in problems
                    ):
                        problems.append(
                            f"process {number} of {workers} stopped ({_how(process.exitcode)})"
                        )
                    continue
                if kind == "chunk":
                    index, result = payload
                    results[index] = result
                    written(len(chunks[index]))
                elif kind == "done":
                    finished.add(number)
                else:
                    problems.append(f"process {number} of {workers} stopped: {payload}")

    processes = []
    collector = threading.Thread(target=collect, name="import-results", daemon=True)
    try:
        for number in range(1, workers + 1):
            receiving, sending = context.Pipe(duplex=False)
            indexes = range(number - 1, len(chunks), workers)
            process: multiprocessing.process.BaseProcess = context.Process(
                target=_work,
                args=(
                    os.getpid(),
                    sending,
                    chunks,
                    indexes,
                    write,
                    _News(
                        inboxes[number - 1],
                        [after[index] if after else 0 for index in indexes],
                        hear,
                    )
                    if inboxes
                    else None,
                ),
                name=f"import-{number}",
                daemon=True,
            )
            process.start()
            sending.close()
            running[receiving] = (number, process)
            processes.append(process)
        # Started once every process is forked: a thread must not be running at a fork.
        collector.start()
        if meanwhile is not None:

            def tell(news: Any) -> None:
                for inbox in inboxes:
                    inbox.put(("news", news))

            meanwhile(tell)
            for inbox in inboxes:
                inbox.put(("end", None))
        collector.join()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        if collector.is_alive():
            collector.join()  # it ends as the processes' pipes close
        for inbox in inboxes:
            inbox.cancel_join_thread()  # a process ended may leave news unread
            inbox.close()
    if problems:
        landed = sum(result is not None for result in results)
        raise WorkersStopped(
            f"The import stopped: {'; '.join(problems)}. {landed} of the {len(chunks)} "
            "chunks of episode rows were imported whole; nothing of the others was written: "
            "run the same import again to finish (rows already imported are left unchanged)."
        )
    return cast(list[_Result], results)  # every chunk has landed


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"killed by signal {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


def _end_with(parent: int) -> None:
    """Have Linux kill this process when the parent ends (prctl PR_SET_PDEATHSIG), so
    that an import killed stops writing: the chunk being written is rolled back with the
    connection, and the whole chunks before stay, as with one process."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the process finishes its chunks
        return
    if os.getppid() != parent:  # the parent ended before that took effect
        os._exit(1)


class _News:
    """A process's news from the parent (share_out's `meanwhile`), heard as chunks need it."""

    def __init__(
        self, inbox: "multiprocessing.Queue[Any]", after: list[int], hear: Callable[[Any], None]
    ) -> None:
        self.inbox, self.after, self.hear = inbox, after, hear
        self.heard = 0
        self.ended = False

    def wait_for(self, nth: int) -> None:
        """Hear the news until the process's `nth` chunk may be written."""
        while not self.ended and self.heard < self.after[nth]:
            kind, news = self.inbox.get()
            if kind == "end":
                self.ended = True
            else:
                self.hear(news)
                self.heard += 1


def _work(
    parent: int,
    sending: Connection,
    chunks: Sequence[_Chunk],
    indexes: range,
    write: Callable[[_Chunk], _Result],
    news: _News | None,
) -> None:
    """One process: its chunks in turn, each result sent as it lands. Ctrl-C is the
    parent's to handle (it ends the processes); if the parent ends, so does this."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with(parent)
    try:
        for nth, index in enumerate(indexes):
            if news is not None:
                news.wait_for(nth)
            result = write(chunks[index])
            sending.send(("chunk", (index, result)))
    except ImportInterrupted as exc:
        sending.send(("stopped", str(exc)))
    except Exception as exc:  # told to the parent, which stops the import
        sending.send(("stopped", f"{type(exc).__name__}: {exc}"))
    else:
        sending.send(("done", None))
    finally:
        connections.close_all()
        sending.close()
