// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lab's impaired link by tc BPF: load the program of one kind, prepare
 * the link for it (a slow lane for reorder, software checksums for
 * corrupt), attach it on clsact, and undo all of it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <bpf/libbpf.h>

#include "impair.h"
#include "impair.skel.h"

/* Where ip netns add keeps the namespaces it names. */
#define NETNS_RUN_DIR	"/run/netns"

/* Our tc filter on the clsact hook. */
#define TC_HANDLE	1
#define TC_PRIORITY	1

/*
 * Reorder's slow lane: htb class 1:20 on veth-snd, beside the fast
 * default class 1:10. tc BPF cannot hold a packet back, but a qdisc can:
 * the program sends a chosen packet to 1:20 and the later ones overtake it.
 * Every packet there is costed as SLOW_MPU bytes, so the lane lets one
 * packet out per slot of 1500 bytes at 600 kbit/s = 20 ms, whatever its
 * size; with a 1-byte burst no second packet slips out with the first.
 * The bucket starts full, so a packet finding the lane idle would leave at
 * once: the program sends a decoy into the lane just before each chosen
 * packet, and so each waits at least one slot (more behind others).
 */
#define SLOW_CLASS	0x00010020	/* 1:20 as skb->priority */
#define SLOW_RATE	"600kbit"
#define SLOW_MPU	"1500"
#define LANE_LIMIT	"1000"		/* packets each lane may hold */
#define DEV_ARG		"@dev"		/* replaced by the device's name */
#define LANE_ARGS	24

static const char *const slow_lane_cmds[][LANE_ARGS] = {
	{ "tc", "qdisc", "replace", "dev", DEV_ARG, "root", "handle", "1:",
	  "htb", "default", "10", NULL },
	{ "tc", "class", "add", "dev", DEV_ARG, "parent", "1:", "classid",
	  "1:10", "htb", "rate", "10gbit", "quantum", "60000", NULL },
	{ "tc", "class", "add", "dev", DEV_ARG, "parent", "1:", "classid",
	  "1:20", "htb", "rate", SLOW_RATE, "ceil", SLOW_RATE, "burst", "1",
	  "cburst", "1", "mpu", SLOW_MPU, NULL },
	/* Explicit leaf queues: the default ones take veth's txqueuelen. */
	{ "tc", "qdisc", "add", "dev", DEV_ARG, "parent", "1:10", "handle",
	  "10:", "pfifo", "limit", LANE_LIMIT, NULL },
	{ "tc", "qdisc", "add", "dev", DEV_ARG, "parent", "1:20", "handle",
	  "20:", "pfifo", "limit", LANE_LIMIT, NULL },
};

static const struct impair_kind_info {
	const char *describe;
	enum lab_side side;		/* whose end of the link */
} kinds[] = {
	/* On the receiver's side: a drop on the sender's egress is reported
	 * back to the sending socket (NET_XMIT_DROP), and TCP then simply
	 * sends the segment later, as if nothing had been lost. */
	[IMPAIR_DROP] = {
		"drop: tc BPF on the receiver's ingress (veth-rcv) returns TC_ACT_SHOT for chosen packets",
		LAB_RECEIVER },
	[IMPAIR_DUPLICATE] = {
		"duplicate: tc BPF on the sender's egress (veth-snd) sends a marked copy of a chosen packet with bpf_clone_redirect(), then the packet",
		LAB_SENDER },
	[IMPAIR_REORDER] = {
		"reorder: tc BPF on the sender's egress (veth-snd) sets skb->priority of a chosen packet to a slow htb class that lets one packet out per 20 ms, behind a decoy copy, so later packets overtake it",
		LAB_SENDER },
	[IMPAIR_CORRUPT] = {
		"corrupt: tc BPF on the receiver's ingress (veth-rcv) inverts one payload byte and leaves the checksum; with the sender's tx checksum offload off, the receiver's check drops the packet",
		LAB_RECEIVER },
};

struct impair {
	struct impair_bpf *skel;
	enum impair_kind kind;
	/* n's names and ifindexes; nsfd is open only while undoing. */
	struct labnet link;
	bool hook_made;		/* we made the clsact qdisc */
	bool attached;		/* our filter is on it */
	bool slow_lane;		/* our htb root is on veth-snd */
	bool csum_restore;	/* veth-snd's tx checksum offload was on */
};

static bool valid_kind(enum impair_kind kind)
{
	return kind >= IMPAIR_DROP && kind <= IMPAIR_CORRUPT;
}

const char *impair_describe(enum impair_kind kind)
{
	return valid_kind(kind) ? kinds[kind].describe : "unknown impairment";
}

static void say(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static struct bpf_program *kind_program(struct impair_bpf *skel,
					enum impair_kind kind)
{
	switch (kind) {
	case IMPAIR_DROP:
		return skel->progs.impair_drop;
	case IMPAIR_DUPLICATE:
		return skel->progs.impair_duplicate;
	case IMPAIR_REORDER:
		return skel->progs.impair_reorder;
	case IMPAIR_CORRUPT:
		return skel->progs.impair_corrupt;
	}
	return NULL;
}

/* Open the skeleton, set its configuration, load the kind's program. */
static int load_program(struct impair *im, const struct impair_config *cfg,
			char *err, size_t errlen)
{
	struct bpf_program *want, *prog;
	int ret;

	im->skel = impair_bpf__open();
	if (!im->skel) {
		ret = -errno;
		say(err, errlen, "cannot open the impairment's BPF object: %s",
		    strerror(-ret));
		return ret;
	}
	im->skel->rodata->port = cfg->port;
	im->skel->rodata->rate_pct = cfg->rate_pct;
	im->skel->rodata->seed = cfg->seed;
	im->skel->rodata->slow_class = SLOW_CLASS;
	want = kind_program(im->skel, cfg->kind);
	bpf_object__for_each_program(prog, im->skel->obj)
		bpf_program__set_autoload(prog, prog == want);
	ret = impair_bpf__load(im->skel);
	if (ret)
		say(err, errlen,
		    "cannot load the impairment's BPF program: %s; needs root (or CAP_BPF+CAP_NET_ADMIN) and a kernel with BTF",
		    strerror(-ret));
	return ret;
}

/* tc's argv for one row of slow_lane_cmds, on dev. */
static void lane_argv(const char *argv[LANE_ARGS],
		      const char *const row[LANE_ARGS], const char *dev)
{
	for (int i = 0; i < LANE_ARGS; i++) {
		argv[i] = row[i] && !strcmp(row[i], DEV_ARG) ? dev : row[i];
		if (!row[i])
			break;
	}
}

static int make_slow_lane(struct impair *im, const struct labnet *n,
			  char *err, size_t errlen)
{
	size_t rows = sizeof(slow_lane_cmds) / sizeof(slow_lane_cmds[0]);
	const char *argv[LANE_ARGS];
	char out[256];
	int ret;

	for (size_t i = 0; i < rows; i++) {
		lane_argv(argv, slow_lane_cmds[i], n->ifname[LAB_SENDER]);
		ret = labnet_run(n, LAB_SENDER, argv, out, sizeof(out));
		if (ret) {
			say(err, errlen,
			    "cannot make the slow lane for reorder (tc %s %s ... htb): %s; is sch_htb in this kernel?",
			    argv[1], argv[2], out);
			return ret < 0 ? ret : -EIO;
		}
		/* From the first command on, there is a root to remove. */
		im->slow_lane = true;
	}
	return 0;
}

static void remove_slow_lane(struct impair *im)
{
	const char *const del[] = { "tc", "qdisc", "del", "dev",
				    im->link.ifname[LAB_SENDER], "root", NULL };

	labnet_run(&im->link, LAB_SENDER, del, NULL, 0);
	im->slow_lane = false;
}

/* An ETHTOOL_ value command (GTXCSUM, STXCSUM) on ifname, in the calling
 * thread's namespace. */
static int ethtool_value(const char *ifname, __u32 cmd, __u32 *data)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *data };
	struct ifreq ifr;
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (char *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		ret = -errno;
	*data = ev.data;
	close(fd);
	return ret;
}

/*
 * Turn veth-snd's tx checksum offload on or off. With it on, the sender
 * leaves checksums to the "hardware" (CHECKSUM_PARTIAL), veth hands the
 * packet over so marked, and the receiver trusts it without a check; off,
 * the sender's kernel writes every checksum in software and the receiver
 * gets CHECKSUM_NONE, which it verifies. *was gets the old setting.
 */
static int set_tx_checksum(const struct labnet *n, bool on, bool *was)
{
	const char *ifname = n->ifname[LAB_SENDER];
	__u32 old = 0, value = on;
	int saved, ret;

	ret = labnet_enter(n, LAB_SENDER, &saved);
	if (ret)
		return ret;
	ret = ethtool_value(ifname, ETHTOOL_GTXCSUM, &old);
	if (!ret && old != value)
		ret = ethtool_value(ifname, ETHTOOL_STXCSUM, &value);
	labnet_leave(saved);
	if (was)
		*was = old;
	return ret;
}

static int software_checksums(struct impair *im, const struct labnet *n,
			      char *err, size_t errlen)
{
	bool was_on;
	int ret = set_tx_checksum(n, false, &was_on);

	if (ret) {
		say(err, errlen,
		    "cannot turn off tx checksum offload of %s (SIOCETHTOOL): %s",
		    n->ifname[LAB_SENDER], strerror(-ret));
		return ret;
	}
	im->csum_restore = was_on;
	return 0;
}

static void tc_hook(struct bpf_tc_hook *hook, const struct labnet *n,
		    enum lab_side side)
{
	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->ifindex = n->ifindex[side];
	hook->attach_point = side == LAB_SENDER ? BPF_TC_EGRESS :
						  BPF_TC_INGRESS;
}

/* Our filter on clsact of the kind's side: the hook made unless it was
 * there already. */
static int attach_program(struct impair *im, const struct labnet *n,
			  char *err, size_t errlen)
{
	enum lab_side side = kinds[im->kind].side;
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = TC_HANDLE,
		    .priority = TC_PRIORITY);
	struct bpf_tc_hook hook;
	int saved, ret;

	opts.prog_fd = bpf_program__fd(kind_program(im->skel, im->kind));
	tc_hook(&hook, n, side);
	ret = labnet_enter(n, side, &saved);
	if (ret) {
		say(err, errlen, "cannot enter namespace %s: %s", n->ns[side],
		    strerror(-ret));
		return ret;
	}
	ret = bpf_tc_hook_create(&hook);
	im->hook_made = !ret;
	if (ret == -EEXIST)
		ret = 0;
	if (!ret)
		ret = bpf_tc_attach(&hook, &opts);
	im->attached = !ret;
	labnet_leave(saved);
	if (ret)
		say(err, errlen,
		    "cannot attach the impairment to %s's clsact hook: %s; is another impairment (or tc filter) attached there?",
		    n->ifname[side], strerror(-ret));
	return ret;
}

static void detach_program(struct impair *im)
{
	enum lab_side side = kinds[im->kind].side;
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = TC_HANDLE,
		    .priority = TC_PRIORITY);
	struct bpf_tc_hook hook;
	int saved;

	if (labnet_enter(&im->link, side, &saved))
		return;
	tc_hook(&hook, &im->link, side);
	if (im->attached)
		bpf_tc_detach(&hook, &opts);
	/* Both points at once: libbpf then removes the clsact qdisc. */
	hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
	if (im->hook_made)
		bpf_tc_hook_destroy(&hook);
	labnet_leave(saved);
	im->attached = im->hook_made = false;
}

/*
 * Open side's namespace again by its name, for undoing: false when it is
 * gone, and with it everything we made there.
 */
static bool reopen_side(struct impair *im, enum lab_side side)
{
	char path[128];

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", im->link.ns[side]);
	im->link.nsfd[side] = open(path, O_RDONLY | O_CLOEXEC);
	return im->link.nsfd[side] >= 0;
}

static void close_side(struct impair *im, enum lab_side side)
{
	if (im->link.nsfd[side] >= 0)
		close(im->link.nsfd[side]);
	im->link.nsfd[side] = -1;
}

void impair_detach(struct impair *im)
{
	if (!im)
		return;
	if (reopen_side(im, kinds[im->kind].side))
		detach_program(im);
	close_side(im, kinds[im->kind].side);
	if (reopen_side(im, LAB_SENDER)) {
		if (im->slow_lane)
			remove_slow_lane(im);
		if (im->csum_restore)
			set_tx_checksum(&im->link, true, NULL);
	}
	close_side(im, LAB_SENDER);
	impair_bpf__destroy(im->skel);
	free(im);
}

static int check_config(const struct impair_config *cfg, char *err,
			size_t errlen)
{
	if (!valid_kind(cfg->kind)) {
		say(err, errlen, "unknown impairment kind %d", (int)cfg->kind);
		return -EINVAL;
	}
	if (cfg->rate_pct > 100) {
		say(err, errlen, "impairment rate %u%% is over 100%%",
		    cfg->rate_pct);
		return -EINVAL;
	}
	if (!cfg->port) {
		say(err, errlen, "the impairment needs a destination port");
		return -EINVAL;
	}
	return 0;
}

/* Ready the link for the kind: what the program needs besides itself. */
static int prepare_link(struct impair *im, const struct labnet *n,
			char *err, size_t errlen)
{
	if (im->kind == IMPAIR_REORDER)
		return make_slow_lane(im, n, err, errlen);
	if (im->kind == IMPAIR_CORRUPT)
		return software_checksums(im, n, err, errlen);
	return 0;
}

int impair_attach(struct impair **out, const struct labnet *n,
		  const struct impair_config *cfg, char *err, size_t errlen)
{
	struct impair *im;
	int ret;

	*out = NULL;
	ret = check_config(cfg, err, errlen);
	if (ret)
		return ret;
	im = calloc(1, sizeof(*im));
	if (!im) {
		say(err, errlen, "out of memory");
		return -ENOMEM;
	}
	im->kind = cfg->kind;
	im->link = *n;
	/* A view of n, never destroyed: it must not own n's namespaces. */
	im->link.nsfd[0] = im->link.nsfd[1] = -1;
	im->link.made[0] = im->link.made[1] = false;
	ret = load_program(im, cfg, err, errlen);
	if (!ret)
		ret = prepare_link(im, n, err, errlen);
	if (!ret)
		ret = attach_program(im, n, err, errlen);
	if (ret) {
		impair_detach(im);
		return ret;
	}
	*out = im;
	return 0;
}

int impair_read_counts(const struct impair *im, struct impair_counts *c)
{
	if (!im || !im->skel->bss)
		return -EINVAL;
	c->candidates = __atomic_load_n(&im->skel->bss->candidates,
					__ATOMIC_RELAXED);
	c->impaired = __atomic_load_n(&im->skel->bss->impaired,
				      __ATOMIC_RELAXED);
	return 0;
}
