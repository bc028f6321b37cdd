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

The command line, the output lines and reading stdin are in chat_common.py.
"""
import errno
import socket

from chat_common import (BUF_SIZE, bind_failed, fail, parse_args,
                         print_datagram, read_line, show_addr,
                         warn_too_long_datagram)


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
            warn_too_long_datagram(reply, args.family)


args = parse_args('udp_chat_server',
                  'Receive UDP messages, print each one and send back'
                  ' a reply.', server=True)

# Ask the kernel for a datagram socket of the address's family.
try:
    server = socket.socket(args.family, socket.SOCK_DGRAM)
except OSError as e:
    fail(f'socket: {e.strerror}')

# Claim the address and port: datagrams sent to it now queue here.
try:
    server.bind((args.host, args.port))
except OSError as e:
    bind_failed(e, args)

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
    print_datagram(f'from {show_addr(client)}', message, length)

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
