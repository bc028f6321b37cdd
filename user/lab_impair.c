// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Impairing the lab's link: with the kernel's netem where it exists (a
 * root qdisc on the sender's veth), otherwise with our own tc BPF program
 * (impair.c). The choice is made by probing, at run time.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "impair.h"
#include "lab_impair.h"

/* Whether netem can be used: try to add one, and take it away again. */
static bool netem_works(const struct labnet *n)
{
	const char *const add[] = { "tc", "qdisc", "add", "dev",
				    n->ifname[LAB_SENDER], "root", "netem",
				    "delay", "0ms", NULL };
	const char *const del[] = { "tc", "qdisc", "del", "dev",
				    n->ifname[LAB_SENDER], "root", NULL };

	if (labnet_run(n, LAB_SENDER, add, NULL, 0))
		return false;
	labnet_run(n, LAB_SENDER, del, NULL, 0);
	return true;
}

/* netem's words for each impairment, at rate percent. Reordering needs a
 * delay: netem sends (100 - rate)% at once and delays the rest. */
static int netem_apply(const struct labnet *n, enum lab_impairment what,
		       unsigned int rate, char *err, size_t errlen)
{
	char pct[16], rest[16];
	const char *argv[16] = { "tc", "qdisc", "add", "dev",
				 n->ifname[LAB_SENDER], "root", "netem" };
	int i = 7;

	snprintf(pct, sizeof(pct), "%u%%", rate);
	snprintf(rest, sizeof(rest), "%u%%", 100 - rate);
	switch (what) {
	case LAB_LOSS:
		argv[i++] = "loss";
		argv[i++] = pct;
		break;
	case LAB_DUPLICATE:
		argv[i++] = "duplicate";
		argv[i++] = pct;
		break;
	case LAB_REORDER:
		argv[i++] = "delay";
		argv[i++] = "20ms";
		argv[i++] = "reorder";
		argv[i++] = rest;
		break;
	case LAB_CORRUPT:
		argv[i++] = "corrupt";
		argv[i++] = pct;
		break;
	default:
		return 0;
	}
	argv[i] = NULL;
	if (labnet_run(n, LAB_SENDER, argv, err, errlen))
		return -EIO;
	return 0;
}

static enum impair_kind bpf_kind(enum lab_impairment what)
{
	switch (what) {
	case LAB_LOSS:
		return IMPAIR_DROP;
	case LAB_DUPLICATE:
		return IMPAIR_DUPLICATE;
	case LAB_REORDER:
		return IMPAIR_REORDER;
	default:
		return IMPAIR_CORRUPT;
	}
}

int lab_impair_apply(struct lab_impair *li, struct labnet *n,
		     enum lab_impairment what, unsigned int rate,
		     unsigned int seed, enum lab_method method, char *err,
		     size_t errlen)
{
	char why[256] = "";
	struct impair_config cfg = {
		.kind = bpf_kind(what), .rate_pct = rate, .seed = seed,
		.port = LAB_PORT,
	};
	int ret;

	memset(li, 0, sizeof(*li));
	if (what == LAB_CLEAN)
		return 0;
	if (method == LAB_METHOD_AUTO) {
		li->netem_missing = !netem_works(n);
		method = li->netem_missing ? LAB_METHOD_BPF : LAB_METHOD_NETEM;
	}
	li->method = method;
	if (method == LAB_METHOD_NETEM) {
		ret = netem_apply(n, what, rate, why, sizeof(why));
		if (ret)
			snprintf(err, errlen,
				 "netem refused the impairment (%s); try: --method bpf",
				 why);
		return ret;
	}
	ret = impair_attach(&li->bpf, n, &cfg, err, errlen);
	return ret;
}

void lab_impair_counts(const struct lab_impair *li,
		       unsigned long long *candidates,
		       unsigned long long *impaired)
{
	struct impair_counts c = { 0 };

	if (li->bpf && !impair_read_counts(li->bpf, &c)) {
		*candidates = c.candidates;
		*impaired = c.impaired;
	}
}

void lab_impair_remove(struct lab_impair *li)
{
	if (li->bpf)
		impair_detach(li->bpf);
	li->bpf = NULL;
}
