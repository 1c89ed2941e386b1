"""The real-server helpers themselves: a consul agent's six ports are distinct."""

from __future__ import annotations

import pytest
from servers import ConsulServer, running_consul


def test_a_consul_agent_gets_six_distinct_ports() -> None:
    # Two separate free-port calls once gave HTTP and Serf WAN one port: consul refused to start.
    with running_consul(started=False) as consul:
        argv = consul.argv()
    ports = [argv[i + 1] for i, arg in enumerate(argv) if arg.endswith("-port")]
    assert len(ports) == ConsulServer.PORTS
    assert len(set(ports)) == ConsulServer.PORTS


def test_a_consul_agent_refuses_a_port_given_twice() -> None:
    with pytest.raises(ValueError, match="6 distinct ports"):
        ConsulServer("consul", [8500, 8600, 8301, 8500, 8300, 8502])
