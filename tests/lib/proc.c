// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Running a program from a test, with its standard streams on pipes. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/close_range.h>
#include <netinet/in.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"

#define READ_CHUNK	4096
#define WAIT_POLL_MS	10	/* how often to look without a pidfd */

enum { PIPE_IN, PIPE_OUT, PIPE_ERR, PIPE_EXEC, PIPE_COUNT };

/* --- deadlines -------------------------------------------------------- */

struct deadline {
	struct timespec end;
	bool forever;
};

static void deadline_start(struct deadline *d, int timeout_ms)
{
	d->forever = timeout_ms < 0;
	clock_gettime(CLOCK_MONOTONIC, &d->end);
	if (d->forever)
		return;
	d->end.tv_sec += timeout_ms / 1000;
	d->end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (d->end.tv_nsec >= 1000000000) {
		d->end.tv_sec++;
		d->end.tv_nsec -= 1000000000;
	}
}

/* Milliseconds left, rounded up; 0 once passed, -1 for forever. */
static int deadline_left(const struct deadline *d)
{
	struct timespec now;
	long long ns;

	if (d->forever)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (d->end.tv_sec - now.tv_sec) * 1000000000LL +
	     (d->end.tv_nsec - now.tv_nsec);
	return ns <= 0 ? 0 : (int)((ns + 999999) / 1000000);
}

/* --- output buffers ------------------------------------------------- */

static void stream_init(struct proc_stream *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
}

/* Reads what the pipe has into the buffer; end of file sets eof. */
static int stream_fill(struct proc_stream *s)
{
	size_t cap;
	ssize_t n;
	char *data;

	if (s->cap - s->len < READ_CHUNK) {
		cap = s->cap * 2 > s->len + READ_CHUNK ?
		      s->cap * 2 : s->len + READ_CHUNK;
		data = realloc(s->data, cap);
		if (!data)
			return -ENOMEM;
		s->data = data;
		s->cap = cap;
	}
	n = read(s->fd, s->data + s->len, READ_CHUNK);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -errno;
	if (n == 0)
		s->eof = true;
	s->len += n;
	return 0;
}

static void stream_consume(struct proc_stream *s, size_t n)
{
	memmove(s->data, s->data + n, s->len - n);
	s->len -= n;
}

/* The next whole line (or last unterminated one); -EAGAIN if none yet. */
static ssize_t stream_take_line(struct proc_stream *s, char *buf,
				size_t size)
{
	char *nl = s->len ? memchr(s->data, '\n', s->len) : NULL;
	size_t len, used;
	ssize_t ret;

	if (nl) {
		len = nl - s->data;
		used = len + 1;
	} else if (s->eof) {
		if (!s->len)
			return -ENODATA;
		len = used = s->len;
	} else {
		return -EAGAIN;
	}
	if (len < size) {
		memcpy(buf, s->data, len);
		buf[len] = '\0';
		ret = len;
	} else {
		ret = -E2BIG;
	}
	stream_consume(s, used);
	return ret;
}

/* Hands out the whole buffer as a NUL-terminated string. */
static ssize_t stream_take_all(struct proc_stream *s, char **out)
{
	char *str = malloc(s->len + 1);
	ssize_t len = s->len;

	if (!str)
		return -ENOMEM;
	if (len)
		memcpy(str, s->data, len);
	str[len] = '\0';
	s->len = 0;
	*out = str;
	return len;
}

static void stream_free(struct proc_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->data);
	stream_init(s, -1);
}

/* --- waiting ---------------------------------------------------------- */

/*
 * Waits up to timeout_ms for news on stdout or stderr (or for extra_fd,
 * if not negative, to become readable) and buffers what came. Returns 0,
 * -ETIMEDOUT if nothing happened, or -errno.
 */
static int proc_pump(struct proc *p, int extra_fd, int timeout_ms)
{
	struct proc_stream *streams[2];
	struct pollfd fds[3];
	int n = 0, i, ret;

	if (!p->out.eof)
		streams[n++] = &p->out;
	if (!p->err.eof)
		streams[n++] = &p->err;
	for (i = 0; i < n; i++) {
		fds[i].fd = streams[i]->fd;
		fds[i].events = POLLIN;
	}
	if (extra_fd >= 0) {
		fds[n].fd = extra_fd;
		fds[n].events = POLLIN;
	}
	ret = poll(fds, n + (extra_fd >= 0), timeout_ms);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	for (i = 0; i < n; i++) {
		if (!fds[i].revents)
			continue;
		ret = stream_fill(streams[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static ssize_t read_line(struct proc *p, struct proc_stream *s, char *buf,
			 size_t size, int timeout_ms)
{
	bool expired = false;
	struct deadline d;
	ssize_t ret;
	int left;

	if (!p->spawned)
		return -EBADF;
	deadline_start(&d, timeout_ms);
	for (;;) {
		ret = stream_take_line(s, buf, size);
		if (ret != -EAGAIN)
			return ret;
		if (expired)
			return -ETIMEDOUT;
		left = deadline_left(&d);
		expired = left == 0;
		ret = proc_pump(p, -1, left);
		if (ret)
			return ret;
	}
}

static ssize_t read_all(struct proc *p, struct proc_stream *s, char **out,
			int timeout_ms)
{
	struct deadline d;
	int ret, left;

	*out = NULL;
	if (!p->spawned)
		return -EBADF;
	deadline_start(&d, timeout_ms);
	while (!s->eof) {
		left = deadline_left(&d);
		ret = proc_pump(p, -1, left);
		if (ret == -ETIMEDOUT || (!ret && left == 0))
			break;
		if (ret)
			return ret;
	}
	return stream_take_all(s, out);
}

ssize_t proc_read_line(struct proc *p, char *buf, size_t size,
		       int timeout_ms)
{
	return read_line(p, &p->out, buf, size, timeout_ms);
}

ssize_t proc_read_err_line(struct proc *p, char *buf, size_t size,
			   int timeout_ms)
{
	return read_line(p, &p->err, buf, size, timeout_ms);
}

ssize_t proc_read_all(struct proc *p, char **out, int timeout_ms)
{
	return read_all(p, &p->out, out, timeout_ms);
}

ssize_t proc_read_all_err(struct proc *p, char **out, int timeout_ms)
{
	return read_all(p, &p->err, out, timeout_ms);
}

static int pidfd_for(pid_t pid)
{
#ifdef SYS_pidfd_open
	return syscall(SYS_pidfd_open, pid, 0);
#else
	return -1;
#endif
}

static int decode_status(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Reaps the program if it has exited: 1 if so, 0 if not, or -errno. */
static int try_reap(struct proc *p)
{
	int status;
	pid_t ret;

	ret = waitpid(p->pid, &status, WNOHANG);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (ret == 0)
		return 0;
	p->reaped = true;
	p->status = decode_status(status);
	return 1;
}

int proc_wait(struct proc *p, int timeout_ms)
{
	struct deadline d;
	int pidfd, ret, left;

	if (!p->spawned)
		return -ECHILD;
	if (p->reaped)
		return p->status;
	deadline_start(&d, timeout_ms);
	pidfd = pidfd_for(p->pid);
	for (;;) {
		ret = try_reap(p);
		if (ret)
			break;
		left = deadline_left(&d);
		if (left == 0) {
			ret = -ETIMEDOUT;
			break;
		}
		if (pidfd < 0 && (left < 0 || left > WAIT_POLL_MS))
			left = WAIT_POLL_MS;
		ret = proc_pump(p, pidfd, left);
		if (ret && ret != -ETIMEDOUT)
			break;
	}
	if (pidfd >= 0)
		close(pidfd);
	return ret < 0 ? ret : p->status;
}

void proc_kill(struct proc *p, int sig)
{
	if (p->spawned && !p->reaped)
		kill(p->pid, sig);
}

/* --- writing ------------------------------------------------------------ */

int proc_write_n(struct proc *p, const void *buf, size_t n)
{
	const char *at = buf;
	ssize_t done;

	if (!p->spawned || p->in_fd < 0)
		return -EBADF;
	while (n) {
		done = write(p->in_fd, at, n);
		if (done < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		at += done;
		n -= done;
	}
	return 0;
}

int proc_write(struct proc *p, const char *s)
{
	return proc_write_n(p, s, strlen(s));
}

void proc_close_stdin(struct proc *p)
{
	if (p->spawned && p->in_fd >= 0) {
		close(p->in_fd);
		p->in_fd = -1;
	}
}

/* --- starting and ending ------------------------------------------- */

static void close_pipes(int fds[PIPE_COUNT][2])
{
	int i, j;

	for (i = 0; i < PIPE_COUNT; i++) {
		for (j = 0; j < 2; j++) {
			if (fds[i][j] >= 0)
				close(fds[i][j]);
			fds[i][j] = -1;
		}
	}
}

static int open_pipes(int fds[PIPE_COUNT][2])
{
	int i;

	for (i = 0; i < PIPE_COUNT; i++)
		fds[i][0] = fds[i][1] = -1;
	for (i = 0; i < PIPE_COUNT; i++) {
		if (pipe2(fds[i], O_CLOEXEC)) {
			int err = -errno;

			close_pipes(fds);
			return err;
		}
	}
	return 0;
}

/*
 * In the child: wires the pipes to fds 0-2 and execs. On failure, sends
 * errno to the parent through the close-on-exec status pipe.
 */
static __attribute__((noreturn))
void exec_child(int fds[PIPE_COUNT][2], char *const argv[],
		char *const envp[])
{
	const int ends[3] = {
		fds[PIPE_IN][0], fds[PIPE_OUT][1], fds[PIPE_ERR][1],
	};
	int moved[3], i, err;
	sigset_t none;

	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Above 2 first, so no dup2 below overwrites a later source. */
	for (i = 0; i < 3; i++) {
		moved[i] = fcntl(ends[i], F_DUPFD_CLOEXEC, 3);
		if (moved[i] < 0)
			goto fail;
	}
	for (i = 0; i < 3; i++)
		if (dup2(moved[i], i) < 0)
			goto fail;
	/*
	 * Nothing else is inherited: what the test's own parent left open
	 * (make's /dev/null on fd 10, a CI runner's pipes) would otherwise
	 * shift the descriptors a helper's sockets get, and tests assert
	 * them. Close-on-exec, so the status pipe works until the exec.
	 */
	syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
	if (envp)
		execvpe(argv[0], argv, envp);
	else
		execvp(argv[0], argv);
fail:
	err = errno;
	while (write(fds[PIPE_EXEC][1], &err, sizeof(err)) < 0 &&
	       errno == EINTR)
		;
	_exit(127);
}

/* After fork: 0 once the exec succeeded, else the child's -errno. */
static int exec_result(int status_fd)
{
	ssize_t n;
	int err;

	do {
		n = read(status_fd, &err, sizeof(err));
	} while (n < 0 && errno == EINTR);
	if (n == sizeof(err))
		return -err;
	return n < 0 ? -errno : 0;
}

int proc_spawn_env(struct proc *p, char *const argv[], char *const envp[])
{
	int fds[PIPE_COUNT][2];
	int ret;
	pid_t pid;

	memset(p, 0, sizeof(*p));
	p->in_fd = p->out_fd = p->err_fd = -1;
	stream_init(&p->out, -1);
	stream_init(&p->err, -1);
	if (!argv || !argv[0])
		return -EINVAL;
	signal(SIGPIPE, SIG_IGN);

	ret = open_pipes(fds);
	if (ret)
		return ret;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close_pipes(fds);
		return ret;
	}
	if (pid == 0)
		exec_child(fds, argv, envp);

	close(fds[PIPE_EXEC][1]);
	fds[PIPE_EXEC][1] = -1;
	ret = exec_result(fds[PIPE_EXEC][0]);
	if (ret) {
		waitpid(pid, NULL, 0);
		close_pipes(fds);
		return ret;
	}

	p->pid = pid;
	p->in_fd = fds[PIPE_IN][1];
	p->out_fd = fds[PIPE_OUT][0];
	p->err_fd = fds[PIPE_ERR][0];
	stream_init(&p->out, p->out_fd);
	stream_init(&p->err, p->err_fd);
	p->spawned = true;
	fds[PIPE_IN][1] = fds[PIPE_OUT][0] = fds[PIPE_ERR][0] = -1;
	close_pipes(fds);
	return 0;
}

int proc_spawn(struct proc *p, char *const argv[])
{
	return proc_spawn_env(p, argv, NULL);
}

void proc_cleanup(struct proc *p)
{
	if (!p->spawned)
		return;
	if (!p->reaped) {
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	proc_close_stdin(p);
	stream_free(&p->out);
	stream_free(&p->err);
	memset(p, 0, sizeof(*p));
	p->in_fd = p->out_fd = p->err_fd = -1;
	stream_init(&p->out, -1);
	stream_init(&p->err, -1);
}

int proc_run(char *const argv[], int timeout_ms)
{
	struct proc p = { 0 };
	int ret = proc_spawn(&p, argv);

	if (ret)
		return ret;
	ret = proc_wait(&p, timeout_ms);
	proc_cleanup(&p);
	return ret;
}

int proc_capture(char *const argv[], char **out, char **err, int timeout_ms)
{
	struct proc p = { 0 };
	int status = proc_spawn(&p, argv);

	*out = *err = NULL;
	if (!status) {
		proc_close_stdin(&p);
		status = proc_wait(&p, timeout_ms);
		if (status == -ETIMEDOUT)
			proc_kill(&p, SIGKILL);
		proc_read_all(&p, out, 1000);
		proc_read_all_err(&p, err, 1000);
	}
	proc_cleanup(&p);
	if (!*out)
		*out = strdup("");
	if (!*err)
		*err = strdup("");
	return status;
}

/* Whether pid is blocked in syscall nr (by /proc/PID/syscall). */
bool proc_blocked_in(pid_t pid, long nr)
{
	char path[64], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return atol(buf) == nr && buf[0] != '-';
}

bool proc_await_blocked_in(pid_t pid, long nr, int timeout_ms)
{
	for (int waited = 0; waited < timeout_ms; waited += 10) {
		if (proc_blocked_in(pid, nr))
			return true;
		usleep(10000);
	}
	return false;
}

int proc_spawn_epoll_server(struct proc *p, char *const argv[],
			    struct sockaddr_in *addr)
{
	unsigned short port;
	char line[64];

	if (proc_spawn(p, argv) ||
	    proc_read_line(p, line, sizeof(line), 5000) <= 0 ||
	    sscanf(line, "port %hu", &port) != 1 ||
	    !proc_await_blocked_in(p->pid, SYS_epoll_wait, 5000))
		return -1;
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_port = htons(port);
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return 0;
}
