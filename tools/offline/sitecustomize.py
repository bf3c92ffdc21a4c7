"""Refuse every internet connection from this Python process (loaded via PYTHONPATH=tools/offline).

`make test` builds the book and runs every chapter with it, and `make grade`
runs submissions with it, to prove nothing downloads at run time. Loopback and
Unix sockets stay allowed: Jupyter kernels talk to their clients over them.
"""

import ipaddress
import socket

_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


def _is_local(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost would need a DNS lookup: refuse


def _refuse(sock, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        raise OSError(f"network access is disabled here (tried to connect to {address!r})")


def _guarded_connect(self, address):
    _refuse(self, address)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    _refuse(self, address)
    return _connect_ex(self, address)


socket.socket.connect, socket.socket.connect_ex = _guarded_connect, _guarded_connect_ex
