// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The notes on failed calls, each tried on the kernel (docs/claims.md,
 * rows 1-4, 6, 8-11, 17, 19-23, 28, 32, 33, 43, 45, 46, 66): a Python
 * program makes the call fail and asserts the errno itself (through
 * ctypes where Python would hide it: a retry after EINTR, its own checks
 * of arguments), and the test asserts the trace line with that errno and
 * the whole note under it. The causes each note gives are provoked one
 * by one: a signal during a receive, a poll() and a select() (the
 * kernel's EINTR, ERESTARTSYS, ERESTART_RESTARTBLOCK, ERESTARTNOHAND);
 * EPIPE on a socket shut down for writing, on a connection the
 * peer closed and reset, and on a TCP socket that never connected;
 * ENOTCONN before and after a connection; EINVAL from bind() for each of
 * its causes; EACCES from bind() for a path, for a port given with
 * AF_UNSPEC (the note's fallback), and from a cgroup BPF program, whose
 * refusal is EPERM unless it sets EACCES with bpf_set_retval(). Needs
 * root and BTF; each test runs in a fresh network namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/netns.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * What every program starts with: fails(ERRNO, libc.CALL, ARGS...) calls
 * libc directly and asserts the call failed with ERRNO; raises(ERRNO,
 * CALL, ARGS...) asserts a Python call raised OSError with ERRNO;
 * await_error(SOCKET) waits until an error is pending on it (POLLERR,
 * which poll() reports unasked); pair() is a listener and both ends of a
 * TCP connection to it.
 */
static const char prelude[] =
	"import socket, errno, ctypes, os, select, signal\n"
	"libc = ctypes.CDLL(None, use_errno=True)\n"
	"def fails(want, f, *a):\n"
	"    r = f(*a)\n"
	"    e = ctypes.get_errno()\n"
	"    assert r == -1 and e == want, (r, errno.errorcode.get(e))\n"
	"def raises(want, f, *a):\n"
	"    try:\n"
	"        f(*a)\n"
	"    except OSError as e:\n"
	"        assert e.errno == want, e\n"
	"        return\n"
	"    raise SystemExit('%s did not fail' % f)\n"
	"def sin(family, ip, port):\n"
	"    b = family.to_bytes(2, 'little') + port.to_bytes(2, 'big')\n"
	"    return ctypes.create_string_buffer(b + socket.inet_aton(ip) + bytes(8), 16)\n"
	"def await_error(s):\n"
	"    p = select.poll()\n"
	"    p.register(s, 0)\n"
	"    assert p.poll(5000)[0][1] & select.POLLERR\n"
	"def pair():\n"
	"    lsn = socket.create_server(('127.0.0.1', 0))\n"
	"    cli = socket.create_connection(lsn.getsockname())\n"
	"    srv, _ = lsn.accept()\n"
	"    return lsn, cli, srv\n";

/* Lines a test expects, each once in the trace (a call's line from its
 * "] " on, and its note). */
struct expected {
	const char *call;
	const char *note;
};

/*
 * sockscope OPTS -- python3 -c PRELUDE+BODY, which must exit 0; the
 * text trace in *out (malloc'd).
 */
static void trace_program(char *const opts[], const char *body, char **out)
{
	size_t len = strlen(prelude) + strlen(body) + 1;
	char *program = malloc(len), *err = NULL;
	char *cmd[] = { PYTHON3, "-c", program, NULL };
	int status;

	snprintf(program, len, "%s%s", prelude, body);
	status = tracer_run(opts, cmd, out, &err);
	free(program);
	EXPECT_EQ(0, status) {
		TH_LOG("sockscope or the program failed; stderr:\n%s\nstdout:\n%s",
		       err, *out);
	}
	free(err);
}

/* Each expected line, with its note under it, once in out. */
static void expect_lines(const char *out, const struct expected *want,
			 size_t n)
{
	char line[2048];

	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "] %s\n    # %s\n", want[i].call,
			 want[i].note);
		EXPECT_EQ(1, count_of(out, line)) {
			TH_LOG("wanted once:\n%sin:\n%s", line, out);
		}
	}
}

/* Trace body, which asserts what the kernel did, and check the lines. */
static void check_program(char *const opts[], const char *body,
			  const struct expected *want, size_t n)
{
	char *out = NULL;

	trace_program(opts, body, &out);
	expect_lines(out, want, n);
	free(out);
}

#define CHECK_PROGRAM(opts, body, want) \
	check_program(opts, body, want, ARRAY_SIZE(want))

/* Root and BTF, python3 and a fresh network namespace. */
#define REQUIRE_PYTHON_NETNS() do {				\
	REQUIRE_E2E();						\
	if (access(PYTHON3, X_OK))				\
		SKIP(return, "no " PYTHON3);			\
	ENTER_NETNS();						\
} while (0)

/* --- explain_common_error ------------------------------------------- */

#define EBADF_LINE	" = -1 EBADF (Bad file descriptor)"

/* Rows 1, 2: an fd that is not open, one of several that is not, and one
 * that is open but a pipe. */
TEST_TIMEOUT(bad_descriptors_are_not_open_or_not_sockets, 30)
{
	const char *body =
		"fails(errno.EBADF, libc.sendto, 999, b'x', 1, 0, None, 0)\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"raises(errno.EBADF, select.select, [u, 50], [], [], 0)\n"
		"r, w = os.pipe()\n"
		"fails(errno.ENOTSOCK, libc.sendto, r, b'x', 1, 0, None, 0)\n";
	static const struct expected want[] = {
		{ "sendto(999, ..., 1, 0, NULL, 0)" EBADF_LINE,
		  "fd 999 is not an open descriptor" },
		{ "pselect6(51, [3 50], NULL, NULL, {tv_sec=0, tv_nsec=0}, NULL)" EBADF_LINE,
		  "a descriptor is not open" },
		{ "sendto(4, ..., 1, 0, NULL, 0) = -1 ENOTSOCK (Socket operation on non-socket)",
		  "fd 4 is open, but not a socket" },
	};

	REQUIRE_PYTHON_NETNS();
	CHECK_PROGRAM(NULL, body, want);
}

/* Row 3: an address at 0x8, which is not mapped. */
TEST_TIMEOUT(pointer_outside_memory_is_efault, 30)
{
	const char *body =
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"fails(errno.EFAULT, libc.bind, u.fileno(), ctypes.c_void_p(8), 16)\n";
	static const struct expected want[] = {
		{ "bind(3, 0x8, 16) = -1 EFAULT (Bad address)",
		  "a pointer argument points outside the program's memory" },
	};

	REQUIRE_PYTHON_NETNS();
	CHECK_PROGRAM(NULL, body, want);
}

/*
 * Row 4: a timer's SIGALRM (its handler without SA_RESTART, as Python
 * installs it) interrupts a receive that waits. With a receive timeout
 * the kernel returns EINTR itself (sock_intr_errno()); without one it
 * returns ERESTARTSYS, which becomes EINTR after the handler; poll() and
 * select() return ERESTART_RESTARTBLOCK and ERESTARTNOHAND, EINTR once a
 * handler ran. The program sees EINTR each time. The timer repeats, so a signal that
 * comes before the call cannot leave it waiting.
 */
#define WAIT_INTERRUPTED "a signal came while the call waited: the program gets EINTR if a handler ran, else the call runs again"

TEST_TIMEOUT(signal_interrupts_a_waiting_receive, 30)
{
	const char *body =
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"buf = ctypes.create_string_buffer(8)\n"
		"signal.signal(signal.SIGALRM, lambda *a: None)\n"
		"u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,\n"
		"             (20).to_bytes(8, 'little') + bytes(8))\n"
		"signal.setitimer(signal.ITIMER_REAL, 0.02, 0.02)\n"
		"fails(errno.EINTR, libc.recv, u.fileno(), buf, 8, 0)\n"
		"v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"fails(errno.EINTR, libc.recv, v.fileno(), buf, 8, 0)\n"
		"pfd = ctypes.create_string_buffer(\n"
		"    v.fileno().to_bytes(4, 'little') + select.POLLIN.to_bytes(2, 'little'), 8)\n"
		"fails(errno.EINTR, libc.poll, pfd, 1, -1)\n"
		"rfds = ctypes.create_string_buffer((1 << v.fileno()).to_bytes(8, 'little'), 128)\n"
		"fails(errno.EINTR, libc.select, v.fileno() + 1, rfds, None, None, None)\n"
		"signal.setitimer(signal.ITIMER_REAL, 0)\n";
	static const struct expected want[] = {
		{ "recvfrom(3, ..., 8, 0, NULL, NULL) = -1 EINTR (Interrupted system call)",
		  "a signal interrupted the call before it finished" },
		{ "recvfrom(4, ..., 8, 0, NULL, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)",
		  "a signal came while the call waited: after its handler the program gets EINTR, or the call runs again if the handler has SA_RESTART" },
	};
	char *out = NULL;

	REQUIRE_PYTHON_NETNS();
	trace_program(NULL, body, &out);
	expect_lines(out, want, ARRAY_SIZE(want));
	/* How long they waited is the timer's business. */
	EXPECT_EQ(1, count_of(out, "] poll([{fd=4, events=POLLIN}], 1, -1) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)\n    # " WAIT_INTERRUPTED "; it waited ")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(1, count_of(out, "] pselect6(5, [4], NULL, NULL, NULL, NULL) = ? ERESTARTNOHAND (To be restarted if no handler)\n    # " WAIT_INTERRUPTED "; it waited "));
	free(out);
}

#define EPIPE_NOTE "this side cannot send: the socket is shut down for writing, the connection is over (the peer closed it, then reset it), or a TCP socket never connected"

/*
 * Row 6: EPIPE from a TCP socket that never connected
 * (sk_stream_wait_connect()), one shut down for writing, and one whose
 * peer closed and then answered the next data with RST (tcp_reset() in
 * CLOSE_WAIT). The program awaits the FIN and the reset (POLLERR).
 */
TEST_TIMEOUT(epipe_for_each_reason_the_note_gives, 30)
{
	const char *body =
		"t = socket.socket()\n"
		"fails(errno.EPIPE, libc.send, t.fileno(), b'x', 1, 0)\n"
		"lsn, cli, srv = pair()\n"
		"cli.shutdown(socket.SHUT_WR)\n"
		"fails(errno.EPIPE, libc.send, cli.fileno(), b'x', 1, 0)\n"
		"srv.close()\n"
		"assert cli.recv(1) == b''\n"
		"lsn, cli, srv = pair()\n"
		"srv.close()\n"
		"assert cli.recv(1) == b''\n"
		"assert cli.send(b'x') == 1\n"
		"await_error(cli)\n"
		"fails(errno.EPIPE, libc.send, cli.fileno(), b'y', 1, 0)\n";
	static const struct expected want[] = {
		{ "sendto(3, ..., 1, 0, NULL, 0) = -1 EPIPE (Broken pipe)",
		  EPIPE_NOTE },
		{ "sendto(5, ..., 1, 0, NULL, 0) = -1 EPIPE (Broken pipe)",
		  EPIPE_NOTE },
		{ "sendto(7, ..., 1, 0, NULL, 0) = -1 EPIPE (Broken pipe)",
		  EPIPE_NOTE },
	};
	char *out = NULL;

	REQUIRE_PYTHON_NETNS();
	trace_program(NULL, body, &out);
	expect_lines(out, want, ARRAY_SIZE(want));
	EXPECT_EQ(3, count_of(out, "= -1 EPIPE (Broken pipe)\n")) {
		TH_LOG("%s", out);
	}
	free(out);
}

#define ENOTCONN_NOTE "the socket is not connected: it has no peer yet, or its connection is over (connect() gives it one; a TCP server gets connected sockets from accept())"

/*
 * Row 8: ENOTCONN before a TCP socket connects (a receive, a shutdown)
 * and after its connection is over (the peer closed, then reset the
 * data sent after its FIN): a shutdown then finds it in CLOSE.
 */
TEST_TIMEOUT(enotconn_before_and_after_a_connection, 30)
{
	const char *body =
		"t = socket.socket()\n"
		"fails(errno.ENOTCONN, libc.recv, t.fileno(), ctypes.create_string_buffer(1), 1, 0)\n"
		"raises(errno.ENOTCONN, t.shutdown, socket.SHUT_WR)\n"
		"lsn, cli, srv = pair()\n"
		"srv.close()\n"
		"assert cli.recv(1) == b''\n"
		"assert cli.send(b'x') == 1\n"
		"await_error(cli)\n"
		"raises(errno.ENOTCONN, cli.shutdown, socket.SHUT_RDWR)\n";
	static const struct expected want[] = {
		{ "recvfrom(3, ..., 1, 0, NULL, NULL) = -1 ENOTCONN (Transport endpoint is not connected)",
		  ENOTCONN_NOTE },
		{ "shutdown(3, SHUT_WR) = -1 ENOTCONN (Transport endpoint is not connected)",
		  ENOTCONN_NOTE },
		{ "shutdown(5, SHUT_RDWR) = -1 ENOTCONN (Transport endpoint is not connected)",
		  ENOTCONN_NOTE },
	};

	REQUIRE_PYTHON_NETNS();
	CHECK_PROGRAM(NULL, body, want);
}

/* --- socket() ------------------------------------------------------- */

/*
 * Rows 9-11: a family number past the kernel's last (AF_MAX), a protocol
 * the family has not for that type, an unknown type, a protocol number
 * past IPPROTO_MAX (inet_create()), and a type the family has not
 * (netlink has no stream sockets).
 */
TEST_TIMEOUT(socket_errors_name_what_the_kernel_lacks, 30)
{
	const char *body =
		"fails(errno.EAFNOSUPPORT, libc.socket, 200, socket.SOCK_STREAM, 0)\n"
		"fails(errno.EPROTONOSUPPORT, libc.socket, socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_UDP)\n"
		"fails(errno.EINVAL, libc.socket, socket.AF_INET, 99, 0)\n"
		"fails(errno.EINVAL, libc.socket, socket.AF_INET, socket.SOCK_DGRAM, 300)\n"
		"fails(errno.ESOCKTNOSUPPORT, libc.socket, socket.AF_NETLINK, socket.SOCK_STREAM, 0)\n";
	static const struct expected want[] = {
		{ "socket(0xc8 /* AF_??? */, SOCK_STREAM, 0) = -1 EAFNOSUPPORT (Address family not supported by protocol)",
		  "this kernel has no such address family" },
		{ "socket(AF_INET, SOCK_STREAM, IPPROTO_UDP) = -1 EPROTONOSUPPORT (Protocol not supported)",
		  "this family has no such protocol for this socket type" },
		{ "socket(AF_INET, SOCK_RAW|0x60 /* SOCK_??? */, IPPROTO_IP) = -1 EINVAL (Invalid argument)",
		  "unknown socket type or flags, or a protocol number out of range" },
		{ "socket(AF_INET, SOCK_DGRAM, 0x12c /* IPPROTO_??? */) = -1 EINVAL (Invalid argument)",
		  "unknown socket type or flags, or a protocol number out of range" },
		{ "socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE) = -1 ESOCKTNOSUPPORT (Socket type not supported)",
		  "this family has no sockets of this type" },
	};

	REQUIRE_PYTHON_NETNS();
	CHECK_PROGRAM(NULL, body, want);
}

/* --- bind() --------------------------------------------------------- */

/* Row 17: a UDP port that a socket without SO_REUSEADDR holds. */
TEST_TIMEOUT(udp_port_taken_names_its_holder, 30)
{
	const char *body =
		"a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"a.bind(('127.0.0.1', 45002))\n"
		"b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"raises(errno.EADDRINUSE, b.bind, ('127.0.0.1', 45002))\n";
	char *opts[] = { "-e", "bind", NULL };
	char *out = NULL;

	REQUIRE_PYTHON_NETNS();
	trace_program(opts, body, &out);
	EXPECT_EQ(1, count_of(out, "] bind(4, {AF_INET, 127.0.0.1:45002}, 16) = -1 EADDRINUSE (Address already in use)\n    # that address and port are taken: another socket is bound there (see SO_REUSEADDR); UDP port 45002 is held by python3 (pid ")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(1, count_of(out, ", fd 3)\n"));
	free(out);
}

/* A cgroup v2 directory of this test's, with a bind4 program in it. */
struct refusing_cgroup {
	char dir[96];
	char home[256];		/* the cgroup this process came from */
	int cgroup_fd, prog_fd;
};

/* cgroup v2: beside v1 (hybrid) or alone. */
static const char *cgroup2_root(void)
{
	if (!access("/sys/fs/cgroup/unified/cgroup.procs", F_OK))
		return "/sys/fs/cgroup/unified";
	return "/sys/fs/cgroup";
}

/*
 * A cgroup/bind4 program that refuses every bind (returns 0), having
 * first set err as the error with bpf_set_retval() when err is not 0:
 * its fd, or -errno.
 */
static int load_refusing_bind4(int err)
{
	const struct bpf_insn set_err[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1,
		  .imm = err },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_set_retval },
	};
	const struct bpf_insn refuse[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_CGROUP_INET4_BIND);
	struct bpf_insn insns[4];
	size_t n = 0;

	if (err) {
		memcpy(insns, set_err, sizeof(set_err));
		n = ARRAY_SIZE(set_err);
	}
	memcpy(insns + n, refuse, sizeof(refuse));
	n += ARRAY_SIZE(refuse);
	return bpf_prog_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, NULL, "GPL",
			     insns, n, &opts);
}

/* Moves this process into the cgroup v2 directory dir: 0, or -errno. */
static int cgroup_move_here(const char *dir)
{
	char procs[256], pid[24];

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d\n", getpid());
	return spill(procs, pid);
}

/*
 * Attaches load_refusing_bind4(err) to a new cgroup and moves this
 * process into it (the traced program is its child). 0, or -errno; then
 * refusing_cgroup_leave() in any case.
 */
static int refusing_cgroup_enter(struct refusing_cgroup *c, int err)
{
	char *self = slurp("/proc/self/cgroup");
	const char *path = strstr(self, "0::");

	/* "0::/PATH\n": this process's cgroup v2 directory. */
	snprintf(c->home, sizeof(c->home), "%s%.*s", cgroup2_root(),
		 path ? (int)strcspn(path + 3, "\n") : 0, path ? path + 3 : "");
	free(self);
	c->cgroup_fd = c->prog_fd = -1;
	snprintf(c->dir, sizeof(c->dir), "%s/claims-errors-%d-%d",
		 cgroup2_root(), getpid(), -err);
	if (mkdir(c->dir, 0755)) {
		c->dir[0] = '\0';
		return -errno;
	}
	c->cgroup_fd = open(c->dir, O_RDONLY | O_DIRECTORY);
	if (c->cgroup_fd < 0)
		return -errno;
	c->prog_fd = load_refusing_bind4(err);
	if (c->prog_fd < 0)
		return c->prog_fd;
	if (bpf_prog_attach(c->prog_fd, c->cgroup_fd, BPF_CGROUP_INET4_BIND,
			    0))
		return -errno;
	return cgroup_move_here(c->dir);
}

/*
 * Removes a cgroup once its last process has left: the traced program's
 * exit is complete a moment after its parent reaped it ("populated 0" in
 * cgroup.events).
 */
static void rmdir_emptied_cgroup(const char *dir)
{
	char events[128], *text;
	bool populated = true;

	snprintf(events, sizeof(events), "%s/cgroup.events", dir);
	for (int i = 0; i < 5000 && populated; i++) {
		text = slurp(events);
		populated = !strstr(text, "populated 0");
		free(text);
		if (populated)
			usleep(1000);
	}
	EXPECT_EQ(0, rmdir(dir)) {
		TH_LOG("rmdir %s: %s", dir, strerror(errno));
	}
}

/* Back to the cgroup this process came from; the program detached, the directory gone. */
static void refusing_cgroup_leave(struct refusing_cgroup *c)
{
	cgroup_move_here(c->home);
	if (c->prog_fd >= 0) {
		bpf_prog_detach2(c->prog_fd, c->cgroup_fd,
				 BPF_CGROUP_INET4_BIND);
		close(c->prog_fd);
	}
	if (c->cgroup_fd >= 0)
		close(c->cgroup_fd);
	if (c->dir[0])
		rmdir_emptied_cgroup(c->dir);
}

#define BIND_5000 "bind(3, {AF_INET, 127.0.0.1:5000}, 16) = -1 "

/*
 * Traced in a cgroup whose bind4 program refuses with err (0: its
 * default), the program binds port 5000, which is not privileged, and
 * sees want.
 */
static void bind_in_refusing_cgroup(int err, const char *want,
				    const struct expected *line)
{
	struct refusing_cgroup c;
	char body[512];
	int ret;

	snprintf(body, sizeof(body),
		 "s = socket.socket()\n"
		 "raises(errno.%s, s.bind, ('127.0.0.1', 5000))\n", want);
	ret = refusing_cgroup_enter(&c, err);
	if (ret) {
		refusing_cgroup_leave(&c);
		SKIP(return, "no cgroup with a bind4 program: %s",
		     strerror(-ret));
	}
	check_program((char *[]){ "-e", "bind", NULL }, body, line, 1);
	refusing_cgroup_leave(&c);
}

/*
 * Rows 19 and the EPERM note: a cgroup's BPF program refuses a bind with
 * EPERM (bpf_prog_run_array_cg()), with EACCES only when it sets that
 * with bpf_set_retval(); the EACCES note names the namespace's first
 * unprivileged port, read where the process is.
 */
TEST_TIMEOUT(cgroup_bpf_refuses_bind_with_eperm_or_its_own_error, 30)
{
	static const struct expected eacces = {
		BIND_5000 "EACCES (Permission denied)",
		"permission denied, though the port is not privileged (net.ipv4.ip_unprivileged_port_start is 1024): a security policy refused it (an LSM such as SELinux or AppArmor, or a cgroup's BPF program that chose EACCES)"
	};
	static const struct expected eperm = {
		BIND_5000 "EPERM (Operation not permitted)",
		"a security policy refused it: a cgroup's BPF program (it refuses with EPERM unless it chose another error), or an LSM"
	};

	REQUIRE_PYTHON_NETNS();
	ASSERT_EQ(0, spill("/proc/sys/net/ipv4/ip_unprivileged_port_start",
			   "1024\n"));
	bind_in_refusing_cgroup(-EACCES, "EACCES", &eacces);
	bind_in_refusing_cgroup(0, "EPERM", &eperm);
}

/*
 * Row 20: the fallback, for an address the note cannot read as an IP
 * port: AF_UNSPEC, which an AF_INET socket takes as INADDR_ANY
 * (inet_bind_sk()). Port 80 as nobody is refused as privileged.
 */
TEST_TIMEOUT(bind_eacces_fallback_for_af_unspec, 30)
{
	const char *body =
		"s = socket.socket()\n"
		"fails(errno.EACCES, libc.bind, s.fileno(), sin(0, '0.0.0.0', 80), 16)\n"
		"t = socket.socket()\n"
		"assert libc.bind(t.fileno(), sin(0, '0.0.0.0', 2000), 16) == 0\n";
	static const struct expected want[] = {
		{ "bind(3, {AF_UNSPEC, hex=0050000000000000000000000000}, 16) = -1 EACCES (Permission denied)",
		  "permission denied: a privileged port (below net.ipv4.ip_unprivileged_port_start) needs CAP_NET_BIND_SERVICE" },
	};

	REQUIRE_PYTHON_NETNS();
	CHECK_PROGRAM(((char *[]){ "-u", "nobody", "-e", "bind", NULL }),
		      body, want);
}

/* bind() of DIR/sock refused with EACCES, once, with the path's note. */
static void expect_unix_eacces(const char *out, const char *dir)
{
	char line[512];

	snprintf(line, sizeof(line),
		 "] bind(3, {AF_UNIX, \"%s/sock\"}, %zu) = -1 EACCES (Permission denied)\n    # permission denied on the path: a directory on it may not be searched, or the last one not written to\n",
		 dir, strlen(dir) + 8);
	EXPECT_EQ(1, count_of(out, line)) {
		TH_LOG("wanted once:\n%sin:\n%s", line, out);
	}
}

/*
 * Row 21: a UNIX socket's path, as nobody: in a directory it may not
 * write to, and below one it may not search.
 */
TEST_TIMEOUT(unix_bind_eacces_is_the_paths_directories, 30)
{
	char dir[] = "/tmp/claims-errors-XXXXXX", closed[64], body[1024];
	char *out = NULL;

	REQUIRE_PYTHON_NETNS();
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(closed, sizeof(closed), "%s/closed", dir);
	ASSERT_EQ(0, chmod(dir, 0755));
	ASSERT_EQ(0, mkdir(closed, 0700));
	snprintf(body, sizeof(body),
		 "s = socket.socket(socket.AF_UNIX)\n"
		 "raises(errno.EACCES, s.bind, '%s/sock')\n"
		 "raises(errno.EACCES, s.bind, '%s/sock')\n", dir, closed);
	trace_program((char *[]){ "-u", "nobody", "-e", "bind", NULL }, body,
		      &out);
	rmdir(closed);
	rmdir(dir);
	expect_unix_eacces(out, dir);
	expect_unix_eacces(out, closed);
	free(out);
}

#define EINVAL_NOTE "the socket is already bound (connect() or a first send binds it too), the address length is wrong, or an IPv6 link-local address names no interface (scope id)"
#define EINVAL_LINE " = -1 EINVAL (Invalid argument)"

/*
 * Row 22: bind()'s EINVAL for each cause the note gives: bound by
 * bind(), bound by a first send, connected (TCP), an address 8 bytes
 * long, and an IPv6 link-local address with no interface.
 */
TEST_TIMEOUT(bind_einval_for_each_cause, 30)
{
	const char *body =
		"a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"a.bind(('127.0.0.1', 0))\n"
		"raises(errno.EINVAL, a.bind, ('127.0.0.1', 0))\n"
		"b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"b.sendto(b'x', a.getsockname())\n"
		"raises(errno.EINVAL, b.bind, ('127.0.0.1', 0))\n"
		"lsn, cli, srv = pair()\n"
		"raises(errno.EINVAL, cli.bind, ('127.0.0.1', 0))\n"
		"c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"fails(errno.EINVAL, libc.bind, c.fileno(), sin(2, '127.0.0.1', 0), 8)\n"
		"d = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n"
		"raises(errno.EINVAL, d.bind, ('fe80::1', 0))\n";
	static const struct expected want[] = {
		{ "bind(3, {AF_INET, 127.0.0.1:0}, 16)" EINVAL_LINE, EINVAL_NOTE },
		{ "bind(4, {AF_INET, 127.0.0.1:0}, 16)" EINVAL_LINE, EINVAL_NOTE },
		{ "bind(6, {AF_INET, 127.0.0.1:0}, 16)" EINVAL_LINE, EINVAL_NOTE },
		{ "bind(8, {AF_INET, hex=00007f000001}, 8)" EINVAL_LINE, EINVAL_NOTE },
		{ "bind(9, {AF_INET6, [fe80::1]:0}, 28)" EINVAL_LINE,
		  EINVAL_NOTE },
	};

	REQUIRE_PYTHON_NETNS();
	if (!ipv6_loopback_available())
		SKIP(return, "no IPv6 here");
	CHECK_PROGRAM(((char *[]){ "-e", "bind", NULL }), body, want);
}

/*
 * Row 23: 10.1.2.3 is on no interface of the test's namespace and
 * cannot be bound; 10.9.9.9, which the test puts on lo, can.
 */
TEST_TIMEOUT(bind_eaddrnotavail_is_an_address_of_no_interface, 30)
{
	const char *body =
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"raises(errno.EADDRNOTAVAIL, u.bind, ('10.1.2.3', 0))\n"
		"u.bind(('10.9.9.9', 0))\n";
	static const struct expected want[] = {
		{ "bind(3, {AF_INET, 10.1.2.3:0}, 16) = -1 EADDRNOTAVAIL (Cannot assign requested address)",
		  "no interface of this host has that address" },
	};
	char *out = NULL;

	REQUIRE_PYTHON_NETNS();
	ASSERT_EQ(0, system("ip addr add 10.9.9.9/32 dev lo"));
	trace_program((char *[]){ "-e", "bind", NULL }, body, &out);
	expect_lines(out, want, ARRAY_SIZE(want));
	EXPECT_EQ(1, count_of(out, "] bind(3, {AF_INET, 10.9.9.9:0}, 16) = 0\n"));
	free(out);
}

/* --- listen(), accept() --------------------------------------------- */

#define EOPNOTSUPP_LISTEN "listen(3, 1) = -1 EOPNOTSUPP (Operation not supported)"

/* Row 28: a UDP socket and a UNIX datagram socket cannot listen. */
TEST_TIMEOUT(datagram_sockets_do_not_listen, 30)
{
	const char *body =
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"raises(errno.EOPNOTSUPP, u.listen, 1)\n"
		"u.close()\n"
		"x = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
		"raises(errno.EOPNOTSUPP, x.listen, 1)\n";
	char *out = NULL;

	REQUIRE_PYTHON_NETNS();
	trace_program((char *[]){ "-e", "listen", NULL }, body, &out);
	EXPECT_EQ(2, count_of(out, "] " EOPNOTSUPP_LISTEN "\n    # only connection-oriented sockets (TCP, Unix stream) listen; datagram sockets (UDP, Unix datagram) just receive\n")) {
		TH_LOG("%s", out);
	}
	free(out);
}

#define ACCEPT_EAGAIN_NOTE "no connection is waiting, and the listening socket is non-blocking, or its receive timeout (SO_RCVTIMEO) ran out"
#define ACCEPT_EINVAL_NOTE "the socket is not listening (call listen() first), or accept4() was given unknown flags"

/*
 * Rows 32, 33: accept() with nothing waiting fails with EAGAIN on a
 * non-blocking listener and on a blocking one whose SO_RCVTIMEO ran out
 * (inet_csk_accept()); EINVAL on a socket that does not listen, and for
 * accept4() flags other than SOCK_CLOEXEC and SOCK_NONBLOCK.
 */
TEST_TIMEOUT(accept_errors_for_each_cause, 30)
{
	const char *body =
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"lsn.setblocking(False)\n"
		"fails(errno.EAGAIN, libc.accept, lsn.fileno(), None, None)\n"
		"lsn.setblocking(True)\n"
		"lsn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,\n"
		"               bytes(8) + (20000).to_bytes(8, 'little'))\n"
		"fails(errno.EAGAIN, libc.accept, lsn.fileno(), None, None)\n"
		"t = socket.socket()\n"
		"fails(errno.EINVAL, libc.accept, t.fileno(), None, None)\n"
		"fails(errno.EINVAL, libc.accept4, lsn.fileno(), None, None, 0x10)\n";
	static const struct expected want[] = {
		{ "accept(4, NULL, NULL) = -1 EINVAL (Invalid argument)",
		  ACCEPT_EINVAL_NOTE },
		{ "accept4(3, NULL, NULL, 0x10 /* SOCK_??? */) = -1 EINVAL (Invalid argument)",
		  ACCEPT_EINVAL_NOTE },
	};
	char *out = NULL;

	REQUIRE_PYTHON_NETNS();
	trace_program((char *[]){ "-e", "accept,accept4", NULL }, body, &out);
	expect_lines(out, want, ARRAY_SIZE(want));
	/* Non-blocking, then with SO_RCVTIMEO. */
	EXPECT_EQ(2, count_of(out, "] accept(3, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)\n    # " ACCEPT_EAGAIN_NOTE "\n")) {
		TH_LOG("%s", out);
	}
	free(out);
}

/* --- send ----------------------------------------------------------- */

/*
 * Rows 43, 45, 46: over IPv4 a UDP datagram holds at most 65507 bytes
 * (65535 less the IP and UDP headers); an unconnected UDP socket sent
 * no address has no destination; a connected one whose datagram met a
 * closed port gets the ICMP port unreachable as an error (POLLERR), and
 * its next send fails with ECONNREFUSED.
 */
TEST_TIMEOUT(send_errors_for_each_cause, 30)
{
	const char *body =
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"r.bind(('127.0.0.1', 0))\n"
		"assert u.sendto(bytes(65507), r.getsockname()) == 65507\n"
		"raises(errno.EMSGSIZE, u.sendto, bytes(65508), r.getsockname())\n"
		"fails(errno.EDESTADDRREQ, libc.send, u.fileno(), b'x', 1, 0)\n"
		"closed = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"closed.bind(('127.0.0.1', 0)); port = closed.getsockname()[1]\n"
		"closed.close()\n"
		"c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"c.connect(('127.0.0.1', port))\n"
		"assert c.send(b'refused') == 7\n"
		"await_error(c)\n"
		"fails(errno.ECONNREFUSED, libc.send, c.fileno(), b'again', 5, 0)\n";
	static const struct expected want[] = {
		{ "sendto(3, ..., 1, 0, NULL, 0) = -1 EDESTADDRREQ (Destination address required)",
		  "no destination: give an address, or connect() first" },
		{ "sendto(5, ..., 5, 0, NULL, 0) = -1 ECONNREFUSED (Connection refused)",
		  "an earlier datagram was refused: the peer's port is closed (ICMP port unreachable)" },
	};
	char *out = NULL;

	REQUIRE_PYTHON_NETNS();
	trace_program((char *[]){ "-e", "sendto", NULL }, body, &out);
	EXPECT_EQ(1, count_of(out, "] sendto(3, ..., 65508, 0, {AF_INET, 127.0.0.1:")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(1, count_of(out, "}, 16) = -1 EMSGSIZE (Message too long)\n    # too big for one datagram\n"));
	expect_lines(out, want, ARRAY_SIZE(want));
	free(out);
}

/* --- options -------------------------------------------------------- */

/*
 * Row 66: an option number SOL_SOCKET has not, and a TCP option on a
 * UDP socket: that socket has no TCP level (ip_setsockopt()).
 */
TEST_TIMEOUT(unknown_option_is_enoprotoopt_for_this_socket, 30)
{
	const char *body =
		"t = socket.socket()\n"
		"raises(errno.ENOPROTOOPT, t.setsockopt, socket.SOL_SOCKET, 9999, 1)\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"raises(errno.ENOPROTOOPT, u.setsockopt, socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)\n";
	static const struct expected want[] = {
		{ "setsockopt(3, SOL_SOCKET, 0x270f /* SO_??? */, [1], 4) = -1 ENOPROTOOPT (Protocol not available)",
		  "no such option at this level for a TCP socket" },
		{ "setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = -1 ENOPROTOOPT (Protocol not available)",
		  "no such option at this level for a UDP socket" },
	};

	REQUIRE_PYTHON_NETNS();
	CHECK_PROGRAM(((char *[]){ "-e", "setsockopt", NULL }), body, want);
}

TEST_HARNESS_MAIN
