"""FS1xx samples: code each rule must flag (with the lines) and compliant code it must pass."""

from __future__ import annotations

import pytest

Codes = list[tuple[int, str]]

VIOLATIONS = [
    pytest.param(
        "FS101",
        """
        import asyncio
        async def main():
            await asyncio.gather(one(), two())
        """,
        [3],
        id="asyncio.gather",
    ),
    pytest.param(
        "FS101",
        """
        from asyncio import create_task
        import asyncio as aio
        async def main(loop):
            create_task(work())
            aio.ensure_future(work())
            loop.create_task(work())
            aio.get_running_loop().create_task(work())
        """,
        [4, 5, 6, 7],
        id="create_task-ensure_future-loop",
    ),
    pytest.param(
        "FS102",
        """
        import asyncio
        def stamp():
            return asyncio.get_event_loop().time()
        """,
        [3],
        id="get_event_loop",
    ),
    pytest.param(
        "FS103",
        """
        import time
        from time import sleep
        async def poll():
            time.sleep(1)
            sleep(0.5)
        """,
        [4, 5],
        id="time.sleep-in-async",
    ),
    pytest.param(
        "FS104",
        """
        import threading
        LOCK = threading.RLock()
        class Cache:
            def __init__(self):
                self._lock = threading.Lock()
            async def get(self):
                with self._lock:
                    return 1
            async def put(self):
                self._lock.acquire()
        async def update():
            with LOCK:
                pass
            guard = threading.Semaphore(2)
        """,
        [7, 10, 12, 14],
        id="threading-lock-in-async",
    ),
    pytest.param(
        "FS105",
        """
        import asyncio
        async def main():
            lock = asyncio.Lock()
            await asyncio.sleep(1)
        asyncio.run(main())
        """,
        [3, 4, 5],
        id="asyncio-primitives",
    ),
    pytest.param(
        "FS106",
        """
        import requests, subprocess
        from fastapi.testclient import TestClient
        async def handler(app):
            requests.get("http://x")
            subprocess.run(["ls"])
            client = TestClient(app)
        """,
        [4, 5, 6],
        id="blocking-calls-in-async",
    ),
]

COMPLIANT = [
    pytest.param(
        "FS101",
        """
        import anyio
        def gather(): ...
        async def main(datasync):
            async with anyio.create_task_group() as tg:
                tg.start_soon(work)
            gather()
            datasync.create_task(name="nightly")  # another library's job API
        """,
        id="anyio-task-group",
    ),
    pytest.param(
        "FS102",
        """
        import time, anyio
        def stamp():
            return time.monotonic()
        async def now():
            return anyio.current_time()
        """,
        id="monotonic-clock",
    ),
    pytest.param(
        "FS103",
        """
        import time, anyio
        async def poll():
            await anyio.sleep(1)
            def blocking():
                time.sleep(1)
            run = lambda: time.sleep(1)
        def sync_wait():
            time.sleep(1)
        """,
        id="anyio.sleep-and-sync-sleep",
    ),
    pytest.param(
        "FS104",
        """
        import threading, anyio
        class Cache:
            def __init__(self):
                self._lock = threading.Lock()
                self._alock = anyio.Lock()
            def get(self):
                with self._lock:
                    return 1
            async def aget(self):
                async with self._alock:
                    return 2
        """,
        id="anyio-lock-in-async",
    ),
    pytest.param(
        "FS105",
        """
        import anyio
        async def main():
            async with anyio.Lock():
                await anyio.sleep(1)
        anyio.run(main, backend="asyncio")
        """,
        id="anyio-primitives",
    ),
    pytest.param(
        "FS106",
        """
        import httpx, requests, subprocess, anyio
        async def handler():
            async with httpx.AsyncClient() as client:
                await client.get("http://x")
            await anyio.run_process(["ls"])
        def sync_handler():
            requests.get("http://x")
            subprocess.run(["ls"])
        """,
        id="async-clients",
    ),
]
