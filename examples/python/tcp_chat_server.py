#!/usr/bin/env python3
"""TCP chat server: accept connections and answer each message.

    socket() -> setsockopt(SO_REUSEADDR) -> bind() -> listen() ->
    loop { accept() ->
           loop { recv() -> print -> read a reply -> send() } -> close() }

The article's "TCP server" was UDP code by mistake; this one is real TCP.
One client at a time: when it closes its connection the server goes back
to accept() for the next one.  Sending the reply "stop" (typed, or echoed
with --echo) ends the server, once a client that sent "stop" itself has
closed; so does the end of its input.

TCP carries a stream of bytes, not messages, so each message travels as
its bytes followed by b'\\n', and the receiver splits the stream there
(chat_common.MessageSplitter).

Its output is byte for byte that of examples/tcp_chat_server.c:

    listening on 127.0.0.1:8000 (tcp)
    connected: 127.0.0.1:54321
    from 127.0.0.1:54321: <message>
    closed: 127.0.0.1:54321        (or "reset: ..." if the client vanished)

The command line, the output lines and reading stdin are in chat_common.py.
"""
import socket

from chat_common import (BUF_SIZE, MAX_MESSAGE, MessageSplitter,
                         MessageTooLong, bind_failed, fail, parse_args,
                         print_message, read_line, show_addr, warn,
                         warn_too_long_message)

BACKLOG = 5                     # handshakes queued while we are busy


def read_reply():
    """Read reply lines until one is short enough; None at the end of input."""
    while True:
        reply = read_line('reply> ')
        if reply is None or len(reply) <= MAX_MESSAGE:
            return reply
        warn_too_long_message(reply)


def serve_client(conn, peer):
    """Answer the messages of one client; True when the server should end."""
    splitter = MessageSplitter()
    try:
        while True:
            # Up to 1024 bytes, as many as have arrived; b'' once the
            # client has closed its connection.
            data = conn.recv(BUF_SIZE)
            for message in splitter.split(data):
                print_message(f'from {peer}', message)
                if args.echo:
                    reply = message
                else:
                    reply = read_reply()
                    if reply is None:
                        return True             # end of input
                conn.sendall(reply + b'\n')
                if reply == b'stop':
                    # A client that sent "stop" closes after the reply:
                    # let its FIN come first, so the close is the same
                    # every time (both at once would cross: CLOSING).
                    while message == b'stop' and conn.recv(BUF_SIZE):
                        pass
                    return True
            if not data:
                break
        print(f'closed: {peer}', flush=True)
    except (ConnectionResetError, BrokenPipeError):
        print(f'reset: {peer}', flush=True)
    except MessageTooLong:
        warn(f'{peer} sent a message longer than {MAX_MESSAGE} bytes:'
             ' dropping the connection')
    except OSError as e:
        warn(f'connection with {peer}: {e.strerror}')
    return False


args = parse_args('tcp_chat_server',
                  'Accept TCP connections, print each message'
                  ' and send back a reply.', server=True)

# Ask the kernel for a stream socket of the address's family.
try:
    server = socket.socket(args.family, socket.SOCK_STREAM)
except OSError as e:
    fail(f'socket: {e.strerror}')

# Let a restarted server bind the port at once, although connections of
# the previous run still linger in TIME_WAIT.
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

# Claim the address and port.
try:
    server.bind((args.host, args.port))
except OSError as e:
    bind_failed(e, args)

# Turn the socket into one that waits for connections.
server.listen(BACKLOG)

# Ask which address and port we got: --port 0 lets the kernel pick.
print(f'listening on {show_addr(server.getsockname())} (tcp)', flush=True)

while True:
    # Wait for a client; the kernel gives us a new socket for it.
    try:
        conn, client = server.accept()
    except ConnectionAbortedError:
        continue                        # it gave up before we got to it
    except OSError as e:
        fail(f'accept: {e.strerror}')
    peer = show_addr(client)
    print(f'connected: {peer}', flush=True)

    end = serve_client(conn, peer)
    conn.close()
    if end:
        break

server.close()
