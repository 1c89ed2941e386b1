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
            await asyncio.to_thread(print, "blocking")
        asyncio.run(main())
        """,
        [3, 4, 5, 6],
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

# The spellings real code uses (aliases, variables, helpers, attributes), and look-alikes.
VIOLATIONS += [
    pytest.param(
        "FS101",
        """
        import asyncio
        from asyncio import Task, run_coroutine_threadsafe
        async def main():
            asyncio.Task(work())
            Task(work())
        def from_thread(loop):
            asyncio.run_coroutine_threadsafe(work(), loop)
            run_coroutine_threadsafe(work(), loop)
        """,
        [4, 5, 7, 8],
        id="Task-and-run_coroutine_threadsafe",
    ),
    pytest.param(
        "FS101",
        """
        import asyncio
        class Poller:
            async def start(self):
                self._lp = asyncio.get_running_loop()
            def kick(self):
                self._lp.create_task(self.poll())
        async def main():
            lp = asyncio.get_running_loop()
            lp.create_task(work())
        """,
        [6, 9],
        id="loop-held-in-a-variable-or-attribute",
    ),
    pytest.param(
        "FS103",
        """
        import time
        def _backoff():
            time.sleep(0.5)
        def _retry():
            _backoff()
        async def poll():
            def wait():
                time.sleep(1)
            wait()
            _retry()
        class Poller:
            def _pause(self):
                time.sleep(1)
            async def run(self):
                self._pause()
        """,
        [9, 10, 15],
        id="sleep-through-nested-module-and-method-helpers",
    ),
    pytest.param(
        "FS104",
        """
        import threading
        class Registry:
            _lock = threading.Lock()
            async def add(self, item):
                with self._lock:
                    pass
            async def drop(self):
                Registry._lock.acquire()
            async def alias(self):
                lock = self._lock
                with lock:
                    pass
        """,
        [5, 8, 11],
        id="class-attribute-lock",
    ),
    pytest.param(
        "FS106",
        """
        import requests
        import httpx
        SESSION = requests.Session()
        class Fetcher:
            def __init__(self):
                self.session = requests.Session()
                self._http = httpx.Client()
            async def fetch(self, url):
                return self.session.get(url)
            async def post(self, url):
                http = self._http
                return http.post(url, json={})
        async def ping():
            SESSION.head("http://x")
        """,
        [9, 12, 14],
        id="sync-client-in-attribute-alias-or-module",
    ),
    pytest.param(
        "FS106",
        """
        import subprocess
        import requests
        def _run(cmd):
            return subprocess.run(cmd, check=True)
        async def deploy():
            def fetch():
                return requests.get("http://x")
            fetch()
            _run(["ls"])
        """,
        [8, 9],
        id="blocking-through-nested-and-module-helpers",
    ),
]

COMPLIANT += [
    pytest.param(
        "FS101",
        """
        import asyncio
        async def main(scheduler, runner):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(work())
            scheduler.create_task(job)
            runner.create_task(job)
            pending: asyncio.Task[None] | None = None
            class Job(asyncio.Task): ...
        """,
        id="owned-tasks-job-apis-and-annotations",
    ),
    pytest.param(
        "FS103",
        """
        import time, anyio
        def _backoff():
            time.sleep(0.5)
        async def poll():
            await anyio.to_thread.run_sync(_backoff)
            await anyio.to_thread.run_sync(lambda: _backoff())
        def sync_caller():
            _backoff()
        async def other():
            def later():
                time.sleep(1)
            await anyio.to_thread.run_sync(later)
        """,
        id="blocking-helpers-run-in-threads",
    ),
    pytest.param(
        "FS104",
        """
        import threading
        import anyio
        async def run_all(jobs):
            lock = threading.Lock()
            def worker(job):
                with lock:
                    job()
            for job in jobs:
                await anyio.to_thread.run_sync(worker, job)
        async def run_partial(jobs):
            guard = threading.Lock()
            await anyio.to_thread.run_sync(process, jobs, guard)
        class Cache:
            _lock = threading.Lock()
            def get(self):
                with self._lock:
                    return 1
        """,
        id="lock-made-in-async-for-worker-threads",
    ),
    pytest.param(
        "FS106",
        """
        import httpx, requests, anyio
        class Fetcher:
            def __init__(self):
                self.session = requests.Session()
                self.client = httpx.AsyncClient()
                self.cache = {}
            async def fetch(self, url):
                await self.client.get(url)
                self.cache.get(url)
                return await anyio.to_thread.run_sync(self.session.get, url)
            def sync_fetch(self, url):
                return self.session.get(url)
        """,
        id="async-client-dict-get-and-sync-client-in-thread",
    ),
]
