// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kernel side of sockscope. For each socket call, the sys_enter tracepoint
 * stashes the arguments (and any address the caller passes in) per thread;
 * the sys_exit tracepoint joins them with the return value, reads what the
 * kernel wrote back into the caller's memory, and emits one ring-buffer
 * record. Untraced processes leave at the first check.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "events.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define AF_INET		2
#define AF_INET6	10
#define IPPROTO_TCP	6
#define TCP_CLOSE	7
#define TCP_LISTEN	10
#define UIO_MAXIOV	1024	/* the kernel's limit on msg_iovlen */

/* Set by the reader before load. */
const volatile __u32 self_tgid = 0;
const volatile bool filter_enabled = false;	/* else trace everyone */
const volatile bool filter_comms = false;	/* traced_comms is in use */
const volatile bool follow_children = false;
const volatile __u32 payload_cap = 0;		/* 0: no payload */
const volatile bool want_sock_info = true;	/* read struct sock */
/* Wake the reader only once this much data waits (batched wake-ups); the
 * reader also polls with a short timeout so nothing is stranded. */
const volatile __u64 wakeup_bytes = 256 * 1024;
/* How much data waits is asked only every wakeup_every-th record a CPU
 * submits: the answer reads the reader's position, a cache line the
 * reader writes for each record it takes, so asking is a cache miss on
 * a busy trace. The reader sets it so that wakeup_every records are
 * well under wakeup_bytes (1 for a small buffer). */
const volatile __u32 wakeup_every = 1;

/* Set by the reader when tracing ends: every program returns at once, so
 * the reader can drain a buffer no program writes to any more, long
 * before the programs are detached (which takes the kernel seconds). */
bool stopped = false;

struct pending_call {
	__u64 enter_ns;
	__u64 args[6];
	__u32 call;
	__u16 have;
	__u16 addr_captured;
	__u32 addr_len;
	__s32 aux0;
	__s32 aux1;
	__u32 iov_count;
	__u64 msg_len;
	__u32 skipped;				/* a wait on no socket */
	__u32 began_before;			/* a wait: before tracing */
	struct sock_info sock;			/* close: read at entry */
	__u8 addr[SOCKADDR_MAX];
	__u8 sets[3 * WAIT_SET_BYTES];		/* select's fd_sets, passed */
};

/* The call each thread is in, stashed at entry: the thread's own slot
 * (task storage), kept while the thread lives, so that neither entry nor
 * exit inserts or deletes anything. call 0: none. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct pending_call);
} pending SEC(".maps");

/* A per-CPU workspace for a call that began before tracing: too big for
 * the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending_call);
} pending_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);	/* the reader may resize */
} events SEC(".maps");

/* Records that did not fit in the ring buffer, per CPU: [0] all lost so
 * far, [1] lost since this CPU's last delivered record. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Records this CPU submitted since it last asked how much data waits
 * (see wakeup_every). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} since_asked SEC(".maps");

static __always_inline void add_lost(__u32 key, __u64 count)
{
	__u64 *n = bpf_map_lookup_elem(&lost, &key);

	if (n)
		*n += count;
}

/* A record that will not reach the reader: in the total, and in what the
 * next delivered record of this CPU reports. */
static __always_inline void count_lost_record(void)
{
	add_lost(0, 1);
	add_lost(1, 1);
}

/* Losses since this CPU's previous record, handed to the next one. */
static __always_inline __u32 take_lost_before(void)
{
	__u32 key = 1;
	__u64 *n = bpf_map_lookup_elem(&lost, &key);
	__u32 v;

	if (!n || !*n)
		return 0;
	v = *n;
	*n = 0;
	return v;
}

/*
 * Processes (tgids) to trace, when filtering: one bit per process id, in
 * words of 64 (TRACED_PID_WORDS covers the kernel's highest pid_max). An
 * array lookup is inlined by the verifier, so a process that is not traced
 * costs a load and a test. The reader sets bits through a mapping of it,
 * with atomic operations, as the programs do.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, TRACED_PID_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} traced_pids SEC(".maps");

/* Command names to trace, when filtering by name. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, char[SOCKSCOPE_COMM_LEN]);
	__type(value, __u8);
} traced_comms SEC(".maps");

/* Kernel sockets known to belong to a process (value: its tgid), so that
 * events in softirq context can be attributed and filtered. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u32);
} sock_owners SEC(".maps");

/* Ports that traced processes listen on: the sockets accept() returns
 * are born in softirq context, before any call of the owner sees them. */
/* A port in a network namespace (its inode number). */
struct listen_key {
	__u32 netns;
	__u16 port;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct listen_key);
	__type(value, __u32);
} listen_owners SEC(".maps");

/*
 * Sockets that just went to CLOSE, and who owned them: the kernel sends
 * its reset after that move (tcp_close() with data unread, an abort), so
 * the reset is attributed to the owner when it comes from the same
 * thread at once. Later, the address may be another socket's.
 */
struct closed_owner {
	__u32 owner;
	__u32 tid;
	__u64 ts_ns;
};

#define CLOSED_OWNER_NS	1000000ULL

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct closed_owner);
} closed_owners SEC(".maps");

static __always_inline struct listen_key listen_key_of(__u32 netns,
						      __u16 port)
{
	struct listen_key key = {
		.netns = netns,
		.port = port,
	};

	return key;
}

/* With a single -c name, that name (NUL-padded, as the kernel copies a
 * comm) as two words: two compares instead of a hash lookup. */
const volatile bool one_comm = false;
const volatile __u64 one_comm_words[2] = {};

static __always_inline bool comm_is_traced(void)
{
	union {
		char name[SOCKSCOPE_COMM_LEN];
		__u64 words[2];
	} comm = {};

	bpf_get_current_comm(comm.name, sizeof(comm.name));
	if (one_comm)
		return comm.words[0] == one_comm_words[0] &&
		       comm.words[1] == one_comm_words[1];
	return bpf_map_lookup_elem(&traced_comms, comm.name) != NULL;
}

/* The word of traced_pids that holds tgid's bit. */
static __always_inline __u64 *pid_word(__u32 tgid)
{
	__u32 idx = tgid / 64;

	return bpf_map_lookup_elem(&traced_pids, &idx);
}

/* tgid's bit within its word. */
static __always_inline __u64 pid_bit(__u32 tgid)
{
	return 1ULL << (tgid % 64);
}

static __always_inline bool pid_is_set(__u32 tgid)
{
	__u64 *w = pid_word(tgid);

	return w && (*w & pid_bit(tgid));
}

static __always_inline bool is_traced(__u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	if (!filter_enabled)
		return true;
	if (pid_is_set(tgid))
		return true;
	return filter_comms && comm_is_traced();
}

/* --- reading the caller's memory ---------------------------------------- */

static __always_inline void read_addr_in(struct pending_call *p,
					 __u64 uaddr, __u64 len)
{
	__u32 n = len > SOCKADDR_MAX ? SOCKADDR_MAX : (__u32)len;

	p->addr_len = (__u32)len;
	if (!uaddr)
		return;
	if (bpf_probe_read_user(p->addr, n & (SOCKADDR_MAX * 2 - 1),
				(void *)uaddr)) {
		p->have |= ADDR_FAULT;
		return;
	}
	p->addr_captured = n;
	p->have |= HAVE_ADDR;
}

/*
 * How much of an address the kernel wrote back: it reports the full
 * length but writes no more than the caller offered (aux1).
 */
static __always_inline __u32 written_len(struct syscall_record *r, __u32 len)
{
	if ((r->have & HAVE_AUX1) && (__u32)r->aux1 < len)
		len = r->aux1;
	return len > SOCKADDR_MAX ? SOCKADDR_MAX : len;
}

/* An address the kernel wrote back: *ulen holds its full length. */
static __always_inline void read_addr_out(struct syscall_record *r,
					  __u64 uaddr, __u64 ulen)
{
	__u32 len = 0, n;

	if (!uaddr || !ulen)
		return;
	if (bpf_probe_read_user(&len, sizeof(len), (void *)ulen)) {
		r->have |= ADDR_FAULT;
		return;
	}
	r->addr_len = len;
	r->have |= HAVE_ADDR_LEN;
	n = written_len(r, len);
	barrier_var(n);		/* keep the mask for the verifier */
	if (bpf_probe_read_user(r->addr, n & (SOCKADDR_MAX * 2 - 1),
				(void *)uaddr)) {
		r->have |= ADDR_FAULT;
		return;
	}
	r->addr_captured = n;
	r->have |= HAVE_ADDR;
}

struct iov_sum {
	struct iovec *iov;
	__u64 total;
	bool fault;
};

static long add_iov_len(__u32 i, void *ctx)
{
	struct iov_sum *sum = ctx;
	struct iovec v;

	if (bpf_probe_read_user(&v, sizeof(v), &sum->iov[i])) {
		sum->fault = true;
		return 1;
	}
	sum->total += v.iov_len;
	return 0;
}

/* The sum of the iov lengths (as many as the kernel accepts), or -1 when
 * they cannot all be read. */
static __always_inline __s64 sum_iov(struct iovec *iov, __u64 count)
{
	struct iov_sum sum = { .iov = iov };

	if (count > UIO_MAXIOV)
		return -1;
	bpf_loop(count, add_iov_len, &sum, 0);
	return sum.fault ? -1 : (__s64)sum.total;
}

/*
 * The first bytes of a buffer, as strace shows them: what a send gives
 * (whatever the call returns), or what a receive got (nothing when it
 * failed; "" when it returned 0).
 */
static __always_inline void read_payload(struct syscall_record *r,
					 __u64 ubuf, __u64 avail, bool sent)
{
	__u64 n = avail;

	if (!payload_cap || !ubuf || (!sent && r->ret < 0))
		return;
	if (!sent && n > (__u64)r->ret)
		n = r->ret;
	if (n > payload_cap)
		n = payload_cap;
	if (n > PAYLOAD_MAX)
		n = PAYLOAD_MAX;
	if (n && bpf_probe_read_user(r + 1, n & (PAYLOAD_MAX * 2 - 1),
				     (void *)ubuf))
		return;
	r->payload_len = n;
	r->have |= HAVE_PAYLOAD;
}

/*
 * Two ways to read the kernel's structures; the user side chooses one:
 *
 * - btf_loads (the kernel has the kfunc bpf_rdonly_cast, 6.2 and later):
 *   from the current task, whose pointer is typed by BTF, every field on
 *   the way to the socket is a plain load (the verifier guards it), but
 *   for the one entry of the descriptor table that the descriptor
 *   indexes; the file found there, and the socket behind it, are typed
 *   again with bpf_rdonly_cast.
 *
 * - else each field is copied with bpf_probe_read_kernel (CO-RE), one
 *   helper call each: about fifteen per call on a socket.
 */
const volatile bool btf_loads = false;

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/* The file behind descriptor fd of the current task, or NULL. */
static __always_inline struct file *fd_file(__u64 fd)
{
	struct file **fds, *file;

	if (btf_loads) {
		struct task_struct *task = bpf_get_current_task_btf();
		struct fdtable *fdt = task->files->fdt;

		if (fd >= fdt->max_fds)
			return NULL;
		fds = fdt->fd;
		if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) ||
		    !file)
			return NULL;
		return bpf_rdonly_cast(file,
				       bpf_core_type_id_kernel(struct file));
	} else {
		struct task_struct *task = (void *)bpf_get_current_task();
		struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);

		if (fd >= BPF_CORE_READ(fdt, max_fds))
			return NULL;
		fds = BPF_CORE_READ(fdt, fd);
		if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]))
			return NULL;
		return file;
	}
}

/* The file behind descriptor fd of the current task, if it is a socket. */
static __always_inline struct file *fd_socket_file(__u64 fd)
{
	struct file *file = fd_file(fd);
	umode_t mode;

	if (!file)
		return NULL;
	if (btf_loads)
		mode = file->f_inode->i_mode;
	else
		mode = BPF_CORE_READ(file, f_inode, i_mode);
	return (mode & S_IFMT) == S_IFSOCK ? file : NULL;
}

/* struct file's reference count before file_ref_t replaced it (6.13). */
struct file___f_count {
	atomic_long_t f_count;
} __attribute__((preserve_access_index));

/*
 * References to file besides the one descriptor being closed: another
 * descriptor (dup(), a forked process's copy) keeps its socket open.
 * Since 6.13 ("fs: port files to file_ref") the count is a file_ref_t,
 * which holds the references less one (negative once released).
 */
static __always_inline __u32 file_other_refs(struct file *file)
{
	struct file___f_count *old = (void *)file;
	long n;

	if (bpf_core_field_exists(file->f_ref))
		n = BPF_CORE_READ(file, f_ref.refcnt.counter);
	else
		n = BPF_CORE_READ(old, f_count.counter) - 1;
	return n > 0 ? (n < 0xffff ? n : 0xffff) : 0;
}

/* The kernel socket of a socket's file. */
static __always_inline struct sock *file_sock(struct file *file)
{
	struct socket *sock;

	if (btf_loads) {
		sock = bpf_rdonly_cast(file->private_data,
				       bpf_core_type_id_kernel(struct socket));
		return sock->sk;
	}
	sock = BPF_CORE_READ(file, private_data);
	return BPF_CORE_READ(sock, sk);
}

static __always_inline struct sock *fd_to_sock(__u64 fd)
{
	struct file *file = fd_socket_file(fd);

	return file ? file_sock(file) : NULL;
}

/* What every read of a socket sets first. */
static __always_inline void begin_sock_info(const struct sock *sk,
					    struct sock_info *si)
{
	__builtin_memset(si->saddr, 0, sizeof(si->saddr));
	__builtin_memset(si->daddr, 0, sizeof(si->daddr));
	si->other_refs = 0;
	si->sk = (__u64)sk;
	si->valid = 1;
}

/*
 * read_sock_info() when sk is typed by BTF: plain loads. A tp_btf
 * program's socket argument is typed on every kernel that has tp_btf;
 * one found from a descriptor, where bpf_rdonly_cast types it.
 */
static __always_inline void read_sock_info_btf(const struct sock *sk,
					       struct sock_info *si)
{
	const struct sock_common *c = &sk->__sk_common;

	begin_sock_info(sk, si);
	si->family = c->skc_family;
	si->state = c->skc_state;
	si->sport = c->skc_num;
	si->dport = bpf_ntohs(c->skc_dport);
	si->type = sk->sk_type;
	si->protocol = sk->sk_protocol;
	si->backlog = sk->sk_max_ack_backlog;
	si->netns = c->skc_net.net->ns.inum;
	if (si->family == AF_INET) {
		__builtin_memcpy(si->saddr, &c->skc_rcv_saddr, 4);
		__builtin_memcpy(si->daddr, &c->skc_daddr, 4);
	} else if (si->family == AF_INET6) {
		__builtin_memcpy(si->saddr, &c->skc_v6_rcv_saddr, 16);
		__builtin_memcpy(si->daddr, &c->skc_v6_daddr, 16);
	}
}

/*
 * What the kernel decided for a socket. sk_protocol and sk_type are u16
 * fields since 5.6 (commit bf9765145b85, "sock: make sk_protocol a 16-bit
 * value"); before that they were bitfields, which this does not read.
 */
static __always_inline void read_sock_info(const struct sock *sk,
					   struct sock_info *si)
{
	if (btf_loads) {
		read_sock_info_btf(sk, si);
		return;
	}
	begin_sock_info(sk, si);
	si->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	si->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	si->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	si->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	si->type = BPF_CORE_READ(sk, sk_type);
	si->protocol = BPF_CORE_READ(sk, sk_protocol);
	si->backlog = BPF_CORE_READ(sk, sk_max_ack_backlog);
	si->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	if (si->family == AF_INET) {
		bpf_core_read(si->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(si->daddr, 4, &sk->__sk_common.skc_daddr);
	} else if (si->family == AF_INET6) {
		bpf_core_read(si->saddr, 16,
			      &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(si->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

static __always_inline void clear_sock_info(struct sock_info *si)
{
	__builtin_memset(si, 0, sizeof(*si));
}

/* Remember who owns sk (once: a lookup is cheaper than an update). */
static __always_inline void note_owner(const struct sock *sk,
				       const struct sock_info *si,
				       __u32 tgid, bool listening)
{
	struct listen_key lkey;
	__u64 key = si->sk;

	__u32 *o = bpf_map_lookup_elem(&sock_owners, &key);

	/* A freed socket's address is reused: the caller owns it now. */
	if (!o || *o != tgid)
		bpf_map_update_elem(&sock_owners, &key, &tgid, BPF_ANY);
	if (listening) {
		lkey = listen_key_of(si->netns, si->sport);
		bpf_map_update_elem(&listen_owners, &lkey, &tgid, BPF_ANY);
	}
}

/* --- enter: stash ------------------------------------------------------- */

/*
 * A syscall tracepoint's record holds only that call's arguments, and
 * reading past it makes the attach fail: copy exactly nargs of them, with
 * constant offsets (the verifier rejects a moving context pointer).
 */
static __always_inline void copy_args(struct pending_call *p,
				      struct trace_event_raw_sys_enter *ctx,
				      int nargs)
{
	if (nargs > 0)
		p->args[0] = ctx->args[0];
	if (nargs > 1)
		p->args[1] = ctx->args[1];
	if (nargs > 2)
		p->args[2] = ctx->args[2];
	if (nargs > 3)
		p->args[3] = ctx->args[3];
	if (nargs > 4)
		p->args[4] = ctx->args[4];
	if (nargs > 5)
		p->args[5] = ctx->args[5];
}

/* A pending call, empty but for which call it is and when it began
 * (the address and socket parts are filled only when valid). */
static __always_inline void reset_pending(struct pending_call *p, __u32 call)
{
	__builtin_memset(p, 0, offsetof(struct pending_call, sock));
	p->sock.valid = 0;
	p->enter_ns = bpf_ktime_get_ns();
	p->call = call;
}

/* The slot of the current thread, made on its first call. */
static __always_inline struct pending_call *
begin_stash(struct trace_event_raw_sys_enter *ctx, __u32 call, int nargs)
{
	struct pending_call *p;

	p = bpf_task_storage_get(&pending, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!p)
		return NULL;
	reset_pending(p, call);
	copy_args(p, ctx, nargs);
	return p;
}

static __always_inline void read_msghdr_in(struct pending_call *p)
{
	struct user_msghdr msg;

	__s64 len;

	if (bpf_probe_read_user(&msg, sizeof(msg), (void *)p->args[1]))
		return;
	len = sum_iov(msg.msg_iov, msg.msg_iovlen);
	if (len < 0)
		return;
	p->msg_len = len;
	p->iov_count = msg.msg_iovlen;
	p->have |= HAVE_MSG;
	if (p->call == CALL_SENDMSG) {
		read_addr_in(p, (__u64)msg.msg_name, msg.msg_namelen);
	} else if (msg.msg_name) {
		p->aux1 = msg.msg_namelen;
		p->have |= HAVE_AUX1;
	}
}

/* The length the caller offers for an address the kernel will fill. */
static __always_inline void read_len_in(struct pending_call *p, __u64 ulen)
{
	__s32 len;

	if (ulen && !bpf_probe_read_user(&len, sizeof(len), (void *)ulen)) {
		p->aux1 = len;
		p->have |= HAVE_AUX1;
	}
}

/* The first bytes of an option value, for the options strace shows as
 * a structure or a string: into addr[], which these calls do not use. */
static __always_inline void read_optval_bytes(__u8 *to, __u16 *captured,
					      __u16 *have, __u64 uval,
					      __s64 len)
{
	__u32 n;

	if (!uval || len <= 0)
		return;
	n = len > OPTVAL_MAX ? OPTVAL_MAX : (__u32)len;
	barrier_var(n);		/* keep the mask for the verifier */
	if (bpf_probe_read_user(to, n & (OPTVAL_MAX * 2 - 1), (void *)uval))
		return;
	*captured = n;
	*have |= HAVE_OPTVAL;
}

static __always_inline void read_optval_in(struct pending_call *p)
{
	__s32 val;

	p->aux1 = (__s32)p->args[4];
	p->have |= HAVE_AUX1;
	/* strace shows the int whenever there is one: optlen >= 4. */
	if (p->aux1 >= (int)sizeof(int) && p->args[3] &&
	    !bpf_probe_read_user(&val, sizeof(val), (void *)p->args[3])) {
		p->aux0 = val;
		p->have |= HAVE_AUX0;
	}
	read_optval_bytes(p->addr, &p->addr_captured, &p->have, p->args[3],
			  p->aux1);
}

/*
 * The file-style calls (read, write, ...) are traced on sockets only, and
 * that is decided here, from the file behind the descriptor: a program
 * writing to its terminal or to a file stops at this check.
 */
static __always_inline bool file_call_on_socket(
	struct trace_event_raw_sys_enter *ctx, __u32 call)
{
	switch (call) {
	case CALL_READ:
	case CALL_WRITE:
	case CALL_READV:
	case CALL_WRITEV:
		return fd_socket_file((__u32)ctx->args[0]);
	case CALL_SENDFILE:	/* out_fd, in_fd */
		return fd_socket_file((__u32)ctx->args[0]) ||
		       fd_socket_file((__u32)ctx->args[1]);
	case CALL_SPLICE:	/* fd_in, off_in, fd_out */
		return fd_socket_file((__u32)ctx->args[0]) ||
		       fd_socket_file((__u32)ctx->args[2]);
	}
	return true;
}

/* --- the waits ------------------------------------------------------------ */

struct pollfd_scan {
	struct pollfd *fds;
	bool socket;
};

static long pollfd_is_socket(__u32 i, void *ctx)
{
	struct pollfd_scan *scan = ctx;
	struct pollfd pfd;

	if (bpf_probe_read_user(&pfd, sizeof(pfd), &scan->fds[i]))
		return 1;
	scan->socket = pfd.fd >= 0 && fd_socket_file(pfd.fd);
	return scan->socket;
}

/* poll/ppoll: whether one of the first WAIT_POLLFDS is a socket. These
 * checks are functions of their own, each with its own stack frame. */
static __noinline bool poll_has_socket(__u64 ufds, __u64 nfds)
{
	struct pollfd_scan scan = { .fds = (struct pollfd *)ufds };

	if (!ufds)
		return false;
	bpf_loop(nfds < WAIT_POLLFDS ? nfds : WAIT_POLLFDS, pollfd_is_socket,
		 &scan, 0);
	return scan.socket;
}

struct fdset_scan {
	__u8 sets[3 * WAIT_SET_BYTES];
	bool socket;
};

static long fdset_fd_is_socket(__u32 fd, void *ctx)
{
	struct fdset_scan *scan = ctx;
	__u32 byte = (fd / 8) & (WAIT_SET_BYTES - 1);
	__u8 bit = 1 << (fd % 8);

	if (!((scan->sets[byte] | scan->sets[WAIT_SET_BYTES + byte] |
	       scan->sets[2 * WAIT_SET_BYTES + byte]) & bit))
		return 0;
	scan->socket = fd_socket_file(fd);
	return scan->socket;
}

/*
 * select/pselect6: the fd_sets as passed (their first WAIT_SET_BYTES),
 * into p->sets, with aux0's bits 0..2; whether one of their fds is a
 * socket.
 */
static __noinline bool select_has_socket(struct pending_call *p)
{
	struct fdset_scan scan = {};
	__u64 nfds = p->args[0];

	for (int i = 0; i < 3; i++) {
		__u64 uset = p->args[1 + i];

		if (uset && !bpf_probe_read_user(scan.sets + i * WAIT_SET_BYTES,
						 WAIT_SET_BYTES, (void *)uset))
			p->aux0 |= 1 << i;
	}
	__builtin_memcpy(p->sets, scan.sets, sizeof(p->sets));
	p->have |= HAVE_AUX0;
	if (nfds > WAIT_SET_BYTES * 8)
		nfds = WAIT_SET_BYTES * 8;
	bpf_loop(nfds, fdset_fd_is_socket, &scan, 0);
	return scan.socket;
}

#define EP_STACK	16
#define EP_VISITS	64

struct ep_walk {
	struct rb_node *stack[EP_STACK];
	__u32 top;
	bool socket;
};

/* One epitem of the interest list, depth first: is its file a socket? */
static long epitem_is_socket(__u32 i, void *ctx)
{
	struct ep_walk *w = ctx;
	struct rb_node *node, *left, *right;
	struct epitem *epi;
	umode_t mode;

	if (!w->top || w->top > EP_STACK)
		return 1;
	w->top--;
	node = w->stack[w->top & (EP_STACK - 1)];
	/* rbn is the first member of struct epitem. */
	epi = (struct epitem *)node;
	mode = BPF_CORE_READ(epi, ffd.file, f_inode, i_mode);
	if ((mode & S_IFMT) == S_IFSOCK) {
		w->socket = true;
		return 1;
	}
	right = BPF_CORE_READ(node, rb_right);
	left = BPF_CORE_READ(node, rb_left);
	if (right && w->top < EP_STACK)
		w->stack[w->top++ & (EP_STACK - 1)] = right;
	if (left && w->top < EP_STACK)
		w->stack[w->top++ & (EP_STACK - 1)] = left;
	return 0;
}

/*
 * epoll_wait/epoll_pwait: whether epfd is an epoll instance whose
 * interest list (a red-black tree of epitems) holds a socket among its
 * first EP_VISITS entries. An epoll file is an anonymous inode named
 * "[eventpoll]".
 */
static __noinline bool epoll_has_socket(__u64 epfd)
{
	struct file *file = fd_file(epfd);
	/* "[eventpoll]" and its NUL, as two little-endian words. */
	const __u64 name_lo = 0x6f70746e6576655bULL;	/* "[eventpo" */
	const __u32 name_hi = 0x5d6c6c;			/* "ll]\0" */
	struct eventpoll *ep;
	struct ep_walk w = {};
	union {
		char text[12];
		struct {
			__u64 lo;
			__u32 hi;
		} __attribute__((packed)) words;
	} name = {};

	if (!file)
		return false;
	bpf_probe_read_kernel_str(name.text, sizeof(name.text),
				  BPF_CORE_READ(file, f_path.dentry,
						d_name.name));
	if (name.words.lo != name_lo || name.words.hi != name_hi)
		return false;
	ep = BPF_CORE_READ(file, private_data);
	w.stack[0] = BPF_CORE_READ(ep, rbr.rb_root.rb_node);
	if (!w.stack[0])
		return false;
	w.top = 1;
	bpf_loop(EP_VISITS, epitem_is_socket, &w, 0);
	return w.socket;
}

/* Whether a wait involves a socket; for select, keeps the sets too. */
static __always_inline bool wait_on_socket(struct pending_call *p)
{
	switch (p->call) {
	case CALL_POLL:
	case CALL_PPOLL:
		return poll_has_socket(p->args[0], p->args[1]);
	case CALL_SELECT:
	case CALL_PSELECT6:
		return select_has_socket(p);
	case CALL_EPOLL_WAIT:
	case CALL_EPOLL_PWAIT:
		return epoll_has_socket(p->args[0]);
	case CALL_EPOLL_CTL:
		return fd_socket_file((__u32)p->args[2]);
	}
	return true;
}

static __always_inline void read_timeout_in(struct pending_call *p,
					    __u64 uts)
{
	if (uts && !bpf_probe_read_user(p->addr, 16, (void *)uts))
		p->have |= HAVE_TIMEOUT;
}

static __always_inline void read_sigmask_in(struct pending_call *p,
					    __u64 umask)
{
	if (umask && !bpf_probe_read_user(p->addr + 32, 8, (void *)umask))
		p->have |= HAVE_SIGMASK;
}

/* What a wait passes besides its descriptors: timeout, signal mask. */
static __always_inline void read_wait_in(struct pending_call *p)
{
	__u64 sig[2];

	switch (p->call) {
	case CALL_PPOLL:
		read_timeout_in(p, p->args[2]);
		read_sigmask_in(p, p->args[3]);
		break;
	case CALL_SELECT:
	case CALL_PSELECT6:
		read_timeout_in(p, p->args[4]);
		if (p->call != CALL_PSELECT6 || !p->args[5] ||
		    bpf_probe_read_user(sig, sizeof(sig), (void *)p->args[5]))
			break;
		__builtin_memcpy(p->addr + 48, &sig[0], 8);
		p->aux1 = sig[1];
		p->have |= HAVE_AUX1;
		read_sigmask_in(p, sig[0]);
		break;
	case CALL_EPOLL_PWAIT:
		read_sigmask_in(p, p->args[4]);
		break;
	case CALL_EPOLL_CTL:
		if (p->args[3] && !bpf_probe_read_user(p->addr + 40,
						       EPOLL_EVENT_SIZE,
						       (void *)p->args[3]))
			p->have |= HAVE_OFF_IN;
		break;
	}
}

static __always_inline bool is_wait(__u32 call)
{
	return call >= CALL_POLL && call <= CALL_EPOLL_CTL;
}

/* readv/writev: the sum of the iov lengths, as for sendmsg. */
static __always_inline void read_iov_len_in(struct pending_call *p,
					    __u64 uiov, __u64 count)
{
	__s64 len;

	p->iov_count = count;
	if (!uiov)
		return;
	len = sum_iov((struct iovec *)uiov, count);
	if (len < 0)
		return;
	p->msg_len = len;
	p->have |= HAVE_MSG;
}

/* A file offset the caller passes by pointer (sendfile, splice). */
static __always_inline void read_offset(__u8 *to, __u16 *have, __u16 bit,
					__u64 uoff)
{
	if (uoff && !bpf_probe_read_user(to, 8, (void *)uoff))
		*have |= bit;
}

static __always_inline int stash(struct trace_event_raw_sys_enter *ctx,
				 __u32 call, int nargs)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending_call *p;
	struct file *file = NULL;

	if (stopped || !is_traced(id >> 32))
		return 0;
	if (call == CALL_CLOSE) {
		file = fd_socket_file((__u32)ctx->args[0]);
		if (!file)
			return 0;
	}
	if (!file_call_on_socket(ctx, call))
		return 0;
	p = begin_stash(ctx, call, nargs);
	if (!p) {
		/* No slot (out of memory): this call will not be seen,
		 * so say so. */
		count_lost_record();
		return 0;
	}
	if (is_wait(call)) {
		/* A wait on no socket is not shown: its exit knows it. */
		if (!wait_on_socket(p)) {
			p->call = 0;
			p->skipped = call;
			return 0;
		}
		read_wait_in(p);
	}
	if (file && want_sock_info) {
		struct sock *sk = file_sock(file);

		if (sk) {
			read_sock_info(sk, &p->sock);
			p->sock.other_refs = file_other_refs(file);
		}
	}
	switch (call) {
	case CALL_BIND:
	case CALL_CONNECT:
		read_addr_in(p, p->args[1], p->args[2]);
		break;
	case CALL_SENDTO:
		read_addr_in(p, p->args[4], p->args[5]);
		break;
	case CALL_SENDMSG:
	case CALL_RECVMSG:
		read_msghdr_in(p);
		break;
	case CALL_ACCEPT:
	case CALL_ACCEPT4:
	case CALL_GETSOCKNAME:
	case CALL_GETPEERNAME:
		read_len_in(p, p->args[2]);
		break;
	case CALL_RECVFROM:
		read_len_in(p, p->args[5]);
		break;
	case CALL_SETSOCKOPT:
		read_optval_in(p);
		break;
	case CALL_GETSOCKOPT:
		read_len_in(p, p->args[4]);
		break;
	case CALL_READV:
	case CALL_WRITEV:
		read_iov_len_in(p, p->args[1], p->args[2]);
		break;
	case CALL_SENDFILE:
		read_offset(p->addr, &p->have, HAVE_OFF_IN, p->args[2]);
		break;
	case CALL_RECVMMSG:
		if (p->args[4] && !bpf_probe_read_user(p->addr, 16,
						       (void *)p->args[4]))
			p->have |= HAVE_TIMEOUT;
		break;
	case CALL_SPLICE:
		read_offset(p->addr, &p->have, HAVE_OFF_IN, p->args[1]);
		read_offset(p->addr + 8, &p->have, HAVE_OFF_OUT, p->args[3]);
		break;
	}
	return 0;
}

/* --- exit: emit --------------------------------------------------------- */

static __always_inline void read_socketpair_out(struct syscall_record *r)
{
	__s32 sv[2];

	if (r->ret < 0 || bpf_probe_read_user(sv, sizeof(sv),
					      (void *)r->args[3]))
		return;
	r->aux0 = sv[0];
	r->aux1 = sv[1];
	r->have |= HAVE_AUX0 | HAVE_AUX1;
}

/* getsockopt: aux1 is the length offered (read at entry); addr_len the
 * length the kernel reports back, and the value is as long as the smaller. */
static __always_inline void read_optval_out(struct syscall_record *r)
{
	__s32 len, val;

	if (!r->args[4] || bpf_probe_read_user(&len, sizeof(len),
					       (void *)r->args[4]))
		return;
	r->addr_len = len;
	r->have |= HAVE_ADDR_LEN;
	if (r->ret != 0)
		return;
	if (len == sizeof(int) && r->args[3] &&
	    !bpf_probe_read_user(&val, sizeof(val), (void *)r->args[3])) {
		r->aux0 = val;
		r->have |= HAVE_AUX0;
	}
	if ((r->have & HAVE_AUX1) && r->aux1 < len)
		len = r->aux1;
	read_optval_bytes(r->addr, &r->addr_captured, &r->have, r->args[3],
			  len);
}

static __always_inline void read_msghdr_out(struct syscall_record *r)
{
	struct user_msghdr msg;
	struct iovec iov;
	__u32 len;

	if (bpf_probe_read_user(&msg, sizeof(msg), (void *)r->args[1]))
		return;
	if (r->ret < 0)
		return;
	r->msg_flags = msg.msg_flags;
	if (msg.msg_name) {
		len = msg.msg_namelen;
		r->addr_len = len;
		r->have |= HAVE_ADDR_LEN;
		len = written_len(r, len);
		barrier_var(len);	/* keep the mask for the verifier */
		if (!bpf_probe_read_user(r->addr,
					 len & (SOCKADDR_MAX * 2 - 1),
					 msg.msg_name)) {
			r->addr_captured = len;
			r->have |= HAVE_ADDR;
		}
	}
	if (payload_cap && msg.msg_iovlen &&
	    !bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov))
		read_payload(r, (__u64)iov.iov_base, iov.iov_len, false);
}

static __always_inline void read_msg_payload_in(struct syscall_record *r)
{
	struct user_msghdr msg;
	struct iovec iov;

	if (!payload_cap ||
	    bpf_probe_read_user(&msg, sizeof(msg), (void *)r->args[1]) ||
	    !msg.msg_iovlen ||
	    bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov))
		return;
	read_payload(r, (__u64)iov.iov_base, iov.iov_len, true);
}

/*
 * readv/writev: the iovecs, and the first payload_cap bytes of each (as
 * strace's -s cuts each one), one after the other, 2 * payload_cap in
 * all; readv: only the bytes read. off is at most 2 * payload_cap and n
 * at most payload_cap, so each copy fits the room begin_record reserved.
 */
static __always_inline void read_iov_out(struct syscall_record *r)
{
	__u8 *to = (__u8 *)(r + 1);
	struct iovec *iov = (struct iovec *)r->addr;
	__u64 kept = r->iov_count, left, len;
	__u32 off = 0, n;

	if (!r->args[1] || !kept)
		return;
	if (kept > IOV_KEPT)
		kept = IOV_KEPT;
	if (bpf_probe_read_user(r->addr, (kept * 16) & (SOCKADDR_MAX * 2 - 1),
				(void *)r->args[1]))
		return;
	r->addr_captured = kept * 16;
	r->have |= HAVE_IOV;
	if (!payload_cap || r->ret < 0)
		return;
	r->aux1 = payload_cap;
	r->have |= HAVE_AUX1;
	left = r->call == CALL_READV ? (__u64)r->ret : r->msg_len;
	for (int i = 0; i < IOV_KEPT; i++) {
		if (i >= kept || !left || off >= 2 * payload_cap)
			break;
		len = iov[i].iov_len < left ? iov[i].iov_len : left;
		left -= len;
		n = len < payload_cap ? len : payload_cap;
		if (n > 2 * payload_cap - off)
			n = 2 * payload_cap - off;
		barrier_var(n);
		if (n > payload_cap)
			break;
		barrier_var(off);
		if (off > 2 * payload_cap)
			break;
		if (n && bpf_probe_read_user(to + off, n, iov[i].iov_base))
			break;
		off += n;
	}
	r->payload_len = off;
	if (off)
		r->have |= HAVE_PAYLOAD;
}

struct mmsg_sum {
	struct mmsghdr *vec;
	__u64 total;
	bool fault;
};

static long add_msg_len(__u32 i, void *ctx)
{
	struct mmsg_sum *sum = ctx;
	unsigned int len;

	if (bpf_probe_read_user(&len, sizeof(len), &sum->vec[i].msg_len)) {
		sum->fault = true;
		return 1;
	}
	sum->total += len;
	return 0;
}

/* The bytes of all the messages the call handled (ret of them): into
 * msg_len, with HAVE_MSG. */
static __always_inline void sum_mmsg_len(struct syscall_record *r)
{
	struct mmsg_sum sum = { .vec = (struct mmsghdr *)r->args[1] };

	if (r->ret <= 0 || r->ret > UIO_MAXIOV)
		return;
	bpf_loop(r->ret, add_msg_len, &sum, 0);
	if (sum.fault)
		return;
	r->msg_len = sum.total;
	r->have |= HAVE_MSG;
}

/*
 * sendmmsg/recvmmsg: what each of the first MMSG_KEPT messages was (its
 * address, its iov lengths) and what the kernel did with it (msg_len,
 * msg_flags), read at exit, when the kernel has filled both in.
 */
static __always_inline void read_mmsg_out(struct syscall_record *r)
{
	struct mmsg_entry *m = (struct mmsg_entry *)(r + 1);
	struct mmsghdr *uvec = (struct mmsghdr *)r->args[1];
	__u64 count = r->args[2];
	struct mmsghdr h;
	__s64 len;
	__u32 n;

	if (!uvec || (__s64)count <= 0)
		return;
#pragma unroll
	for (int i = 0; i < MMSG_KEPT; i++) {
		if (i >= count || bpf_probe_read_user(&h, sizeof(h), &uvec[i]))
			break;
		__builtin_memset(&m[i], 0, sizeof(m[i]));
		m[i].namelen = h.msg_hdr.msg_namelen;
		m[i].len = h.msg_len;
		m[i].iovlen = h.msg_hdr.msg_iovlen;
		m[i].flags = h.msg_hdr.msg_flags;
		len = sum_iov(h.msg_hdr.msg_iov, h.msg_hdr.msg_iovlen);
		if (len >= 0) {
			m[i].iov_len = len;
			m[i].iov_ok = 1;
		}
		if (h.msg_hdr.msg_name) {
			m[i].has_name = 1;
			n = h.msg_hdr.msg_namelen;
			if (n > MMSG_NAME_MAX)
				n = MMSG_NAME_MAX;
			barrier_var(n);
			if (n <= MMSG_NAME_MAX &&
			    !bpf_probe_read_user(m[i].name, n, h.msg_hdr.msg_name))
				m[i].name_captured = n;
		}
		r->payload_len += sizeof(*m);
	}
	if (r->payload_len)
		r->have |= HAVE_MMSG;
	sum_mmsg_len(r);
}

/* A wait's results: the pollfds, the fd_sets or the epoll events as
 * the kernel left them, and the time left. */
static __always_inline void read_wait_out(struct syscall_record *r,
					  struct pending_call *p)
{
	__u8 *to = (__u8 *)(r + 1);
	__u64 n, uts = 0;

	switch (r->call) {
	case CALL_POLL:
	case CALL_PPOLL:
		n = r->args[1] < WAIT_POLLFDS ? r->args[1] : WAIT_POLLFDS;
		n *= 8;
		barrier_var(n);
		if (n && n <= WAIT_PAYLOAD && r->args[0] &&
		    !bpf_probe_read_user(to, n, (void *)r->args[0])) {
			r->payload_len = n;
			r->have |= HAVE_PAYLOAD;
		}
		if (r->call == CALL_PPOLL)
			uts = r->args[2];
		break;
	case CALL_SELECT:
	case CALL_PSELECT6:
		__builtin_memcpy(to, p->sets, sizeof(p->sets));
		for (int i = 0; i < 3 && r->ret >= 0; i++) {
			__u64 uset = r->args[1 + i];

			if ((r->aux0 & (1 << i)) &&
			    !bpf_probe_read_user(to + (3 + i) * WAIT_SET_BYTES,
						 WAIT_SET_BYTES, (void *)uset))
				r->aux0 |= 8 << i;
		}
		r->payload_len = 6 * WAIT_SET_BYTES;
		r->have |= HAVE_PAYLOAD;
		uts = r->args[4];
		break;
	case CALL_EPOLL_WAIT:
	case CALL_EPOLL_PWAIT:
		if (r->ret <= 0)
			break;
		n = r->ret < WAIT_EVENTS ? r->ret : WAIT_EVENTS;
		n *= EPOLL_EVENT_SIZE;
		barrier_var(n);
		if (n <= WAIT_PAYLOAD &&
		    !bpf_probe_read_user(to, n, (void *)r->args[1])) {
			r->payload_len = n;
			r->have |= HAVE_PAYLOAD;
		}
		break;
	}
	if (uts && (r->have & HAVE_TIMEOUT) && r->ret >= 0 &&
	    !bpf_probe_read_user(r->addr + 16, 16, (void *)uts))
		r->have |= HAVE_LEFT;
}

static __always_inline __u64 wakeup_flag(void)
{
	__u32 zero = 0;
	__u32 *n;

	if (wakeup_every > 1) {
		n = bpf_map_lookup_elem(&since_asked, &zero);
		if (n && ++*n < wakeup_every)
			return BPF_RB_NO_WAKEUP;
		if (n)
			*n = 0;
	}
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

/*
 * A record is written in place in the ring buffer: room for the largest
 * payload asked for (payload_cap is fixed at load, so the size is a
 * constant for the verifier); hdr.size says how much of it is used.
 */
static __always_inline struct syscall_record *
begin_record(struct pending_call *p, __u32 call, __u64 id, long ret)
{
	struct syscall_record *r;

	/* readv/writev: room for two payloads, and one more so that the
	 * verifier can see each iovec's bytes fit (see read_iov_out). */
	if (call == CALL_SENDMMSG || call == CALL_RECVMMSG)
		r = bpf_ringbuf_reserve(&events, sizeof(*r) +
					MMSG_KEPT * sizeof(struct mmsg_entry), 0);
	else if (is_wait(call))
		r = bpf_ringbuf_reserve(&events, sizeof(*r) + WAIT_PAYLOAD, 0);
	else if (call == CALL_READV || call == CALL_WRITEV)
		r = bpf_ringbuf_reserve(&events, sizeof(*r) + 3 * payload_cap,
					0);
	else
		r = bpf_ringbuf_reserve(&events, sizeof(*r) + payload_cap, 0);
	if (!r) {
		count_lost_record();
		return NULL;
	}
	r->hdr.ts_ns = bpf_ktime_get_ns();
	r->hdr.pid = id >> 32;
	r->hdr.tid = (__u32)id;
	r->hdr.kind = EVENT_SYSCALL;
	bpf_get_current_comm(r->hdr.comm, sizeof(r->hdr.comm));
	r->enter_ns = p->enter_ns;
	r->ret = ret;
	for (int i = 0; i < 6; i++)
		r->args[i] = p->args[i];
	r->msg_len = p->msg_len;
	r->call = p->call;
	r->have = p->have;
	r->addr_len = p->addr_len;
	r->aux0 = p->aux0;
	r->aux1 = p->aux1;
	r->msg_flags = 0;
	r->iov_count = p->iov_count;
	r->addr_captured = p->addr_captured;
	r->payload_len = 0;
	r->extra = p->began_before ? EXTRA_BEGAN_BEFORE : 0;
	if (p->have & (HAVE_ADDR | HAVE_OPTVAL | HAVE_OFF_IN | HAVE_OFF_OUT |
		       HAVE_TIMEOUT | HAVE_SIGMASK | HAVE_AUX1))
		__builtin_memcpy(r->addr, p->addr, SOCKADDR_MAX);
	if (p->call == CALL_CLOSE)
		__builtin_memcpy(&r->sock, &p->sock, sizeof(r->sock));
	else
		clear_sock_info(&r->sock);
	return r;
}

static __always_inline void submit_record(struct syscall_record *r)
{
	r->hdr.size = sizeof(*r) + r->payload_len;
	r->hdr.lost_before = take_lost_before();
	bpf_ringbuf_submit(r, wakeup_flag());
}

/* The socket a call worked on, as it is after the call. */
static __always_inline void read_call_sock(struct syscall_record *r,
					   __u32 call, __u32 tgid)
{
	struct sock *sk;
	__u64 fd;

	switch (call) {
	case CALL_CLOSE:
		/* A socket closed, by its last descriptor, with no TCP
		 * connection to finish is freed now: forget who owned its
		 * address. */
		if (r->ret == 0 && r->sock.valid && !r->sock.other_refs &&
		    (r->sock.protocol != IPPROTO_TCP ||
		     r->sock.state == TCP_CLOSE)) {
			__u64 key = r->sock.sk;

			bpf_map_delete_elem(&sock_owners, &key);
		}
		return;
	case CALL_SOCKETPAIR:
	case CALL_POLL:		/* many descriptors, or none of their own */
	case CALL_PPOLL:
	case CALL_SELECT:
	case CALL_PSELECT6:
	case CALL_EPOLL_WAIT:
	case CALL_EPOLL_PWAIT:
		return;
	case CALL_EPOLL_CTL:
		fd = (__u32)r->args[2];
		break;
	case CALL_SOCKET:
	case CALL_ACCEPT:
	case CALL_ACCEPT4:
		if (r->ret < 0)
			return;
		fd = r->ret;
		break;
	case CALL_SENDFILE:	/* whichever of the two is a socket */
	case CALL_SPLICE:
		fd = (__u32)r->args[0];
		sk = fd_to_sock(fd);
		if (!sk) {
			fd = (__u32)r->args[call == CALL_SPLICE ? 2 : 1];
			sk = fd_to_sock(fd);
		}
		if (!sk)
			return;
		r->aux0 = fd;
		r->have |= HAVE_AUX0;
		goto found;
	default:
		fd = (__u32)r->args[0];
	}
	sk = fd_to_sock(fd);
	if (!sk)
		return;
found:
	read_sock_info(sk, &r->sock);
	note_owner(sk, &r->sock, tgid, call == CALL_LISTEN && r->ret == 0);
}

static __always_inline int emit_record(long ret, __u32 call, __u64 id,
				       struct pending_call *p)
{
	struct syscall_record *r;

	r = begin_record(p, call, id, ret);
	if (!r)
		return 0;
	switch (p->have & RESUMED ? 0 : call) {
	case CALL_SOCKETPAIR:
		read_socketpair_out(r);
		break;
	case CALL_ACCEPT:
	case CALL_ACCEPT4:
	case CALL_GETSOCKNAME:
	case CALL_GETPEERNAME:
		if (r->ret >= 0)
			read_addr_out(r, r->args[1], r->args[2]);
		break;
	case CALL_RECVFROM:
		if (r->ret >= 0)
			read_addr_out(r, r->args[4], r->args[5]);
		read_payload(r, r->args[1], r->args[2], false);
		break;
	case CALL_SENDTO:
		read_payload(r, r->args[1], r->args[2], true);
		break;
	case CALL_RECVMSG:
		read_msghdr_out(r);
		break;
	case CALL_SENDMSG:
		read_msg_payload_in(r);
		break;
	case CALL_GETSOCKOPT:
		read_optval_out(r);
		break;
	case CALL_READ:
	case CALL_WRITE:
		read_payload(r, r->args[1], r->args[2], call == CALL_WRITE);
		break;
	case CALL_READV:
	case CALL_WRITEV:
		read_iov_out(r);
		break;
	case CALL_SENDMMSG:
	case CALL_RECVMMSG:
		read_mmsg_out(r);
		break;
	case CALL_POLL:
	case CALL_PPOLL:
	case CALL_SELECT:
	case CALL_PSELECT6:
	case CALL_EPOLL_WAIT:
	case CALL_EPOLL_PWAIT:
		read_wait_out(r, p);
		break;
	case CALL_SENDFILE:
		if (r->ret > 0)
			read_offset(r->addr + 8, &r->have, HAVE_OFF_OUT,
				    r->args[2]);
		break;
	}
	if (want_sock_info)
		read_call_sock(r, call, id >> 32);
	submit_record(r);
	return 0;
}



/*
 * A blocking call that began before tracing did (a server waiting in
 * accept when sockscope starts): its arguments are gone, but its result
 * and socket are not. strace shows such a call as "<... accept resumed>".
 */
/*
 * A poll or epoll wait that began before tracing did (an idle server's):
 * its arguments are still in the registers it entered with, and what it
 * reads from its memory (the pollfds, the signal mask) is unchanged, so
 * it is shown whole, marked as begun before tracing.
 */
static __always_inline int emit_resumed_wait(long ret, __u32 call, __u64 id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	struct pending_call *p;

	p = bpf_task_storage_get(&pending, task, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!p)
		return 0;
	reset_pending(p, call);
	p->args[0] = regs->di;
	p->args[1] = regs->si;
	p->args[2] = regs->dx;
	p->args[3] = regs->r10;
	p->args[4] = regs->r8;
	p->args[5] = regs->r9;
	if (wait_on_socket(p)) {
		read_wait_in(p);
		p->began_before = 1;
		emit_record(ret, call, id, p);
	}
	p->call = 0;
	return 0;
}

static __always_inline int emit_resumed(struct trace_event_raw_sys_exit *ctx,
					__u32 call, __u64 id)
{
	struct pending_call *p;
	__u32 zero = 0;

	if (call == CALL_POLL || call == CALL_EPOLL_WAIT ||
	    call == CALL_EPOLL_PWAIT)
		return emit_resumed_wait(ctx->ret, call, id);
	if (call != CALL_ACCEPT && call != CALL_ACCEPT4 &&
	    call != CALL_RECVFROM && call != CALL_RECVMSG &&
	    call != CALL_CONNECT)
		return 0;
	p = bpf_map_lookup_elem(&pending_scratch, &zero);
	if (!p)
		return 0;
	reset_pending(p, call);
	p->have = RESUMED;
	return emit_record(ctx->ret, call, id, p);
}

static __always_inline int emit(struct trace_event_raw_sys_exit *ctx,
				__u32 call)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending_call *p;

	if (stopped || !is_traced(id >> 32))
		return 0;
	p = bpf_task_storage_get(&pending, bpf_get_current_task_btf(), 0, 0);
	if (p && p->skipped == call && p->call != call) {
		p->skipped = 0;
		return 0;
	}
	if (!p || p->call != call)
		return emit_resumed(ctx, call, id);
	emit_record(ctx->ret, call, id, p);
	p->call = 0;
	return 0;
}

#define SOCK_CALL(name, call, nargs)					\
SEC("tracepoint/syscalls/sys_enter_" #name)				\
int enter_##name(struct trace_event_raw_sys_enter *ctx)			\
{									\
	return stash(ctx, call, nargs);					\
}									\
SEC("tracepoint/syscalls/sys_exit_" #name)				\
int exit_##name(struct trace_event_raw_sys_exit *ctx)			\
{									\
	return emit(ctx, call);						\
}

SOCK_CALL(socket, CALL_SOCKET, 3)
SOCK_CALL(socketpair, CALL_SOCKETPAIR, 4)
SOCK_CALL(bind, CALL_BIND, 3)
SOCK_CALL(listen, CALL_LISTEN, 2)
SOCK_CALL(accept, CALL_ACCEPT, 3)
SOCK_CALL(accept4, CALL_ACCEPT4, 4)
SOCK_CALL(connect, CALL_CONNECT, 3)
SOCK_CALL(sendto, CALL_SENDTO, 6)
SOCK_CALL(recvfrom, CALL_RECVFROM, 6)
SOCK_CALL(sendmsg, CALL_SENDMSG, 3)
SOCK_CALL(recvmsg, CALL_RECVMSG, 3)
SOCK_CALL(shutdown, CALL_SHUTDOWN, 2)
SOCK_CALL(getsockname, CALL_GETSOCKNAME, 3)
SOCK_CALL(getpeername, CALL_GETPEERNAME, 3)
SOCK_CALL(setsockopt, CALL_SETSOCKOPT, 5)
SOCK_CALL(getsockopt, CALL_GETSOCKOPT, 5)
SOCK_CALL(close, CALL_CLOSE, 1)
SOCK_CALL(read, CALL_READ, 3)
SOCK_CALL(write, CALL_WRITE, 3)
SOCK_CALL(readv, CALL_READV, 3)
SOCK_CALL(writev, CALL_WRITEV, 3)
SOCK_CALL(sendfile64, CALL_SENDFILE, 4)
SOCK_CALL(splice, CALL_SPLICE, 6)
SOCK_CALL(sendmmsg, CALL_SENDMMSG, 4)
SOCK_CALL(recvmmsg, CALL_RECVMMSG, 5)
SOCK_CALL(poll, CALL_POLL, 3)
SOCK_CALL(ppoll, CALL_PPOLL, 5)
SOCK_CALL(select, CALL_SELECT, 5)
SOCK_CALL(pselect6, CALL_PSELECT6, 6)
SOCK_CALL(epoll_wait, CALL_EPOLL_WAIT, 4)
SOCK_CALL(epoll_pwait, CALL_EPOLL_PWAIT, 6)
SOCK_CALL(epoll_ctl, CALL_EPOLL_CTL, 4)

/* --- the file-style calls, from the socket layer ------------------------- */

/*
 * Where the kernel has them (6.3 and later), sock:sock_send_length and
 * sock:sock_recv_length fire in sock_sendmsg() and sock_recvmsg(): for
 * sockets only, once per call, after the protocol did its work. read,
 * write, readv and writev are then traced from there, and not from their
 * syscall tracepoints: a program's reads and writes on anything else run
 * no BPF program at all. The call and its arguments come from the
 * registers the syscall entered with; the socket must be the one its
 * descriptor names (the kernel sends on sockets of its own too). The
 * user side chooses this path (sock_io_calls: the calls it is for).
 */
const volatile __u32 sock_io_calls = 0;	/* bit (1 << call) */

#define NR_READ		0	/* x86-64 syscall numbers */
#define NR_WRITE	1
#define NR_READV	19
#define NR_WRITEV	20

static __always_inline __u32 file_call_of(long nr)
{
	switch (nr) {
	case NR_READ:	return CALL_READ;
	case NR_WRITE:	return CALL_WRITE;
	case NR_READV:	return CALL_READV;
	case NR_WRITEV:	return CALL_WRITEV;
	}
	return 0;
}

static __always_inline int emit_sock_io(const struct sock *sk, int ret,
					bool send)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 id = bpf_get_current_pid_tgid();
	struct pending_call *p;
	struct pt_regs *regs;
	__u32 call;

	/* Most sends and receives are not a read or a write. The process
	 * filter is asked first when it is a bit of the bitmap, which is
	 * cheaper than the syscall number; a name's lookup (-c) only for a
	 * read or a write. A BTF pointer: its fields are plain loads. */
	if (stopped || (!filter_comms && !is_traced(id >> 32)))
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	call = file_call_of(regs->orig_ax);
	if (!call || !(sock_io_calls & (1u << call)) ||
	    send != (call == CALL_WRITE || call == CALL_WRITEV))
		return 0;
	if (filter_comms && !is_traced(id >> 32))
		return 0;
	if (fd_to_sock((__u32)regs->di) != sk)
		return 0;
	p = bpf_task_storage_get(&pending, task, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!p) {
		count_lost_record();
		return 0;
	}
	reset_pending(p, call);
	p->args[0] = regs->di;
	p->args[1] = regs->si;
	p->args[2] = regs->dx;
	if (call == CALL_READV || call == CALL_WRITEV)
		read_iov_len_in(p, p->args[1], p->args[2]);
	emit_record(ret, call, id, p);
	p->call = 0;
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(on_sock_send, struct sock *sk, int ret, int flags)
{
	return emit_sock_io(sk, ret, true);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(on_sock_recv, struct sock *sk, int ret, int flags)
{
	return emit_sock_io(sk, ret, false);
}

/* --- following process trees -------------------------------------------- */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(follow_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	__u64 *w;

	if (!follow_children || ptgid == ctgid)
		return 0;
	if (!pid_is_set(ptgid) && !(filter_comms && comm_is_traced()))
		return 0;
	w = pid_word(ctgid);
	if (w)
		__sync_fetch_and_or(w, pid_bit(ctgid));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(forget_exit, struct task_struct *task)
{
	__u32 tgid = task->tgid;
	__u64 *w;

	/* The whole process is gone when its leader exits. */
	if (task->pid != tgid || !filter_enabled)
		return 0;
	w = pid_word(tgid);
	if (w && (*w & pid_bit(tgid)))
		__sync_fetch_and_and(w, ~pid_bit(tgid));
	return 0;
}

/* --- what the kernel does on its own ------------------------------------- */

/* The network namespace of a tp_btf program's socket (a plain load). */
static __always_inline __u32 sk_netns(const struct sock *sk)
{
	return sk->__sk_common.skc_net.net->ns.inum;
}

/*
 * Whether events of sk are wanted, and by whom: a socket of a traced
 * process; or, for a new connection on a port a traced process listens
 * on, that process (it will accept it). System-wide, every socket.
 */
static __always_inline bool sock_wanted(const struct sock *sk, __u16 sport,
					bool may_be_child, bool born,
					bool from_close, __u32 *owner)
{
	__u64 key = (__u64)sk;
	__u32 *o;

	*owner = 0;
	/* A connection born on a listener (LISTEN -> SYN_RECV) is a new
	 * socket, maybe at a freed socket's address: whatever owned that
	 * address before does not own this one. */
	if (born) {
		bpf_map_delete_elem(&sock_owners, &key);
		o = NULL;
	} else {
		o = bpf_map_lookup_elem(&sock_owners, &key);
	}
	if (o) {
		*owner = *o;
		return true;
	}
	/* CLOSE -> SYN_SENT and CLOSE -> LISTEN happen in connect() and
	 * listen(), in the owner's own context. */
	if (from_close) {
		__u32 tgid = bpf_get_current_pid_tgid() >> 32;

		if (filter_enabled && is_traced(tgid)) {
			*owner = tgid;
			bpf_map_update_elem(&sock_owners, &key, &tgid, BPF_ANY);
			return true;
		}
	}
	if (may_be_child) {
		struct listen_key lkey = listen_key_of(sk_netns(sk), sport);

		o = bpf_map_lookup_elem(&listen_owners, &lkey);
		if (o) {
			*owner = *o;
			bpf_map_update_elem(&sock_owners, &key, o, BPF_ANY);
			return true;
		}
	}
	return !filter_enabled;
}

/* The owner of sk if it went to CLOSE just now, in this thread. */
static __always_inline bool just_closed_owner(const struct sock *sk, __u32 tid,
					      __u32 *owner)
{
	__u64 key = (__u64)sk;
	struct closed_owner *co = bpf_map_lookup_elem(&closed_owners, &key);

	if (!co || co->tid != tid ||
	    bpf_ktime_get_ns() - co->ts_ns > CLOSED_OWNER_NS)
		return false;
	*owner = co->owner;
	bpf_map_delete_elem(&closed_owners, &key);
	return true;
}

static __always_inline void emit_kernel(const struct sock *sk, __u16 kind,
					int old_state, int new_state,
					int detail)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct kernel_record *k;
	__u16 sport;
	__u32 owner;
	bool wanted;

	if (!sk || stopped)
		return;
	/* sk is a tp_btf argument: its fields are plain loads. */
	sport = sk->__sk_common.skc_num;
	wanted = sock_wanted(sk, sport, kind == EVENT_TCP_STATE,
			     kind == EVENT_TCP_STATE && old_state == TCP_LISTEN &&
			     new_state == TCP_SYN_RECV,
			     kind == EVENT_TCP_STATE && old_state == TCP_CLOSE,
			     &owner);
	if (kind == EVENT_TCP_SEND_RESET && !owner &&
	    just_closed_owner(sk, (__u32)id, &owner))
		wanted = true;
	if (!wanted)
		return;
	/* listen() is in the owner's context, traced or not (-e): the
	 * connections it will accept are the owner's too. */
	if (kind == EVENT_TCP_STATE && old_state == TCP_CLOSE &&
	    new_state == TCP_LISTEN && owner) {
		struct listen_key lkey = listen_key_of(sk_netns(sk), sport);

		bpf_map_update_elem(&listen_owners, &lkey, &owner, BPF_ANY);
	}
	/* A closed socket is freed soon, and its address reused for
	 * another: forget who owned it, but for its reset. */
	if (kind == EVENT_TCP_STATE && new_state == TCP_CLOSE) {
		__u64 key = (__u64)sk;
		struct closed_owner co = {
			.owner = owner,
			.tid = (__u32)id,
			.ts_ns = bpf_ktime_get_ns(),
		};

		bpf_map_delete_elem(&sock_owners, &key);
		if (owner)
			bpf_map_update_elem(&closed_owners, &key, &co, BPF_ANY);
	}
	k = bpf_ringbuf_reserve(&events, sizeof(*k), 0);
	if (!k) {
		count_lost_record();
		return;
	}
	k->hdr.ts_ns = bpf_ktime_get_ns();
	k->hdr.pid = id >> 32;
	k->hdr.tid = (__u32)id;
	k->hdr.kind = kind;
	k->hdr.size = sizeof(*k);
	k->hdr.lost_before = take_lost_before();
	bpf_get_current_comm(k->hdr.comm, sizeof(k->hdr.comm));
	read_sock_info_btf(sk, &k->sock);
	k->owner_pid = owner;
	k->old_state = old_state;
	k->new_state = new_state;
	k->pad = 0;
	k->detail = detail;
	k->pad2 = 0;
	bpf_ringbuf_submit(k, wakeup_flag());
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_tcp_state, const struct sock *sk, int oldstate, int newstate)
{
	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	emit_kernel(sk, EVENT_TCP_STATE, oldstate, newstate, 0);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(on_tcp_retransmit, const struct sock *sk)
{
	emit_kernel(sk, EVENT_TCP_RETRANSMIT, 0, 0, 0);
	return 0;
}

/*
 * Newer kernels (6.18 among them; 6.1 not) give the tracepoint a third
 * argument, the attempt's error, and fire it for attempts that sent
 * nothing too: -EBUSY while the first copy is still in this host's queue,
 * for one. Only a segment really sent again
 * is a retransmission (what the kernel's RetransSegs counts); the user
 * side loads this variant where the tracepoint has the error.
 */
SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(on_tcp_retransmit_err, const struct sock *sk,
	     const struct sk_buff *skb, int err)
{
	if (!err)
		emit_kernel(sk, EVENT_TCP_RETRANSMIT, 0, 0, 0);
	return 0;
}

/* sk is NULL for a reset sent where no socket matched (a SYN to a port
 * nobody listens on): nothing to attribute it to, so it is not shown. */
SEC("tp_btf/tcp_send_reset")
int BPF_PROG(on_tcp_send_reset, const struct sock *sk)
{
	emit_kernel(sk, EVENT_TCP_SEND_RESET, 0, 0, 0);
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(on_tcp_receive_reset, struct sock *sk)
{
	emit_kernel(sk, EVENT_TCP_RECEIVE_RESET, 0, 0, 0);
	return 0;
}

SEC("tp_btf/udp_fail_queue_rcv_skb")
int BPF_PROG(on_udp_drop, int rc, struct sock *sk)
{
	emit_kernel(sk, EVENT_UDP_DROP, 0, 0, rc);
	return 0;
}

SEC("tp_btf/sock_rcvqueue_full")
int BPF_PROG(on_rcvqueue_full, struct sock *sk)
{
	emit_kernel(sk, EVENT_RCVQUEUE_FULL, 0, 0, 0);
	return 0;
}

SEC("tp_btf/sock_exceed_buf_limit")
int BPF_PROG(on_buf_limit, struct sock *sk, struct proto *prot, long allocated,
	     int kind)
{
	emit_kernel(sk, EVENT_BUF_LIMIT, 0, 0, kind);
	return 0;
}
