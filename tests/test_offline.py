"""The suite runs with every non-loopback connection blocked (conftest.no_network)."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import NetworkUse


def test_outside_connections_are_refused():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkUse):
        sock.connect(("192.0.2.1", 80))   # TEST-NET-1: never reached, refused before any packet


def test_loopback_is_allowed():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.connect(server.getsockname())
