#!/usr/bin/env python3
"""Regenerate the sample output in README.md and docs/*.md from real runs.

Every block between '<!-- gen:NAME -->' and '<!-- end:NAME -->' is
replaced by the output of the sample NAME below, run now on this machine.
Needs root (the samples load BPF programs) and a built tree (make).

    sudo scripts/gen-docs.py            rewrite the files
    sudo scripts/gen-docs.py --check    exit 1 if a marker has no sample
"""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, 'build')
SOCKSCOPE = os.path.join(BUILD, 'sockscope')
EXAMPLES = os.path.join(BUILD, 'examples')


def run(argv, stdin=b'', timeout=30):
    """Run argv from the source root; return (stdout, stderr) as text."""
    p = subprocess.run(argv, input=stdin, capture_output=True,
                       timeout=timeout, cwd=ROOT)
    return p.stdout.decode(), p.stderr.decode()


def rel(path):
    return os.path.relpath(path, ROOT)


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
    shown = ' '.join(rel(c) if c.startswith(ROOT) else c for c in cmd)
    return shell_block("printf 'hello\\n你好，服务器\\nstop\\n' | sudo " +
                       shown, out + err)


def sample_tcp_client():
    with EchoServer('tcp_chat_server') as srv:
        cmd = [SOCKSCOPE, '--', os.path.join(EXAMPLES, 'tcp_chat_client'),
               '--port', srv.port]
        out, err = run(cmd, 'hello\n'.encode())
    shown = ' '.join(rel(c) if c.startswith(ROOT) else c for c in cmd)
    return shell_block("echo hello | sudo " + shown, out + err)


def sample_json():
    with EchoServer('udp_chat_server') as srv:
        cmd = [SOCKSCOPE, '-j', '-e', 'socket,sendto', '--',
               os.path.join(EXAMPLES, 'udp_chat_client'), '--port',
               srv.port]
        out, _ = run(cmd, b'hello\n')
    lines = [l for l in out.split('\n') if l.startswith('{')]
    shown = ' '.join(rel(c) if c.startswith(ROOT) else c for c in cmd)
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
    shown = ' '.join(rel(c) if c.startswith(ROOT) else c for c in cmd)
    return shell_block('echo hello | sudo ' + shown, out + err)


SAMPLES = {
    'help': sample_help,
    'udp-client': sample_udp_client,
    'tcp-client': sample_tcp_client,
    'json': sample_json,
    'refused': sample_refused,
}

MARKER = re.compile(r'(<!-- gen:([a-z0-9-]+) -->\n)(.*?)(<!-- end:\2 -->)',
                    re.S)


def regenerate(path, check):
    text = open(path, encoding='utf-8').read()
    missing = []

    def replace(m):
        name = m.group(2)
        if name not in SAMPLES:
            missing.append(name)
            return m.group(0)
        if check:
            return m.group(0)
        return m.group(1) + '\n' + SAMPLES[name]() + '\n' + m.group(4)

    new = MARKER.sub(replace, text)
    if not check and new != text:
        open(path, 'w', encoding='utf-8').write(new)
    return missing


def main():
    check = '--check' in sys.argv[1:]
    if not check and os.geteuid() != 0:
        sys.exit('gen-docs: the samples load BPF programs; run as root')
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
