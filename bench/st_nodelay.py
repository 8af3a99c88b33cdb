"""`streamlit run` with TCP_NODELAY on the listening socket (a measurement aid for bench/load.py).

Streamlit 1.67 binds its listening socket itself (`socket.socket(family=...)`, proto 0) and
hands it to uvicorn. asyncio only sets TCP_NODELAY on accepted sockets whose `proto` is
IPPROTO_TCP, so every websocket keeps Nagle's algorithm on: a small frame written right after
another waits for the client's delayed ACK (40 ms on Linux). Setting TCP_NODELAY on the
listening socket fixes it for every connection accepted afterwards (Linux copies the option
to accepted sockets). Same cause as uvicorn issue #3149.

Usage: python bench/st_nodelay.py APP.py [streamlit run flags...]
"""

from __future__ import annotations

import socket
import sys


def main() -> None:
    from streamlit.web.server.starlette import starlette_server as ss

    orig = ss._bind_socket

    def bind(address: str, port: int, backlog: int) -> socket.socket:
        sock = orig(address, port, backlog)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    ss._bind_socket = bind
    from streamlit.web.cli import main as st_main

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    st_main()


if __name__ == "__main__":
    main()
