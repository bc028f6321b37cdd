// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The tracer when things go wrong around it: the traced process killed in
 * the middle of a call, descriptors closed and reused, pids reused,
 * thousands of short-lived processes, Ctrl-C in the middle of a burst, its
 * output pipe closed, its output file on a full filesystem, its ring
 * buffer overflowing; and a load of eight chatting client/server pairs.
 * Every record is printed or counted as lost, exactly; nothing crashes.
 * Needs root and BTF.
 *
 * LOAD_SECONDS (default 30, as the hardening issue asks) sets how long
 * the load test chats.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/tracer_run.h"

#define READY_LINE	"sockscope: tracing socket calls; Ctrl-C to stop\n"
#define EAFNOSUPPORT_TEXT \
	"-1 EAFNOSUPPORT (Address family not supported by protocol)"
#define BOGUS_CALL	"socket(0x3039 /* AF_??? */, SOCK_STREAM, 0) = " \
			EAFNOSUPPORT_TEXT
#define OTHER_FAMILY	12346		/* 0x303a: the untraced process */

static char *helper(const char *name)
{
	static char paths[4][4096];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof(paths[0]), "%s/tests/helpers/%s", build_dir(),
		 name);
	return p;
}

static char *fault_calls(void)
{
	return helper("fault_calls");
}

static char *sockburst(void)
{
	return helper("sockburst");
}

/*
 * The next needle in [from, end), or NULL. By hand: strstr() under ASan
 * measures the whole rest of the string each time, and traces are many
 * megabytes.
 */
static const char *find(const char *from, const char *end,
			const char *needle)
{
	size_t n = strlen(needle);

	for (const char *p = from; p + n <= end; p++) {
		p = memchr(p, needle[0], end - p);
		if (!p || p + n > end)
			return NULL;
		if (!memcmp(p, needle, n))
			return p;
	}
	return NULL;
}

/* How many times needle occurs in hay. */
static long count(const char *hay, const char *needle)
{
	const char *end = hay + strlen(hay);
	long n = 0;

	for (const char *p = find(hay, end, needle); p;
	     p = find(p + strlen(needle), end, needle))
		n++;
	return n;
}

/* The sum of the numbers that follow each occurrence of key. */
static long long sum_after(const char *hay, const char *key)
{
	const char *end = hay + strlen(hay);
	long long sum = 0;

	for (const char *p = find(hay, end, key); p; p = find(p + 1, end, key))
		sum += atoll(p + strlen(key));
	return sum;
}

/* Records lost, as the text output reports them inline. */
#define LOST_TEXT	"\n... "
static long long lost_inline_text(const char *out)
{
	long long sum = 0;

	if (!strncmp(out, "... ", 4))
		sum += atoll(out + 4);
	return sum + sum_after(out, LOST_TEXT);
}

/* Lines of text output: the teaching notes under calls are lines too. */
#define NOTE_LINE	"\n    # "
static long text_lines(const char *out)
{
	return count(out, "\n") - count(out, NOTE_LINE);
}

/* The summary line sockscope prints on stderr at the end. */
static void summary_line(char *buf, size_t size, long long calls,
			 long long failed, long long lost)
{
	snprintf(buf, size, "sockscope: %lld calls, %lld failed, %lld lost\n",
		 calls, failed, lost);
}

/* The pid sockscope printed first: the first "[PID " seen. */
static pid_t first_pid(const char *out)
{
	const char *p = strchr(out, '[');

	return p ? atoi(p + 1) : -1;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* --- the traced process killed in the middle of a call ------------------- */

FIXTURE(killed) {
	struct proc tracer, victim;
};

FIXTURE_VARIANT(killed) {
	const char *call;
	long nr;
	const char *lines;	/* printf format: %1$d pid */
};

/*
 * The kernel ends the blocked call with ERESTARTSYS before the process
 * dies, and the exit tracepoint sees it: the call is printed, once, as
 * strace prints it ("= ?"), and nothing else of it is left behind.
 */
FIXTURE_VARIANT_ADD(killed, recvfrom) {
	.call = "recvfrom",
	.nr = SYS_recvfrom,
	.lines =
	"[%1$d fault_calls] socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
	"[%1$d fault_calls] bind(3, {AF_INET, 127.0.0.1:0}, 16) = 0\n"
	"[%1$d fault_calls] recvfrom(3, ..., 64, 0, NULL, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n",
};

FIXTURE_VARIANT_ADD(killed, accept) {
	.call = "accept",
	.nr = SYS_accept,
	.lines =
	"[%1$d fault_calls] socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
	"[%1$d fault_calls] bind(3, {AF_INET, 127.0.0.1:0}, 16) = 0\n"
	"[%1$d fault_calls] listen(3, 1) = 0\n"
	"[%1$d fault_calls] accept(3, NULL, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n",
};

FIXTURE_VARIANT_ADD(killed, recvmsg) {
	.call = "recvmsg",
	.nr = SYS_recvmsg,
	.lines =
	"[%1$d fault_calls] socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
	"[%1$d fault_calls] bind(3, {AF_INET, 127.0.0.1:0}, 16) = 0\n"
	"[%1$d fault_calls] recvmsg(3, {msg_name=NULL, msg_iov=..., msg_iovlen=1, msg_len=64}, 0) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n",
};

FIXTURE_SETUP(killed)
{
}

FIXTURE_TEARDOWN(killed)
{
	proc_cleanup(&self->tracer);
	proc_cleanup(&self->victim);
}

TEST_F_TIMEOUT(killed, while_blocked_in_the_call, 60)
{
	char *argv[] = { fault_calls(), "block", (char *)variant->call, NULL };
	char pid[16], line[64], summary[128], *out, *err, *seen, *expected;
	char *opts[] = { "--no-explain", "-p", pid, NULL };
	int waited;

	REQUIRE_E2E();
	ASSERT_EQ(0, proc_spawn(&self->victim, argv));
	snprintf(pid, sizeof(pid), "%d", self->victim.pid);
	ASSERT_EQ(0, tracer_start(&self->tracer, opts));
	ASSERT_EQ(0, proc_write(&self->victim, "go\n"));
	ASSERT_LT(0, proc_read_line(&self->victim, line, sizeof(line), 5000));
	ASSERT_STREQ("ready", line);
	for (waited = 0; waited < 5000; waited += 10) {
		if (proc_blocked_in(self->victim.pid, variant->nr))
			break;
		msleep(10);
	}
	ASSERT_GT(5000, waited);
	proc_kill(&self->victim, SIGKILL);
	ASSERT_EQ(128 + SIGKILL, proc_wait(&self->victim, 5000));

	ASSERT_EQ(0, tracer_stop(&self->tracer, &out));
	proc_read_all_err(&self->tracer, &err, 1000);
	seen = text_lines_of(out, self->victim.pid);
	ASSERT_LT(0, asprintf(&expected, variant->lines, self->victim.pid));
	EXPECT_STREQ(expected, seen);
	summary_line(summary, sizeof(summary), count(expected, "\n"), 1, 0);
	EXPECT_NE(NULL, strstr(err, summary)) {
		TH_LOG("stderr: %s", err);
	}
	free(expected);
	free(seen);
	free(out);
	free(err);
}

/* --- descriptors closed and reused --------------------------------------- */

/*
 * close() is traced only for sockets: the file that reuses descriptor 3
 * in between is not shown, a socket closed through its dup is, and a
 * close that fails with EBADF (no socket there) is not.
 */
TEST_TIMEOUT(descriptor_closed_and_reused, 60)
{
	char *cmd[] = { fault_calls(), "fdreuse", NULL };
	char *out, *err, *seen, *expected;
	pid_t pid;

	REQUIRE_E2E();
	ASSERT_EQ(0, tracer_run(NULL, cmd, &out, &err));
	pid = first_pid(out);
	seen = text_lines_of(out, pid);
	ASSERT_LT(0, asprintf(&expected,
		"[%1$d fault_calls] socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
		"[%1$d fault_calls] close(3) = 0\n"
		"[%1$d fault_calls] socket(AF_UNIX, SOCK_STREAM, 0) = 3\n"
		"[%1$d fault_calls] close(7) = 0\n"
		"[%1$d fault_calls] close(3) = 0\n"
		"[%1$d fault_calls] socketpair(AF_UNIX, SOCK_DGRAM, 0, [3, 4]) = 0\n"
		"[%1$d fault_calls] close(4) = 0\n"
		"[%1$d fault_calls] close(3) = 0\n", pid));
	EXPECT_STREQ(expected, seen);
	free(expected);
	free(seen);
	free(out);
	free(err);
}

/* --- pids reused --------------------------------------------------------- */

/*
 * Make a process, not traced, with exactly this pid (free again), and
 * have it call socket(OTHER_FAMILY, ...). ns_last_pid tells the kernel
 * which pid to hand out next; other processes may take it first, so try
 * again. 0, or -1 if it never worked.
 */
static int reuse_pid(pid_t pid)
{
	pid_t child;
	int fd;

	for (int tries = 0; tries < 200; tries++) {
		fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
		if (fd < 0)
			return -1;
		dprintf(fd, "%d", pid - 1);
		close(fd);
		child = fork();
		if (child < 0)
			return -1;
		if (child == 0) {
			if (getpid() == pid)
				socket(OTHER_FAMILY, SOCK_STREAM, 0);
			_exit(0);
		}
		waitpid(child, NULL, 0);
		if (child == pid)
			return 0;
	}
	return -1;
}

FIXTURE(pid_reuse) {
	struct proc tracer, target;
};

FIXTURE_VARIANT(pid_reuse) {
	bool follow;	/* -f: the traced process is a child of -p's */
};

FIXTURE_VARIANT_ADD(pid_reuse, followed_child) {
	.follow = true,
};

FIXTURE_VARIANT_ADD(pid_reuse, pid_given) {
	.follow = false,
};

FIXTURE_SETUP(pid_reuse)
{
}

FIXTURE_TEARDOWN(pid_reuse)
{
	proc_cleanup(&self->tracer);
	proc_cleanup(&self->target);
}

/*
 * A traced process exits and an unrelated process gets its pid: the new
 * one is not traced. The tracer forgets a pid when its process exits.
 */
TEST_F_TIMEOUT(pid_reuse, new_process_with_a_traced_pid_is_not_traced, 60)
{
	char *forker[] = { fault_calls(), "forker", NULL };
	char *waiter[] = { sockburst(), "wait", "1", NULL };
	char pid[16], line[64], *out, *seen, *expected;
	char *opts_f[] = { "-f", "-p", pid, "-e", "socket", NULL };
	char *opts[] = { "-p", pid, "-e", "socket", NULL };
	pid_t gone, second = 0;

	REQUIRE_E2E();
	ASSERT_EQ(0, proc_spawn(&self->target,
				variant->follow ? forker : waiter));
	snprintf(pid, sizeof(pid), "%d", self->target.pid);
	ASSERT_EQ(0, tracer_start(&self->tracer,
				  variant->follow ? opts_f : opts));
	if (variant->follow) {
		ASSERT_EQ(0, proc_write(&self->target, "fork\n"));
		ASSERT_LT(0, proc_read_line(&self->target, line, sizeof(line),
					    5000));
		ASSERT_EQ(1, sscanf(line, "child %d", &gone));
	} else {
		ASSERT_EQ(0, proc_write(&self->target, "go\n"));
		ASSERT_EQ(0, proc_wait(&self->target, 5000));
		gone = self->target.pid;
	}
	ASSERT_EQ(0, reuse_pid(gone)) {
		TH_LOG("pid %d was never handed out again", gone);
	}
	if (variant->follow) {
		/* The tree is still followed. */
		ASSERT_EQ(0, proc_write(&self->target, "fork\n"));
		ASSERT_LT(0, proc_read_line(&self->target, line, sizeof(line),
					    5000));
		ASSERT_EQ(1, sscanf(line, "child %d", &second));
		proc_close_stdin(&self->target);
		ASSERT_EQ(0, proc_wait(&self->target, 5000));
	}
	ASSERT_EQ(0, tracer_stop(&self->tracer, &out));

	EXPECT_EQ(0, count(out, "0x303a")) {
		TH_LOG("the process that reused pid %d was traced:\n%s", gone,
		       out);
	}
	seen = text_lines_of(out, gone);
	ASSERT_LT(0, asprintf(&expected, "[%d %s] " BOGUS_CALL "\n", gone,
			      variant->follow ? "fault_calls" : "sockburst"));
	EXPECT_STREQ(expected, seen);
	free(seen);
	free(expected);
	if (second) {
		seen = text_lines_of(out, second);
		ASSERT_LT(0, asprintf(&expected, "[%d fault_calls] " BOGUS_CALL "\n",
				      second));
		EXPECT_STREQ(expected, seen);
		free(seen);
		free(expected);
	}
	free(out);
}

/* --- thousands of short-lived processes ---------------------------------- */

#ifdef __SANITIZE_ADDRESS__
#define SHORT_LIVED	400	/* each ASan start maps its shadow: slow */
#else
#define SHORT_LIVED	2000
#endif
#define SHELLS		4

/*
 * Four shells (sh -c) at once each fork a quarter of SHORT_LIVED children that exec a program
 * making one socket call: all are followed from their birth, every call
 * is printed once, by its own process.
 */
TEST_TIMEOUT(thousands_of_short_lived_processes, 120)
{
	char script[512], summary[128], *out, *err, *p;
	char *cmd[] = { "sh", "-c", script, sockburst(), NULL };
	char *opts[] = { "-e", "socket", NULL };
	static char seen_pid[4 << 20];
	long distinct = 0;

	REQUIRE_E2E();
	snprintf(script, sizeof(script),
		 "loop() { i=0; while [ $i -lt %d ]; do "
		 "\"$0\" burst 1; i=$((i + 1)); done; }; "
		 "for j in $(seq %d); do loop & done; wait",
		 SHORT_LIVED / SHELLS, SHELLS);
	ASSERT_EQ(0, tracer_run(opts, cmd, &out, &err));
	EXPECT_EQ(SHORT_LIVED, count(out, "] socket("));
	EXPECT_EQ(SHORT_LIVED, count(out, " sockburst] " BOGUS_CALL "\n"));
	summary_line(summary, sizeof(summary), SHORT_LIVED, SHORT_LIVED, 0);
	EXPECT_NE(NULL, strstr(err, summary)) {
		TH_LOG("stderr: %s", err);
	}
	/* pid_max is at least 32768: no pid comes round twice here. */
	for (p = strchr(out, '['); p; p = strchr(p + 1, '[')) {
		long pid = atol(p + 1);

		if (pid > 0 && pid < (long)sizeof(seen_pid) && !seen_pid[pid]) {
			seen_pid[pid] = 1;
			distinct++;
		}
	}
	EXPECT_EQ(SHORT_LIVED, distinct);
	free(out);
	free(err);
}

/* --- Ctrl-C in the middle of a burst ------------------------------------- */

FIXTURE(sigint) {
	struct proc tracer, target;
	char countfile[64];
};

FIXTURE_VARIANT(sigint) {
	bool json;
	const char *ringbuf;	/* --ringbuf-size, or NULL */
};

FIXTURE_VARIANT_ADD(sigint, text) {
	.json = false,
};

FIXTURE_VARIANT_ADD(sigint, json_small_ring) {
	.json = true,
	.ringbuf = "--ringbuf-size=16384",
};

FIXTURE_SETUP(sigint)
{
	snprintf(self->countfile, sizeof(self->countfile),
		 "/tmp/sockscope-count-%d", getpid());
}

FIXTURE_TEARDOWN(sigint)
{
	proc_cleanup(&self->tracer);
	proc_cleanup(&self->target);
	unlink(self->countfile);
}

static unsigned long long read_count(const char *path)
{
	unsigned long long n = 0;
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		if (pread(fd, &n, sizeof(n), 0) != sizeof(n))
			n = 0;
		close(fd);
	}
	return n;
}

/*
 * SIGINT while the traced process is still calling: every call made
 * before the signal is printed or counted as lost (the reader drains the
 * ring buffer after it stops the programs); what the summary says is
 * exactly what was printed.
 */
TEST_F_TIMEOUT(sigint, mid_burst_everything_before_is_accounted, 90)
{
	char *argv[] = { fault_calls(), "burst", self->countfile, NULL };
	char pid[16], line[64], summary[128], *out, *err;
	char *opts[8] = { "-p", pid, "-e", "socket" };
	unsigned long long before, after;
	long long printed, lost;
	int n = 4;

	REQUIRE_E2E();
	if (variant->json)
		opts[n++] = "-j";
	if (variant->ringbuf)
		opts[n++] = (char *)variant->ringbuf;
	opts[n] = NULL;
	ASSERT_EQ(0, proc_spawn(&self->target, argv));
	snprintf(pid, sizeof(pid), "%d", self->target.pid);
	ASSERT_EQ(0, tracer_start(&self->tracer, opts));
	ASSERT_EQ(0, proc_write(&self->target, "go\n"));
	msleep(300);
	before = read_count(self->countfile);
	proc_kill(&self->tracer, SIGINT);
	ASSERT_LE(0, proc_read_all(&self->tracer, &out, 30000));
	ASSERT_EQ(0, proc_wait(&self->tracer, 30000));
	ASSERT_LE(0, proc_read_all_err(&self->tracer, &err, 1000));
	msleep(100);
	proc_kill(&self->target, SIGTERM);
	ASSERT_LT(0, proc_read_line(&self->target, line, sizeof(line), 5000));
	ASSERT_EQ(1, sscanf(line, "calls %llu", &after));
	ASSERT_EQ(0, proc_wait(&self->target, 5000));

	if (variant->json) {
		printed = count(out, "\"name\":\"socket\"");
		lost = sum_after(out, "\"count\":");
		EXPECT_EQ(printed + count(out, "\"kind\":\"lost\""),
			  count(out, "\n"));
	} else {
		printed = count(out, "] " BOGUS_CALL "\n");
		lost = lost_inline_text(out);
		EXPECT_EQ(printed + count(out, " lost: the ring buffer was full ...\n"),
			  text_lines(out));
	}
	TH_LOG("%llu calls before SIGINT, %lld printed, %lld lost, %llu in all",
	       before, printed, lost, after);
	summary_line(summary, sizeof(summary), printed, printed, lost);
	EXPECT_NE(NULL, strstr(err, summary)) {
		TH_LOG("stderr: %s", err);
	}
	EXPECT_LT(0, before);
	EXPECT_LE((long long)before, printed + lost);
	/* The burst went on after the tracer stopped. */
	EXPECT_GT((long long)after, printed + lost);
	free(out);
	free(err);
}

/* --- output into a pipe closed early ------------------------------------- */

FIXTURE(closed_pipe) {
	struct proc shell, target;
	char errfile[64], countfile[64];
};

FIXTURE_VARIANT(closed_pipe) {
	const char *format;	/* "" or "-j" */
};

FIXTURE_VARIANT_ADD(closed_pipe, text) {
	.format = "",
};

FIXTURE_VARIANT_ADD(closed_pipe, json) {
	.format = "-j",
};

FIXTURE_SETUP(closed_pipe)
{
	snprintf(self->errfile, sizeof(self->errfile),
		 "/tmp/sockscope-pipe-err-%d", getpid());
	snprintf(self->countfile, sizeof(self->countfile),
		 "/tmp/sockscope-pipe-count-%d", getpid());
}

FIXTURE_TEARDOWN(closed_pipe)
{
	proc_cleanup(&self->shell);
	proc_cleanup(&self->target);
	unlink(self->errfile);
	unlink(self->countfile);
}

static char *read_file(const char *path)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = fopen(path, "r"), *m = open_memstream(&buf, &size);
	int c;

	while (f && (c = getc(f)) != EOF)
		putc(c, m);
	if (f)
		fclose(f);
	fclose(m);
	return buf;
}

/*
 * Tracing a process (-p) into "| head -c 1000": when head exits, the
 * tracer stops by itself, quietly, with status 0, although the traced
 * process goes on.
 */
TEST_F_TIMEOUT(closed_pipe, tracer_stops_quietly, 60)
{
	char *argv[] = { fault_calls(), "burst", self->countfile, NULL };
	char cmdline[8192], line[64], *err = NULL;
	char *sh[] = { "bash", "-c", cmdline, NULL };
	int waited;

	REQUIRE_E2E();
	ASSERT_EQ(0, proc_spawn(&self->target, argv));
	snprintf(cmdline, sizeof(cmdline),
		 "%s/sockscope %s -p %d -e socket 2>%s | head -c 1000 >/dev/null; echo ${PIPESTATUS[0]}",
		 build_dir(), variant->format, self->target.pid, self->errfile);
	ASSERT_EQ(0, proc_spawn(&self->shell, sh));
	for (waited = 0; waited < 30000; waited += 20) {
		free(err);
		err = read_file(self->errfile);
		if (!strcmp(err, READY_LINE))
			break;
		msleep(20);
	}
	ASSERT_STREQ(READY_LINE, err);
	ASSERT_EQ(0, proc_write(&self->target, "go\n"));
	ASSERT_LT(0, proc_read_line(&self->shell, line, sizeof(line), 10000));
	EXPECT_STREQ("0", line);
	EXPECT_EQ(0, proc_wait(&self->shell, 5000));
	free(err);
	err = read_file(self->errfile);
	EXPECT_STREQ(READY_LINE, err);
	free(err);
	/* The traced process was not disturbed. */
	EXPECT_EQ(-ETIMEDOUT, proc_wait(&self->target, 0));
}

/* --- output file on a full filesystem ------------------------------------ */

/*
 * A 64 KiB tmpfs, mounted in a mount namespace of this test alone (it
 * goes away with the test). 0, or -errno.
 */
static int mount_small_tmpfs(char *dir)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -errno;
	if (!mkdtemp(dir))
		return -errno;
	if (mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=0700")) {
		rmdir(dir);
		return -errno;
	}
	return 0;
}

FIXTURE(full_fs) {
	char dir[64], file[128], countfile[64];
	bool mounted;
	struct proc tracer, target;
};

FIXTURE_SETUP(full_fs)
{
	strcpy(self->dir, "/tmp/sockscope-full-XXXXXX");
	snprintf(self->countfile, sizeof(self->countfile),
		 "/tmp/sockscope-full-count-%d", getpid());
	if (e2e_skip_reason())
		return;
	ASSERT_EQ(0, mount_small_tmpfs(self->dir));
	self->mounted = true;
	snprintf(self->file, sizeof(self->file), "%s/trace.txt", self->dir);
}

FIXTURE_TEARDOWN(full_fs)
{
	proc_cleanup(&self->tracer);
	proc_cleanup(&self->target);
	unlink(self->countfile);
	if (self->mounted) {
		umount2(self->dir, MNT_DETACH);
		rmdir(self->dir);
	}
}

static void expect_full_fs_file(const char *file)
{
	struct stat st;

	ASSERT_EQ(0, stat(file, &st));
	EXPECT_LT(0, st.st_size);
	EXPECT_GE(64 * 1024, st.st_size);
}

/* With a command: one clear line, and a failure status (not the
 * command's). */
TEST_F_TIMEOUT(full_fs, command_mode, 60)
{
	char *cmd[] = { sockburst(), "burst", "20000", NULL };
	char *opts[] = { "-o", self->file, NULL };
	char message[256], *out, *err;
	int status;

	REQUIRE_E2E();
	status = tracer_run(opts, cmd, &out, &err);
	snprintf(message, sizeof(message),
		 "sockscope: writing the trace to %s failed: No space left on device\n",
		 self->file);
	EXPECT_EQ(1, count(err, message)) {
		TH_LOG("stderr: %s", err);
	}
	EXPECT_NE(0, status);
	EXPECT_EQ(1, status);
	EXPECT_STREQ("", out);
	expect_full_fs_file(self->file);
	free(out);
	free(err);
}

/* Tracing a process (-p): the tracer stops by itself, with the line. */
TEST_F_TIMEOUT(full_fs, pid_mode, 60)
{
	char *argv[] = { fault_calls(), "burst", self->countfile, NULL };
	char pid[16], message[256], *err;
	char *opts[] = { "-p", pid, "-e", "socket", "-o", self->file, NULL };
	char *second;

	REQUIRE_E2E();
	ASSERT_EQ(0, proc_spawn(&self->target, argv));
	snprintf(pid, sizeof(pid), "%d", self->target.pid);
	ASSERT_EQ(0, tracer_start(&self->tracer, opts));
	ASSERT_EQ(0, proc_write(&self->target, "go\n"));
	EXPECT_EQ(1, proc_wait(&self->tracer, 20000));
	ASSERT_LE(0, proc_read_all_err(&self->tracer, &err, 1000));
	snprintf(message, sizeof(message),
		 "sockscope: writing the trace to %s failed: No space left on device\n",
		 self->file);
	/* The first line after the ready line, which tracer_start read. */
	second = strndup(err, strcspn(err, "\n") + 1);
	EXPECT_STREQ(message, second);
	EXPECT_EQ(1, count(err, message));
	free(second);
	free(err);
	expect_full_fs_file(self->file);
}

/* --- the ring buffer overflowing ----------------------------------------- */

#define OVERFLOW_CALLS	50000

/*
 * A 4 KiB ring buffer under a burst: losses happen, are reported inline
 * where they happened, and add up exactly.
 */
TEST_TIMEOUT(ring_buffer_overflow_text, 90)
{
	char *cmd[] = { sockburst(), "burst", "50000", NULL };
	char *opts[] = { "--ringbuf-size=4096", "-e", "socket", NULL };
	char summary[128], *out, *err;
	long long printed, lost;
	const char *p, *end;
	bool inline_report = false;

	REQUIRE_E2E();
	ASSERT_EQ(0, tracer_run(opts, cmd, &out, &err));
	printed = count(out, "] " BOGUS_CALL "\n");
	lost = lost_inline_text(out);
	TH_LOG("%lld printed, %lld lost", printed, lost);
	EXPECT_EQ(OVERFLOW_CALLS, printed + lost);
	EXPECT_LT(0, lost);
	/* Every line is a call or a loss report. */
	EXPECT_EQ(printed + count(out, " lost: the ring buffer was full ...\n"),
		  text_lines(out));
	/* A report followed by a call: inline, not only at the end. */
	end = out + strlen(out);
	for (p = find(out, end, LOST_TEXT); p && !inline_report;
	     p = find(p + 1, end, LOST_TEXT)) {
		const char *next = memchr(p + 1, '\n', end - p - 1);
		const char *eol = next ? memchr(next + 1, '\n',
						end - next - 1) : NULL;

		inline_report = eol && find(next, eol, "] socket(");
	}
	EXPECT_TRUE(inline_report);
	summary_line(summary, sizeof(summary), printed, printed, lost);
	EXPECT_NE(NULL, strstr(err, summary)) {
		TH_LOG("stderr: %s", err);
	}
	free(out);
	free(err);
}

/*
 * In JSON, each "lost" object comes right before the record that carried
 * the news (same ts_ns); only the last may come at the end, with ts_ns 0.
 */
TEST_TIMEOUT(ring_buffer_overflow_json, 90)
{
	char *cmd[] = { sockburst(), "burst", "50000", NULL };
	char *opts[] = { "-j", "--ringbuf-size=4096", "-e", "socket", NULL };
	char summary[128], *out, *err, *line, *save = NULL;
	long long printed = 0, lost = 0, lost_objects = 0, pending_ts = -1;
	long bad_order = 0;

	REQUIRE_E2E();
	ASSERT_EQ(0, tracer_run(opts, cmd, &out, &err));
	summary_line(summary, sizeof(summary), count(out, "\"name\":\"socket\""),
		     count(out, "\"name\":\"socket\""),
		     sum_after(out, "\"count\":"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		long long ts = atoll(strstr(line, "\"ts_ns\":") + 8);

		if (strstr(line, "{\"kind\":\"lost\"") == line) {
			lost += atoll(strstr(line, "\"count\":") + 8);
			lost_objects++;
			if (pending_ts >= 0)
				bad_order++;
			pending_ts = ts;
			continue;
		}
		printed++;
		if (pending_ts >= 0 && pending_ts != ts)
			bad_order++;
		pending_ts = -1;
	}
	TH_LOG("%lld printed, %lld lost in %lld reports", printed, lost,
	       lost_objects);
	EXPECT_EQ(OVERFLOW_CALLS, printed + lost);
	EXPECT_LT(0, lost);
	EXPECT_EQ(0, bad_order);
	/* A report left at the end is one of losses nothing came after. */
	EXPECT_TRUE(pending_ts <= 0);
	EXPECT_NE(NULL, strstr(err, summary)) {
		TH_LOG("stderr: %s", err);
	}
	free(out);
	free(err);
}

/* --- load: eight chatting pairs ------------------------------------------ */

#define PAIRS		8
#define BATCH		50	/* lines written before reading replies */

struct pair {
	struct proc server, client;
	bool tcp;
	long messages;
};

static long vm_rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static int start_pair(struct pair *p, bool tcp)
{
	char server[4096], client[4096], line[128], port[8];
	char *sargv[] = { server, "--echo", "--port", "0", NULL };
	char *cargv[] = { client, "--port", port, NULL };
	unsigned int n;

	p->tcp = tcp;
	build_path(server, sizeof(server), tcp ? "examples/tcp_chat_server" :
						 "examples/udp_chat_server");
	build_path(client, sizeof(client), tcp ? "examples/tcp_chat_client" :
						 "examples/udp_chat_client");
	if (proc_spawn(&p->server, sargv) ||
	    proc_read_line(&p->server, line, sizeof(line), 5000) < 0 ||
	    sscanf(line, "listening on 127.0.0.1:%u", &n) != 1)
		return -1;
	snprintf(port, sizeof(port), "%u", n);
	return proc_spawn(&p->client, cargv);
}

/* One batch of messages through a pair; 0, or -1 on a wrong reply. */
static int chat_batch(struct pair *p, long round)
{
	char msg[64], want[80], line[128];

	for (int i = 0; i < BATCH; i++) {
		snprintf(msg, sizeof(msg), "round %ld message %d\n", round, i);
		if (proc_write(&p->client, msg))
			return -1;
	}
	for (int i = 0; i < BATCH; i++) {
		snprintf(want, sizeof(want), "reply: round %ld message %d",
			 round, i);
		if (proc_read_line(&p->client, line, sizeof(line), 5000) < 0 ||
		    strcmp(line, want)) {
			TH_LOG("pair %s: wanted '%s', got '%s'",
			       p->tcp ? "tcp" : "udp", want, line);
			return -1;
		}
		/* The server prints each message: read it, or its pipe
		 * fills and it stops. */
		do {
			if (proc_read_line(&p->server, line, sizeof(line),
					   5000) < 0)
				return -1;
		} while (!strncmp(line, "connected: ", 11));
		if (!strstr(line, want + 7)) {
			TH_LOG("server: '%s'", line);
			return -1;
		}
	}
	p->messages += BATCH;
	return 0;
}

static int load_seconds(void)
{
	const char *env = getenv("LOAD_SECONDS");
	int n = env ? atoi(env) : 0;

	return n > 0 ? n : 30;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Four UDP and four TCP pairs of the chat programs (--echo, --port 0)
 * chat for LOAD_SECONDS under the tracer (-p with their 16 pids, so that
 * nothing else on the machine counts), with payloads and notes, into a
 * file. No crash; the reader's memory stays flat once warm; every send is
 * printed or counted as lost; the summary says exactly what was printed.
 */
TEST_TIMEOUT(load_eight_chat_pairs, 600)
{
	static struct pair pairs[PAIRS];
	char file[64], pids[PAIRS * 2 * 12], summary[128], row[64];
	char line[128], *out, *err;
	char *opts[] = { "-j", "--payload=32", "-o", file, "-p", pids, NULL };
	struct proc tracer = {};
	long long messages = 0, sent, lost, calls, failed, kernel;
	long rss_warm = -1, rss_end, round = 0;
	size_t n = 0;
	double start, end;

	REQUIRE_E2E();
	netns_enter_fresh();
	snprintf(file, sizeof(file), "/tmp/sockscope-load-%d.jsonl", getpid());
	for (int i = 0; i < PAIRS; i++) {
		ASSERT_EQ(0, start_pair(&pairs[i], i % 2));
		n += snprintf(pids + n, sizeof(pids) - n, "%s%d,%d",
			      i ? "," : "", pairs[i].server.pid,
			      pairs[i].client.pid);
	}
	ASSERT_EQ(0, tracer_start(&tracer, opts));
	start = now_s();
	end = start + load_seconds();
	while (now_s() < end) {
		for (int i = 0; i < PAIRS; i++)
			ASSERT_EQ(0, chat_batch(&pairs[i], round));
		round++;
		if (rss_warm < 0 && now_s() - start >= 1)
			rss_warm = vm_rss_kib(tracer.pid);
	}
	rss_end = vm_rss_kib(tracer.pid);
	for (int i = 0; i < PAIRS; i++) {
		ASSERT_EQ(0, proc_write(&pairs[i].client, "stop\n"));
		ASSERT_LT(0, proc_read_line(&pairs[i].client, line,
					    sizeof(line), 5000));
		EXPECT_STREQ("reply: stop", line);
		EXPECT_EQ(0, proc_wait(&pairs[i].client, 5000));
		EXPECT_EQ(0, proc_wait(&pairs[i].server, 5000));
		messages += pairs[i].messages + 1;
	}
	ASSERT_EQ(0, tracer_stop(&tracer, &out));
	ASSERT_LE(0, proc_read_all_err(&tracer, &err, 1000));
	free(out);
	out = read_file(file);
	unlink(file);

	TH_LOG("%lld messages in %d s; reader RSS %ld KiB warm, %ld KiB at the end",
	       messages, load_seconds(), rss_warm, rss_end);
	EXPECT_LT(0, rss_warm);
	EXPECT_GT(2048, rss_end - rss_warm);

	/* Each message: the client sends it, the server sends it back. */
	sent = count(out, "\"name\":\"sendto\"");
	lost = sum_after(out, "\"count\":");
	calls = count(out, "{\"kind\":\"syscall\"");
	failed = count(out, ",\"errno\":");
	kernel = count(out, "{\"kind\":\"tcp_");
	TH_LOG("%lld calls, %lld sends, %lld kernel events, %lld lost", calls,
	       sent, kernel, lost);
	EXPECT_LE(sent, 2 * messages);
	EXPECT_LE(2 * messages, sent + lost);
	EXPECT_EQ(calls + kernel + count(out, "{\"kind\":\"lost\""),
		  count(out, "\n"));
	summary_line(summary, sizeof(summary), calls, failed, lost);
	EXPECT_NE(NULL, strstr(err, summary)) {
		TH_LOG("stderr: %s", err);
	}
	snprintf(row, sizeof(row), "\n%10lld %8d  sendto\n", sent, 0);
	EXPECT_NE(NULL, strstr(err, row));
	free(out);
	free(err);
	for (int i = 0; i < PAIRS; i++) {
		proc_cleanup(&pairs[i].client);
		proc_cleanup(&pairs[i].server);
	}
	proc_cleanup(&tracer);
}

TEST_HARNESS_MAIN
