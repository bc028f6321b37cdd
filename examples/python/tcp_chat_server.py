#!/usr/bin/env python3
"""TCP chat server: accept connections and answer each message.

    socket() -> setsockopt(SO_REUSEADDR) -> bind() -> listen() ->
    loop { accept() ->
           loop { recv() -> print -> read a reply -> send() } -> close() }

The article's "TCP server" was UDP code by mistake; this one is real TCP.
One client at a time: when it closes its connection the server goes back
to accept() for the next one.  Sending the reply "stop" (typed, or echoed
with --echo) ends the server; so does the end of its input.

TCP carries a stream of bytes, not messages, so each message travels as
its bytes followed by b'\\n', and the receiver splits the stream there.

Its output is byte for byte that of examples/tcp_chat_server.c:

    listening on 127.0.0.1:8000 (tcp)
    connected: 127.0.0.1:54321
    from 127.0.0.1:54321: <message>
    closed: 127.0.0.1:54321        (or "reset: ..." if the client vanished)
"""
import argparse
import errno
import signal
import socket
import sys

PROG = 'tcp_chat_server'
BUF_SIZE = 1024                 # receive buffer, as in the article
MAX_MESSAGE = 64 * 1024         # longest message on the stream
BACKLOG = 5                     # handshakes queued while we are busy
INTERACTIVE = sys.stdin.isatty()


class MessageTooLong(Exception):
    pass


def warn(message):
    """Report a problem on stderr as 'tcp_chat_server: ...'."""
    sys.stdout.flush()
    print(f'{PROG}: {message}', file=sys.stderr, flush=True)


def fail(message, status=1):
    """Report a problem and exit: 1 for failures, 2 for bad arguments."""
    warn(message)
    sys.exit(status)


def port_number(text, lowest):
    """A port number: decimal digits only, from lowest to 65535."""
    if not (text.isascii() and text.isdigit() and
            lowest <= int(text) <= 65535):
        fail(f"bad port '{text}': expected a number from {lowest} to 65535", 2)
    return int(text)


def address_family(host):
    """AF_INET or AF_INET6 for a numeric address, as inet_pton() reads it."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
            return family
        except (OSError, ValueError):
            pass
    fail(f"bad host '{host}': expected a numeric IPv4 or IPv6 address"
         ' such as 127.0.0.1 or ::1', 2)


def show_addr(addr):
    """'127.0.0.1:54321' or '[::1]:54321'."""
    host, port = addr[:2]
    return f'[{host}]:{port}' if ':' in host else f'{host}:{port}'


def read_line(prompt):
    """One line of stdin as bytes, without its newline; None at the end."""
    if INTERACTIVE:
        print(prompt, end='', flush=True)
    try:
        line = sys.stdin.buffer.readline()
    except OSError as e:
        warn(f'read stdin: {e.strerror}')
        return None
    if not line:
        return None
    return line[:-1] if line.endswith(b'\n') else line


def print_message(label, message):
    """Print 'label: message' with the message bytes exactly as they came."""
    sys.stdout.buffer.write(label.encode() + b': ' + message + b'\n')
    sys.stdout.buffer.flush()


def receive_messages(conn):
    """Yield each message as its b'\\n' arrives, 1024 bytes per recv().

    Bytes left without a b'\\n' when the peer closes are the last message,
    as with the last line of a file.
    """
    pending = b''
    while True:
        data = conn.recv(BUF_SIZE)
        if not data:                            # the peer closed
            if pending:
                yield pending
            return
        pending += data
        *messages, pending = pending.split(b'\n')
        for message in messages:
            if len(message) > MAX_MESSAGE:
                raise MessageTooLong()
            yield message
        if len(pending) > MAX_MESSAGE:
            raise MessageTooLong()


def read_reply():
    """Read reply lines until one is short enough; None at the end of input."""
    while True:
        reply = read_line('reply> ')
        if reply is None or len(reply) <= MAX_MESSAGE:
            return reply
        warn(f'message too long ({len(reply)} bytes, at most {MAX_MESSAGE})')


def serve_client(conn, peer):
    """Answer the messages of one client; True when the server should end."""
    try:
        for message in receive_messages(conn):
            print_message(f'from {peer}', message)
            if args.echo:
                reply = message
            else:
                reply = read_reply()
                if reply is None:
                    return True                 # end of input
            conn.sendall(reply + b'\n')
            if reply == b'stop':
                return True
        print(f'closed: {peer}', flush=True)
    except (ConnectionResetError, BrokenPipeError):
        print(f'reset: {peer}', flush=True)
    except MessageTooLong:
        warn(f'{peer} sent a message longer than {MAX_MESSAGE} bytes:'
             ' dropping the connection')
    except OSError as e:
        warn(f'connection with {peer}: {e.strerror}')
    return False


parser = argparse.ArgumentParser(
    prog=PROG,
    description='Accept TCP connections, print each message'
                ' and send back a reply.')
parser.add_argument('--host', metavar='ADDR', default='127.0.0.1',
                    help='numeric IPv4 or IPv6 address (default 127.0.0.1)')
parser.add_argument('--port', metavar='N', default='8000',
                    help='port number (default 8000);'
                         ' 0 lets the kernel pick one')
parser.add_argument('--echo', action='store_true',
                    help='reply with each message instead of reading a reply')
args = parser.parse_args()
port = port_number(args.port, 0)
family = address_family(args.host)
signal.signal(signal.SIGINT, signal.SIG_DFL)    # Ctrl-C: end, no traceback

# Ask the kernel for a stream socket of the address's family.
try:
    server = socket.socket(family, socket.SOCK_STREAM)
except OSError as e:
    fail(f'socket: {e.strerror}')

# Let a restarted server bind the port at once, although connections of
# the previous run still linger in TIME_WAIT.
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

# Claim the address and port.
try:
    server.bind((args.host, port))
except OSError as e:
    if e.errno == errno.EADDRINUSE:
        fail(f'port {port} is already in use: is another server running?')
    fail(f'bind to {show_addr((args.host, port))}: {e.strerror}')

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
