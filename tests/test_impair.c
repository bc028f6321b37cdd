// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lab's tc BPF impairments (user/impair.c, bpf/impair.bpf.c) on a
 * real link between two namespaces: numbered UDP datagrams from the
 * sender's namespace to a socket in the receiver's, and what arrived.
 * Drop, duplicate and corrupt must act on exactly the candidates the
 * seed's rule chooses; reorder must deliver everything, the chosen ones
 * late; corrupt must show in the receiver's InCsumErrors, for UDP and
 * TCP. Needs root and BTF.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "harness.h"
#include "lib/require.h"
#include "impair.h"
#include "labnet.h"

#define PORT		9000	/* the impaired port */
#define OTHER_PORT	9001
#define MAX_COUNT	1000
#define IDLE_MS		250	/* nothing came for this long: all came */
#define RCVBUF		(8 << 20)
#define SLOT_MS		20	/* reorder's slow lane: one packet per slot */

/* IPv6 addresses for the link, added by the test (labnet has IPv4). */
#define SND_ADDR6	"fd00:199::1"
#define RCV_ADDR6	"fd00:199::2"

/* Sockets of one UDP flow: tx in the sender's namespace, connected to
 * rx in the receiver's. */
struct flow {
	int tx, rx;
};

/* What came of count numbered datagrams. */
struct delivery {
	unsigned int count;
	unsigned int received;		/* datagrams, duplicates too */
	unsigned int late;		/* came after a higher number */
	int highest;			/* the highest number so far, or -1 */
	unsigned char times[MAX_COUNT];	/* how often each number came */
	long long sent_ns[MAX_COUNT];
	long long delay_ns[MAX_COUNT];	/* sent to first arrival */
};

FIXTURE(lab) {
	struct labnet net;
	bool made;
	struct impair *im;
	struct flow flow;
	struct delivery d;
	struct lab_counters before, after;
};

FIXTURE_SETUP(lab)
{
	char err[256];

	self->flow.tx = self->flow.rx = -1;
	REQUIRE_E2E();
	if (!labnet_tools_present())
		SKIP(return, "iproute2's ip and tc are missing");
	ASSERT_EQ(0, labnet_create(&self->net, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	self->made = true;
}

FIXTURE_TEARDOWN(lab)
{
	impair_detach(self->im);
	if (self->flow.tx >= 0)
		close(self->flow.tx);
	if (self->flow.rx >= 0)
		close(self->flow.rx);
	if (self->made)
		labnet_destroy(&self->net);
}

/*
 * The rule bpf/impair.bpf.c chooses by, written again here so that a test
 * can say which candidates must have been chosen: candidate i is chosen
 * when a hash of (seed, i) mod 100 is below the rate.
 */
static unsigned int mix32(unsigned int x)
{
	x ^= x >> 16;
	x *= 0x85ebca6b;
	x ^= x >> 13;
	x *= 0xc2b2ae35;
	x ^= x >> 16;
	return x;
}

static bool rule_chooses(unsigned int seed, unsigned int rate,
			 unsigned int i)
{
	return mix32(mix32(seed) ^ i) % 100 < rate;
}

static unsigned int rule_count(unsigned int seed, unsigned int rate,
			       unsigned int count)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < count; i++)
		n += rule_chooses(seed, rate, i);
	return n;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void attach(FIXTURE_DATA(lab) *self, enum impair_kind kind,
		   unsigned int rate, unsigned int seed)
{
	struct impair_config cfg = {
		.kind = kind, .rate_pct = rate, .seed = seed, .port = PORT,
	};
	char err[256];

	ASSERT_EQ(0, impair_attach(&self->im, &self->net, &cfg, err,
				   sizeof(err))) {
		TH_LOG("%s", err);
	}
}

static void detach(FIXTURE_DATA(lab) *self)
{
	impair_detach(self->im);
	self->im = NULL;
}

static struct impair_counts counts(FIXTURE_DATA(lab) *self)
{
	struct impair_counts c;

	ASSERT_EQ(0, impair_read_counts(self->im, &c));
	return c;
}

static void make_addr(int family, const char *host, unsigned short port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		ASSERT_EQ(1, inet_pton(AF_INET, host, &in->sin_addr));
		*len = sizeof(*in);
	} else {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		ASSERT_EQ(1, inet_pton(AF_INET6, host, &in6->sin6_addr));
		*len = sizeof(*in6);
	}
}

/* A socket made in side's namespace; it stays there once we leave. */
static int socket_in(const struct labnet *n, enum lab_side side,
		     int family, int type)
{
	int saved, fd;

	ASSERT_EQ(0, labnet_enter(n, side, &saved));
	fd = socket(family, type | SOCK_CLOEXEC, 0);
	ASSERT_EQ(0, labnet_leave(saved));
	ASSERT_LE(0, fd) {
		TH_LOG("socket: %s", strerror(errno));
	}
	return fd;
}

/* Empty datagrams are never candidates: waiting for one to arrive makes
 * sure the sender has the receiver's link address before the count. */
static void warm_up(struct flow *f)
{
	struct pollfd p = { .fd = f->rx, .events = POLLIN };
	char buf[16];

	ASSERT_EQ(0, send(f->tx, "", 0, 0));
	ASSERT_EQ(1, poll(&p, 1, 2000));
	ASSERT_EQ(0, recv(f->rx, buf, sizeof(buf), 0));
}

static void open_flow(FIXTURE_DATA(lab) *self, int family,
		      const char *host, unsigned short port)
{
	struct flow *f = &self->flow;
	struct sockaddr_storage ss;
	int size = RCVBUF;
	socklen_t len;

	make_addr(family, host, port, &ss, &len);
	f->rx = socket_in(&self->net, LAB_RECEIVER, family,
			  SOCK_DGRAM | SOCK_NONBLOCK);
	ASSERT_EQ(0, setsockopt(f->rx, SOL_SOCKET, SO_RCVBUFFORCE, &size,
				sizeof(size)));
	ASSERT_EQ(0, bind(f->rx, (struct sockaddr *)&ss, len)) {
		TH_LOG("bind %s port %u: %s", host, port, strerror(errno));
	}
	f->tx = socket_in(&self->net, LAB_SENDER, family, SOCK_DGRAM);
	ASSERT_EQ(0, connect(f->tx, (struct sockaddr *)&ss, len));
	warm_up(f);
}

static void close_flow(FIXTURE_DATA(lab) *self)
{
	close(self->flow.tx);
	close(self->flow.rx);
	self->flow.tx = self->flow.rx = -1;
}

/* Whatever datagrams wait on rx, into d. */
static void take_arrivals(int rx, struct delivery *d)
{
	unsigned int seq;
	ssize_t got;

	while ((got = recv(rx, &seq, sizeof(seq), 0)) == sizeof(seq)) {
		seq = ntohl(seq);
		ASSERT_GT(d->count, seq);
		if (!d->times[seq]++)
			d->delay_ns[seq] = now_ns() - d->sent_ns[seq];
		d->received++;
		if ((int)seq < d->highest)
			d->late++;
		else
			d->highest = (int)seq;
	}
	ASSERT_EQ(-1, got) {
		TH_LOG("a datagram of %zd bytes", got);
	}
}

/* Send 0 .. count - 1, then take what arrives until IDLE_MS of silence. */
static void send_numbered(struct flow *f, unsigned int count,
			  struct delivery *d)
{
	struct pollfd p = { .fd = f->rx, .events = POLLIN };

	ASSERT_GE(MAX_COUNT, count);
	memset(d, 0, sizeof(*d));
	d->count = count;
	d->highest = -1;
	for (unsigned int i = 0; i < count; i++) {
		unsigned int seq = htonl(i);

		d->sent_ns[i] = now_ns();
		ASSERT_EQ(sizeof(seq), send(f->tx, &seq, sizeof(seq), 0));
		take_arrivals(f->rx, d);
	}
	while (poll(&p, 1, IDLE_MS) == 1)
		take_arrivals(f->rx, d);
}

/* How many numbers came exactly times times. */
static unsigned int numbers_seen(const struct delivery *d,
				 unsigned int times)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->count; i++)
		n += d->times[i] == times;
	return n;
}

/* Whether the numbers that came times times are exactly the ones the
 * rule chose (chosen true) or did not choose. */
static bool matches_rule(const struct delivery *d, unsigned int times,
			 unsigned int seed, unsigned int rate, bool chosen)
{
	for (unsigned int i = 0; i < d->count; i++)
		if ((d->times[i] == times) !=
		    (rule_chooses(seed, rate, i) == chosen))
			return false;
	return true;
}

static long long counter_delta(FIXTURE_DATA(lab) *self, const char *name)
{
	return (long long)(lab_counter(&self->after, name) -
			   lab_counter(&self->before, name));
}

/* One side's counters, before or after a run. */
static void read_counters(FIXTURE_DATA(lab) *self, enum lab_side side,
			  struct lab_counters *c)
{
	ASSERT_EQ(0, labnet_read_counters(&self->net, side, c));
}

TEST_F_TIMEOUT(lab, drop_loses_exactly_the_chosen_datagrams, 20)
{
	struct impair_counts c;
	unsigned int expect = rule_count(1, 20, 1000);

	attach(self, IMPAIR_DROP, 20, 1);
	open_flow(self, AF_INET, self->net.addr[LAB_RECEIVER], PORT);
	send_numbered(&self->flow, 1000, &self->d);
	c = counts(self);
	EXPECT_EQ(1000, c.candidates);
	EXPECT_EQ(expect, c.impaired);
	EXPECT_EQ(1000 - c.impaired, self->d.received);
	EXPECT_EQ(c.impaired, numbers_seen(&self->d, 0));
	EXPECT_TRUE(matches_rule(&self->d, 0, 1, 20, true));
	/* 20% of 1000, give or take 8 points. */
	EXPECT_LE(120, c.impaired);
	EXPECT_GE(280, c.impaired);
}

/* The set of numbers a drop run lost, as a bitmap. */
static void lost_numbers(FIXTURE_DATA(lab) *self, unsigned int seed,
			 unsigned char lost[MAX_COUNT])
{
	attach(self, IMPAIR_DROP, 20, seed);
	open_flow(self, AF_INET, self->net.addr[LAB_RECEIVER], PORT);
	send_numbered(&self->flow, 500, &self->d);
	for (unsigned int i = 0; i < 500; i++)
		lost[i] = self->d.times[i] == 0;
	EXPECT_EQ(counts(self).impaired, numbers_seen(&self->d, 0));
	close_flow(self);
	detach(self);
}

TEST_F_TIMEOUT(lab, same_seed_same_choice_other_seed_other_choice, 20)
{
	static unsigned char first[MAX_COUNT], again[MAX_COUNT],
			     other[MAX_COUNT];

	lost_numbers(self, 42, first);
	lost_numbers(self, 42, again);
	lost_numbers(self, 43, other);
	EXPECT_EQ(0, memcmp(first, again, 500));
	EXPECT_NE(0, memcmp(first, other, 500));
	EXPECT_NE(NULL, memchr(first, 1, 500));
}

TEST_F_TIMEOUT(lab, other_ports_and_empty_datagrams_pass, 20)
{
	struct impair_counts c;

	attach(self, IMPAIR_DROP, 100, 1);
	/* open_flow's empty datagram to PORT came through: not a candidate. */
	open_flow(self, AF_INET, self->net.addr[LAB_RECEIVER], PORT);
	close_flow(self);
	open_flow(self, AF_INET, self->net.addr[LAB_RECEIVER], OTHER_PORT);
	send_numbered(&self->flow, 300, &self->d);
	EXPECT_EQ(300, self->d.received);
	EXPECT_EQ(300, numbers_seen(&self->d, 1));
	c = counts(self);
	EXPECT_EQ(0, c.candidates);
	EXPECT_EQ(0, c.impaired);
	close_flow(self);
	/* The same rate on its own port loses everything. */
	open_flow(self, AF_INET, self->net.addr[LAB_RECEIVER], PORT);
	send_numbered(&self->flow, 50, &self->d);
	EXPECT_EQ(0, self->d.received);
	c = counts(self);
	EXPECT_EQ(50, c.candidates);
	EXPECT_EQ(50, c.impaired);
}

TEST_F_TIMEOUT(lab, duplicate_delivers_the_chosen_twice, 20)
{
	struct impair_counts c;

	attach(self, IMPAIR_DUPLICATE, 20, 2);
	open_flow(self, AF_INET, self->net.addr[LAB_RECEIVER], PORT);
	send_numbered(&self->flow, 1000, &self->d);
	c = counts(self);
	EXPECT_EQ(1000, c.candidates);
	EXPECT_EQ(rule_count(2, 20, 1000), c.impaired);
	EXPECT_EQ(1000 + c.impaired, self->d.received);
	EXPECT_EQ(c.impaired, numbers_seen(&self->d, 2));
	EXPECT_EQ(1000 - c.impaired, numbers_seen(&self->d, 1));
	EXPECT_TRUE(matches_rule(&self->d, 2, 2, 20, true));
}

/*
 * Every datagram comes once; the chosen ones come late, each at least one
 * slot of the slow lane after it was sent, and overtaken.
 */
TEST_F_TIMEOUT(lab, reorder_delivers_all_and_the_chosen_late, 20)
{
	const long long slot_ns = (SLOT_MS - 2) * 1000000LL;
	unsigned int slow = 0, early = 0;
	struct impair_counts c;

	attach(self, IMPAIR_REORDER, 20, 3);
	open_flow(self, AF_INET, self->net.addr[LAB_RECEIVER], PORT);
	send_numbered(&self->flow, 200, &self->d);
	c = counts(self);
	EXPECT_EQ(200, c.candidates);
	EXPECT_EQ(rule_count(3, 20, 200), c.impaired);
	EXPECT_EQ(200, self->d.received);
	EXPECT_EQ(200, numbers_seen(&self->d, 1));
	for (unsigned int i = 0; i < 200; i++) {
		if (!rule_chooses(3, 20, i))
			continue;
		slow++;
		if (self->d.delay_ns[i] >= slot_ns)
			continue;
		if (!early++)
			TH_LOG("chosen number %u came after %lld us", i,
			       self->d.delay_ns[i] / 1000);
	}
	EXPECT_EQ(c.impaired, slow);
	EXPECT_EQ(0, early);
	/* Each chosen one is overtaken, unless nothing came after it. */
	EXPECT_LE(c.impaired - 1, self->d.late);
	EXPECT_LT(0, self->d.late);
}

TEST_F_TIMEOUT(lab, corrupt_udp_fails_the_receivers_checksum, 20)
{
	struct impair_counts c;

	attach(self, IMPAIR_CORRUPT, 20, 4);
	open_flow(self, AF_INET, self->net.addr[LAB_RECEIVER], PORT);
	read_counters(self, LAB_RECEIVER, &self->before);
	send_numbered(&self->flow, 1000, &self->d);
	read_counters(self, LAB_RECEIVER, &self->after);
	c = counts(self);
	EXPECT_EQ(1000, c.candidates);
	EXPECT_EQ(rule_count(4, 20, 1000), c.impaired);
	EXPECT_EQ(1000 - c.impaired, self->d.received);
	/* What came is intact: each number once, none of the chosen. */
	EXPECT_EQ(1000 - c.impaired, numbers_seen(&self->d, 1));
	EXPECT_TRUE(matches_rule(&self->d, 0, 4, 20, true));
	EXPECT_EQ(c.impaired, counter_delta(self, "UdpInCsumErrors"));
}

/* The byte at offset i of the TCP transfer. */
static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static void tcp_connect(FIXTURE_DATA(lab) *self, int *client, int *server)
{
	struct sockaddr_storage ss;
	int lfd, one = 1;
	socklen_t len;

	make_addr(AF_INET, self->net.addr[LAB_RECEIVER], PORT, &ss, &len);
	lfd = socket_in(&self->net, LAB_RECEIVER, AF_INET, SOCK_STREAM);
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&ss, len));
	ASSERT_EQ(0, listen(lfd, 1));
	*client = socket_in(&self->net, LAB_SENDER, AF_INET, SOCK_STREAM);
	ASSERT_EQ(0, setsockopt(*client, IPPROTO_TCP, TCP_NODELAY, &one,
				sizeof(one)));
	ASSERT_EQ(0, connect(*client, (struct sockaddr *)&ss, len));
	*server = accept(lfd, NULL, NULL);
	close(lfd);
	ASSERT_LE(0, *server);
}

/* 100 messages of 200 bytes from the sender; the receiver must get every
 * byte, in order and intact. */
static void tcp_transfer(FIXTURE_DATA(lab) *self)
{
	static unsigned char buf[100 * 200];
	struct pollfd p = { .events = POLLIN };
	size_t got = 0, bad = 0;
	int client, server;
	ssize_t n;

	tcp_connect(self, &client, &server);
	self->flow.tx = client;
	self->flow.rx = server;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = pattern(i);
	for (size_t off = 0; off < sizeof(buf); off += 200)
		ASSERT_EQ(200, write(client, buf + off, 200));
	memset(buf, 0, sizeof(buf));
	p.fd = server;
	while (got < sizeof(buf) && poll(&p, 1, 10000) == 1) {
		n = read(server, buf + got, sizeof(buf) - got);
		ASSERT_LT(0, n);
		got += (size_t)n;
	}
	ASSERT_EQ(sizeof(buf), got);
	for (size_t i = 0; i < sizeof(buf); i++)
		bad += buf[i] != pattern(i);
	EXPECT_EQ(0, bad);
}

TEST_F_TIMEOUT(lab, corrupt_tcp_is_repaired_by_retransmission, 20)
{
	struct impair_counts c;

	attach(self, IMPAIR_CORRUPT, 20, 5);
	read_counters(self, LAB_RECEIVER, &self->before);
	tcp_transfer(self);
	read_counters(self, LAB_RECEIVER, &self->after);
	c = counts(self);
	EXPECT_LT(0, c.impaired);
	EXPECT_EQ(c.impaired, counter_delta(self, "TcpInCsumErrors"));
	TH_LOG("segments: %llu candidates, %llu corrupted", c.candidates,
	       c.impaired);
}

/* A drop is a loss the sender learns of only from the receiver: TCP sends
 * the lost segments again, and still delivers everything. */
TEST_F_TIMEOUT(lab, drop_makes_tcp_retransmit, 20)
{
	struct impair_counts c;

	attach(self, IMPAIR_DROP, 20, 9);
	read_counters(self, LAB_SENDER, &self->before);
	tcp_transfer(self);
	read_counters(self, LAB_SENDER, &self->after);
	c = counts(self);
	EXPECT_LT(0, c.impaired);
	EXPECT_LT(0, counter_delta(self, "TcpRetransSegs"));
}

/* IPv6 candidates too: ULA addresses on the link, without DAD's wait. */
TEST_F_TIMEOUT(lab, drop_over_ipv6, 20)
{
	const char *const snd[] = { "ip", "-6", "addr", "add",
				    SND_ADDR6 "/64", "dev", "veth-snd",
				    "nodad", NULL };
	const char *const rcv[] = { "ip", "-6", "addr", "add",
				    RCV_ADDR6 "/64", "dev", "veth-rcv",
				    "nodad", NULL };
	struct impair_counts c;
	char err[256];

	ASSERT_EQ(0, labnet_run(&self->net, LAB_SENDER, snd, err,
				sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_EQ(0, labnet_run(&self->net, LAB_RECEIVER, rcv, err,
				sizeof(err))) {
		TH_LOG("%s", err);
	}
	attach(self, IMPAIR_DROP, 20, 6);
	open_flow(self, AF_INET6, RCV_ADDR6, PORT);
	send_numbered(&self->flow, 300, &self->d);
	c = counts(self);
	EXPECT_EQ(300, c.candidates);
	EXPECT_EQ(rule_count(6, 20, 300), c.impaired);
	EXPECT_EQ(300 - c.impaired, self->d.received);
	EXPECT_TRUE(matches_rule(&self->d, 0, 6, 20, true));
}

/* Detached, the link is clean again: no filter, no slow lane. */
TEST_F_TIMEOUT(lab, detach_leaves_a_clean_link, 20)
{
	attach(self, IMPAIR_DROP, 100, 7);
	detach(self);
	attach(self, IMPAIR_REORDER, 100, 7);
	detach(self);
	attach(self, IMPAIR_CORRUPT, 100, 7);
	detach(self);
	open_flow(self, AF_INET, self->net.addr[LAB_RECEIVER], PORT);
	send_numbered(&self->flow, 200, &self->d);
	EXPECT_EQ(200, self->d.received);
	EXPECT_EQ(200, numbers_seen(&self->d, 1));
	EXPECT_EQ(0, self->d.late);
}

/* Whether ip lists either of these namespaces (this test's own: other
 * labs may run on the machine meanwhile). */
static bool lab_namespace_listed(const char names[2][40])
{
	char line[256];
	bool found = false;
	FILE *f = popen("ip netns list", "r");

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		found |= !strncmp(line, names[0], strlen(names[0])) ||
			 !strncmp(line, names[1], strlen(names[1]));
	pclose(f);
	return found;
}

/* labnet_destroy takes everything with it; detaching after is safe. */
TEST_F_TIMEOUT(lab, nothing_is_left_after_destroy, 20)
{
	char names[2][40];

	attach(self, IMPAIR_CORRUPT, 20, 8);
	memcpy(names, self->net.ns, sizeof(names));
	ASSERT_EQ(0, strncmp(names[0], LABNET_NS_PREFIX,
			     strlen(LABNET_NS_PREFIX)));
	ASSERT_TRUE(lab_namespace_listed(names));
	labnet_destroy(&self->net);
	self->made = false;
	EXPECT_FALSE(lab_namespace_listed(names));
	detach(self);
	EXPECT_FALSE(lab_namespace_listed(names));
}

TEST(bad_configurations_are_refused_with_a_reason)
{
	struct impair_config cfg = { .kind = IMPAIR_DROP, .rate_pct = 101,
				     .port = PORT };
	struct labnet unused = { .nsfd = { -1, -1 } };
	struct impair *im = (struct impair *)&cfg;
	char err[128];

	EXPECT_EQ(-EINVAL, impair_attach(&im, &unused, &cfg, err,
					 sizeof(err)));
	EXPECT_NULL(im);
	EXPECT_STREQ("impairment rate 101% is over 100%", err);
	cfg.rate_pct = 10;
	cfg.port = 0;
	EXPECT_EQ(-EINVAL, impair_attach(&im, &unused, &cfg, err,
					 sizeof(err)));
	EXPECT_STREQ("the impairment needs a destination port", err);
	cfg.port = PORT;
	cfg.kind = 9;
	EXPECT_EQ(-EINVAL, impair_attach(&im, &unused, &cfg, err,
					 sizeof(err)));
	EXPECT_STREQ("unknown impairment kind 9", err);
}

TEST(describe_says_how_each_kind_is_done)
{
	EXPECT_EQ(0, strncmp(impair_describe(IMPAIR_DROP), "drop: ", 6));
	EXPECT_EQ(0, strncmp(impair_describe(IMPAIR_DUPLICATE),
			     "duplicate: ", 11));
	EXPECT_EQ(0, strncmp(impair_describe(IMPAIR_REORDER),
			     "reorder: ", 9));
	EXPECT_EQ(0, strncmp(impair_describe(IMPAIR_CORRUPT),
			     "corrupt: ", 9));
	EXPECT_STREQ("unknown impairment", impair_describe(0));
}

TEST_HARNESS_MAIN
