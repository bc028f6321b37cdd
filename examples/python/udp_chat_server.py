#!/usr/bin/env python3
"""UDP chat server: receive messages, print each one and send back a reply.

    socket() -> bind() ->
        loop { recvfrom() -> print -> read a reply -> sendto() }

The article's UDP server, corrected: it listens on the loopback address by
default, keeps message bytes exactly as they came, and ends cleanly when
the reply "stop" has been sent or its input ends.  Its output is byte for
byte that of examples/udp_chat_server.c:

    listening on 127.0.0.1:8000 (udp)
    from 127.0.0.1:54321: <message>
    from 127.0.0.1:54321 (truncated: 2000 bytes, first 1024 shown): <message>
"""
import argparse
import errno
import signal
import socket
import sys

PROG = 'udp_chat_server'
BUF_SIZE = 1024                 # receive buffer, as in the article
UDP_MAX = {socket.AF_INET: 65507, socket.AF_INET6: 65527}
INTERACTIVE = sys.stdin.isatty()


def warn(message):
    """Report a problem on stderr as 'udp_chat_server: ...'."""
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


def send_typed_reply(client):
    """Read reply lines until one fits in a datagram, and send it to client.

    Returns the reply sent, or None at the end of input.
    """
    while True:
        reply = read_line('reply> ')
        if reply is None:
            return None
        try:
            server.sendto(reply, client)
            return reply
        except OSError as e:
            if e.errno != errno.EMSGSIZE:
                fail(f'sendto: {e.strerror}')
            warn('message too long for one UDP datagram'
                 f' ({len(reply)} bytes, at most {UDP_MAX[family]})')


parser = argparse.ArgumentParser(
    prog=PROG,
    description='Receive UDP messages, print each one and send back a reply.')
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

# Ask the kernel for a datagram socket of the address's family.
try:
    server = socket.socket(family, socket.SOCK_DGRAM)
except OSError as e:
    fail(f'socket: {e.strerror}')

# Claim the address and port: datagrams sent to it now queue here.
try:
    server.bind((args.host, port))
except OSError as e:
    if e.errno == errno.EADDRINUSE:
        fail(f'port {port} is already in use: is another server running?')
    fail(f'bind to {show_addr((args.host, port))}: {e.strerror}')

# Ask which address and port we got: --port 0 lets the kernel pick.
print(f'listening on {show_addr(server.getsockname())} (udp)', flush=True)

# recvfrom(1024) cannot tell how long a datagram really was, so receive
# into a 1024-byte buffer with MSG_TRUNC: the kernel then returns the real
# length even when the datagram did not fit (the rest is lost).
buf = bytearray(BUF_SIZE)
stop = False
while not stop:
    # Wait for one datagram and learn who sent it.
    try:
        length, client = server.recvfrom_into(buf, BUF_SIZE, socket.MSG_TRUNC)
    except OSError as e:
        fail(f'recvfrom: {e.strerror}')
    message = bytes(buf[:min(length, BUF_SIZE)])
    label = f'from {show_addr(client)}'
    if length > BUF_SIZE:
        label += f' (truncated: {length} bytes, first {BUF_SIZE} shown)'
    print_message(label, message)

    # Send the reply back to the address the datagram came from.
    if args.echo:
        reply = message
        try:
            server.sendto(reply, client)
        except OSError as e:
            fail(f'sendto: {e.strerror}')
    else:
        reply = send_typed_reply(client)
        if reply is None:
            break                               # end of input
    stop = reply == b'stop'

server.close()
