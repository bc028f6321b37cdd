#!/usr/bin/env python3
"""Regenerate the sample output in README.md and docs/*.md from real runs.

Every block between '<!-- gen:NAME -->' and '<!-- end:NAME -->' is
replaced by the output of the sample NAME below, run now on this machine.
Needs root (the samples load BPF programs) and a built tree (make).

    sudo scripts/gen-docs.py            rewrite README.md and docs/*.md
    sudo scripts/gen-docs.py FILE...    rewrite only these files
    sudo scripts/gen-docs.py --print NAME
                                        print one sample's fresh output
                                        (for svg-NAME: the SVG itself)
    scripts/gen-docs.py --check [FILE...]
                                        exit 1 if a marker has no sample

SOCKSCOPE_BUILD names another build directory (default: build/).
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, 'build')
if os.environ.get('SOCKSCOPE_BUILD') and (
        os.path.realpath(os.environ['SOCKSCOPE_BUILD']) !=
        os.path.realpath(BUILD)):
    BUILD = os.path.abspath(os.environ['SOCKSCOPE_BUILD'])
SOCKSCOPE = os.path.join(BUILD, 'sockscope')
EXAMPLES = os.path.join(BUILD, 'examples')

# The samples are runs as the docs show them, "sudo build/sockscope ...":
# sudo sets HOME. Without it (a bare CI shell), Python looks its user up
# over NSS as it starts, and those lookups' sockets would be traced too.
if not os.environ.get('HOME'):
    import pwd
    os.environ['HOME'] = pwd.getpwuid(os.getuid()).pw_dir


def run(argv, stdin=b'', timeout=30):
    """Run argv from the source root; return (stdout, stderr) as text."""
    p = subprocess.run(argv, input=stdin, capture_output=True,
                       timeout=timeout, cwd=ROOT)
    return p.stdout.decode(), p.stderr.decode()


def rel(path):
    return os.path.relpath(path, ROOT)


def display(argv):
    """A command line as the docs show it: build/... for the build
    directory (wherever SOCKSCOPE_BUILD put it)."""
    def one(arg):
        if arg == BUILD or arg.startswith(BUILD + os.sep):
            return os.path.join('build', os.path.relpath(arg, BUILD))
        if arg.startswith(ROOT + os.sep):
            return os.path.relpath(arg, ROOT)
        return arg
    return ' '.join(one(a) for a in argv)


def run_merged(argv, stdin=b'', timeout=60, cwd=ROOT):
    """Run argv; its stdout and stderr as one text, in the order written
    (as a terminal shows them)."""
    p = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout, cwd=cwd)
    return p.stdout.decode()


def closed_port():
    """A port nobody listens on: bind one, read it, close it."""
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = str(s.getsockname()[1])
    s.close()
    return port


class EchoServer:
    """An example chat server with --echo on a port the kernel picks."""

    def __init__(self, name):
        self.proc = subprocess.Popen(
            [os.path.join(EXAMPLES, name), '--port', '0', '--echo'],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, cwd=ROOT)
        line = self.proc.stdout.readline().decode()
        m = re.match(r'listening on 127\.0\.0\.1:(\d+) ', line)
        if not m:
            raise RuntimeError('server did not start: ' + line)
        self.port = m.group(1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()


def shell_block(command, output):
    return '    $ ' + command + '\n' + ''.join(
        '    ' + line + '\n' if line else '\n'
        for line in output.rstrip('\n').split('\n'))


def sample_help():
    out, _ = run([SOCKSCOPE, '--help'])
    return shell_block('sockscope --help', out)


def sample_udp_client():
    with EchoServer('udp_chat_server') as srv:
        cmd = [SOCKSCOPE, '--payload', '--no-explain', '-e',
               'socket,sendto,recvfrom,close',
               '--', os.path.join(EXAMPLES, 'udp_chat_client'),
               '--port', srv.port]
        out, err = run(cmd, 'hello\n你好，服务器\nstop\n'.encode())
    shown = display(cmd)
    return shell_block("printf 'hello\\n你好，服务器\\nstop\\n' | sudo " +
                       shown, out + err)


def sample_tcp_client():
    with EchoServer('tcp_chat_server') as srv:
        cmd = [SOCKSCOPE, '--', os.path.join(EXAMPLES, 'tcp_chat_client'),
               '--port', srv.port]
        out, err = run(cmd, 'hello\n'.encode())
    shown = display(cmd)
    return shell_block("echo hello | sudo " + shown, out + err)


def sample_json():
    with EchoServer('udp_chat_server') as srv:
        cmd = [SOCKSCOPE, '-j', '-e', 'socket,sendto', '--',
               os.path.join(EXAMPLES, 'udp_chat_client'), '--port',
               srv.port]
        out, _ = run(cmd, b'hello\n')
    lines = [l for l in out.split('\n') if l.startswith('{')]
    shown = display(cmd)
    return shell_block("echo hello | sudo " + shown + " 2>/dev/null",
                       '\n'.join(lines))


def sample_refused():
    # A port nobody listens on: bind one, read it, close it.
    import socket
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = str(s.getsockname()[1])
    s.close()
    cmd = [SOCKSCOPE, '-e', 'socket,connect,close', '--',
           os.path.join(EXAMPLES, 'tcp_chat_client'), '--port', port]
    out, err = run(cmd, b'hello\n')
    shown = display(cmd)
    return shell_block('echo hello | sudo ' + shown, out + err)


# --- the lessons (docs/) ------------------------------------------------

# A trace line: "0.012345 [pid comm] ..."; its notes follow, indented "# ".
TRACE_LINE = re.compile(r'^\d+\.\d+ \[')
NOTE_LINE = re.compile(r'^    # ')

_lessons = {}


def lesson(name, python=False):
    """'sockscope lesson NAME' as shown, and its output; run once."""
    key = (name, python)
    if key not in _lessons:
        argv = [SOCKSCOPE, 'lesson', name] + (['--python'] if python else [])
        _lessons[key] = ('sudo ' + display(argv), run_merged(argv))
    return _lessons[key]


def trace_entries(text):
    """The trace lines of an output, each with the notes under it."""
    entries = []
    for line in text.split('\n'):
        if TRACE_LINE.match(line):
            entries.append([line])
        elif NOTE_LINE.match(line) and entries:
            entries[-1].append(line)
    return entries


def pick(text, patterns):
    """Trace entries picked in order: for each pattern, the first entry
    after the previous pick whose trace line matches it."""
    entries, picked, i = trace_entries(text), [], 0
    for pattern in patterns:
        while i < len(entries) and not re.search(pattern, entries[i][0]):
            i += 1
        if i == len(entries):
            raise RuntimeError('gen-docs: no trace line matches ' + pattern)
        picked.append('\n'.join(entries[i]))
        i += 1
    return picked


def excerpt(command, text, patterns):
    """A shell block with only the picked entries, between '...' lines."""
    return shell_block(command,
                       '\n'.join(['...'] + pick(text, patterns) + ['...']))


def sample_lesson_udp():
    return shell_block(*lesson('udp'))


def sample_lesson_tcp():
    return shell_block(*lesson('tcp'))


def sample_lesson_udp_start():
    """The server's socket() and bind(), then the client's first send."""
    return excerpt(*lesson('udp'), [
        r'udp_chat_server\] socket\(', r'udp_chat_server\] bind\(',
        r'udp_chat_server\] getsockname\(', r'udp_chat_client\] socket\(',
        r'udp_chat_client\] sendto\('])


def sample_lesson_udp_python():
    """The article's Python programs: the same calls, a few differences."""
    return excerpt(*lesson('udp', python=True), [
        r'\] socket\(', r'\] bind\(', r'\] getsockname\(', r'\] socket\(',
        r'\] sendto\(', r'\] recvfrom\(', r'\] recvfrom\('])


def sample_lesson_tcp_connect():
    """The first connection: socket, handshake states, connect, accept."""
    return excerpt(*lesson('tcp'), [
        r'tcp_chat_client\] socket\(', r'CLOSE -> SYN_SENT',
        r'SYN_SENT -> ESTABLISHED', r'LISTEN -> SYN_RECV',
        r'SYN_RECV -> ESTABLISHED', r'tcp_chat_client\] connect\(',
        r'tcp_chat_server\] accept\('])


def sample_ipv6_server():
    """socket() and bind() of a UDP server on ::1, ended by a "stop"."""
    cmd = [SOCKSCOPE, '-e', 'socket,bind', '--',
           os.path.join(EXAMPLES, 'udp_chat_server'), '--host', '::1',
           '--port', '0', '--echo']
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         cwd=ROOT)
    lines = []
    try:
        for raw in p.stdout:
            lines.append(raw.decode())
            m = re.match(r'listening on \[::1\]:(\d+) ', lines[-1])
            if m:
                run([os.path.join(EXAMPLES, 'udp_chat_client'), '--host',
                     '::1', '--port', m.group(1)], b'stop\n')
                break
        lines.append(p.communicate(timeout=30)[0].decode())
    finally:
        p.kill()
        p.wait()
    return shell_block('sudo ' + display(cmd), ''.join(lines))


# Small programs for what the chat programs do not show; the sample shows
# the program, then its trace. They print nothing: their output and the
# trace would share one pipe, in no fixed order.
PROGRAMS = {
    'boundaries.py': """\
# Two messages sent back to back, then read with one call: TCP, then UDP.
import socket

lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lsn.bind(('127.0.0.1', 0))
lsn.listen(1)
cli = socket.create_connection(lsn.getsockname())
srv, _ = lsn.accept()
cli.send(b'one\\n')
cli.send(b'two\\n')
srv.recv(1024)
for s in (cli, srv, lsn):
    s.close()

rcv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rcv.bind(('127.0.0.1', 0))
snd = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
snd.sendto(b'one\\n', rcv.getsockname())
snd.sendto(b'two\\n', rcv.getsockname())
rcv.recv(1024)
rcv.recv(1024)
for s in (snd, rcv):
    s.close()
""",
    'udp_overflow.py': """\
# Eight datagrams to a socket with the smallest receive buffer, read later.
import socket

rcv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rcv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)  # rounded up
rcv.bind(('127.0.0.1', 0))
addr = rcv.getsockname()
snd = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(8):
    snd.sendto(b'x' * 1000, addr)
rcv.setblocking(False)
try:
    while True:
        rcv.recv(2048)
except BlockingIOError:
    pass
snd.close()
rcv.close()
""",
    'tcp_flow.py': """\
# A receiver that never reads: TCP flow control stops the sender.
import socket

lsn = socket.socket()
lsn.bind(('127.0.0.1', 0))
lsn.listen(1)
cli = socket.create_connection(lsn.getsockname())
srv, _ = lsn.accept()
data = b'x' * (64 * 1024 * 1024)
cli.send(data, socket.MSG_DONTWAIT)
try:
    cli.send(data, socket.MSG_DONTWAIT)
except BlockingIOError:
    pass
for s in (cli, srv, lsn):
    s.close()
""",
    'file_style.py': """\
# A socket is used like a file: write() and read(), writev() and readv(),
# sendfile() from a file on disk; the file itself is not a socket.
import os
import socket

lsn = socket.create_server(('127.0.0.1', 0))
cli = socket.create_connection(lsn.getsockname())
srv, _ = lsn.accept()
os.write(cli.fileno(), b'hello\\n')
os.read(srv.fileno(), 1024)
os.writev(cli.fileno(), [b'GET / HTTP/1.0\\r\\n', b'\\r\\n'])
os.readv(srv.fileno(), [bytearray(4), bytearray(1024)])
with open(__file__, 'rb') as f:
    f.read()
    os.sendfile(cli.fileno(), f.fileno(), 0, 64)
os.read(srv.fileno(), 1024)
for s in (cli, srv, lsn):
    s.close()
""",
    'waits.py': """\
# A server waits for its sockets with poll(), then with epoll: first for
# a connection, then for the bytes the client sends, then for its FIN.
import select
import socket

lsn = socket.create_server(('127.0.0.1', 0))
cli = socket.create_connection(lsn.getsockname())
p = select.poll()
p.register(lsn, select.POLLIN)
p.poll(1000)
srv, _ = lsn.accept()
ep = select.epoll()
ep.register(srv, select.EPOLLIN)
cli.send(b'hello')
ep.poll(1)
srv.recv(1024)
cli.close()
ep.poll(1)
for s in (srv, lsn):
    s.close()
""",
    'backlog.py': """\
# listen() with a backlog larger than the system allows.
import socket

s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(100000)
s.close()
""",
}


def traced_program(name, options=(), patterns=None):
    """'cat NAME', then NAME traced by sockscope (only the entries that
    match patterns, when given). python3 is shown; this interpreter runs
    it (a pyenv shim would cost 0.4 s for nothing)."""
    with tempfile.TemporaryDirectory(prefix='sockscope-docs-') as tmp:
        with open(os.path.join(tmp, name), 'w', encoding='utf-8') as f:
            f.write(PROGRAMS[name])
        argv = [SOCKSCOPE] + list(options) + ['--', 'python3', name]
        out = run_merged(argv[:-2] + [sys.executable, name], cwd=tmp)
    command = 'sudo ' + display(argv)
    trace = (excerpt(command, out, patterns) if patterns else
             shell_block(command, out))
    return shell_block('cat ' + name, PROGRAMS[name]) + '\n' + trace


def sample_boundaries():
    return traced_program('boundaries.py', ['--payload'], [
        r'\] sendto\(', r'\] sendto\(', r'\] recvfrom\(', r'\] sendto\(',
        r'\] sendto\(', r'\] recvfrom\(', r'\] recvfrom\('])


def sample_file_style():
    return traced_program('file_style.py', ['--payload=32'], [
        r'\] write\(', r'\] read\(', r'\] writev\(', r'\] readv\(',
        r'\] sendfile\(', r'\] read\('])


def sample_waits():
    return traced_program('waits.py', [], [
        r'\] poll\(', r'\] accept4\(', r'\] epoll_ctl\(', r'\] sendto\(',
        r'\] epoll_wait\(', r'\] recvfrom\(', r'\] epoll_wait\('])


def sample_udp_overflow():
    return traced_program('udp_overflow.py')


def sample_tcp_flow():
    return traced_program('tcp_flow.py', [],
                          [r'\] sendto\(', r'\] sendto\('])


def sample_listen_backlog():
    return traced_program('backlog.py', ['-e', 'bind,listen'])


def sample_json_refused():
    cmd = [SOCKSCOPE, '-j', '--', os.path.join(EXAMPLES, 'tcp_chat_client'),
           '--port', closed_port()]
    out, _ = run(cmd)
    return shell_block('sudo ' + display(cmd) + ' </dev/null 2>/dev/null',
                       out)


def sample_replay():
    """A trace saved with --save, then rendered again without root."""
    path = '/tmp/sockscope-docs-refused.jsonl'
    if os.path.exists(path):
        os.unlink(path)
    cmd = [SOCKSCOPE, '--save', path, '--',
           os.path.join(EXAMPLES, 'tcp_chat_client'), '--port',
           closed_port()]
    replay = [SOCKSCOPE, 'replay', path]
    try:
        live = run_merged(cmd)
        with open(path, encoding='utf-8') as f:
            first = f.readline()
        again = run_merged(replay)
    finally:
        if os.path.exists(path):
            os.unlink(path)
    return '\n'.join([
        shell_block('sudo ' + display(cmd) + ' </dev/null', live),
        shell_block('head -1 ' + path, first),
        shell_block(display(replay), again)])


def diagram_of_lesson(name, one_conversation=False):
    """A lesson saved with --save, then drawn by sockscope diagram (its
    first conversation only, with --conversation 1)."""
    path = '/tmp/sockscope-docs-%s.jsonl' % name
    if os.path.exists(path):
        os.unlink(path)
    save = [SOCKSCOPE, 'lesson', name, '--save', path]
    try:
        run_merged(save)
        draw = [SOCKSCOPE, 'diagram', path]
        if one_conversation:
            draw[2:2] = ['--conversation', '1']
        picture = run_merged(draw)
    finally:
        if os.path.exists(path):
            os.unlink(path)
    return ('    $ sudo ' + display(save) + ' >/dev/null\n' +
            shell_block(display(draw), picture))


def sample_diagram_udp():
    return diagram_of_lesson('udp')


def sample_diagram_tcp():
    return diagram_of_lesson('tcp', one_conversation=True)


# --- pictures: SVG files beside the docs (docs/img/) ---------------------
#
# A marker "<!-- gen:svg-NAME -->" holds an image, img/NAME.svg, that the
# sample draws; "--print svg-NAME" prints the SVG itself.

def saved_trace(argv):
    """Run argv (a lesson or a lab) with --save; the saved trace's path."""
    fd, path = tempfile.mkstemp(prefix='sockscope-docs-', suffix='.jsonl')
    os.close(fd)
    try:
        run_merged(argv + ['--save', path], timeout=120)
    except BaseException:
        os.unlink(path)
        raise
    return path


def svg_of(argv, options=(), pick=None):
    """The SVG of what argv traced, drawn with these options; or with
    those pick(listing) chooses from sockscope diagram --list."""
    path = saved_trace(argv)
    try:
        options = list(options)
        if pick:
            options += pick(run([SOCKSCOPE, 'diagram', '--list', path])[0])
        svg, err = run([SOCKSCOPE, 'diagram', '--format', 'svg'] + options +
                       [path])
        if not svg.startswith('<svg'):
            raise SystemExit('gen-docs: no picture of %s: %s' %
                             (display(argv), err.strip()))
        return svg
    finally:
        os.unlink(path)


def conversation(protocol, port):
    """--conversation N for the first conversation of protocol with port."""
    def pick(listing):
        for line in listing.splitlines():
            fields = line.split()
            if (len(fields) >= 5 and fields[1] == protocol and
                    any(f.endswith(':' + port) for f in fields[2:5])):
                return ['--conversation', fields[0]]
        raise SystemExit('gen-docs: no %s conversation with port %s' %
                         (protocol, port))
    return pick


SVGS = {
    'lesson-udp': ('The UDP lesson as a sequence diagram',
                   lambda: svg_of([SOCKSCOPE, 'lesson', 'udp'])),
    'lesson-tcp': ('The first connection of the TCP lesson',
                   lambda: svg_of([SOCKSCOPE, 'lesson', 'tcp'],
                                  ['--conversation', '1'])),
    'lab-connection': ('The TCP connection of the lab\'s connection experiment',
                       lambda: svg_of([SOCKSCOPE, 'lab', 'connection'],
                                      pick=conversation('TCP', '9000'))),
}
for _name, _what in (('order', 'a reordering link'),
                     ('loss', 'a lossy link'),
                     ('duplicate', 'a duplicating link'),
                     ('corrupt', 'a damaging link'),
                     ('flow', 'a slow reader')):
    SVGS['lab-' + _name] = (
        'UDP, then TCP, over %s (sockscope lab %s)' % (_what, _name),
        (lambda n: lambda: svg_of([SOCKSCOPE, 'lab', n]))(_name))


def picture(doc_path, name):
    """Draw SVG sample name into img/ beside doc_path; the image line."""
    caption, draw = SVGS[name]
    img = os.path.join(os.path.dirname(doc_path), 'img')
    os.makedirs(img, exist_ok=True)
    with open(os.path.join(img, name + '.svg'), 'w', encoding='utf-8') as f:
        f.write(draw())
    return '![%s](img/%s.svg)\n' % (caption, name)


# --- the lab (README.md, docs/04) ---------------------------------------

_labs = {}


def lab(name, *extra):
    """'sockscope lab NAME' as shown, and its output; run once."""
    key = (name,) + extra
    if key not in _labs:
        argv = [SOCKSCOPE, 'lab', name] + list(extra)
        _labs[key] = ('sudo ' + display(argv), run_merged(argv, timeout=120))
    return _labs[key]


def verdict(text):
    """From the verdict of an experiment's output to its end."""
    return text[text.index('\nVerdict, ') + 1:]


def lab_sample(name, patterns=()):
    """A few trace entries of the experiment, then its verdict."""
    command, out = lab(name)
    lines = ['...'] + pick(out, patterns) + ['...'] if patterns else []
    return shell_block(command, '\n'.join(lines + [verdict(out)]))


def sample_lab_loss_verdict():
    command, out = lab('loss')
    return shell_block(command, '...\n' + verdict(out))


def sample_lab_json():
    command, out = lab('connection', '-j')
    objs = [line for line in out.split('\n')
            if line.startswith('{"kind":"lab"')]
    return shell_block(command + " | grep '\"kind\":\"lab\"'",
                       '\n'.join(objs))


def sample_lab_connection():
    return lab_sample('connection', [
        r'lab_sender\] tcp -> 10\.199\.0\.2:9999',
        r'reset received', r'connect\(3, \{AF_INET, 10\.199\.0\.2:9999',
        r'sendto\(3, .*10\.199\.0\.2:9999',
        r'recvfrom\(3, .*ECONNREFUSED'])


def sample_lab_order():
    return lab_sample('order')


def sample_lab_loss():
    return lab_sample('loss', [r'\): retransmit$'])


def sample_lab_duplicate():
    return lab_sample('duplicate')


def sample_lab_corrupt():
    return lab_sample('corrupt', [r'\): retransmit$'])


def sample_lab_flow():
    return lab_sample('flow', [r'datagram dropped',
                               r'sendto\(3, .* = -1 EAGAIN'])


# --- docs/claims.md: the counts and the rows left, from its own tables ---

CLAIMS = os.path.join(ROOT, 'docs', 'claims.md')
CLAIM_ROW = re.compile(r'^\| ([0-9][0-9.]*) \| (.*) \|$')


def claim_rows():
    """(number, cells) of each claim row of docs/claims.md's tables."""
    rows = []
    for line in open(CLAIMS, encoding='utf-8').read().splitlines():
        m = CLAIM_ROW.match(line)
        if m:
            rows.append((m.group(1), [c.strip() for c in
                                      m.group(2).split(' | ')]))
    return rows


def claim_proof(cells):
    """'yes', 'words' or 'no': the first word of 'kernel checked'."""
    word = cells[-1].split(' ')[0]
    return word if word in ('yes', 'words') else 'no'


def sample_claims_count():
    rows = claim_rows()
    kinds = [claim_proof(cells) for _, cells in rows]
    return ('In all: %d claims; %d proved by a test that checks the kernel, '
            '%d by a test of the words only, %d by none.'
            % (len(rows), kinds.count('yes'), kinds.count('words'),
               kinds.count('no')))


def sample_claims_left():
    left = [(n, cells) for n, cells in claim_rows()
            if claim_proof(cells) != 'yes']
    if not left:
        return 'None: every row has a test that checks what the kernel did.'
    return '\n'.join('- %s (%s): %s; %s' % (n, cells[1], cells[0], cells[2])
                     for n, cells in left)


SAMPLES = {
    'help': sample_help,
    'udp-client': sample_udp_client,
    'tcp-client': sample_tcp_client,
    'json': sample_json,
    'refused': sample_refused,
    'lesson-udp': sample_lesson_udp,
    'lesson-udp-start': sample_lesson_udp_start,
    'lesson-udp-python': sample_lesson_udp_python,
    'lesson-tcp': sample_lesson_tcp,
    'lesson-tcp-connect': sample_lesson_tcp_connect,
    'ipv6-server': sample_ipv6_server,
    'boundaries': sample_boundaries,
    'udp-overflow': sample_udp_overflow,
    'file-style': sample_file_style,
    'waits': sample_waits,
    'tcp-flow': sample_tcp_flow,
    'listen-backlog': sample_listen_backlog,
    'json-refused': sample_json_refused,
    'replay': sample_replay,
    'diagram-udp': sample_diagram_udp,
    'diagram-tcp': sample_diagram_tcp,
    'lab-loss-verdict': sample_lab_loss_verdict,
    'lab-json': sample_lab_json,
    'lab-connection': sample_lab_connection,
    'lab-order': sample_lab_order,
    'lab-loss': sample_lab_loss,
    'lab-duplicate': sample_lab_duplicate,
    'lab-corrupt': sample_lab_corrupt,
    'lab-flow': sample_lab_flow,
    'claims-count': sample_claims_count,
    'claims-left': sample_claims_left,
}

MARKER = re.compile(r'(<!-- gen:([a-z0-9-]+) -->\n)(.*?)(<!-- end:\2 -->)',
                    re.S)


def regenerate(path, check):
    text = open(path, encoding='utf-8').read()
    missing = []

    def replace(m):
        name = m.group(2)
        svg = name[4:] if name.startswith('svg-') else None
        if name not in SAMPLES and svg not in SVGS:
            missing.append(name)
            return m.group(0)
        if check:
            return m.group(0)
        if svg:
            return m.group(1) + '\n' + picture(path, svg) + '\n' + m.group(4)
        return m.group(1) + '\n' + SAMPLES[name]() + '\n' + m.group(4)

    new = MARKER.sub(replace, text)
    if not check and new != text:
        open(path, 'w', encoding='utf-8').write(new)
    return missing


def usage():
    sys.exit('usage: gen-docs.py [--check] [FILE...] | --print NAME')


def print_sample(args):
    """--print NAME: one sample's fresh output, as it would go in a file."""
    if len(args) != 1:
        usage()
    svg = args[0][4:] if args[0].startswith('svg-') else None
    if args[0] not in SAMPLES and svg not in SVGS:
        print(f'gen-docs: no sample called {args[0]}', file=sys.stderr)
        sys.exit(2)
    if os.geteuid() != 0:
        sys.exit('gen-docs: the samples load BPF programs; run as root')
    sys.stdout.write(SVGS[svg][1]() if svg else SAMPLES[args[0]]())


def main():
    args = sys.argv[1:]
    if args[:1] == ['--print']:
        print_sample(args[1:])
        return
    check = '--check' in args
    names = [a for a in args if a != '--check']
    if any(a.startswith('-') for a in names):
        usage()
    if not check and os.geteuid() != 0:
        sys.exit('gen-docs: the samples load BPF programs; run as root')
    if names:
        files = [os.path.abspath(a) for a in names]
    else:
        files = [os.path.join(ROOT, 'README.md')]
        docs = os.path.join(ROOT, 'docs')
        if os.path.isdir(docs):
            files += sorted(os.path.join(docs, f) for f in os.listdir(docs)
                            if f.endswith('.md'))
    bad = False
    for path in files:
        for name in regenerate(path, check):
            print(f'gen-docs: {rel(path)}: no sample called {name}',
                  file=sys.stderr)
            bad = True
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
