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

The command line, the output lines and reading stdin are in chat_common.py.
"""
import errno
import socket
import struct

from chat_common import (BUF_SIZE, fail, parse_args, print_datagram,
                         read_line, show_addr, warn_too_long_datagram)

# Not in Python's socket module; values from <linux/in.h> and <linux/in6.h>.
IP_RECVERR = getattr(socket, 'IP_RECVERR', 11)
IPV6_RECVERR = getattr(socket, 'IPV6_RECVERR', 25)


def no_reply(e, call):
    """Explain why no reply came, and exit."""
    if e.errno == errno.EAGAIN:
        fail(f'no reply from {server_text} within {args.timeout} s:'
             ' is the server running?')
    if e.errno == errno.ECONNREFUSED:
        fail(f'message refused by {server_text} (ICMP port unreachable):'
             ' is the server running?')
    fail(f'{call}: {e.strerror}')


args = parse_args('udp_chat_client',
                  'Send each line read from stdin to a UDP chat server'
                  ' and print its reply.', timeout=True)
server = (args.host, args.port)
server_text = show_addr(server)

# Ask the kernel for a datagram socket of the server's family.
try:
    client = socket.socket(args.family, socket.SOCK_DGRAM)
except OSError as e:
    fail(f'socket: {e.strerror}')

# Make recvfrom() give up with EAGAIN after --timeout seconds without a
# datagram: the option takes a struct timeval { long tv_sec, tv_usec; }.
client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                  struct.pack('ll', args.timeout, 0))

# By default Linux keeps ICMP errors (such as "port unreachable": nobody
# listens there) from a UDP socket that is not connect()ed.  Ask for them,
# so a missing server shows up as ECONNREFUSED at once instead of as a
# timeout.
if args.family == socket.AF_INET6:
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
            warn_too_long_datagram(message, args.family)
            continue
        no_reply(e, 'sendto')

    # Wait for the reply.
    try:
        length, _ = client.recvfrom_into(buf, BUF_SIZE, socket.MSG_TRUNC)
    except OSError as e:
        no_reply(e, 'recvfrom')
    print_datagram('reply', bytes(buf[:min(length, BUF_SIZE)]), length)

    if message == b'stop':
        break

client.close()
