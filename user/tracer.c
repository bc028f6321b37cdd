// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Loading, configuring and attaching the BPF programs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>

#include "sockscope.skel.h"
#include "calls.h"
#include "tracefs.h"
#include "tracer.h"

static void set_call_autoload(struct bpf_object *obj, unsigned int call,
			      bool on)
{
	char name[64];
	struct bpf_program *prog;

	snprintf(name, sizeof(name), "enter_%s", call_syscall_name(call));
	prog = bpf_object__find_program_by_name(obj, name);
	if (prog)
		bpf_program__set_autoload(prog, on);
	snprintf(name, sizeof(name), "exit_%s", call_syscall_name(call));
	prog = bpf_object__find_program_by_name(obj, name);
	if (prog)
		bpf_program__set_autoload(prog, on);
}

/*
 * read, write, readv and writev: from the socket layer's tracepoints
 * where the kernel has them (sock_send_length and sock_recv_length, 6.3
 * and later), so that reads and writes on anything but a socket run no
 * BPF program at all; else from their syscall tracepoints. -T needs the
 * syscall path: the socket layer does not see a call begin.
 */
static void choose_file_io_path(struct sockscope_bpf *skel,
				const struct options *o)
{
	static const unsigned int calls[] = {
		CALL_READ, CALL_WRITE, CALL_READV, CALL_WRITEV,
	};
	bool sock_layer = !o->duration && !o->io_via_syscalls &&
			  tracefs_event_has_field("sock/sock_send_length",
						  "ret") &&
			  tracefs_event_has_field("sock/sock_recv_length",
						  "ret");
	__u32 wanted = 0;

	for (size_t i = 0; sock_layer && i < sizeof(calls) / sizeof(*calls);
	     i++) {
		if (options_want_call(o, calls[i]))
			wanted |= 1u << calls[i];
		set_call_autoload(skel->obj, calls[i], false);
	}
	skel->rodata->sock_io_calls = wanted;
	bpf_program__set_autoload(skel->progs.on_sock_send,
				  wanted & (1u << CALL_WRITE | 1u << CALL_WRITEV));
	bpf_program__set_autoload(skel->progs.on_sock_recv,
				  wanted & (1u << CALL_READ | 1u << CALL_READV));
}

/* A -c name as the kernel gives a comm: at most 15 bytes, NUL-padded. */
static void comm_key(char key[SOCKSCOPE_COMM_LEN], const char *name)
{
	size_t n = strnlen(name, SOCKSCOPE_COMM_LEN - 1);

	memset(key, 0, SOCKSCOPE_COMM_LEN);
	memcpy(key, name, n);
}

/* Whether only some processes are traced. */
static bool skel_filtering(const struct options *o)
{
	return o->npids || o->ncomms || o->command;
}

static void configure(struct sockscope_bpf *skel, const struct options *o)
{
	struct bpf_object *obj = skel->obj;
	bool filtering = skel_filtering(o);

	skel->rodata->self_tgid = getpid();
	skel->rodata->filter_enabled = filtering;
	skel->rodata->filter_comms = o->ncomms > 0;
	if (o->ncomms == 1) {
		/* The key traced_comms would hold, compared in place. */
		char key[SOCKSCOPE_COMM_LEN];

		comm_key(key, o->comms[0]);
		skel->rodata->one_comm = true;
		memcpy((void *)skel->rodata->one_comm_words, key, sizeof(key));
	}
	skel->rodata->follow_children = o->follow;
	skel->rodata->payload_cap = o->payload;
	skel->rodata->want_sock_info = o->explain || o->decode_fds;
	if (o->ringbuf_size) {
		bpf_map__set_max_entries(skel->maps.events, o->ringbuf_size);
		/* Wake at a quarter full so a tiny buffer still drains. */
		skel->rodata->wakeup_bytes = o->ringbuf_size / 4;
	}
	/* Ask how much waits every 16th record (a record is at most a few
	 * KiB, so 16 of them are well under the 256 KiB of the default
	 * buffer's wake-up), or every record in a small buffer. */
	skel->rodata->wakeup_every =
		skel->rodata->wakeup_bytes >= 16 * 8192 ? 16 : 1;
	/* Calls not asked for with -e cost nothing: not even loaded. */
	for (unsigned int call = 1; call < CALL_MAX; call++)
		set_call_autoload(obj, call, options_want_call(o, call));
	choose_file_io_path(skel, o);
	/* What the kernel does on its own belongs to the explanations. */
	/* One of the two retransmit programs: the tracepoint's shape (its
	 * err field came with the third argument of the raw tracepoint). */
	if (tracefs_event_has_field("tcp/tcp_retransmit_skb", "err"))
		bpf_program__set_autoload(skel->progs.on_tcp_retransmit, false);
	else
		bpf_program__set_autoload(skel->progs.on_tcp_retransmit_err,
					  false);
	if (!o->explain) {
		bpf_program__set_autoload(skel->progs.on_tcp_state, false);
		bpf_program__set_autoload(skel->progs.on_tcp_retransmit_err,
					  false);
		bpf_program__set_autoload(skel->progs.on_tcp_retransmit, false);
		bpf_program__set_autoload(skel->progs.on_tcp_send_reset, false);
		bpf_program__set_autoload(skel->progs.on_tcp_receive_reset,
					  false);
		bpf_program__set_autoload(skel->progs.on_udp_drop, false);
		bpf_program__set_autoload(skel->progs.on_rcvqueue_full, false);
		bpf_program__set_autoload(skel->progs.on_buf_limit, false);
	}
	if (!o->follow || !filtering)
		bpf_program__set_autoload(skel->progs.follow_fork, false);
	/* A pid given with -p is forgotten when its process exits, or a
	 * new process that gets the pid would be traced. */
	if (!filtering) {
		bpf_program__set_autoload(skel->progs.forget_exit, false);
		/* Everyone is traced: no process bitmap is read. */
		bpf_map__set_max_entries(skel->maps.traced_pids, 1);
	}
}

static int fill_filters(struct tracer *t, const struct options *o)
{
	__u8 one = 1;
	int err;

	for (int i = 0; i < o->npids; i++) {
		err = tracer_add_pid(t, o->pids[i]);
		if (err)
			return err;
	}
	for (int i = 0; i < o->ncomms; i++) {
		char key[SOCKSCOPE_COMM_LEN];

		comm_key(key, o->comms[i]);
		err = bpf_map__update_elem(t->skel->maps.traced_comms, key,
					   sizeof(key), &one, sizeof(one),
					   BPF_ANY);
		if (err)
			return err;
	}
	return 0;
}

/*
 * SOCKSCOPE_PROBE_READS=1 in the environment reads the kernel's
 * structures with helper calls, as on a kernel that has no
 * bpf_rdonly_cast: the tests run that way too (test_probe_reads).
 */
static bool want_probe_reads(void)
{
	const char *v = getenv("SOCKSCOPE_PROBE_READS");

	return v && *v && strcmp(v, "0");
}

/* Open the object and load it, reading the kernel's structures with plain
 * loads or with helper calls (btf_loads in bpf/sockscope.bpf.c). */
static int open_and_load(struct tracer *t, const struct options *o,
			 bool btf_loads)
{
	t->skel = sockscope_bpf__open();
	if (!t->skel) {
		int err = -errno;

		fprintf(stderr, "sockscope: cannot open the BPF object: %s\n",
			strerror(-err));
		return err;
	}
	configure(t->skel, o);
	t->skel->rodata->btf_loads = btf_loads;
	return sockscope_bpf__load(t->skel);
}

int tracer_load(struct tracer *t, const struct options *o)
{
	int err;

	memset(t, 0, sizeof(*t));
	err = open_and_load(t, o, !want_probe_reads());
	/* A kernel without bpf_rdonly_cast (before 6.2) refuses the plain
	 * loads; the helper-call reads work everywhere. */
	if (t->skel && t->skel->rodata->btf_loads &&
	    (err == -EINVAL || err == -EACCES)) {
		if (o->verbose)
			fprintf(stderr, "sockscope: the kernel refused plain loads (no bpf_rdonly_cast?): loading again with helper-call reads\n");
		sockscope_bpf__destroy(t->skel);
		err = open_and_load(t, o, false);
	}
	if (!t->skel)
		return err;
	if (err) {
		fprintf(stderr,
			"sockscope: the kernel refused the BPF programs (%s); run with -v for libbpf's log\n",
			strerror(-err));
		return err;
	}
	if (skel_filtering(o)) {
		t->pids = mmap(NULL, TRACED_PID_WORDS * sizeof(__u64),
			       PROT_READ | PROT_WRITE, MAP_SHARED,
			       bpf_map__fd(t->skel->maps.traced_pids), 0);
		if (t->pids == MAP_FAILED) {
			t->pids = NULL;
			err = -errno;
			fprintf(stderr, "sockscope: cannot map the process filter: %s\n",
				strerror(-err));
			return err;
		}
	}
	err = fill_filters(t, o);
	if (err)
		fprintf(stderr, "sockscope: cannot set the filters: %s\n",
			strerror(-err));
	return err;
}

int tracer_add_pid(struct tracer *t, pid_t pid)
{
	if (!t->pids)
		return -EINVAL;
	if (pid <= 0 || pid / 64 >= TRACED_PID_WORDS)
		return -ERANGE;
	/* Atomic: a program may set another bit of the word (a fork). */
	__atomic_fetch_or(&t->pids[pid / 64], 1ULL << (pid % 64),
			  __ATOMIC_SEQ_CST);
	return 0;
}

/* The inode number of the network namespace pid is in, or 0. */
static __u32 netns_of(pid_t pid)
{
	char path[64], link[64];
	unsigned long inum = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	sscanf(link, "net:[%lu]", &inum);
	return inum;
}

int tracer_add_listener(struct tracer *t, unsigned int port, pid_t pid)
{
	/* As the kernel side's struct listen_key. */
	struct {
		__u32 netns;
		__u16 port;
		__u16 pad;
	} key = { .netns = netns_of(pid), .port = port };
	__u32 value = pid;

	return bpf_map__update_elem(t->skel->maps.listen_owners, &key,
				    sizeof(key), &value, sizeof(value),
				    BPF_ANY);
}

int tracer_attach(struct tracer *t)
{
	int err = sockscope_bpf__attach(t->skel);

	if (err)
		fprintf(stderr,
			"sockscope: cannot attach to the syscall tracepoints (%s); run with -v for details\n",
			strerror(-err));
	return err;
}

int tracer_open_ring(struct tracer *t, ringbuf_record_fn fn, void *ctx)
{
	int err = ringbuf_open(&t->rb, bpf_map__fd(t->skel->maps.events), fn,
			       ctx);

	if (!err)
		return 0;
	fprintf(stderr, "sockscope: cannot open the ring buffer: %s\n",
		strerror(-err));
	return err;
}

/*
 * membarrier(MEMBARRIER_CMD_GLOBAL) returns once every CPU has passed
 * through a quiescent state (the kernel waits for an RCU grace period):
 * BPF programs run inside RCU read-side sections, so any program that saw
 * stopped == false has finished by then.
 */
#define MEMBARRIER_CMD_GLOBAL	(1 << 0)

void tracer_stop(struct tracer *t)
{
	__atomic_store_n(&t->skel->bss->stopped, true, __ATOMIC_SEQ_CST);
	/* No membarrier: detach, the slow way that waits the same. */
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		sockscope_bpf__detach(t->skel);
}

/*
 * Detaching takes the kernel a grace period per syscall tracepoint, one
 * after the other (about 50 ms each, 1.7 s in all, measured): the
 * programs are stopped already, so a child process is left to hold the
 * links and close them, and sockscope goes on at once. Whoever closes a
 * link last pays for the detach, so the child waits until the parent has
 * closed its own copies (EOF on *done, which the parent closes last). It
 * keeps nothing else: not the terminal, not a pipe a reader waits on.
 * Returns the parent's end of that pipe, or -1 (then the parent pays).
 */
static int release_in_background(void)
{
	int null, done[2];
	char byte;
	pid_t pid;

	if (pipe2(done, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(done[0]);
		close(done[1]);
		return -1;
	}
	if (pid > 0) {
		close(done[0]);
		return done[1];
	}
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	setsid();
	close(done[1]);
	while (read(done[0], &byte, 1) < 0 && errno == EINTR)
		;
	/* The slow part: the last reference to each link goes here. */
	syscall(SYS_close_range, 3U, ~0U, 0U);
	_exit(0);
}

static unsigned long long sum_lost(struct tracer *t, __u32 key)
{
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long total = 0;
	__u64 *vals;

	if (ncpu <= 0)
		return 0;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return 0;
	if (!bpf_map__lookup_elem(t->skel->maps.lost, &key, sizeof(key), vals,
				  ncpu * sizeof(*vals), 0))
		for (int i = 0; i < ncpu; i++)
			total += vals[i];
	free(vals);
	return total;
}

unsigned long long tracer_lost_total(struct tracer *t)
{
	return sum_lost(t, 0);
}

unsigned long long tracer_lost_unreported(struct tracer *t)
{
	return sum_lost(t, 1);
}

void tracer_close(struct tracer *t)
{
	int done = -1;

	if (t->skel && t->skel->bss->stopped)
		done = release_in_background();
	ringbuf_close(&t->rb);
	if (t->pids)
		munmap(t->pids, TRACED_PID_WORDS * sizeof(__u64));
	sockscope_bpf__destroy(t->skel);
	if (done >= 0)
		close(done);	/* the child may close the links now */
	memset(t, 0, sizeof(*t));
}
