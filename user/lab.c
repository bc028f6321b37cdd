// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sockscope lab: for each experiment, make the two namespaces and their
 * link, impair it, run the experiment's programs traced, read the
 * namespaces' counters before and after, and end with the verdict; then
 * remove everything, also after a failure or Ctrl-C.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diagram.h"
#include "lab.h"
#include "lab_impair.h"
#include "lesson.h"
#include "options.h"
#include "session.h"

#define MAX_STEP_ARGS	160
#define DEFAULT_SEED	1

static const char usage_line[] =
	"usage: sockscope lab [connection|order|loss|duplicate|corrupt|flow|all]\n"
	"                     [-j] [--save FILE] [--seed N] [--rate PCT] [-k]\n"
	"                     [--method auto|netem|bpf] [--diagram]\n";

static const char help_text[] =
	"Show the article's six differences between TCP and UDP, live: two\n"
	"network namespaces joined by a veth pair, a link that loses,\n"
	"duplicates, reorders or damages packets, the same numbered messages\n"
	"over UDP and over TCP, traced; a verdict drawn only from this run.\n"
	"\n"
	"  connection  TCP's handshake, states and refused connect; UDP has none\n"
	"  order       a reordering link: UDP out of order, TCP in order\n"
	"  loss        a lossy link: UDP messages missing, TCP resends\n"
	"  duplicate   a duplicating link: UDP twice, TCP once\n"
	"  corrupt     a damaging link: checksums drop them; TCP resends\n"
	"  flow        a slow reader: UDP drops, TCP's sender waits\n"
	"  all         each of them in turn (the default)\n"
	"\n"
	"  -j, --json        trace lines and one \"kind\":\"lab\" object each, as JSON\n"
	"  --save FILE       also save the trace for 'sockscope replay FILE'\n"
	"  --seed N          which packets the BPF impairment picks (default 1)\n"
	"  --rate PCT        share of packets impaired, 0-100 (defaults per experiment)\n"
	"  -k, --keep        leave the namespaces up for exercises, and say how to enter them\n"
	"  --method M        netem, bpf, or auto (default: netem when the kernel has it)\n"
	"  --diagram         end each experiment with a sequence diagram of its trace\n"
	"Needs root: it makes network namespaces and loads BPF programs.\n";

struct lab_args {
	const char *which;
	bool json;
	const char *save;
	unsigned int seed;
	int rate;			/* -1: the experiment's default */
	bool keep;
	bool diagram;
	enum lab_method method;
};

static int usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "sockscope: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage_line);
	return 2;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && !*end && *v <= max;
}

static const struct lab_experiment *find_experiment(const char *name)
{
	for (unsigned int i = 0; i < lab_nexperiments; i++)
		if (!strcmp(name, lab_experiments[i].name))
			return &lab_experiments[i];
	return NULL;
}

/* 0, 1 for --help (done), or 2 after a usage line. */
static int parse_args(struct lab_args *a, int argc, char **argv)
{
	unsigned long v;

	*a = (struct lab_args){ .which = "all", .seed = DEFAULT_SEED,
				.rate = -1 };
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = argv[i + 1];

		if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			printf("%s\n%s", usage_line, help_text);
			return 1;
		} else if (!strcmp(opt, "-j") || !strcmp(opt, "--json")) {
			a->json = true;
		} else if (!strcmp(opt, "-k") || !strcmp(opt, "--keep")) {
			a->keep = true;
		} else if (!strcmp(opt, "--diagram")) {
			a->diagram = true;
		} else if (!strcmp(opt, "--save")) {
			if (!val)
				return usage("--save needs a file name%s", "");
			a->save = argv[++i];
		} else if (!strcmp(opt, "--seed")) {
			if (!parse_uint(val, 0xffffffffUL, &v))
				return usage("--seed takes a number from 0 to 4294967295, not '%s'",
					     val ? val : "");
			a->seed = (unsigned int)v;
			i++;
		} else if (!strcmp(opt, "--rate")) {
			if (!parse_uint(val, 100, &v))
				return usage("--rate takes a percentage from 0 to 100, not '%s'",
					     val ? val : "");
			a->rate = (int)v;
			i++;
		} else if (!strcmp(opt, "--method")) {
			if (!val || (strcmp(val, "auto") && strcmp(val, "netem") &&
				     strcmp(val, "bpf")))
				return usage("--method takes auto, netem or bpf, not '%s'",
					     val ? val : "");
			a->method = !strcmp(val, "netem") ? LAB_METHOD_NETEM :
				    !strcmp(val, "bpf") ? LAB_METHOD_BPF :
				    LAB_METHOD_AUTO;
			i++;
		} else if (opt[0] != '-' && (!strcmp(opt, "all") ||
					     find_experiment(opt))) {
			a->which = opt;
		} else if (opt[0] != '-') {
			return usage("no experiment '%s'", opt);
		} else {
			return usage("unknown option '%s'", opt);
		}
	}
	if (a->diagram && a->json)
		return usage("--diagram draws for a terminal, -j writes JSON: use one, or --save the trace and run 'sockscope diagram FILE'%s",
			     "");
	if ((a->save || a->keep) && !strcmp(a->which, "all"))
		return usage("%s takes one experiment, not all",
			     a->save ? "--save" : "--keep");
	return 0;
}

/* --- one experiment ------------------------------------------------------- */

struct lab_ctx {
	struct lab_result *r;
	const char *log;
};

static void after_trace(struct reader *rd, void *arg)
{
	struct lab_ctx *ctx = arg;

	lab_read_log(ctx->r, ctx->log);
	lab_read_trace(ctx->r, rd);
}

static void counter_deltas(struct lab_result *r, struct lab_counters before[2],
			   struct lab_counters after[2])
{
	const struct lab_experiment *x = r->x;
	struct lab_kernel *k = &r->kernel;

	for (unsigned int i = 0; i < 8 && x->counters[i]; i++) {
		enum lab_side s = x->counter_side[i];

		k->counter_name[k->ncounters] = x->counters[i];
		k->counter_ns[k->ncounters] = s == LAB_SENDER ? "sender" :
							       "receiver";
		k->counter_delta[k->ncounters++] =
			(long long)(lab_counter(&after[s], x->counters[i]) -
				    lab_counter(&before[s], x->counters[i]));
	}
}

static void print_header(const struct lab_result *r, const struct labnet *n,
			 const struct lab_impair *imp, const struct lab_args *a)
{
	const struct lab_experiment *x = r->x;

	if (a->json)
		return;
	printf("Lab %s\n  %s\n\n", x->title, x->claim);
	printf("Sender: namespace %s, %s; receiver: namespace %s, %s, port %d.\n",
	       n->ns[LAB_SENDER], n->addr[LAB_SENDER], n->ns[LAB_RECEIVER],
	       n->addr[LAB_RECEIVER], LAB_PORT);
	if (x->impairment == LAB_CLEAN)
		printf("The link is not impaired.\n\n");
	else if (r->method == LAB_METHOD_NETEM)
		printf("Impairment: netem on %s, %u%% of packets.\n\n",
		       n->ifname[LAB_SENDER], r->rate_pct);
	else
		printf("Impairment: tc BPF, %u%% of the data packets to port %d, seed %u%s.\n\n",
		       r->rate_pct, LAB_PORT, r->seed,
		       imp->netem_missing ? " (this kernel has no netem)" : "");
	fflush(stdout);
}

static void print_keep(const struct labnet *n)
{
	char recv[PATH_MAX], send[PATH_MAX];

	example_program_path(recv, sizeof(recv), "lab_receiver", false);
	example_program_path(send, sizeof(send), "lab_sender", false);
	printf("\nThe namespaces stay up (-k), the link as impaired. Try, in two terminals:\n"
	       "  sudo ip netns exec %s %s udp --port %d\n"
	       "  sudo ip netns exec %s %s udp --to %s --port %d\n"
	       "Remove them with: sudo ip netns delete %s; sudo ip netns delete %s\n",
	       n->ns[LAB_RECEIVER], recv, LAB_PORT, n->ns[LAB_SENDER], send,
	       n->addr[LAB_RECEIVER], LAB_PORT, n->ns[LAB_SENDER],
	       n->ns[LAB_RECEIVER]);
}

/* Trace the steps; the trace text goes to trace_path (text mode). */
static int trace_steps(struct lab_result *r, const struct labnet *n,
		       const struct lab_args *a, const char *trace_path,
		       int logfd, const char *log, struct diagram *d)
{
	static char store[8192];
	char exe[PATH_MAX], fdarg[16];
	char *command[MAX_STEP_ARGS + 4];
	struct lab_ctx ctx = { .r = r, .log = log };
	struct options o;
	ssize_t len;
	int nargs;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[len > 0 ? len : 0] = '\0';
	snprintf(fdarg, sizeof(fdarg), "%d", logfd);
	command[0] = exe;
	command[1] = LAB_RUNNER;
	command[2] = fdarg;
	nargs = r->x->steps(r->x, n, command + 3, MAX_STEP_ARGS, store,
			    sizeof(store));
	if (nargs <= 0) {
		fprintf(stderr, "sockscope: lab: the experiment's command lines do not fit\n");
		return 1;
	}
	memset(&o, 0, sizeof(o));
	o.explain = true;
	o.follow = true;
	o.payload = PAYLOAD_DEFAULT;
	o.command = command;
	o.user = "0";		/* the runner enters the namespaces */
	o.json = a->json;
	o.output = a->json ? NULL : trace_path;
	o.save = a->save;
	o.no_summary = true;
	o.diagram_into = d;
	return session_run(&o, after_trace, &ctx);
}

static char *slurp(const char *path)
{
	struct strbuf sb;
	char buf[65536];
	FILE *f = fopen(path, "re");
	size_t n;

	sb_init(&sb);
	sb_add(&sb, "");
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		char *p = sb_claim(&sb, n);

		memcpy(p, buf, n);
		sb_commit(&sb, n);
	}
	if (f)
		fclose(f);
	return sb.buf;
}

static void print_result(struct lab_result *r, const struct lab_args *a,
			 const char *trace_path)
{
	struct strbuf sb;

	sb_init(&sb);
	if (a->json) {
		lab_verdict_json(&sb, r);
	} else {
		char *trace = slurp(trace_path);

		lab_trace_excerpt(&sb, trace);
		free(trace);
		sb_add(&sb, "\nWhat the programs printed:\n");
		sb_add(&sb, r->printed.buf ? r->printed.buf : "");
		sb_addc(&sb, '\n');
		lab_verdict_text(&sb, r);
		sb_addc(&sb, '\n');
	}
	fputs(sb.buf, stdout);
	fflush(stdout);
	sb_free(&sb);
}

static int make_temp(char *path, int *fd)
{
	*fd = mkstemp(path);
	if (*fd >= 0)
		return 0;
	fprintf(stderr, "sockscope: cannot create a temporary file: %s\n",
		strerror(errno));
	return 1;
}

/* Measure, trace and judge, on a link made and impaired already. */
static int observe(struct lab_result *r, struct labnet *n,
		   struct lab_impair *imp, const struct lab_args *a)
{
	static struct lab_counters before[2], after[2];
	char log[] = "/tmp/sockscope-lab-log-XXXXXX";
	char trace[] = "/tmp/sockscope-lab-trace-XXXXXX";
	int logfd, tracefd = -1, status;
	struct diagram d;

	r->ns[LAB_SENDER] = n->ns[LAB_SENDER];
	r->ns[LAB_RECEIVER] = n->ns[LAB_RECEIVER];
	if (make_temp(log, &logfd))
		return 1;
	if (!a->json && make_temp(trace, &tracefd)) {
		close(logfd);
		unlink(log);
		return 1;
	}
	labnet_read_counters(n, LAB_SENDER, &before[LAB_SENDER]);
	labnet_read_counters(n, LAB_RECEIVER, &before[LAB_RECEIVER]);
	if (a->diagram)
		diagram_init(&d);
	status = trace_steps(r, n, a, trace, logfd, log,
			     a->diagram ? &d : NULL);
	labnet_read_counters(n, LAB_SENDER, &after[LAB_SENDER]);
	labnet_read_counters(n, LAB_RECEIVER, &after[LAB_RECEIVER]);
	lab_impair_counts(imp, &r->candidates, &r->impaired);
	counter_deltas(r, before, after);
	if (!status && !session_interrupted()) {
		r->x->judge(r);
		print_result(r, a, trace);
	}
	if (a->diagram) {
		diagram_finish(&d);
		if (!status && !session_interrupted()) {
			printf("The experiment as a picture (time runs down):\n\n");
			diagram_print(&d);
			putchar('\n');
			fflush(stdout);
		}
		diagram_free(&d);
	}
	close(logfd);
	unlink(log);
	if (tracefd >= 0) {
		close(tracefd);
		unlink(trace);
	}
	return status;
}

static int run_experiment(const struct lab_experiment *x,
			  const struct lab_args *a)
{
	struct lab_result r = { .x = x, .seed = a->seed };
	struct lab_impair imp = { 0 };
	struct labnet n;
	char err[512];
	int status;

	r.rate_pct = x->impairment == LAB_CLEAN ? 0 :
		     a->rate >= 0 ? (unsigned int)a->rate : x->default_rate;
	sb_init(&r.printed);
	sb_init(&r.sentences);
	sb_init(&r.not_shown);
	if (labnet_create(&n, err, sizeof(err))) {
		fprintf(stderr, "sockscope: lab: %s\n", err);
		return 1;
	}
	status = lab_impair_apply(&imp, &n, x->impairment, r.rate_pct,
				  r.seed, a->method, err, sizeof(err));
	if (status) {
		fprintf(stderr, "sockscope: lab: %s\n", err);
		status = 1;
	} else {
		r.method = imp.method;
		print_header(&r, &n, &imp, a);
		status = observe(&r, &n, &imp, a);
	}
	if (a->keep && !status && !session_interrupted()) {
		print_keep(&n);
	} else {
		lab_impair_remove(&imp);
		labnet_destroy(&n);
	}
	sb_free(&r.printed);
	sb_free(&r.sentences);
	sb_free(&r.not_shown);
	return status;
}

static int check_can_run(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "sockscope: the lab needs root: it makes network namespaces and loads BPF programs; try: sudo sockscope lab\n");
		return 1;
	}
	if (!labnet_tools_present()) {
		fprintf(stderr, "sockscope: the lab needs iproute2's ip and tc; try: sudo apt-get install iproute2\n");
		return 1;
	}
	return 0;
}

int lab_main(int argc, char **argv)
{
	struct lab_args a;
	int status = parse_args(&a, argc, argv);

	if (status)
		return status == 1 ? 0 : status;
	if (check_can_run())
		return 1;
	session_setup_signals();
	for (unsigned int i = 0; i < lab_nexperiments && !status; i++) {
		const struct lab_experiment *x = &lab_experiments[i];

		if (strcmp(a.which, "all") && strcmp(a.which, x->name))
			continue;
		status = run_experiment(x, &a);
		if (session_interrupted()) {
			fprintf(stderr, "sockscope: lab interrupted; its namespaces are removed\n");
			return 130;
		}
	}
	return status;
}
