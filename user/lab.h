/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * "sockscope lab": the article's six differences between TCP and UDP,
 * each shown live between two network namespaces on a link that loses,
 * duplicates, reorders or damages packets, traced, and judged only by what
 * the run showed.
 */
#ifndef SOCKSCOPE_LAB_H
#define SOCKSCOPE_LAB_H

#include <stdbool.h>

#include "labnet.h"
#include "reader.h"
#include "strbuf.h"

/* The hidden subcommand that runs an experiment's programs, traced. */
#define LAB_RUNNER	"__lab-run"

int lab_main(int argc, char **argv);
int lab_runner_main(int argc, char **argv);

/* How the link is impaired. */
enum lab_impairment {
	LAB_CLEAN,		/* no impairment */
	LAB_LOSS,
	LAB_DUPLICATE,
	LAB_REORDER,
	LAB_CORRUPT,
};

enum lab_method { LAB_METHOD_AUTO, LAB_METHOD_NETEM, LAB_METHOD_BPF };

#define LAB_PORT		9000	/* the receivers' port */
#define LAB_CLOSED_PORT		9999	/* nobody listens there */

/* What one protocol's receiver showed, from the programs' own words. */
struct lab_delivery {
	bool ran;
	unsigned int sent;
	unsigned int received;		/* intact messages, duplicates too */
	unsigned int missing;
	unsigned int duplicates;
	unsigned int out_of_order;	/* came after a higher number */
	unsigned int damaged;
	unsigned int waits;		/* sender: sends that found no room */
	unsigned int missing_list[16];	/* the first missing numbers */
	pid_t sender, receiver;
};

/* What the kernel showed: events in the trace, counter deltas. */
struct lab_kernel {
	unsigned long long tcp_retransmits;	/* tcp_retransmit events */
	unsigned long long tcp_resets;
	unsigned long long udp_drops;
	unsigned long long tcp_states;		/* state changes traced */
	unsigned long long udp_states;		/* always 0: no states */
	unsigned long long eagain;		/* sends that got EAGAIN */
	unsigned int ncounters;
	const char *counter_name[16];
	long long counter_delta[16];
	const char *counter_ns[16];		/* "sender", "receiver" */
};

struct lab_experiment;

/* One experiment's run: everything its verdict is drawn from. */
struct lab_result {
	const struct lab_experiment *x;
	enum lab_method method;		/* netem or bpf, as used */
	unsigned int rate_pct;
	unsigned int seed;
	unsigned long long impaired;	/* packets the BPF program acted on */
	unsigned long long candidates;
	struct lab_delivery udp, tcp;
	struct lab_kernel kernel;
	/* connection: the closed-port calls */
	bool tcp_refused;		/* connect() got ECONNREFUSED */
	bool udp_send_ok;		/* sendto() to the closed port worked */
	bool udp_refused_later;		/* a later receive got ECONNREFUSED */
	bool shown;
	const char *ns[2];		/* the namespaces: LAB_SENDER, LAB_RECEIVER */
	struct strbuf printed;		/* what the programs printed, cut short */
	struct strbuf sentences;	/* the verdict, in the article's terms */
	struct strbuf not_shown;	/* what this run did not show, and why */
};

struct lab_experiment {
	const char *name;		/* "loss" */
	const char *title;
	const char *claim;		/* the article's words */
	enum lab_impairment impairment;
	unsigned int default_rate;	/* percent */
	/* Counters worth showing: nstat names, and whose namespace. */
	const char *counters[8];
	enum lab_side counter_side[8];
	/* The programs' command lines, as runner steps, into argv. */
	int (*steps)(const struct lab_experiment *x, const struct labnet *n,
		     char **argv, int max, char *store, size_t storelen);
	/* Decide shown, and write the sentences. */
	void (*judge)(struct lab_result *r);
};

extern const struct lab_experiment lab_experiments[];
extern const unsigned int lab_nexperiments;

/* The delta of a counter the experiment shows (0 if it is not one). */
long long lab_counter_delta(const struct lab_result *r, const char *name);

/* The log the runner wrote, read into r (deliveries, closed-port calls). */
void lab_read_log(struct lab_result *r, const char *log);

/* The kernel's side of r from the trace: events, failures, per socket. */
void lab_read_trace(struct lab_result *r, struct reader *rd);

/* The verdict as text, and as the one "kind":"lab" JSON object. */
void lab_verdict_text(struct strbuf *sb, const struct lab_result *r);
void lab_verdict_json(struct strbuf *sb, const struct lab_result *r);

/* The lines of a text trace worth reading: the first few of each kind of
 * call or event per process; the rest counted. */
void lab_trace_excerpt(struct strbuf *sb, const char *trace_text);

#endif
