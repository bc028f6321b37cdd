// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Runs one tracer for bench/run.sh and measures the tracer itself: when it
 * was started, when it said it was ready, its resident memory over time and
 * at its peak.
 *
 *   tracer_session [-r TEXT] [-w WORKLOAD]... [-i MS] [-t SECONDS] -- TRACER...
 *
 * Without -r (command mode: the tracer starts the workload itself), it
 * starts TRACER and waits for it. With -r TEXT (system-wide or -p mode),
 * it waits for a line of the tracer's stderr holding TEXT, then runs the
 * WORKLOADs (each split on spaces; several -w run side by side) to their
 * end, sampling the tracer's VmRSS every MS milliseconds, then stops the
 * tracer with SIGINT. The tracer's stderr is passed on to ours; at the end
 * one line on stdout:
 *
 *   session exec_ns=E ready_ns=R stop_ns=T exit_ns=X rss_ready_kb=A
 *           rss_end_kb=B rss_sampled_max_kb=C rss_bpf_maps_kb=D
 *           maxrss_kb=M status=S
 *
 * exec_ns: CLOCK_MONOTONIC just before the tracer was executed (compare
 * with a workload's first_call_ns); ready_ns: from then to the ready line;
 * stop_ns: from SIGINT to the tracer's exit (with -r); exit_ns:
 * CLOCK_MONOTONIC when the tracer had exited (compare with a workload's
 * end_ns);
 * rss_bpf_maps_kb: how much of rss_end_kb is BPF maps mapped into the
 * tracer (a BPF ring buffer's data pages, mapped at once, all count);
 * maxrss_kb: the peak resident set of the tracer (getrusage of a child:
 * the largest of the tracer and the children it reaped — in command mode
 * that includes the workload, which is much smaller). status: the tracer's
 * exit status, or 128+signal. Exits 0 when the tracer and the workload
 * both succeeded, 1 otherwise.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

#include "bench.h"

#define USAGE "tracer_session [-r TEXT] [-w WORKLOAD]... [-i MS] [-t SECONDS] -- TRACER [ARGS...]"
#define MAX_WORDS	32
#define MAX_WORKLOADS	4

struct session {
	const char *ready_text;
	char *workload[MAX_WORKLOADS];
	int nworkloads;
	unsigned long long sample_ms;
	unsigned long long deadline_ns;
	pid_t tracer;
	int err_fd;			/* the tracer's stderr, with -r */
	char line[4096];
	size_t line_len;
	int ready;
	long rss_ready, rss_end, rss_max, rss_maps;
};

static long tracer_rss_kb(pid_t pid)
{
	char path[64], buf[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Resident kB of the BPF maps mapped into pid (anon_inode:bpf-map). */
static long bpf_maps_rss_kb(pid_t pid)
{
	char path[64], buf[512];
	unsigned long start, end;
	long kb, total = 0;
	int in_map = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f)) {
		/* A mapping's first line: "start-end perms offset ...". */
		if (sscanf(buf, "%lx-%lx ", &start, &end) == 2)
			in_map = strstr(buf, "anon_inode:bpf-map") != NULL;
		else if (in_map && sscanf(buf, "Rss: %ld", &kb) == 1)
			total += kb;
	}
	fclose(f);
	return total;
}

static void sample_rss(struct session *s)
{
	long kb = tracer_rss_kb(s->tracer);

	if (kb > s->rss_max)
		s->rss_max = kb;
	s->rss_end = kb;
}

/* Pass the tracer's stderr on, watching for the ready text. 0 at EOF. */
static int pump_stderr(struct session *s, int timeout_ms)
{
	struct pollfd pfd = { .fd = s->err_fd, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (s->err_fd < 0)
		return 0;
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 1;
	n = read(s->err_fd, buf, sizeof(buf));
	if (n <= 0) {
		close(s->err_fd);
		s->err_fd = -1;
		return 0;
	}
	if (write(STDERR_FILENO, buf, n) != n)
		return 1;
	for (ssize_t i = 0; i < n && !s->ready; i++) {
		if (buf[i] == '\n' || s->line_len == sizeof(s->line) - 1) {
			s->line[s->line_len] = '\0';
			s->ready = strstr(s->line, s->ready_text) != NULL;
			s->line_len = 0;
		} else {
			s->line[s->line_len++] = buf[i];
		}
	}
	return 1;
}

static int split_words(char *cmd, char **argv)
{
	int n = 0;

	for (char *w = strtok(cmd, " "); w && n < MAX_WORDS - 1;
	     w = strtok(NULL, " "))
		argv[n++] = w;
	argv[n] = NULL;
	return n;
}

static pid_t spawn(char **argv, int err_wr)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (err_wr >= 0 && dup2(err_wr, STDERR_FILENO) < 0)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "tracer_session: cannot run %s: %s\n",
			argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* Wait for pid, passing stderr on; kill the tracer at the deadline. */
static int wait_child(struct session *s, pid_t pid, struct rusage *ru)
{
	unsigned long long next_sample = now_ns();
	int status;
	pid_t r;

	for (;;) {
		r = wait4(pid, &status, WNOHANG, ru);
		if (r == pid)
			return exit_code(status);
		if (r < 0)
			die("wait4");
		if (now_ns() > s->deadline_ns) {
			fprintf(stderr, "tracer_session: timed out; killing the tracer\n");
			kill(s->tracer, SIGKILL);
			s->deadline_ns = ~0ULL;
		}
		if (s->sample_ms && pid != s->tracer &&
		    now_ns() >= next_sample) {
			sample_rss(s);
			next_sample += s->sample_ms * 1000000ULL;
		}
		if (!pump_stderr(s, 5))
			usleep(5000);
	}
}

/* Start every workload, then wait for them all; 0 if all succeeded. */
static int run_workloads(struct session *s)
{
	char *argv[MAX_WORKLOADS][MAX_WORDS];
	pid_t pids[MAX_WORKLOADS];
	int status, failed = 0;

	for (int i = 0; i < s->nworkloads; i++) {
		pids[i] = -1;
		if (split_words(s->workload[i], argv[i]))
			pids[i] = spawn(argv[i], -1);
	}
	for (int i = 0; i < s->nworkloads; i++) {
		if (pids[i] < 0)
			continue;
		status = wait_child(s, pids[i], NULL);
		if (status) {
			fprintf(stderr, "tracer_session: workload %s failed (%d)\n",
				argv[i][0], status);
			failed = 1;
		}
	}
	return failed;
}

int main(int argc, char **argv)
{
	struct session s = { .err_fd = -1, .rss_ready = -1, .rss_end = -1,
			     .rss_max = -1, .rss_maps = -1 };
	unsigned long long exec_ns, ready_ns = 0, stop_ns = 0, exit_ns;
	unsigned long long timeout_s = 600;
	int opt, pipefd[2] = { -1, -1 }, status, work_status = 0;
	struct rusage ru = {};

	while ((opt = getopt(argc, argv, "+r:w:i:t:")) != -1) {
		switch (opt) {
		case 'r': s.ready_text = optarg; break;
		case 'w':
			if (s.nworkloads == MAX_WORKLOADS) {
				fprintf(stderr, "tracer_session: at most %d -w\n",
					MAX_WORKLOADS);
				return 2;
			}
			s.workload[s.nworkloads++] = optarg;
			break;
		case 'i': s.sample_ms = parse_count(optarg, "MS", USAGE); break;
		case 't': timeout_s = parse_count(optarg, "SECONDS", USAGE); break;
		default:
			fprintf(stderr, "usage: %s\n", USAGE);
			return 2;
		}
	}
	if (optind >= argc || (s.nworkloads && !s.ready_text)) {
		fprintf(stderr, "usage: %s\n", USAGE);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (s.ready_text && pipe2(pipefd, O_CLOEXEC))
		die("pipe");

	exec_ns = now_ns();
	s.deadline_ns = exec_ns + timeout_s * 1000000000ULL;
	s.tracer = spawn(argv + optind, pipefd[1]);
	s.err_fd = pipefd[0];
	if (pipefd[1] >= 0)
		close(pipefd[1]);

	if (s.ready_text) {
		while (!s.ready && now_ns() < s.deadline_ns &&
		       pump_stderr(&s, 100))
			;
		if (!s.ready) {
			fprintf(stderr, "tracer_session: %s never said '%s'\n",
				argv[optind], s.ready_text);
			kill(s.tracer, SIGKILL);
			wait_child(&s, s.tracer, &ru);
			return 1;
		}
		ready_ns = now_ns() - exec_ns;
		s.rss_ready = s.rss_max = s.rss_end = tracer_rss_kb(s.tracer);
		work_status = run_workloads(&s);
		sample_rss(&s);
		s.rss_maps = bpf_maps_rss_kb(s.tracer);
		stop_ns = now_ns();
		kill(s.tracer, SIGINT);
	}
	status = wait_child(&s, s.tracer, &ru);
	exit_ns = now_ns();
	if (stop_ns)
		stop_ns = exit_ns - stop_ns;
	printf("session exec_ns=%llu ready_ns=%llu stop_ns=%llu exit_ns=%llu "
	       "rss_ready_kb=%ld rss_end_kb=%ld rss_sampled_max_kb=%ld "
	       "rss_bpf_maps_kb=%ld maxrss_kb=%ld status=%d\n",
	       exec_ns, ready_ns, stop_ns, exit_ns, s.rss_ready, s.rss_end,
	       s.rss_max, s.rss_maps, ru.ru_maxrss, status);
	return status || work_status ? 1 : 0;
}
