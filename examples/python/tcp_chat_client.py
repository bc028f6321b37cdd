#!/usr/bin/env python3
"""TCP chat client: send each line typed to the server and print its reply.

    socket() -> connect() ->
        loop { read a line -> send() -> recv() -> print } -> close()

With --reconnect every message gets its own connection, the way the
article's client does it:

    loop { read a line -> socket() -> connect() -> send() -> recv() ->
           close() }

The line "stop" is sent like any other and ends the client after its
reply; so does the end of input.  Each message travels as its bytes
followed by b'\\n'.  Its output is byte for byte that of
examples/tcp_chat_client.c: "reply: <message>" per reply.
"""
import argparse
import signal
import socket
import sys

PROG = 'tcp_chat_client'
BUF_SIZE = 1024                 # receive buffer, as in the article
MAX_MESSAGE = 64 * 1024         # longest message on the stream
INTERACTIVE = sys.stdin.isatty()


class MessageTooLong(Exception):
    pass


def warn(message):
    """Report a problem on stderr as 'tcp_chat_client: ...'."""
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


def connect_to_server():
    """A socket connected to the server, and the replies arriving on it."""
    # Ask the kernel for a stream socket of the server's family.
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as e:
        fail(f'socket: {e.strerror}')

    # The kernel picks a free port for us and does the three-way handshake
    # with the server; connect() returns once it is done.
    try:
        sock.connect(server)
    except ConnectionRefusedError:
        fail(f'connection refused by {server_text}: is the server running?')
    except OSError as e:
        fail(f'connect to {server_text}: {e.strerror}')
    return sock, receive_messages(sock)


def exchange(sock, replies, message):
    """Send one message and print the reply; exit if that fails."""
    try:
        sock.sendall(message + b'\n')
        reply = next(replies, None)
    except (ConnectionResetError, BrokenPipeError):
        fail(f'connection reset by {server_text}')
    except MessageTooLong:
        fail(f'reply from {server_text} longer than {MAX_MESSAGE} bytes')
    except OSError as e:
        fail(f'connection with {server_text}: {e.strerror}')
    if reply is None:
        fail(f'connection closed by {server_text} before it replied')
    print_message('reply', reply)


parser = argparse.ArgumentParser(
    prog=PROG,
    description='Send each line read from stdin to a TCP chat server'
                ' and print its reply.')
parser.add_argument('--host', metavar='ADDR', default='127.0.0.1',
                    help='numeric IPv4 or IPv6 address (default 127.0.0.1)')
parser.add_argument('--port', metavar='N', default='8000',
                    help='port number (default 8000)')
parser.add_argument('--reconnect', action='store_true',
                    help='open a new connection for every message')
args = parser.parse_args()
port = port_number(args.port, 1)
family = address_family(args.host)
server = (args.host, port)
server_text = show_addr(server)
signal.signal(signal.SIGINT, signal.SIG_DFL)    # Ctrl-C: end, no traceback

if not args.reconnect:
    sock, replies = connect_to_server()

while True:
    message = read_line('message> ')
    if message is None:
        break                                   # end of input
    if len(message) > MAX_MESSAGE:
        warn(f'message too long ({len(message)} bytes, at most {MAX_MESSAGE})')
        continue

    if args.reconnect:
        sock, replies = connect_to_server()
    exchange(sock, replies, message)
    if args.reconnect:
        sock.close()                # this message's connection is done

    if message == b'stop':
        break

# Tell the server we are done: it sees the end of the stream.
if not args.reconnect:
    sock.close()
