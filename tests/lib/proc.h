/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Running a program from a test: its stdin, stdout and stderr on pipes,
 * line-by-line reads with timeouts, exit status with a timeout.
 *
 * The program stays in the test's process group, so the harness kills it
 * when the test times out or ends. While waiting for one stream (or for
 * the exit), both stdout and stderr are drained into buffers, so a chatty
 * program never blocks on a full pipe.
 *
 * Timeouts are in milliseconds; a negative timeout waits forever.
 */
#ifndef SOCKSCOPE_TESTS_PROC_H
#define SOCKSCOPE_TESTS_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Bytes read from one of the program's outputs, not yet handed out. */
struct proc_stream {
	int fd;
	char *data;
	size_t len, cap;
	bool eof;
};

struct proc {
	pid_t pid;
	int in_fd, out_fd, err_fd;
	/* private */
	struct proc_stream out, err;
	bool spawned, reaped;
	int status;
};

/*
 * Starts argv[0] (found on PATH) with stdin, stdout and stderr on pipes.
 * Returns 0, or -errno, including the exec's own error (-ENOENT for a
 * missing program). Ignores SIGPIPE in the caller from then on, so
 * writing to a program that has exited fails with -EPIPE instead.
 */
int proc_spawn(struct proc *p, char *const argv[]);

/* The same with an explicit environment; envp NULL inherits ours. */
int proc_spawn_env(struct proc *p, char *const argv[], char *const envp[]);

/* Writes all of s (or buf) to the program's stdin: 0 or -errno. */
int proc_write(struct proc *p, const char *s);
int proc_write_n(struct proc *p, const void *buf, size_t n);

/* Closes the program's stdin, so it reads end of file. */
void proc_close_stdin(struct proc *p);

/*
 * One line of the program's stdout (stderr), without its '\n', into buf
 * NUL-terminated. Returns its length; -E2BIG for a line that does not fit
 * in size - 1 bytes (the line is consumed); -ETIMEDOUT when no whole line
 * came within timeout_ms (what came stays buffered); -ENODATA at end of
 * file. A last line without '\n' is returned as a line.
 */
ssize_t proc_read_line(struct proc *p, char *buf, size_t size,
		       int timeout_ms);
ssize_t proc_read_err_line(struct proc *p, char *buf, size_t size,
			   int timeout_ms);

/*
 * Everything left on stdout (stderr) until end of file or until
 * timeout_ms passes, whichever is first, in a malloc'd NUL-terminated
 * string in *out. Returns its length, or -errno (*out is then NULL). A
 * timeout is not an error: *out holds what came; proc_wait tells whether
 * the program is still running.
 */
ssize_t proc_read_all(struct proc *p, char **out, int timeout_ms);
ssize_t proc_read_all_err(struct proc *p, char **out, int timeout_ms);

/*
 * Waits for the program to exit and reaps it. Returns its exit status
 * (0..255), 128 + the signal that killed it, or -ETIMEDOUT with the
 * program left running. Once reaped, returns the same status again.
 */
int proc_wait(struct proc *p, int timeout_ms);

/* Sends sig to the program; does nothing once it is reaped. */
void proc_kill(struct proc *p, int sig);

/*
 * SIGKILLs the program if it is still running, reaps it, closes the pipes
 * and frees the buffers. Idempotent; does nothing on a zeroed struct proc.
 */
void proc_cleanup(struct proc *p);

/* Run argv to its end (output discarded): its exit status as proc_wait
 * gives it, or -errno when it cannot be started. */
int proc_run(char *const argv[], int timeout_ms);

/*
 * Run argv to its end with stdin closed, killed after timeout_ms: its exit
 * status as proc_wait gives it (-ETIMEDOUT when it had to be killed), or
 * -errno when it cannot be started; what it printed in *out and *err,
 * malloc'd ("" when nothing).
 */
int proc_capture(char *const argv[], char **out, char **err, int timeout_ms);

/* Whether pid is blocked in syscall nr (by /proc/PID/syscall). */
bool proc_blocked_in(pid_t pid, long nr);

/* Waits up to timeout_ms for pid to block in syscall nr: whether it did. */
bool proc_await_blocked_in(pid_t pid, long nr, int timeout_ms);

struct sockaddr_in;

/*
 * Starts argv, a server that prints "port N" and then waits in
 * epoll_wait() (within 5 s each): *addr gets 127.0.0.1:N. 0, or -1.
 */
int proc_spawn_epoll_server(struct proc *p, char *const argv[],
			    struct sockaddr_in *addr);

#endif
