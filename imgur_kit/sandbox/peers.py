"""Which user of this computer holds the other end of a loopback connection.

On a shared server (a JupyterHub on one machine, where every learner's processes
share one network stack) any local process can connect to any port on 127.0.0.1.
A TCP connection carries no user name, but Linux knows who opened each socket:
``/proc/net/tcp`` lists every socket of this network namespace with its owner's
uid. The listeners of the kit (the sandbox and the sign-in capture) look up the
connecting socket there and answer only their own user, so learner B's programs
cannot reach learner A's sandbox or sign-in, whatever port they aim at.

Where there is no ``/proc/net/tcp`` (macOS, Windows) the owner cannot be known and
:func:`peer_uid` returns :data:`UNKNOWN`; there a computer usually has one person.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Optional

#: The tables of this network namespace's TCP sockets (IPv4, then IPv6 with IPv4-mapped addresses).
TABLES = ("/proc/net/tcp", "/proc/net/tcp6")
#: What :func:`peer_uid` returns where the system keeps no such table.
UNKNOWN = -1
#: A peer not found in the table (gone already, or in another network namespace): nobody we know.
STRANGER = -2
_REFUSAL = "This listener belongs to another user of this computer; it answers only its own user.\r\n"
#: The answer a refused connection gets before it is closed (no thread, no handler).
REFUSED_ANSWER = (
    "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
    f"Content-Length: {len(_REFUSAL)}\r\n\r\n{_REFUSAL}"
).encode("ascii")


def _hex_address(host: str, port: int, family: int) -> str:
    """``host:port`` as /proc/net/tcp* writes it: the address's bytes in host order, then the port, in hex."""
    packed = socket.inet_pton(family, host)
    # Each 32-bit word of the address is printed as the integer it is in this machine's memory.
    words = [packed[i : i + 4] for i in range(0, len(packed), 4)]
    return "".join(f"{int.from_bytes(word, sys.byteorder):08X}" for word in words) + f":{port:04X}"


def _rows_to_look_for(ours: tuple, theirs: tuple) -> list[tuple[str, str, str]]:
    """(table, the peer socket's local end, its remote end) in each table it could be in."""
    found = []
    if ":" not in theirs[0]:
        found.append(
            (
                TABLES[0],
                _hex_address(theirs[0], theirs[1], socket.AF_INET),
                _hex_address(ours[0], ours[1], socket.AF_INET),
            )
        )
    # An IPv6 socket talking to 127.0.0.1 is listed with IPv4-mapped addresses.
    mapped = [host if ":" in host else "::ffff:" + host for host in (theirs[0], ours[0])]
    found.append(
        (
            TABLES[1],
            _hex_address(mapped[0], theirs[1], socket.AF_INET6),
            _hex_address(mapped[1], ours[1], socket.AF_INET6),
        )
    )
    return found


def peer_uid(connection: socket.socket) -> int:
    """The uid owning the other end of ``connection`` (a TCP connection on this computer).

    :data:`UNKNOWN` where that cannot be known: no socket table (not Linux), or a table
    that does not even list this end of the connection (a system that hides it);
    :data:`STRANGER` for a peer missing from a table that lists ours (already gone).
    """
    if not os.path.exists(TABLES[0]):
        return UNKNOWN
    try:
        ours = connection.getsockname()[:2]
        theirs = connection.getpeername()[:2]
        wanted = _rows_to_look_for(ours, theirs)
    except (OSError, ValueError):
        return UNKNOWN
    listed = False
    for table, their_end, our_end in wanted:
        owners = _owners_in(table, {(their_end, our_end), (our_end, their_end)})
        if (their_end, our_end) in owners:
            return owners[(their_end, our_end)]
        listed = listed or (our_end, their_end) in owners
    return STRANGER if listed else UNKNOWN


def _owners_in(table: str, rows: set) -> dict:
    """{(local end, remote end): uid} for the rows of ``table`` named in ``rows``."""
    found = {}
    try:
        with open(table, encoding="ascii", errors="replace") as lines:
            next(lines, None)  # the header
            for line in lines:
                fields = line.split()
                if len(fields) > 7 and (fields[1], fields[2]) in rows:
                    found[(fields[1], fields[2])] = int(fields[7])
    except (OSError, ValueError):
        return found
    return found


def same_user(connection: socket.socket, uid: Optional[int] = None) -> bool:
    """True when the other end of ``connection`` belongs to ``uid`` (this process's user by default),
    or when the system cannot tell (:data:`UNKNOWN`)."""
    found = peer_uid(connection)
    if found == UNKNOWN:
        return True
    own = os.geteuid() if uid is None else uid
    return found == own
