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
