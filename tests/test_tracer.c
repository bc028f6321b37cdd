// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The tracer end to end: commands and exit statuses, filters in the
 * kernel (-p, -c, -f across fork and threads), payload capture, -x, -o,
 * JSON, and exact loss accounting. Needs root and BTF.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

#define BOGUS_LINE(pid) \
	"[" pid " sockburst] socket(0x3039 /* AF_??? */, SOCK_STREAM, 0) = -1 EAFNOSUPPORT (Address family not supported by protocol)\n"

static char burst_path[4096];

static char *burst(void)
{
	build_path(burst_path, sizeof(burst_path), "tests/helpers/sockburst");
	return burst_path;
}

TEST_TIMEOUT(command_exit_status_is_passed_on, 60)
{
	char *sh3[] = { "sh", "-c", "exit 3", NULL };
	char *killed[] = { "sh", "-c", "kill -TERM $$", NULL };
	char *out, *err;

	REQUIRE_E2E();
	EXPECT_EQ(3, tracer_run(NULL, sh3, &out, &err));
	free(out);
	free(err);
	EXPECT_EQ(128 + SIGTERM, tracer_run(NULL, killed, &out, &err));
	free(out);
	free(err);
}

TEST_TIMEOUT(command_that_cannot_start_gives_127, 60)
{
	char *missing[] = { "/nonexistent/program", NULL };
	char *out, *err;

	REQUIRE_E2E();
	EXPECT_EQ(127, tracer_run(NULL, missing, &out, &err));
	EXPECT_STREQ("sockscope: cannot run '/nonexistent/program': No such file or directory\n",
		     err);
	free(out);
	free(err);
}

/* A command's calls, and its children's, all in order; nobody else's. */
TEST_TIMEOUT(command_and_its_tree_are_traced, 60)
{
	char *cmd[] = { burst(), "tree", NULL };
	char *opts[] = { "-e", "socket", NULL };
	char *out, *err, *seen, expected[2048];
	pid_t pid, child, tid;
	const char *p;

	REQUIRE_E2E();
	ASSERT_EQ(0, tracer_run(opts, cmd, &out, &err));
	/* The command's own output comes first: its child and thread. */
	p = strstr(out, "child ");
	ASSERT_NE(NULL, p);
	child = atoi(p + 6);
	p = strstr(out, "thread ");
	ASSERT_NE(NULL, p);
	tid = atoi(p + 7);
	p = strstr(out, "sockburst] socket(AF_UNIX");
	ASSERT_NE(NULL, p);
	while (p > out && *p != '[')
		p--;
	pid = atoi(p + 1);

	seen = text_lines_of(out, child);
	snprintf(expected, sizeof(expected),
		 "[%d sockburst] socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 4\n",
		 child);
	EXPECT_STREQ(expected, seen);
	free(seen);
	seen = text_lines_of(out, pid);
	snprintf(expected, sizeof(expected),
		 "[%1$d/%2$d sockburst] socket(AF_UNIX, SOCK_DGRAM, 0) = 3\n"
		 "[%1$d sockburst] socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n",
		 pid, tid);
	EXPECT_STREQ(expected, seen);
	free(seen);
	EXPECT_EQ(3, count_of(out, "] socket("));
	free(out);
	free(err);
}

/* -p traces that process only; -f adds the children it forks. */
TEST_TIMEOUT(pid_filter_with_and_without_follow, 60)
{
	struct proc tracer = {}, target = {}, other = {};
	char *targv[] = { burst(), "tree", "wait", NULL };
	char *oargv[] = { burst(), "wait", "5", NULL };
	char pidarg[32], line[64], *out, *seen, expected[1024];
	char *opts[] = { "-p", pidarg, "-e", "socket", NULL };
	char *opts_f[] = { "-f", "-p", pidarg, "-e", "socket", NULL };
	pid_t child;

	REQUIRE_E2E();
	for (int follow = 0; follow <= 1; follow++) {
		/* Both wait for a line on stdin before their calls. */
		ASSERT_EQ(0, proc_spawn(&other, oargv));
		ASSERT_EQ(0, proc_spawn(&target, targv));
		snprintf(pidarg, sizeof(pidarg), "%d", target.pid);
		ASSERT_EQ(0, tracer_start(&tracer, follow ? opts_f : opts));
		ASSERT_EQ(0, proc_write(&target, "go\n"));
		ASSERT_LT(0, proc_read_line(&target, line, sizeof(line), 5000));
		ASSERT_EQ(1, sscanf(line, "child %d", &child));
		ASSERT_EQ(0, proc_wait(&target, 5000));
		/* Another process's calls while tracing: never shown. */
		ASSERT_EQ(0, proc_write(&other, "go\n"));
		ASSERT_EQ(0, proc_wait(&other, 5000));
		ASSERT_EQ(0, tracer_stop(&tracer, &out));

		seen = text_lines_of(out, child);
		snprintf(expected, sizeof(expected),
			 "[%d sockburst] socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 4\n",
			 child);
		EXPECT_STREQ(follow ? expected : "", seen);
		free(seen);
		EXPECT_EQ(follow ? 3 : 2, count_of(out, "] socket("));
		seen = text_lines_of(out, other.pid);
		EXPECT_STREQ("", seen);
		free(seen);
		free(out);
		proc_cleanup(&tracer);
		proc_cleanup(&target);
		proc_cleanup(&other);
		memset(&tracer, 0, sizeof(tracer));
		memset(&target, 0, sizeof(target));
		memset(&other, 0, sizeof(other));
	}
}

/* A sockburst making 3 sockets, traced with opts: its lines when
 * traced is true, else none. */
static void comm_filter_run(char *opts[], bool traced)
{
	struct proc tracer = {}, target = {};
	char *targv[] = { burst(), "wait", "3", NULL };
	char *out, *seen, expected[1024], exact[2048], pid[16];

	ASSERT_EQ(0, tracer_start(&tracer, opts));
	ASSERT_EQ(0, proc_spawn(&target, targv));
	ASSERT_EQ(0, proc_write(&target, "go\n"));
	ASSERT_EQ(0, proc_wait(&target, 5000));
	/* This test process is not named sockburst: not traced. */
	close(socket(AF_INET, SOCK_DGRAM, 0));
	ASSERT_EQ(0, tracer_stop(&tracer, &out));
	snprintf(pid, sizeof(pid), "%d", target.pid);
	seen = text_lines_of(out, target.pid);
	snprintf(expected, sizeof(expected), "%s%s%s", BOGUS_LINE("%1$s"),
		 BOGUS_LINE("%1$s"), BOGUS_LINE("%1$s"));
	snprintf(exact, sizeof(exact), expected, pid);
	EXPECT_STREQ(traced ? exact : "", seen);
	EXPECT_EQ(traced ? 3 : 0, count_of(out, "] socket("));
	free(seen);
	free(out);
	proc_cleanup(&tracer);
	proc_cleanup(&target);
}

/* -c matches the kernel's command name: one name is compared in place,
 * several are looked up; a name that is only the start of the command's
 * does not match. */
TEST_TIMEOUT(comm_filter, 90)
{
	char *one[] = { "-c", "sockburst", NULL };
	char *two[] = { "-c", "no_such_name", "-c", "sockburst", NULL };
	char *prefix[] = { "-c", "sockburs", NULL };
	char *longer[] = { "-c", "sockburst2", NULL };

	REQUIRE_E2E();
	comm_filter_run(one, true);
	comm_filter_run(two, true);
	comm_filter_run(prefix, false);
	comm_filter_run(longer, false);
}

TEST_TIMEOUT(payload_text_and_json, 60)
{
	char *cmd[] = { burst(), "payload", NULL };
	char *text_opts[] = { "--payload=8", "-e", "sendto,recvfrom", NULL };
	char *json_opts[] = { "-j", "--payload", "--no-explain", "-e", "sendto",
			      NULL };
	char *out, *err, *seen, expected[4096];
	const char *port;
	pid_t pid;

	REQUIRE_E2E();
	netns_enter_fresh();
	ASSERT_EQ(0, tracer_run(text_opts, cmd, &out, &err));
	pid = (pid_t)pid_in(out);
	seen = text_lines_of(out, pid);
	/* 8 bytes: "你好" is 6, then the first 2 of "，" (3 bytes). */
	ASSERT_EQ(4, count_of(seen, "\n"));
	EXPECT_NE(NULL, strstr(seen, "] sendto(3, \"你好\\357\\274\"..., 18, 0, {AF_INET, 127.0.0.1:"));
	EXPECT_NE(NULL, strstr(seen, "] recvfrom(3, \"你好\\357\\274\"..., 64, 0, NULL, NULL) = 18\n"));
	EXPECT_NE(NULL, strstr(seen, "] sendto(3, \"\\0\\377\\1\\nA\", 5, 0, {AF_INET, 127.0.0.1:"));
	EXPECT_NE(NULL, strstr(seen, "] recvfrom(3, \"\\0\\377\\1\\nA\", 64, 0, NULL, NULL) = 5\n"));
	free(seen);
	free(out);
	free(err);

	ASSERT_EQ(0, tracer_run(json_opts, cmd, &out, &err));
	pid = atoi(strstr(out, "\"pid\":") + 6);
	seen = json_lines_of(out, pid);
	port = strstr(seen, "\"port\":");
	ASSERT_NE(NULL, port);
	snprintf(expected, sizeof(expected),
			 "{\"kind\":\"syscall\",\"ts_ns\":0,\"pid\":%1$d,\"tid\":%1$d,\"comm\":\"sockburst\",\"name\":\"sendto\",\"ret\":18,\"args\":{\"fd\":3,\"len\":18,\"flags\":[],\"addr\":{\"family\":\"AF_INET\",\"ip\":\"127.0.0.1\",\"port\":%2$d}},\"data\":{\"hex\":\"e4bda0e5a5bdefbc8ce69c8de58aa1e599a8\",\"text\":\"你好，服务器\",\"truncated\":false}}\n"
			 "{\"kind\":\"syscall\",\"ts_ns\":0,\"pid\":%1$d,\"tid\":%1$d,\"comm\":\"sockburst\",\"name\":\"sendto\",\"ret\":5,\"args\":{\"fd\":3,\"len\":5,\"flags\":[],\"addr\":{\"family\":\"AF_INET\",\"ip\":\"127.0.0.1\",\"port\":%2$d}},\"data\":{\"hex\":\"00ff010a41\",\"truncated\":false}}\n",
			 pid, atoi(port + 7));
	EXPECT_STREQ(expected, seen);
	free(seen);
	free(out);
	free(err);
}

/* The command never runs as root by accident: -u USER, or under sudo the
 * user who typed it. */
TEST_TIMEOUT(command_runs_as_the_user, 60)
{
	char *cmd[] = { "id", "-u", NULL };
	char *as_nobody[] = { "-u", "nobody", NULL };
	char path[4096], *out, *err;
	char *argv[] = { path, "--", "id", "-u", NULL };
	char *envp[] = { "PATH=/usr/bin:/bin", "SUDO_UID=65534",
			 "SUDO_GID=65534", NULL };
	struct proc p = {};

	REQUIRE_E2E();
	ASSERT_EQ(0, tracer_run(as_nobody, cmd, &out, &err));
	EXPECT_STREQ("65534\n", out);
	free(out);
	free(err);
	/* As if started by "sudo" from uid 65534. */
	build_path(path, sizeof(path), "sockscope");
	ASSERT_EQ(0, proc_spawn_env(&p, argv, envp));
	proc_close_stdin(&p);
	ASSERT_LE(0, proc_read_all(&p, &out, 30000));
	EXPECT_EQ(0, proc_wait(&p, 30000));
	EXPECT_STREQ("65534\n", out);
	free(out);
	proc_cleanup(&p);
}

/* -y names the socket behind each descriptor, as strace -yy does. */
TEST_TIMEOUT(decode_fds_names_the_socket, 60)
{
	char *cmd[] = { burst(), "payload", NULL };
	char *opts[] = { "-y", "--no-explain", "-e", "sendto", NULL };
	char *out, *err, *seen, expected[1024];
	const char *p;
	int port;

	REQUIRE_E2E();
	netns_enter_fresh();
	ASSERT_EQ(0, tracer_run(opts, cmd, &out, &err));
	seen = text_lines_of(out, (pid_t)pid_in(out));
	p = strstr(seen, "{AF_INET, 127.0.0.1:");
	ASSERT_NE(NULL, p);
	port = atoi(p + strlen("{AF_INET, 127.0.0.1:"));
	snprintf(expected, sizeof(expected),
		 "[%1$d sockburst] sendto(3<UDP:[127.0.0.1:%2$d]>, ..., 18, 0, {AF_INET, 127.0.0.1:%2$d}, 16) = 18\n"
		 "[%1$d sockburst] sendto(3<UDP:[127.0.0.1:%2$d]>, ..., 5, 0, {AF_INET, 127.0.0.1:%2$d}, 16) = 5\n",
		 (pid_t)pid_in(out), port);
	EXPECT_STREQ(expected, seen);
	free(seen);
	free(out);
	free(err);
}

TEST_TIMEOUT(failed_only_and_output_file, 60)
{
	char path[] = "/tmp/sockscope-test-XXXXXX";
	char file[4096], *out, *err, *seen, expected[8192], exact[1024];
	char buf[4096];
	char *cmd[] = { "sh", "-c", "exec \"$0\" burst 2", burst(), NULL };
	char *opts[] = { "-x", "-o", file, NULL };
	struct stat st;
	ssize_t n;
	int fd;

	REQUIRE_E2E();
	ASSERT_NE(NULL, mkdtemp(path));
	snprintf(file, sizeof(file), "%s/trace.txt", path);
	ASSERT_EQ(0, tracer_run(opts, cmd, &out, &err));
	EXPECT_STREQ("", out);
	ASSERT_EQ(0, stat(file, &st));
	EXPECT_EQ(0600, st.st_mode & 0777);
	fd = open(file, O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	seen = text_lines_of(buf, (pid_t)pid_in(buf));
	snprintf(expected, sizeof(expected), "%s%s", BOGUS_LINE("%1$d"),
		 BOGUS_LINE("%1$d"));
	snprintf(exact, sizeof(exact), expected, (pid_t)pid_in(buf));
	EXPECT_STREQ(exact, seen);
	free(seen);
	free(out);
	free(err);

	/* Never through a symlink planted at the output path. */
	unlink(file);
	ASSERT_EQ(0, symlink("/tmp/sockscope-never-written", file));
	EXPECT_EQ(1, tracer_run(opts, cmd, &out, &err));
	snprintf(expected, sizeof(expected),
		 "sockscope: cannot write the trace to '%s': Too many levels of symbolic links\n",
		 file);
	EXPECT_STREQ(expected, err);
	EXPECT_NE(0, access("/tmp/sockscope-never-written", F_OK));
	free(out);
	free(err);
	unlink(file);
	rmdir(path);
}

/* Under SANITIZE=1 each record costs the reader ten times more. */
#ifdef __SANITIZE_ADDRESS__
#define BURST_CALLS	"20000"
#else
#define BURST_CALLS	"200000"
#endif

/*
 * A deliberately small ring buffer under a burst: every call is either
 * delivered or counted in a "lost" record, exactly.
 */
TEST_TIMEOUT(losses_are_counted_exactly, 120)
{
	char *cmd[] = { burst(), "burst", BURST_CALLS, NULL };
	char *opts[] = { "-j", "--ringbuf-size=4096", NULL };
	char *out, *err, summary[128];
	long delivered, lost = 0;
	const char *p;

	REQUIRE_E2E();
	ASSERT_EQ(0, tracer_run(opts, cmd, &out, &err));
	delivered = count_of(out, "\"name\":\"socket\"");
	for (p = strstr(out, "\"kind\":\"lost\""); p;
	     p = strstr(p + 1, "\"kind\":\"lost\""))
		lost += atol(strstr(p, "\"count\":") + 8);
	TH_LOG("delivered %ld, lost %ld", delivered, lost);
	EXPECT_EQ(atol(BURST_CALLS), delivered + lost);
	EXPECT_LT(0, lost);
	snprintf(summary, sizeof(summary),
		 "sockscope: %ld calls, %ld failed, %ld lost\n",
		 delivered, delivered, lost);
	EXPECT_NE(NULL, strstr(err, summary)) {
		TH_LOG("stderr: %s", err);
	}
	free(out);
	free(err);
}

#define NUMBERED	5000
#define NUMBERED_TEXT	"5000"

/* The payload "sockburst numbered" sent as its i-th datagram. */
static void numbered_text(char *buf, size_t size, long i)
{
	int len = snprintf(buf, size, "#%ld:", i);

	memset(buf + len, '-', i % 40);
	buf[len + i % 40] = '\0';
}

/*
 * The reader maps the ring buffer's data once, so a record that runs past
 * its end comes in two pieces: in a 4 KiB buffer, most records that are
 * delivered at all do. Each delivered sendto() is whole (its own payload,
 * in order), and delivered + lost is what was sent.
 */
TEST_TIMEOUT(records_that_wrap_around_the_ring_read_whole, 120)
{
	char *cmd[] = { burst(), "numbered", NUMBERED_TEXT, NULL };
	char *opts[] = { "-j", "--payload", "--ringbuf-size=4096",
			 "-e", "sendto", NULL };
	char *out, *err, want[80], *line, *save = NULL;
	long delivered = 0, lost = 0, last = -1, wrong = 0;

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_EQ(0, tracer_run(opts, cmd, &out, &err));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *text = strstr(line, "\"text\":\"#");
		long i;

		if (strstr(line, "{\"kind\":\"lost\"") == line) {
			lost += atol(strstr(line, "\"count\":") + 8);
			continue;
		}
		delivered++;
		i = text ? atol(text + 9) : -1;
		numbered_text(want, sizeof(want) - 1, i);
		strcat(want, "\"");
		if (i <= last || strncmp(text + 8, want, strlen(want))) {
			if (wrong++ < 3)
				TH_LOG("after #%ld: %s", last, line);
		}
		last = i;
	}
	TH_LOG("delivered %ld, lost %ld", delivered, lost);
	EXPECT_EQ(0, wrong);
	EXPECT_EQ(NUMBERED, delivered + lost);
	/* Enough to have gone round the 4 KiB buffer many times. */
	EXPECT_LT(100, delivered);
	free(out);
	free(err);
}

/* Everything issued before SIGINT is printed: the reader drains. */
TEST_TIMEOUT(nothing_is_lost_at_sigint, 60)
{
	struct proc tracer = {}, target = {};
	char *targv[] = { burst(), "wait", "20000", NULL };
	char pidarg[16], *out;
	char *opts[] = { "-j", "-p", pidarg, NULL };

	REQUIRE_E2E();
	ASSERT_EQ(0, proc_spawn(&target, targv));
	snprintf(pidarg, sizeof(pidarg), "%d", target.pid);
	ASSERT_EQ(0, tracer_start(&tracer, opts));
	ASSERT_EQ(0, proc_write(&target, "go\n"));
	ASSERT_EQ(0, proc_wait(&target, 10000));
	/* Straight after the burst, before the reader's next poll. */
	ASSERT_EQ(0, tracer_stop(&tracer, &out));
	EXPECT_EQ(20000, count_of(out, "\"name\":\"socket\""));
	EXPECT_EQ(0, count_of(out, "\"kind\":\"lost\""));
	free(out);
	proc_cleanup(&tracer);
	proc_cleanup(&target);
}

/* Output into a pipe closed early (| head): exit 0, nothing on stderr. */
TEST_TIMEOUT(closed_pipe_ends_quietly, 60)
{
	char path[4096], cmdline[16384], line[512], errfile[64];
	char *argv[] = { "bash", "-c", cmdline, NULL };
	struct proc p = {};
	char *err = NULL;

	REQUIRE_E2E();
	build_path(path, sizeof(path), "sockscope");
	snprintf(errfile, sizeof(errfile), "/tmp/sockscope-pipe-%d", getpid());
	snprintf(cmdline, sizeof(cmdline),
		 "%s -- %s burst 5000 2>%s | head -n 1 >/dev/null; echo ${PIPESTATUS[0]}; cat %s",
		 path, burst(), errfile, errfile);
	ASSERT_EQ(0, proc_spawn(&p, argv));
	ASSERT_LT(0, proc_read_line(&p, line, sizeof(line), 30000));
	EXPECT_STREQ("0", line);
	EXPECT_EQ(0, proc_wait(&p, 5000));
	proc_read_all(&p, &err, 1000);
	EXPECT_STREQ("", err);
	free(err);
	proc_cleanup(&p);
	unlink(errfile);
}

TEST_HARNESS_MAIN
