#!/usr/bin/env python3
"""UDP chat client: send each line typed to the server and print its reply.

    socket() ->
        loop { read a line -> sendto() -> recvfrom() -> print } -> close()

The article's UDP client, corrected: there is still no bind() (the first
sendto() makes the kernel pick a free port for us), but a reply is waited
for at most --timeout seconds, because UDP does not tell us when nobody is
listening.  The line "stop" is sent like any other and ends the client
after its reply; so does the end of input.  Its output is byte for byte
that of examples/udp_chat_client.c: "reply: <message>" per reply.
"""
import argparse
import errno
import signal
import socket
import struct
import sys

PROG = 'udp_chat_client'
BUF_SIZE = 1024                 # receive buffer, as in the article
UDP_MAX = {socket.AF_INET: 65507, socket.AF_INET6: 65527}
INTERACTIVE = sys.stdin.isatty()

# Not in Python's socket module; values from <linux/in.h> and <linux/in6.h>.
IP_RECVERR = getattr(socket, 'IP_RECVERR', 11)
IPV6_RECVERR = getattr(socket, 'IPV6_RECVERR', 25)


def warn(message):
    """Report a problem on stderr as 'udp_chat_client: ...'."""
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


def timeout_seconds(text):
    """Seconds: decimal digits only, from 1 to 3600."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 3600):
        fail(f"bad timeout '{text}':"
             ' expected a number of seconds from 1 to 3600', 2)
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


def no_reply(e, call):
    """Explain why no reply came, and exit."""
    if e.errno == errno.EAGAIN:
        fail(f'no reply from {server_text} within {timeout} s:'
             ' is the server running?')
    if e.errno == errno.ECONNREFUSED:
        fail(f'message refused by {server_text} (ICMP port unreachable):'
             ' is the server running?')
    fail(f'{call}: {e.strerror}')


parser = argparse.ArgumentParser(
    prog=PROG,
    description='Send each line read from stdin to a UDP chat server'
                ' and print its reply.')
parser.add_argument('--host', metavar='ADDR', default='127.0.0.1',
                    help='numeric IPv4 or IPv6 address (default 127.0.0.1)')
parser.add_argument('--port', metavar='N', default='8000',
                    help='port number (default 8000)')
parser.add_argument('--timeout', metavar='SEC', default='5',
                    help='wait at most SEC seconds for each reply (default 5)')
args = parser.parse_args()
port = port_number(args.port, 1)
timeout = timeout_seconds(args.timeout)
family = address_family(args.host)
server = (args.host, port)
server_text = show_addr(server)
signal.signal(signal.SIGINT, signal.SIG_DFL)    # Ctrl-C: end, no traceback

# Ask the kernel for a datagram socket of the server's family.
try:
    client = socket.socket(family, socket.SOCK_DGRAM)
except OSError as e:
    fail(f'socket: {e.strerror}')

# Make recvfrom() give up with EAGAIN after `timeout` seconds without a
# datagram: the option takes a struct timeval { long tv_sec, tv_usec; }.
client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                  struct.pack('ll', timeout, 0))

# By default Linux keeps ICMP errors (such as "port unreachable": nobody
# listens there) from a UDP socket that is not connect()ed.  Ask for them,
# so a missing server shows up as ECONNREFUSED at once instead of as a
# timeout.
if family == socket.AF_INET6:
    client.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVERR, 1)
else:
    client.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)

# recvfrom(1024) cannot tell how long a datagram really was, so receive
# into a 1024-byte buffer with MSG_TRUNC: the kernel then returns the real
# length even when the datagram did not fit (the rest is lost).
buf = bytearray(BUF_SIZE)
while True:
    message = read_line('message> ')
    if message is None:
        break                                   # end of input

    # One datagram to the server: the kernel keeps the bytes together.
    try:
        client.sendto(message, server)
    except OSError as e:
        if e.errno == errno.EMSGSIZE:
            warn('message too long for one UDP datagram'
                 f' ({len(message)} bytes, at most {UDP_MAX[family]})')
            continue
        no_reply(e, 'sendto')

    # Wait for the reply.
    try:
        length, _ = client.recvfrom_into(buf, BUF_SIZE, socket.MSG_TRUNC)
    except OSError as e:
        no_reply(e, 'recvfrom')
    label = 'reply'
    if length > BUF_SIZE:
        label += f' (truncated: {length} bytes, first {BUF_SIZE} shown)'
    print_message(label, bytes(buf[:min(length, BUF_SIZE)]))

    if message == b'stop':
        break

client.close()
