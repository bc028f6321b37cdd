/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_DIAGRAM_H
#define SOCKSCOPE_DIAGRAM_H

#include <stdbool.h>
#include <sys/types.h>

#include "events.h"
#include "socktable.h"
#include "strbuf.h"

/*
 * A sequence diagram of a trace: one lifeline per traced process (and
 * one for an address no traced process holds, such as the closed port a
 * refused connect went to; when drawn, a process with several sockets
 * gets one per socket if they fit), and, in time order, the steps
 * between and on them: the socket calls, what crossed between processes
 * (each datagram, each receive of stream bytes, the TCP handshake's and
 * close's segments as the state changes show them, resets,
 * retransmissions) and the TCP states each side went through.
 */
#define DIAGRAM_LIFELINES	6	/* drawn, at most */
#define DIAGRAM_STEPS		2000
/* Kept of a trace, so --pid, --port and --conversation pick from all of
 * it, and only then is what is drawn held to the limits above. */
#define DIAGRAM_KEEP_LINES	64
#define DIAGRAM_KEEP_STEPS	100000
#define DIAGRAM_LABEL		80

enum diagram_step_kind {
	STEP_CALL,		/* a call on one lifeline */
	STEP_ARROW,		/* from one lifeline to another */
	STEP_STATE,		/* a TCP state on one lifeline */
	STEP_DROP,		/* something lost on one lifeline */
};

struct diagram_step {
	__u64 ts_ns;
	int kind;			/* enum diagram_step_kind */
	int from, to;			/* lifelines (to: arrows only) */
	bool failed;			/* a call that failed */
	bool kernel;			/* sent by the kernel (SYN, ACK, ...) */
	bool lost;			/* an arrow nobody received */
	int text;			/* its record's trace lines, or -1 */
	int conv;			/* its conversation (from 1), or 0 */
	bool sk_to;			/* sk is at the arrow's head (to) */
	__u64 sk;			/* the kernel socket it is about, */
	unsigned int gen;		/* and which of the sockets that had
					   that kernel address in turn */
	__u64 peer_sk;			/* an arrow's other end, when known */
	unsigned int peer_gen;
	unsigned int id;		/* from 1, in the order added */
	unsigned int after;		/* an arrow: the id of its send's call,
					   whose row it may not be above */
	char label[DIAGRAM_LABEL];
};

struct diagram_lifeline {
	pid_t pid;			/* 0: an address no process holds */
	char comm[SOCKSCOPE_COMM_LEN];
	char where[48];			/* "127.0.0.1:8000", or "" */
	/* An address no process holds, as the trace saw it. */
	int family;
	__u8 addr[16];
	unsigned int port;
	bool stream;
};

/* A send whose receiver is not known yet: a receive with no source
 * address (recvfrom with NULL) finds where it came from here. */
struct diagram_send {
	int line, to;			/* the sender's, the destination's */
	int family;
	unsigned int port;		/* its destination's */
	long long len;
	__u64 ts_ns;
	int conv;			/* the send's conversation */
	__u64 sk;			/* and socket */
	unsigned int gen;
	unsigned int id;		/* its call's step */
	char label[DIAGRAM_LABEL];
};

#define DIAGRAM_SENDS	64

/* A datagram received before its send's record came (records come at a
 * call's end): that send, when it comes, is not lost. */
struct diagram_early {
	int family;
	unsigned int port;		/* the receiver's */
	long long len;
	__u64 ts_ns;			/* the receive's end */
	unsigned int arrow;		/* the id of its arrow */
};

/* Bytes a stream socket sent and received so far: a receive's arrow is
 * drawn below the send its last byte came from. */
struct diagram_flow {
	__u64 sk;
	unsigned int gen;
	long long sent, received;
};

/* A stream receive whose bytes' send has no record yet. */
struct diagram_wait {
	__u64 sk;			/* the sending socket */
	unsigned int gen;
	long long upto;			/* the bytes it must have sent */
	__u64 ts_ns;			/* the receive's end */
	unsigned int arrow;
};

/* One end of a TCP connection: a FIN it sent, or the timewait socket
 * its active close left waiting for the peer's FIN. */
struct diagram_end {
	int family;
	__u8 addr[16], peer_addr[16];
	unsigned int port, peer_port;
	int line, conv;			/* a timewait socket's */
	__u64 sk;
	unsigned int gen;
	bool waiting;			/* for the peer's FIN */
};

#define DIAGRAM_PORT_SOCKS	256
#define DIAGRAM_CONVS		256

/* A conversation: what went between two ports of one protocol, known by
 * the ports (numbered in the order they were first seen). */
struct diagram_conv {
	int protocol;
	int family;
	unsigned int port[2];
	__u8 addr[2][16];		/* as first seen (may be 0.0.0.0) */
	int steps;
};

struct diagram {
	struct diagram_lifeline lines[DIAGRAM_KEEP_LINES];
	struct diagram_send sends[DIAGRAM_SENDS];
	int nsends;
	struct diagram_early early[DIAGRAM_SENDS];
	int nearly;
	int nlines;
	struct diagram_step *steps;
	int nsteps, max_steps;
	unsigned int next_id;
	struct diagram_flow flows[DIAGRAM_SENDS];
	int nflows;
	struct diagram_wait waits[DIAGRAM_SENDS];
	int nwaits;
	struct diagram_end fins[DIAGRAM_SENDS], timewaits[DIAGRAM_SENDS];
	int nfins, ntimewaits;
	bool too_big;			/* more than it keeps: the rest lost */
	int left_out;			/* steps drawn on no lifeline or after
					   the last one drawn (a view's) */
	__u64 start_ns;
	__u64 trace_ns;			/* the trace's time 0, if known: the
					   html page's trace counts from it */
	/* Which conversation to draw: 0 for all. A port keeps the sockets
	 * that ever had it at either end, known as the trace goes on (a
	 * client's port only after its SYN), so it is applied at the end. */
	pid_t only_pid;
	unsigned int only_port;
	int only_conv;
	/* Each socket's local address, as first known: the label of its
	 * lifeline when its process's sockets get one each. */
	struct diagram_where {
		__u64 sk;
		unsigned int gen;
		char where[48];
	} wheres[DIAGRAM_PORT_SOCKS];
	int nwheres;
	struct diagram_conv convs[DIAGRAM_CONVS];
	int nconvs;
	int cur_conv;			/* of the record being added */
	struct diagram_sock {
		__u64 sk;
		unsigned int gen;
		/* A TCP socket is gone once the program closed it and the
		 * kernel moved it to CLOSE, in either order. */
		bool closed_by_call, closed_by_state;
	} port_socks[DIAGRAM_PORT_SOCKS], gens[DIAGRAM_PORT_SOCKS];
	int nport_socks, ngens;
	struct diagram_sock cur;	/* the socket of the record being added */
	/* The trace's lines of each record that added steps (for html). */
	char **texts;
	int ntexts;
};

void diagram_init(struct diagram *d);
void diagram_free(struct diagram *d);

/* The end of the trace: datagrams no receive took become arrows that
 * end in a cross. */
void diagram_finish(struct diagram *d);

/* Add what a record shows; e is its socket after the record was applied
 * to t (NULL when unknown). */
void diagram_add_syscall(struct diagram *d, const struct syscall_record *r,
			 const struct sock_entry *e, struct socktable *t);
void diagram_add_kernel(struct diagram *d, const struct kernel_record *k,
			const struct sock_entry *e, struct socktable *t);

/* The trace's lines of the record that added steps first.. (its line
 * and its note, as the trace shows them). */
void diagram_add_text(struct diagram *d, int first, const char *text,
		      size_t len);

enum diagram_format {
	DIAGRAM_TEXT,		/* box-drawing characters, for a terminal */
	DIAGRAM_SVG,		/* one self-contained picture */
	DIAGRAM_HTML,		/* the picture, and the trace beside it */
};

/*
 * The diagram (what --pid, --port and --conversation keep of it; a
 * process with several sockets gets a lifeline for each when that fits): as text, at most width
 * columns (message text as UTF-8, wide characters counted twice), or as
 * SVG. -ENODATA when there is nothing to draw.
 */
int diagram_render(const struct diagram *d, struct strbuf *sb,
		   enum diagram_format format, int width);

/*
 * The conversation of two ports (from 1; added if new), or 0 when a port
 * is not known or there are too many conversations.
 */
int diagram_conversation(struct diagram *d, int protocol, int family,
			 const __u8 *laddr, unsigned int lport,
			 const __u8 *raddr, unsigned int rport);

/* One line per conversation: "  2  TCP  127.0.0.1:40000 <-> ...". */
void diagram_list(const struct diagram *d, struct strbuf *sb);

/* The two renderers, of a diagram as it is (no filter applied). */
int diagram_text(const struct diagram *d, struct strbuf *sb, int width);
int diagram_svg(const struct diagram *d, struct strbuf *sb);
/* The same, its times counted from the trace's start (trace_ns). */
int diagram_svg_in_trace_time(const struct diagram *d, struct strbuf *sb);
int diagram_html(const struct diagram *d, struct strbuf *sb);

/* Columns text takes in a terminal (UTF-8; East Asian wide ones two). */
int diagram_columns(const char *text);
/* text, cut to at most columns, ending in "…" when cut. */
void diagram_shorten(char *out, size_t size, const char *text, int columns);

/* Text as XML (and HTML) character data or an attribute value. */
void diagram_xml_text(struct strbuf *sb, const char *s);

/* If a view of a diagram (what diagram_render draws) leaves steps out:
 * how many, and how to draw them, in lines of at most width columns. */
void diagram_cut_note(const struct diagram *v, struct strbuf *sb, int width);
/* The same of what diagram_render would draw of d. */
void diagram_cut(const struct diagram *d, struct strbuf *sb, int width);

/* Whether a socket ever had the --port. */
bool diagram_has_port_sock(const struct diagram *d, __u64 sk,
			   unsigned int gen);

/* The text diagram on stdout, or a line on stderr saying there was
 * nothing to draw. 0, or -ENODATA. */
int diagram_print(const struct diagram *d);

#endif
