"""FS2xx samples: code each rule must flag (with the lines) and compliant code it must pass."""

from __future__ import annotations

import pytest

Codes = list[tuple[int, str]]

VIOLATIONS = [
    pytest.param(
        "FS201",
        """
        import collections
        from collections import deque
        buffer = deque()
        history = collections.deque([1, 2])
        window = deque(maxlen=None)
        class Inbox:
            def __init__(self):
                self._items = deque()
            def take(self):
                while self._items:  # consumes, never bounds
                    yield self._items.popleft()
        """,
        [3, 4, 5, 8],
        id="deque-without-maxlen",
    ),
    pytest.param(
        "FS202",
        """
        import asyncio, queue
        inbox = asyncio.Queue()
        jobs = queue.Queue(maxsize=0)
        stack = queue.LifoQueue(-1)
        simple = queue.SimpleQueue()
        """,
        [2, 3, 4, 5],
        id="queues-without-maxsize",
    ),
    pytest.param(
        "FS203",
        """
        import math, anyio
        from math import inf
        send, receive = anyio.create_memory_object_stream(math.inf)
        a, b = anyio.create_memory_object_stream[int](max_buffer_size=float("inf"))
        c, d = anyio.create_memory_object_stream(inf)
        """,
        [3, 4, 5],
        id="infinite-stream-buffer",
    ),
    pytest.param(
        "FS204",
        """
        def process(data, max_size):
            if len(data) > max_size:
                raise MemoryError(f"{len(data)} exceeds {max_size}")
            if not data:
                raise MemoryError
        """,
        [3, 5],
        id="raise-MemoryError",
    ),
    pytest.param(
        "FS205",
        """
        class Buffer:
            def __del__(self):
                self.cleanup()
        """,
        [2],
        id="__del__",
    ),
    pytest.param(
        "FS206",
        """
        def first(buffer, limit):
            head = list(buffer)[:limit]
            return tuple(buffer)[0:5]
        """,
        [2, 3],
        id="copy-then-slice",
    ),
]

COMPLIANT = [
    pytest.param(
        "FS201",
        """
        from collections import deque
        buffer = deque(maxlen=100)
        history = deque([], 10)
        custom = deque(**options)
        class BoundedBuffer:
            def __init__(self, max_items, max_bytes):
                # No maxlen: a deque that evicts by itself would bypass the byte accounting.
                self._entries = deque()
                self._bytes = 0
            def append(self, item, size):
                while self._entries and (
                    len(self._entries) >= self.max_items or self._bytes + size > self.max_bytes
                ):
                    self._bytes -= self._entries.popleft().size
                self._entries.append(item)
        """,
        id="deque-with-maxlen-or-evicted-in-code",
    ),
    pytest.param(
        "FS202",
        """
        import asyncio, queue
        inbox = asyncio.Queue(maxsize=10)
        jobs = queue.Queue(settings.queue_size)
        """,
        id="queues-with-maxsize",
    ),
    pytest.param(
        "FS203",
        """
        import anyio
        send, receive = anyio.create_memory_object_stream(max_buffer_size=16)
        rendezvous = anyio.create_memory_object_stream()
        """,
        id="finite-stream-buffer",
    ),
    pytest.param(
        "FS204",
        """
        class PayloadTooLarge(ValueError): ...
        def process(data, max_size):
            try:
                work(data)
            except MemoryError:
                raise
            if len(data) > max_size:
                raise PayloadTooLarge(f"{len(data)} items exceed the limit of {max_size}")
        """,
        id="domain-error",
    ),
    pytest.param(
        "FS205",
        """
        def __del__(): ...
        class Buffer:
            def close(self):
                self._items.clear()
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                self.close()
        """,
        id="explicit-close",
    ),
    pytest.param(
        "FS206",
        """
        from itertools import islice
        def first(buffer, limit, items):
            return list(islice(buffer, limit)), list(buffer)[1:], items[:limit], list(buffer)[:-1]
        """,
        id="islice",
    ),
]

# The spellings real code uses (aliases, variables, helpers, attributes), and look-alikes.
VIOLATIONS += [
    pytest.param(
        "FS201",
        """
        from collections import deque, defaultdict
        import collections
        class Inbox:
            def __init__(self):
                self._q = deque()
            def drain(self):
                while len(self._q) > 0:
                    self._q.popleft()
        by_key = defaultdict(deque)
        per_user = collections.defaultdict(lambda: collections.deque())
        def collect(source):
            pending = deque()
            for item in source:
                pending.append(item)
            return pending
        class Outbox:
            def __init__(self):
                self.items = deque()
            def flush(self, send):
                items = self.items
                while items:
                    send(items.popleft())
        """,
        [5, 9, 10, 12, 18],
        id="drain-loop-and-defaultdict-deque",
    ),
    pytest.param(
        "FS201",
        """
        from collections import deque
        class Reader:
            def __init__(self, protocol):
                self._buffer = deque()
                self._protocol = protocol
            def feed(self, data):
                self._buffer.append(data)
                if self._protocol.paused:  # pauses, but at no limit of the buffer
                    self._protocol.pause_reading()
        spare = deque() if mode == "fast" else None
        """,
        [4, 10],
        id="pause-at-no-limit-and-a-deque-beside-a-comparison",
    ),
    pytest.param(
        "FS202",
        """
        import multiprocessing as mp
        from multiprocessing import get_context
        q1 = mp.get_context("spawn").Queue()
        ctx = get_context("fork")
        q2 = ctx.Queue()
        q3 = ctx.JoinableQueue(maxsize=0)
        """,
        [3, 5, 6],
        id="multiprocessing-context-queues",
    ),
    pytest.param(
        "FS205",
        """
        import warnings
        class Conn:
            def __del__(self):
                if self._open:
                    warnings.warn("Unclosed", ResourceWarning)
                    self.close()
        """,
        [3],
        id="__del__-that-warns-and-closes",
    ),
]

COMPLIANT += [
    pytest.param(
        "FS201",
        """
        from collections import deque, defaultdict
        class Window:
            def __init__(self, limit):
                self._items = deque()
                self._limit = limit
            def add(self, item):
                items = self._items
                items.append(item)
                while len(items) > self._limit:
                    items.popleft()
        bounded = defaultdict(lambda: deque(maxlen=100))
        counts = defaultdict(int)
        def rotate(pool):
            scratch = deque()
            while pool:
                scratch.append(pool.popleft())
            while scratch:
                pool.append(scratch.popleft())
        class Semaphore:
            def __init__(self):
                self._waiters = deque()
                self._idle = deque()
        def walk(root):
            stack = deque([root])
            for node in visit(stack):
                yield node
        """,
        id="bound-through-an-alias-scratch-deques-and-wait-queues",
    ),
    pytest.param(
        "FS201",
        """
        from collections import deque
        class WebSocketReader:
            def __init__(self, protocol, limit):
                self._buffer = deque()
                self._size = 0
                self._limit = limit
                self._protocol = protocol
            def feed_data(self, data, size):
                self._size += size
                self._buffer.append((data, size))
                if self._size > self._limit and not self._protocol.paused:
                    self._protocol.pause_reading()
        def test_the_pool_keeps_one_connection(pool, conn):
            assert pool.idle == deque([conn])
            assert pool.by_key == {"k": deque([conn])}
        """,
        id="flow-controlled-buffer-and-compared-deques",
    ),
    pytest.param(
        "FS202",
        """
        import multiprocessing as mp
        ctx = mp.get_context("spawn")
        q = ctx.Queue(maxsize=100)
        class Broker:
            def Queue(self): ...
        broker = Broker()
        broker.Queue()
        from queue import LifoQueue
        class ConnectionPool:
            def __init__(self):
                self._resource = LifoQueue()
        """,
        id="bounded-context-queue-and-other-Queue-methods",
    ),
    pytest.param(
        "FS204",
        """
        def result_of(outcome):
            if isinstance(outcome, MemoryError):
                raise MemoryError(*outcome.args)
            try:
                work()
            except MemoryError as exc:
                raise MemoryError(str(exc))
            except OSError as exc:
                raise MemoryError("worker ran out") from exc
        """,
        id="a-real-MemoryError-passed-on",
    ),
    pytest.param(
        "FS205",
        """
        import warnings
        class Stream:
            def __del__(self):
                if not self._closed:
                    warnings.warn(f"Unclosed {self!r}", ResourceWarning, source=self)
        class Conn:
            def __del__(self, _warnings=warnings):
                if self._open:
                    _warnings.warn("Unclosed", ResourceWarning, source=self)
                    self._loop.call_exception_handler({"message": "Unclosed"})
        class Cluster:
            def __del__(self, _warn=warnings.warn, _grl=asyncio.get_running_loop):
                if not self._initialized:
                    _warn(f"Unclosed {self!r}", ResourceWarning, source=self)
        class DeprecationWaiter:
            def __del__(self):
                if not self._awaited:
                    warnings.warn("close() is a coroutine, await it", DeprecationWarning)
        """,
        id="__del__-that-only-warns",
    ),
]
