"""FS3xx samples: code each rule must flag (with the lines) and compliant code it must pass."""

from __future__ import annotations

import pytest

Codes = list[tuple[int, str]]

VIOLATIONS = [
    pytest.param(
        "FS301",
        """
        import contextlib
        from contextlib import suppress
        def run(items):
            try:
                work()
            except Exception:
                pass
            for item in items:
                try:
                    work(item)
                except:
                    continue
            try:
                work()
            except (ValueError, BaseException) as exc:
                ...
            with contextlib.suppress(Exception):
                work()
            with suppress(ValueError, BaseException):
                work()
        """,
        [6, 11, 15, 17, 19],
        id="swallowed",
    ),
    pytest.param(
        "FS302",
        """
        import redis, socket
        from pathlib import Path
        class Worker:
            def __init__(self, path):
                self.config = open(path).read()
            @classmethod
            async def create(cls, path):
                return cls(path)
        class SessionStore:
            def __init__(self, url, path):
                self.redis = redis.Redis.from_url(url)
                self.key = Path(path).read_text()
                self.sock = socket.socket()
                self.sock.connect(("localhost", 1))
        """,
        [5, 11, 12, 13, 14],
        id="io-in-init",
    ),
    pytest.param(
        "FS303",
        """
        import sys
        def setup(root):
            if root not in sys.path:
                sys.path.insert(0, root)
            sys.path = [root]
            sys.path[:0] = [root]
            sys.path += [root]
        """,
        [4, 5, 6, 7],
        id="sys.path-changed",
    ),
    pytest.param(
        "FS304",
        """
        class Service:
            async def get_service_health(self):
                return {"status": "healthy", "uptime": self.uptime()}
        def health():
            return "ok"
        """,
        [3, 5],
        id="hard-coded-health",
    ),
]

COMPLIANT = [
    pytest.param(
        "FS301",
        """
        import contextlib, logging
        logger = logging.getLogger(__name__)
        def run():
            try:
                work()
            except Exception:
                logger.exception("work failed")
                raise
            try:
                work()
            except ValueError:
                pass
            with contextlib.suppress(FileNotFoundError):
                work()
        """,
        id="logged-and-reraised",
    ),
    pytest.param(
        "FS302",
        """
        import httpx
        class Gateway:
            def __init__(self, client, config):
                self._client = client
                self._config = config
            @classmethod
            async def create(cls, settings):
                client = httpx.AsyncClient(base_url=settings.url)
                config = open(settings.path).read()
                return cls(client, config)
        class Report:
            def __init__(self, path):
                self.text = open(path).read()
        class Pool:
            def __init__(self):
                self._open = lambda path: open(path)
        """,
        id="io-in-factory",
    ),
    pytest.param(
        "FS303",
        """
        import os, sys
        def paths():
            os.environ.setdefault("PROJECT_ROOT", "/srv")
            return list(sys.path)
        """,
        id="sys.path-read",
    ),
    pytest.param(
        "FS304",
        """
        async def health(redis):
            try:
                await redis.ping()
            except OSError:
                return {"status": "down"}
            return {"status": "ok"}
        def get_health(breaker):
            return {"status": "ok" if breaker.closed else "degraded"}
        def describe():
            return {"status": "ok"}
        def get_health_check_text():
            return "What would you like to check?"
        """,
        id="computed-health",
    ),
]

# The spellings real code uses (aliases, variables, helpers, attributes), and look-alikes.
VIOLATIONS += [
    pytest.param(
        "FS301",
        """
        def load(path):
            try:
                return read(path)
            except Exception:
                return None
        def parse(text):
            try:
                return int(text)
            except BaseException:
                return 0
        def fetch():
            try:
                return get()
            except Exception as exc:
                return {}
        """,
        [4, 9, 14],
        id="except-Exception-return-constant",
    ),
    pytest.param(
        "FS302",
        """
        import socket
        def _open_db(path):
            return open(path)
        class OrderRepository:
            def __init__(self, path):
                self._db = _open_db(path)
                self._sock = self._connect()
            def _connect(self):
                return socket.create_connection(("db", 5432))
        """,
        [6, 7],
        id="io-through-helpers",
    ),
    pytest.param(
        "FS304",
        """
        HEALTHY = "healthy"
        def health():
            status = "ok"
            return {"status": status}
        async def health_check():
            return {"status": HEALTHY, "checks": []}
        """,
        [4, 6],
        id="constant-status-in-a-variable",
    ),
]

COMPLIANT += [
    pytest.param(
        "FS301",
        """
        import logging
        from contextlib import suppress
        log = logging.getLogger(__name__)
        def load(path):
            try:
                return read(path)
            except FileNotFoundError:
                return None
            except Exception:
                log.exception("cannot read %s", path)
                return None
        def fallback(x):
            try:
                return f(x)
            except Exception as exc:
                return default_for(exc)
        def start(coro):
            try:
                return schedule(coro)
            except BaseException:
                with suppress(BaseException):
                    coro.close()
                try:
                    release()
                except Exception:
                    pass
                raise
        """,
        id="specific-logged-computed-or-cleanup-while-propagating",
    ),
    pytest.param(
        "FS302",
        """
        import socket
        class OrderRepository:
            def __init__(self, sock):
                self._sock = sock
                self._ready = self._check()
            def _check(self):
                return True
            @classmethod
            async def create(cls):
                return cls(cls._connect())
            @staticmethod
            def _connect():
                return socket.create_connection(("db", 5432))
        class Plain:
            def __init__(self, path):
                self.text = self._load(path)
            def _load(self, path):
                return open(path).read()
        """,
        id="helpers-without-io-and-non-services",
    ),
    pytest.param(
        "FS304",
        """
        def health(redis_ok):
            status = "ok"
            if not redis_ok:
                status = "degraded"
            return {"status": status}
        def healthz():
            result = {"status": compute()}
            return result
        """,
        id="status-computed",
    ),
]
