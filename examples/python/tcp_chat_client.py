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
followed by b'\\n' (chat_common.MessageSplitter splits them again).  Its
output is byte for byte that of examples/tcp_chat_client.c:
"reply: <message>" per reply.

The command line, the output lines and reading stdin are in chat_common.py.
"""
import socket

from chat_common import (BUF_SIZE, MAX_MESSAGE, MessageSplitter,
                         MessageTooLong, fail, parse_args, print_message,
                         read_line, show_addr, warn_too_long_message)


def receive_replies(sock):
    """Yield each reply as its b'\\n' arrives, 1024 bytes per recv()."""
    splitter = MessageSplitter()
    while True:
        data = sock.recv(BUF_SIZE)              # b'': the server closed
        yield from splitter.split(data)
        if not data:
            return


def connect_to_server():
    """A socket connected to the server, and the replies arriving on it."""
    # Ask the kernel for a stream socket of the server's family.
    try:
        sock = socket.socket(args.family, socket.SOCK_STREAM)
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
    return sock, receive_replies(sock)


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


args = parse_args('tcp_chat_client',
                  'Send each line read from stdin to a TCP chat server'
                  ' and print its reply.', reconnect=True)
server = (args.host, args.port)
server_text = show_addr(server)

if not args.reconnect:
    sock, replies = connect_to_server()

while True:
    message = read_line('message> ')
    if message is None:
        break                                   # end of input
    if len(message) > MAX_MESSAGE:
        warn_too_long_message(message)
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
