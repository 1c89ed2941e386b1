"""Real servers for the product tests that run generated services: one of each per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from servers import ConsulServer, RedisServer, running_consul, running_redis


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture(scope="module")
def consul() -> Iterator[ConsulServer]:
    with running_consul() as server:
        yield server
