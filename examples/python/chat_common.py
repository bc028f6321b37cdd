"""chat_common - what the four Python chat programs share.

The command line (--host, --port, --echo, --timeout, --reconnect), the
text form of socket addresses, reading lines from stdin, the output lines
that the lessons and tests depend on, and the splitting of a TCP byte
stream into messages.  The socket calls themselves stay in the programs,
where a learner reads them top to bottom.  This is the Python twin of
examples/chat_common.c; standard library only.

The programs import it as a plain `import chat_common`: Python puts the
directory of the script it runs first on sys.path, whatever the current
directory.
"""
import argparse
import errno
import signal
import socket
import sys

BUF_SIZE = 1024                 # receive buffer, as in the article
MAX_MESSAGE = 64 * 1024         # longest message on a TCP stream
# The largest UDP payloads: 65535 less the IPv4 and UDP headers, and 65535
# less the UDP header (IPv6 does not count its own).
UDP_MAX = {socket.AF_INET: 65507, socket.AF_INET6: 65527}
INTERACTIVE = sys.stdin.isatty()

prog = 'chat'                   # for warn(); parse_args() sets it


def warn(message):
    """Report a problem on stderr as 'prog: ...'."""
    sys.stdout.flush()
    print(f'{prog}: {message}', file=sys.stderr, flush=True)


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


def parse_args(name, description, server=False, timeout=False,
               reconnect=False):
    """The command line of program `name`, checked.

    Every program takes --host and --port; servers also take --echo and
    --port 0, and the flags `timeout` and `reconnect` add those options.
    Returns the argparse namespace with args.port (and args.timeout) as
    numbers and args.family, AF_INET or AF_INET6 from --host.  A bad
    argument is one line on stderr and exit status 2.  Also remembers
    `name` for warn(), and lets Ctrl-C end the program without a traceback.
    """
    global prog
    prog = name
    parser = argparse.ArgumentParser(prog=name, description=description)
    parser.add_argument('--host', metavar='ADDR', default='127.0.0.1',
                        help='numeric IPv4 or IPv6 address'
                             ' (default 127.0.0.1)')
    parser.add_argument('--port', metavar='N', default='8000',
                        help='port number (default 8000)' +
                             ('; 0 lets the kernel pick one' if server
                              else ''))
    if server:
        parser.add_argument('--echo', action='store_true',
                            help='reply with each message'
                                 ' instead of reading a reply')
    if timeout:
        parser.add_argument('--timeout', metavar='SEC', default='5',
                            help='wait at most SEC seconds for each reply'
                                 ' (default 5)')
    if reconnect:
        parser.add_argument('--reconnect', action='store_true',
                            help='open a new connection for every message')
    args = parser.parse_args()
    args.port = port_number(args.port, 0 if server else 1)
    if timeout:
        args.timeout = timeout_seconds(args.timeout)
    args.family = address_family(args.host)
    signal.signal(signal.SIGINT, signal.SIG_DFL)    # Ctrl-C: end, no traceback
    return args


def show_addr(addr):
    """'127.0.0.1:54321' or '[::1]:54321'."""
    host, port = addr[:2]
    return f'[{host}]:{port}' if ':' in host else f'{host}:{port}'


def bind_failed(e, args):
    """Report a failed bind() and exit; names the port when it is in use."""
    if e.errno == errno.EADDRINUSE:
        fail(f'port {args.port} is already in use:'
             ' is another server running?')
    fail(f'bind to {show_addr((args.host, args.port))}: {e.strerror}')


def read_line(prompt):
    """One line of stdin as bytes, without its newline; None at the end.

    The prompt is shown only when stdin is a terminal, never to a pipe.
    """
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


def print_datagram(label, message, length):
    """Print a datagram that recvfrom_into(..., MSG_TRUNC) said was `length`
    bytes long, of which `message` is what fit in the buffer:
    'label: message' or 'label (truncated: N bytes, first SIZE shown): ...'.
    """
    if length > len(message):
        label += f' (truncated: {length} bytes, first {len(message)} shown)'
    print_message(label, message)


def warn_too_long_datagram(message, family):
    """Report a message that sendto() refused with EMSGSIZE."""
    warn('message too long for one UDP datagram'
         f' ({len(message)} bytes, at most {UDP_MAX[family]})')


def warn_too_long_message(message):
    """Report a line too long to be sent as one TCP message."""
    warn(f'message too long ({len(message)} bytes, at most {MAX_MESSAGE})')


# TCP framing.  A stream has no message boundaries, so every message is
# sent as its bytes followed by b'\n' (the programs send it so), and the
# receiver splits the stream at each b'\n'.  Messages never contain b'\n':
# they are read as lines.

class MessageTooLong(Exception):
    """A message on the stream is longer than MAX_MESSAGE bytes."""


class MessageSplitter:
    """Bytes received from one connection, not yet handed out as messages.

    The program calls recv() and passes every piece it gets to split(),
    which yields the messages that the piece completes.
    """

    def __init__(self):
        self.pending = b''

    def split(self, data):
        """Yield each message that `data`, the bytes recv() returned, ends.

        b'' from recv() means the peer closed: bytes left without a b'\\n'
        are then the last message, as with the last line of a file.
        Raises MessageTooLong for a message longer than MAX_MESSAGE.
        """
        if not data:                            # the peer closed
            if self.pending:
                yield self.pending
                self.pending = b''
            return
        self.pending += data
        *messages, self.pending = self.pending.split(b'\n')
        for message in messages:
            if len(message) > MAX_MESSAGE:
                raise MessageTooLong()
            yield message
        if len(self.pending) > MAX_MESSAGE:
            raise MessageTooLong()
