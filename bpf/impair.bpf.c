// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lab's impaired link without netem: tc BPF programs on the veth pair
 * that drop, duplicate, delay (reorder) or damage chosen packets.
 *
 * A candidate is an IPv4 or IPv6 UDP or TCP packet to the lab's port that
 * carries payload; everything else (ARP, ICMP, handshakes, bare ACKs)
 * passes untouched. Of the candidates, a hash of (seed, candidate number)
 * chooses rate_pct percent: the same seed and the same sequence of
 * packets give the same choices. User space loads one program of the four
 * and attaches it where its kind needs it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define TC_ACT_OK	0
#define TC_ACT_SHOT	2
#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define IP_MF		0x2000
#define IP_OFFSET	0x1fff

/* The marks on our own copies: of a duplicated packet, and reorder's decoys. */
#define COPY_MARK	0x5c0e0001
#define DECOY_MARK	0x5c0e0002
#define ETH_TYPE_OFF	12
#define ETH_P_DECOY	0x88B5	/* IEEE 802 "local experimental" EtherType */

/* Set by user space before load. */
const volatile __u16 port = 0;		/* destination port, host order */
const volatile __u32 rate_pct = 0;	/* 0..100 */
const volatile __u32 seed = 0;
const volatile __u32 slow_class = 0;	/* reorder: htb classid of the slow lane */

/* Read by user space: candidates seen, and those acted on. */
__u64 candidates = 0;
__u64 impaired = 0;

/* Where an IP packet's L4 header is, and how long L4 header + payload are. */
struct l4 {
	__u32 off;
	__u32 len;
	__u8 proto;
};

static bool parse_ipv4(struct __sk_buff *skb, struct l4 *l4)
{
	struct iphdr ip;
	__u32 hlen;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)))
		return false;
	/* A fragment may not hold the L4 header: never a candidate. */
	if (ip.frag_off & bpf_htons(IP_MF | IP_OFFSET))
		return false;
	hlen = ip.ihl * 4;
	if (hlen < sizeof(ip) || bpf_ntohs(ip.tot_len) < hlen)
		return false;
	l4->off = ETH_HLEN + hlen;
	l4->len = bpf_ntohs(ip.tot_len) - hlen;
	l4->proto = ip.protocol;
	return true;
}

/* Only UDP or TCP right after the fixed header; extension headers pass. */
static bool parse_ipv6(struct __sk_buff *skb, struct l4 *l4)
{
	struct ipv6hdr ip6;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip6, sizeof(ip6)))
		return false;
	l4->off = ETH_HLEN + sizeof(ip6);
	l4->len = bpf_ntohs(ip6.payload_len);
	l4->proto = ip6.nexthdr;
	return true;
}

/* The L4 header's length and destination port (network order). */
static bool parse_l4(struct __sk_buff *skb, const struct l4 *l4,
		     __u32 *hlen, __be16 *dport)
{
	struct udphdr udp;
	struct tcphdr tcp;

	if (l4->proto == IPPROTO_UDP) {
		if (bpf_skb_load_bytes(skb, l4->off, &udp, sizeof(udp)))
			return false;
		*hlen = sizeof(udp);
		*dport = udp.dest;
		return true;
	}
	if (l4->proto == IPPROTO_TCP) {
		if (bpf_skb_load_bytes(skb, l4->off, &tcp, sizeof(tcp)))
			return false;
		*hlen = tcp.doff * 4;
		*dport = tcp.dest;
		return true;
	}
	return false;
}

/* The offset of a candidate's first payload byte; 0 for any other packet. */
static __u32 candidate_payload(struct __sk_buff *skb)
{
	struct l4 l4;
	__be16 dport;
	__u32 hlen;
	bool ip;

	if (skb->protocol == bpf_htons(ETH_P_IP))
		ip = parse_ipv4(skb, &l4);
	else if (skb->protocol == bpf_htons(ETH_P_IPV6))
		ip = parse_ipv6(skb, &l4);
	else
		return 0;
	if (!ip || !parse_l4(skb, &l4, &hlen, &dport))
		return 0;
	if (dport != bpf_htons(port) || l4.len <= hlen)
		return 0;
	return l4.off + hlen;
}

/* MurmurHash3's 32-bit finaliser: each input bit flips about half of the
 * output bits, so consecutive numbers give unrelated hashes. */
static __u32 mix32(__u32 x)
{
	x ^= x >> 16;
	x *= 0x85ebca6b;
	x ^= x >> 13;
	x *= 0xc2b2ae35;
	x ^= x >> 16;
	return x;
}

/*
 * Numbers the candidate (0, 1, 2, ... since load) and says whether it is
 * chosen: hash(seed, number) mod 100 below rate_pct. The number comes
 * from an atomic counter, so two CPUs never get the same one.
 */
static bool choose_candidate(void)
{
	__u32 n = __sync_fetch_and_add(&candidates, 1);

	return mix32(mix32(seed) ^ n) % 100 < rate_pct;
}

static void count_impaired(void)
{
	__sync_fetch_and_add(&impaired, 1);
}

/* Receiver's ingress: a chosen packet is dropped as it arrives, where the
 * sender cannot know (a drop on its own egress would tell its socket). */
SEC("tc")
int impair_drop(struct __sk_buff *skb)
{
	if (!candidate_payload(skb) || !choose_candidate())
		return TC_ACT_OK;
	count_impaired();
	return TC_ACT_SHOT;
}

/*
 * Sender's egress: a chosen packet is sent twice. bpf_clone_redirect()
 * transmits a copy on this same device at once; the copy comes through
 * this hook again, recognised by its mark, and passes. Then the original
 * passes with its own mark back.
 */
SEC("tc")
int impair_duplicate(struct __sk_buff *skb)
{
	__u32 mark = skb->mark;

	if (mark == COPY_MARK)
		return TC_ACT_OK;
	if (!candidate_payload(skb) || !choose_candidate())
		return TC_ACT_OK;
	skb->mark = COPY_MARK;
	if (!bpf_clone_redirect(skb, skb->ifindex, 0))
		count_impaired();
	skb->mark = mark;
	return TC_ACT_OK;
}

/*
 * A copy of the packet that takes the slow lane's free slot: its EtherType
 * is one no receiver has a handler for, so veth-rcv drops it on arrival.
 * The copy comes through this hook again, recognised by its mark. false
 * when the packet's own EtherType could not be put back.
 */
static bool send_decoy(struct __sk_buff *skb)
{
	__be16 decoy = bpf_htons(ETH_P_DECOY), type;
	__u32 mark = skb->mark;

	if (bpf_skb_load_bytes(skb, ETH_TYPE_OFF, &type, sizeof(type)) ||
	    bpf_skb_store_bytes(skb, ETH_TYPE_OFF, &decoy, sizeof(decoy), 0))
		return true;
	skb->mark = DECOY_MARK;
	bpf_clone_redirect(skb, skb->ifindex, 0);
	skb->mark = mark;
	return !bpf_skb_store_bytes(skb, ETH_TYPE_OFF, &type, sizeof(type), 0);
}

/*
 * Sender's egress, which runs before the root qdisc: a chosen packet goes
 * to the slow lane, an htb class that lets one packet out per slot, while
 * later packets take the fast lane and overtake it. htb takes a packet's
 * class from skb->priority when that is one of its classids.
 *
 * A token bucket starts full, so a packet that finds the lane idle would
 * leave at once, not overtaken at all; a decoy goes into the lane just
 * before it and takes that free slot, so every chosen packet waits at
 * least one slot.
 */
SEC("tc")
int impair_reorder(struct __sk_buff *skb)
{
	if (skb->mark == DECOY_MARK)
		return TC_ACT_OK;
	if (!candidate_payload(skb) || !choose_candidate())
		return TC_ACT_OK;
	skb->priority = slow_class;
	if (!send_decoy(skb))
		return TC_ACT_SHOT;
	count_impaired();
	return TC_ACT_OK;
}

/*
 * Receiver's ingress: one payload byte of a chosen packet is inverted and
 * the checksum left as it was. Any one-byte change alters the ones'
 * complement sum, so the receiver's UDP or TCP checksum check fails and
 * the kernel drops the packet (InCsumErrors). That check only happens when
 * the packet carries a full checksum (CHECKSUM_NONE), not when veth passes
 * on the sender's offloaded CHECKSUM_PARTIAL: user space turns the
 * sender's tx checksum offload off for this.
 */
SEC("tc")
int impair_corrupt(struct __sk_buff *skb)
{
	__u32 off = candidate_payload(skb);
	__u8 byte;

	if (!off || !choose_candidate())
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, off, &byte, sizeof(byte)))
		return TC_ACT_OK;
	byte = ~byte;
	if (!bpf_skb_store_bytes(skb, off, &byte, sizeof(byte), 0))
		count_impaired();
	return TC_ACT_OK;
}
