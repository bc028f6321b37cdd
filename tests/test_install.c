// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sockscope installed as a Linux tool:
 *
 *  - make install DESTDIR=tmp PREFIX=/usr puts exactly the expected files
 *    there; the staged binary, run from / as a fresh user would, prints
 *    its help and version, runs the C and the Python lessons and a lab
 *    experiment, and traces a staged example program (it finds the programs under its own root: see
 *    example_program_path()); make uninstall leaves tmp empty;
 *  - one version: the binary's, the man page's and the package's are
 *    debian/changelog's;
 *  - the man page renders with no warnings and documents exactly the
 *    options --help lists (names and arguments), for each command;
 *  - the bash completion offers exactly those options, and the call
 *    names, lessons and experiments the binary knows;
 *  - the Debian package builds, passes lintian with no error, ships
 *    exactly what make install installs, and once installed with dpkg
 *    runs a lesson from /, then dpkg -r removes every file.
 *
 * make install rebuilds what knows the install paths (as a real install
 * for /usr would). The package is built once per CI run: the SANITIZE=1
 * pass skips its tests, as dpkg-buildpackage builds its own plain binary
 * whatever the pass. dpkg -i installs into the system: the test marks its
 * own install (MARKER) and removes it at the end, or at its next run if
 * it was killed; a sockscope installed otherwise is left alone (skip).
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "calls.h"
#include "lab.h"

#define MAKE_MS		300000	/* make install, make deb (with lintian) */
#define RUN_MS		60000	/* a lesson, a trace */
#define QUICK_MS	10000	/* --help, groff, bash */

#define MARKER	"/var/tmp/sockscope-test-package.installed"

/* --- small helpers ---------------------------------------------------- */

/* A list of strings: lines, option signatures, file names. */
struct list {
	char **v;
	size_t n;
};

static void list_add(struct list *l, const char *s, size_t len)
{
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	ASSERT_NE(NULL, l->v);
	l->v[l->n] = strndup(s, len);
	ASSERT_NE(NULL, l->v[l->n]);
	l->n++;
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list sorted, without repeats, one per line (malloc'd): lists are
 * compared as sets with EXPECT_STREQ, which shows both when they differ. */
static char *list_set(struct list *l)
{
	size_t size = 1;
	char *s;

	qsort(l->v, l->n, sizeof(*l->v), compare_strings);
	for (size_t i = 0; i < l->n; i++)
		size += strlen(l->v[i]) + 1;
	s = calloc(1, size);
	ASSERT_NE(NULL, s);
	for (size_t i = 0; i < l->n; i++) {
		if (i && !strcmp(l->v[i], l->v[i - 1]))
			continue;
		strcat(s, l->v[i]);
		strcat(s, "\n");
	}
	return s;
}

/* Runs argv to its end: its exit status; its stdout in *out (malloc'd),
 * and its stderr logged when the status is not 0. */
static int run(char *const argv[], char **out, int timeout_ms)
{
	char *err;
	int status = proc_capture(argv, out, &err, timeout_ms);

	if (status) {
		TH_LOG("%s %s exited %d; it said:\n%s%s", argv[0],
		       argv[1] ? argv[1] : "", status, *out, err);
	}
	free(err);
	return status;
}

/* The same, with stdout and stderr given back separately. */
static int run_err(char *const argv[], char **out, char **err,
		   int timeout_ms)
{
	return proc_capture(argv, out, err, timeout_ms);
}

/* An absolute path of the source tree's rel (or of the tree with "."). */
static void source_abs(char *buf, size_t size, const char *rel)
{
	char path[PATH_MAX], real[PATH_MAX];

	ASSERT_EQ(0, source_path(path, sizeof(path), "."));
	ASSERT_NE(NULL, realpath(path, real));
	ASSERT_LT(strlen(real) + strlen(rel) + 1, size);
	snprintf(buf, size, "%s/%s", real, rel);
}

static void build_abs(char *buf, size_t size, const char *rel)
{
	char real[PATH_MAX];

	ASSERT_NE(NULL, realpath(build_dir(), real));
	ASSERT_LT(strlen(real) + strlen(rel) + 1, size);
	snprintf(buf, size, "%s%s%s", real, *rel ? "/" : "", rel);
}

/* The first line that argv prints, without its newline (malloc'd); it
 * must succeed and print one. */
static char *first_line_of(char *const argv[])
{
	char *out;

	ASSERT_EQ(0, run(argv, &out, QUICK_MS));
	out[strcspn(out, "\n")] = '\0';
	ASSERT_NE(0, strlen(out));
	return out;
}

/* debian/changelog's version, by dpkg-parsechangelog (malloc'd). */
static char *package_version(void)
{
	char changelog[PATH_MAX];
	char *argv[] = { "dpkg-parsechangelog", "-l", changelog, "-S",
			 "Version", NULL };

	source_abs(changelog, sizeof(changelog), "debian/changelog");
	return first_line_of(argv);
}

/* make TARGET in the source tree, for this build directory, with one
 * more variable (or NULL). Under SANITIZE=1 it is passed on, so that the
 * objects are rebuilt as they were built. */
static int make(const char *target, const char *var1, const char *var2)
{
	char src[PATH_MAX], build[PATH_MAX + 8], *out;
	char *argv[12] = { "make", "-s", "--no-print-directory", "-C", src,
			   (char *)target, build };
	int n = 7, status;

	source_abs(src, sizeof(src), ".");
	strcpy(build, "BUILD=");
	build_abs(build + 6, sizeof(build) - 6, "");
#ifdef __SANITIZE_ADDRESS__
	argv[n++] = "SANITIZE=1";
#endif
	if (var1)
		argv[n++] = (char *)var1;
	if (var2)
		argv[n++] = (char *)var2;
	argv[n] = NULL;
	status = run(argv, &out, MAKE_MS);
	free(out);
	return status;
}

/* Every path under root, relative to it ("usr/bin/sockscope"), into l;
 * directories end with "/". */
static void walk(struct list *l, const char *root, const char *rel)
{
	char path[2 * PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	d = opendir(path);
	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			 e->d_name);
		snprintf(path, sizeof(path), "%s/%s", root, sub);
		ASSERT_EQ(0, lstat(path, &st));
		if (S_ISDIR(st.st_mode)) {
			size_t len = strlen(sub);

			sub[len] = '/';
			list_add(l, sub, len + 1);
			sub[len] = '\0';
			walk(l, root, sub);
		} else {
			list_add(l, sub, strlen(sub));
		}
	}
	closedir(d);
}

/* The files of source directory rel (not directories), as
 * "prefix/name" into l. */
static void source_files(struct list *l, const char *rel,
			 const char *suffix, const char *prefix)
{
	char dir[PATH_MAX], path[PATH_MAX + 256], entry[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;

	source_abs(dir, sizeof(dir), rel);
	d = opendir(dir);
	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name), slen = strlen(suffix);

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode) || len < slen ||
		    strcmp(e->d_name + len - slen, suffix))
			continue;
		snprintf(entry, sizeof(entry), "%s/%s", prefix, e->d_name);
		list_add(l, entry, strlen(entry));
	}
	closedir(d);
}

#define DOC	"usr/share/doc/sockscope"
#define LIBEXEC	"usr/libexec/sockscope"

/* What make install PREFIX=/usr installs, directories with "/". */
static void installed_paths(struct list *l)
{
	static const char *const fixed[] = {
		"usr/", "usr/bin/", "usr/bin/sockscope",
		"usr/libexec/", LIBEXEC "/", LIBEXEC "/installed-dirs",
		LIBEXEC "/tcp_chat_client", LIBEXEC "/tcp_chat_server",
		LIBEXEC "/udp_chat_client", LIBEXEC "/udp_chat_server",
		LIBEXEC "/lab_sender", LIBEXEC "/lab_receiver",
		LIBEXEC "/python/", LIBEXEC "/python/chat_common.py",
		LIBEXEC "/python/tcp_chat_client.py",
		LIBEXEC "/python/tcp_chat_server.py",
		LIBEXEC "/python/udp_chat_client.py",
		LIBEXEC "/python/udp_chat_server.py",
		"usr/share/", "usr/share/man/", "usr/share/man/man8/",
		"usr/share/man/man8/sockscope.8",
		"usr/share/bash-completion/",
		"usr/share/bash-completion/completions/",
		"usr/share/bash-completion/completions/sockscope",
		"usr/share/doc/", DOC "/", DOC "/img/",
	};

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		list_add(l, fixed[i], strlen(fixed[i]));
	/* The lessons, as many as docs/ has. */
	source_files(l, "docs", ".md", DOC);
	source_files(l, "docs/img", "", DOC "/img");
}

/* A fresh staging directory (absolute). */
static void make_stage(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/sockscope-install-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
}

static void remove_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", (char *)dir, NULL };

	if (dir[0] == '/' && strlen(dir) > 5)
		proc_run(argv, QUICK_MS);
}

/* make install DESTDIR=stage PREFIX=/usr: 0 or its status. */
static int install_into(const char *stage)
{
	char destdir[PATH_MAX + 8];

	snprintf(destdir, sizeof(destdir), "DESTDIR=%s", stage);
	return make("install", destdir, "PREFIX=/usr");
}

/* --- options, as --help and the man page give them --------------------- */

/* The length of the option signature at s ("-p, --pid PID",
 * "--payload[=N]", "--format text|svg|html", "-j"), 0 if none is there. */
static size_t signature_len(const char *s)
{
	const char *p = s;

	for (int names = 0; names < 2; names++) {
		if (*p != '-')
			return names ? (size_t)(p - s) : 0;
		p += strspn(p, "-");
		p += strspn(p, "abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
		if (strncmp(p, ", -", 3))
			break;
		p += 2;
	}
	if (*p == '[' && strchr(p, ']'))
		p = strchr(p, ']') + 1;
	else if (*p == ' ' && p[1] && p[1] != ' ' && p[1] != '\n')
		p += 1 + strcspn(p + 1, " ]\n");
	return p - s;
}

/*
 * The options of an option table ("  -p, --pid PID   what it does"): a
 * line that starts with blanks and "-" holds one, or two with the second
 * after ";  " ("-h, --help   this help;  -V, --version  the version").
 */
static void table_options(struct list *l, const char *help)
{
	for (const char *line = help; *line; line += strcspn(line, "\n") + 1) {
		const char *p = line + strspn(line, " ");
		size_t n;

		if (p == line || *p != '-')
			continue;
		n = signature_len(p);
		if (n)
			list_add(l, p, n);
		p = strstr(p, ";  -");
		if (p && p < line + strcspn(line, "\n") &&
		    (n = signature_len(p + 3)))
			list_add(l, p + 3, n);
		if (!line[strcspn(line, "\n")])
			break;
	}
}

/*
 * The options of a usage line "sockscope CMD [-j] [-o FILE] ... FILE"
 * (with its continuation lines): the bracketed groups that are options.
 */
static void usage_options(struct list *l, const char *help, const char *cmd)
{
	char head[64];
	const char *p, *end;

	snprintf(head, sizeof(head), "sockscope %s [", cmd);
	p = strstr(help, head);
	ASSERT_NE(NULL, p);
	for (;;) {
		end = p + strcspn(p, "\n");
		for (const char *b = strchr(p, '['); b && b < end;
		     b = strchr(b + 1, '[')) {
			size_t n = signature_len(b + 1);

			if (n && b[1 + n] == ']')
				list_add(l, b + 1, n);
		}
		/* A continuation: blanks, then another group. */
		if (!*end || end[1 + strspn(end + 1, " ")] != '[')
			break;
		p = end + 1;
	}
}

/* Roff's escapes in a tag line dropped or made plain text. */
static void roff_plain(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] == 'f' && r[2]) {
			r += 2;			/* \fB \fI \fR \fP */
		} else if (r[0] == '\\' && (r[1] == '-' || r[1] == '~')) {
			*w++ = r[1] == '-' ? '-' : ' ';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/*
 * The .TP tags of the man page in section cmd: "main" for OPTIONS, else
 * the .SS under COMMANDS whose title starts with cmd. Options into opts,
 * other tags ("udp, tcp", "connection") into words, split at ", ".
 */
static void man_tags(struct list *opts, struct list *words, const char *cmd)
{
	char path[PATH_MAX], *man, *line, *save = NULL;
	bool in = false, tag = false, commands = false;

	source_abs(path, sizeof(path), "man/sockscope.8");
	man = slurp(path);
	ASSERT_NE(0, strlen(man));
	for (line = strtok_r(man, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, ".SH ", 4)) {
			commands = !strcmp(line, ".SH COMMANDS");
			in = !strcmp(cmd, "main") &&
			     !strcmp(line, ".SH OPTIONS");
		} else if (!strncmp(line, ".SS ", 4)) {
			in = commands && !strncmp(line + 4 + (line[4] == '"'),
						  cmd, strlen(cmd));
		} else if (!strcmp(line, ".TP")) {
			tag = in;
		} else if (tag) {
			tag = false;
			if (!strncmp(line, ".B ", 3))
				line += 3;
			roff_plain(line);
			if (line[0] == '-') {
				list_add(opts, line, strlen(line));
				continue;
			}
			for (char *w = line; *w; w += strcspn(w, ",")) {
				w += strspn(w, ", ");
				list_add(words, w, strcspn(w, ","));
			}
		}
	}
	free(man);
}

/* How each command's --help gives its options. */
struct command {
	const char *name;		/* "main", or the subcommand */
	char *help_args[3];		/* after sockscope */
	const char *usage_of;		/* options from this usage line */
};

static const struct command commands[] = {
	{ "main", { "--help" }, NULL },
	{ "lesson", { "lesson", "--help" }, NULL },
	{ "lab", { "lab", "--help" }, NULL },
	{ "replay", { "replay", "--help" }, "replay" },
	{ "diagram", { "diagram", "--help" }, "diagram" },
};

/* The options c's --help lists. */
static void help_options(struct list *l, const struct command *c)
{
	char sockscope[PATH_MAX], *out;
	char *argv[4] = { sockscope, c->help_args[0], c->help_args[1] };

	build_abs(sockscope, sizeof(sockscope), "sockscope");
	ASSERT_EQ(0, run(argv, &out, QUICK_MS));
	if (c->usage_of)
		usage_options(l, out, c->usage_of);
	else
		table_options(l, out);
	free(out);
	ASSERT_LT(0, l->n);
}

/* The option names of signatures ("-p, --pid PID" is -p and --pid). */
static void option_names(struct list *names, const struct list *sigs)
{
	for (size_t i = 0; i < sigs->n; i++) {
		const char *p = sigs->v[i];

		while (*p == '-') {
			size_t n = strcspn(p, " ,[");

			list_add(names, p, n);
			p += n;
			if (strncmp(p, ", ", 2))
				break;
			p += 2;
		}
	}
}

/* --- the bash completion ------------------------------------------------ */

/*
 * What the completion offers for the words after "sockscope" (the last
 * is the one being completed), one per line, sorted; completed for the
 * sockscope of this build with completion/sockscope.bash.
 */
static char *complete(char *const words[])
{
	static const char script[] =
		"source \"$1\" || exit 1; shift; "
		"COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _sockscope; "
		"printf '%s\\n' \"${COMPREPLY[@]}\" | LC_ALL=C sort -u";
	char file[PATH_MAX], sockscope[PATH_MAX], *out;
	char *argv[16] = { "bash", "--norc", "-c", (char *)script, "bash",
			   file, sockscope };
	int n = 7;

	source_abs(file, sizeof(file), "completion/sockscope.bash");
	build_abs(sockscope, sizeof(sockscope), "sockscope");
	for (int i = 0; words[i] && n < 15; i++)
		argv[n++] = words[i];
	argv[n] = NULL;
	ASSERT_EQ(0, run(argv, &out, QUICK_MS));
	if (!strcmp(out, "\n"))		/* no candidate: printf printed "" */
		out[0] = '\0';
	return out;
}

/* The items of a list separated by sep, each as its first word
 * ("libbpf1 (>= 1:0.8.0)" is libbpf1), as a sorted set. */
static char *set_of(const char *text, char sep)
{
	char seps[] = { sep, ' ', '\0' }, ends[] = { sep, ' ', '(', '\0' };
	struct list l = {};
	char *s;

	for (const char *p = text; *p; p += strspn(p, seps)) {
		size_t n = strcspn(p, ends);

		if (n)
			list_add(&l, p, n);
		p += strcspn(p, (char[]){ sep, '\0' });
	}
	s = list_set(&l);
	list_free(&l);
	return s;
}

/* Completing words must offer exactly want (sorted, one per line). */
static void expect_completion(char *const words[], const char *want)
{
	char *seen = complete(words);

	EXPECT_STREQ(want, seen) {
		for (int i = 0; words[i]; i++)
			TH_LOG("word %d: '%s'", i + 1, words[i]);
	}
	free(seen);
}

/* The lab's experiments (user/lab_experiments.c) and "all", as a set. */
static char *experiment_set(void)
{
	struct list names = {};
	char *s;

	for (unsigned int i = 0; i < lab_nexperiments; i++)
		list_add(&names, lab_experiments[i].name,
			 strlen(lab_experiments[i].name));
	list_add(&names, "all", 3);
	s = list_set(&names);
	list_free(&names);
	return s;
}

/* --- tests: the version ------------------------------------------------- */

TEST(version_is_the_packages)
{
	char sockscope[PATH_MAX], man[PATH_MAX], want[256], *out, *text;
	char *version = package_version();
	char *argv[] = { sockscope, "--version", NULL };

	build_abs(sockscope, sizeof(sockscope), "sockscope");
	ASSERT_EQ(0, run(argv, &out, QUICK_MS));
	snprintf(want, sizeof(want), "sockscope %s\n", version);
	EXPECT_STREQ(want, out);
	/* The man page's footer names it too. */
	source_abs(man, sizeof(man), "man/sockscope.8");
	text = slurp(man);
	snprintf(want, sizeof(want), "\"sockscope %s\"", version);
	EXPECT_NE(NULL, strstr(text, want)) {
		TH_LOG("man/sockscope.8's .TH does not say %s", want);
	}
	free(text);
	free(out);
	free(version);
}

/* --- tests: the man page ------------------------------------------------ */

TEST(man_page_renders_without_warnings)
{
	char man[PATH_MAX], *out, *err;
	char *groff[] = { "groff", "-man", "-Tutf8", "-ww", "-z", man, NULL };
	char *man_l[] = { "man", "--warnings", "-E", "UTF-8", "-l", "-P",
			  "cat", man, NULL };

	source_abs(man, sizeof(man), "man/sockscope.8");
	EXPECT_EQ(0, run_err(groff, &out, &err, QUICK_MS));
	EXPECT_STREQ("", err);
	free(out);
	free(err);
	setenv("MANWIDTH", "80", 1);
	EXPECT_EQ(0, run_err(man_l, &out, &err, QUICK_MS));
	EXPECT_STREQ("", err);
	EXPECT_EQ(0, strncmp(out, "SOCKSCOPE(8)", 12)) {
		TH_LOG("man -l printed: %.200s", out);
	}
	EXPECT_NE(NULL, strstr(out, "\nNAME\n       sockscope - trace and explain the socket calls of programs with eBPF\n"));
	free(out);
	free(err);
}

FIXTURE(cmd) {
	int unused;
};

FIXTURE_VARIANT(cmd) {
	const struct command *c;
};

FIXTURE_VARIANT_ADD(cmd, main) { .c = &commands[0] };
FIXTURE_VARIANT_ADD(cmd, lesson) { .c = &commands[1] };
FIXTURE_VARIANT_ADD(cmd, lab) { .c = &commands[2] };
FIXTURE_VARIANT_ADD(cmd, replay) { .c = &commands[3] };
FIXTURE_VARIANT_ADD(cmd, diagram) { .c = &commands[4] };

FIXTURE_SETUP(cmd) {}
FIXTURE_TEARDOWN(cmd) {}

TEST_F(cmd, man_page_has_the_options_of_help)
{
	struct list help = {}, man = {}, words = {};
	char *want, *seen;

	help_options(&help, variant->c);
	man_tags(&man, &words, variant->c->name);
	want = list_set(&help);
	seen = list_set(&man);
	EXPECT_STREQ(want, seen) {
		TH_LOG("sockscope %s --help (first) and man/sockscope.8 disagree",
		       variant->c->help_args[0]);
	}
	free(want);
	free(seen);
	list_free(&help);
	list_free(&man);
	list_free(&words);
}

TEST_F(cmd, completion_offers_the_options_of_help)
{
	struct list help = {}, names = {};
	char *sub_dash[] = { variant->c->help_args[0], "-", NULL };
	char *main_dash[] = { "-", NULL };
	char *want, *seen;

	help_options(&help, variant->c);
	option_names(&names, &help);
	want = list_set(&names);
	seen = complete(strcmp(variant->c->name, "main") ? sub_dash :
			main_dash);
	EXPECT_STREQ(want, seen);
	free(want);
	free(seen);
	list_free(&help);
	list_free(&names);
}

/* The lessons and experiments the man page describes are the binary's. */
TEST(man_page_has_the_lessons_and_experiments)
{
	struct list opts = {}, words = {};
	char *want, *seen;

	man_tags(&opts, &words, "lesson");
	seen = list_set(&words);
	EXPECT_STREQ("all\ntcp\nudp\n", seen);
	free(seen);
	list_free(&words);
	man_tags(&opts, &words, "lab");
	want = experiment_set();
	seen = list_set(&words);
	EXPECT_STREQ(want, seen);
	free(want);
	free(seen);
	list_free(&opts);
	list_free(&words);
}

/* --- tests: the bash completion ---------------------------------------- */

TEST(completion_is_registered_for_sockscope)
{
	char file[PATH_MAX], *out;
	char *argv[] = { "bash", "--norc", "-c",
			 "source \"$1\" && complete -p sockscope", "bash",
			 file, NULL };

	source_abs(file, sizeof(file), "completion/sockscope.bash");
	ASSERT_EQ(0, run(argv, &out, QUICK_MS));
	EXPECT_STREQ("complete -F _sockscope sockscope\n", out);
	free(out);
}

/* -e: every call the binary knows (user/calls.c), and the groups. */
TEST(completion_offers_the_calls_of_the_binary)
{
	char *words[] = { "-e", "", NULL };
	char *list = strdup(call_names_list()), *want, *seen;

	ASSERT_NE(NULL, list);
	for (char *p = list; *p; p++)
		if (*p == ',')
			*p = ' ';
	list = realloc(list, strlen(list) + 32);
	strcat(list, " %net %file-io %wait");
	want = set_of(list, ' ');
	seen = complete(words);
	EXPECT_STREQ(want, seen);
	free(want);
	free(seen);
	free(list);
}

TEST(completion_completes_the_last_call_of_a_list)
{
	char *after_bind[] = { "--syscalls", "bind,conn", NULL };
	char *groups[] = { "-x", "-e", "socket,%", NULL };

	expect_completion(after_bind, "bind,connect\n");
	expect_completion(groups,
			  "socket,%file-io\nsocket,%net\nsocket,%wait\n");
}

TEST(completion_offers_experiments_lessons_and_commands)
{
	char *lab[] = { "lab", "", NULL };
	char *lab_after[] = { "lab", "--seed", "3", "lo", NULL };
	char *lesson[] = { "lesson", "", NULL };
	char *first[] = { "l", NULL };
	char *method[] = { "lab", "loss", "--method", "", NULL };
	char *format[] = { "diagram", "--format", "s", NULL };
	char *experiments = experiment_set();

	expect_completion(lab, experiments);
	free(experiments);
	expect_completion(lab_after, "loss\n");
	expect_completion(lesson, "all\ntcp\nudp\n");
	expect_completion(first, "lab\nlesson\n");
	expect_completion(method, "auto\nbpf\nnetem\n");
	expect_completion(format, "svg\n");
}

/* After "--", or the first word that is not an option, a command. */
TEST(completion_hands_over_to_the_command)
{
	char *after_dashes[] = { "-f", "--", "sockscope-no-such-comman", NULL };
	char *after_pid[] = { "-p", "1", "-", NULL };
	char *seen;

	expect_completion(after_dashes, "");
	/* "-p 1" takes its value: "-" is an option again, not a command. */
	seen = complete(after_pid);
	EXPECT_NE(NULL, strstr(seen, "\n--no-explain\n"));
	free(seen);
}

/* --- tests: make install, as a user runs it ----------------------------- */

FIXTURE(staged) {
	char dir[64];
	char sockscope[128];
	bool installed;
};

FIXTURE_SETUP(staged)
{
	make_stage(self->dir, sizeof(self->dir));
	snprintf(self->sockscope, sizeof(self->sockscope),
		 "%s/usr/bin/sockscope", self->dir);
	self->installed = install_into(self->dir) == 0;
}

FIXTURE_TEARDOWN(staged)
{
	remove_tree(self->dir);
}

TEST_F_TIMEOUT(staged, installs_exactly_these_files, 300)
{
	struct list want = {}, seen = {};
	char *a, *b;

	ASSERT_TRUE(self->installed);
	installed_paths(&want);
	walk(&seen, self->dir, "");
	a = list_set(&want);
	b = list_set(&seen);
	EXPECT_STREQ(a, b);
	free(a);
	free(b);
	list_free(&want);
	list_free(&seen);
}

TEST_F_TIMEOUT(staged, uninstall_leaves_nothing, 300)
{
	char destdir[PATH_MAX + 8];
	struct list left = {};

	ASSERT_TRUE(self->installed);
	snprintf(destdir, sizeof(destdir), "DESTDIR=%s", self->dir);
	ASSERT_EQ(0, make("uninstall", destdir, "PREFIX=/usr"));
	walk(&left, self->dir, "");
	EXPECT_EQ(0, left.n) {
		for (size_t i = 0; i < left.n; i++)
			TH_LOG("left behind: %s", left.v[i]);
	}
	list_free(&left);
}

TEST_F_TIMEOUT(staged, help_and_version_from_anywhere, 300)
{
	char build[PATH_MAX], *want, *seen, *version = package_version();
	char *help[] = { self->sockscope, "--help", NULL };
	char *build_help[] = { build, "--help", NULL };
	char *ver[] = { self->sockscope, "--version", NULL };
	char line[256];

	ASSERT_TRUE(self->installed);
	build_abs(build, sizeof(build), "sockscope");
	ASSERT_EQ(0, run(build_help, &want, QUICK_MS));
	ASSERT_EQ(0, chdir("/"));
	ASSERT_EQ(0, run(help, &seen, QUICK_MS));
	EXPECT_STREQ(want, seen);
	free(seen);
	ASSERT_EQ(0, run(ver, &seen, QUICK_MS));
	snprintf(line, sizeof(line), "sockscope %s\n", version);
	EXPECT_STREQ(line, seen);
	free(seen);
	free(want);
	free(version);
}

/* The installed lesson runs the staged programs, from /. */
TEST_F_TIMEOUT(staged, lesson_udp_runs_the_installed_programs, 300)
{
	char *argv[] = { self->sockscope, "lesson", "udp", NULL };
	char *out;

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_TRUE(self->installed);
	ASSERT_EQ(0, chdir("/"));
	EXPECT_EQ(0, run(argv, &out, RUN_MS));
	EXPECT_EQ(0, strncmp(out, "Lesson: the UDP chat, call by call\n", 35));
	EXPECT_NE(NULL, strstr(out, "\n  5. No handshake, no connection states, no close sequence: UDP is connectionless.\n")) {
		TH_LOG("sockscope lesson udp printed:\n%s", out);
	}
	free(out);
}

/* The Python lesson runs the installed Python chat programs, from /. */
TEST_F_TIMEOUT(staged, lesson_python_runs_the_installed_scripts, 300)
{
	char *argv[] = { self->sockscope, "lesson", "tcp", "--python", NULL };
	char *out;

	REQUIRE_E2E();
	REQUIRE_PYTHON();
	ENTER_NETNS();
	ASSERT_TRUE(self->installed);
	ASSERT_EQ(0, chdir("/"));
	EXPECT_EQ(0, run(argv, &out, RUN_MS));
	EXPECT_EQ(0, strncmp(out, "Lesson: the TCP chat: handshake, data, close (the article's Python programs)\n", 77));
	EXPECT_NE(NULL, strstr(out, "\nWhat this trace showed:\n")) {
		TH_LOG("sockscope lesson tcp --python printed:\n%s", out);
	}
	free(out);
}

/* The installed lab runs the installed sender and receiver, from /. */
TEST_F_TIMEOUT(staged, lab_runs_the_installed_programs, 300)
{
	char *argv[] = { self->sockscope, "lab", "connection", NULL };
	char *out;

	REQUIRE_E2E();
	ASSERT_TRUE(self->installed);
	if (access("/usr/sbin/ip", X_OK) && access("/sbin/ip", X_OK))
		SKIP(return, "iproute2 is not installed");
	ASSERT_EQ(0, chdir("/"));
	EXPECT_EQ(0, run(argv, &out, RUN_MS));
	EXPECT_EQ(0, strncmp(out, "Lab 1. connection-oriented vs connectionless\n", 45));
	EXPECT_NE(NULL, strstr(out, "\nVerdict, connection: TCP is connection-oriented; UDP is connectionless.\n")) {
		TH_LOG("sockscope lab connection printed:\n%s", out);
	}
	EXPECT_NE(NULL, strstr(out, "  tcp-closed-port| lab_sender: connect: Connection refused\n"));
	free(out);
}

/* Without its staged server, the lesson says which program it missed:
 * the one under the staging root, not one of the build tree or /usr. */
TEST_F_TIMEOUT(staged, lesson_names_the_installed_program_it_misses, 300)
{
	char *argv[] = { self->sockscope, "lesson", "udp", NULL };
	char server[256], moved[272], want[320], *out, *err;

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_TRUE(self->installed);
	snprintf(server, sizeof(server), "%s/" LIBEXEC "/udp_chat_server",
		 self->dir);
	snprintf(moved, sizeof(moved), "%s.moved", server);
	ASSERT_EQ(0, rename(server, moved));
	ASSERT_EQ(0, chdir("/"));
	EXPECT_NE(0, run_err(argv, &out, &err, RUN_MS));
	snprintf(want, sizeof(want), "cannot run %s: No such file or directory",
		 server);
	EXPECT_NE(NULL, strstr(out, want)) {
		TH_LOG("sockscope lesson udp printed:\n%s\n%s", out, err);
	}
	free(out);
	free(err);
}

/* The installed sockscope traces an installed example program: the UDP
 * client sends its one message to port 9, where no one listens. */
TEST_F_TIMEOUT(staged, traces_an_installed_program, 300)
{
	char client[256], *out, *err;
	char *argv[] = { self->sockscope, "-j", "--no-explain", "-e",
			 "socket,sendto", "--", "sh", "-c",
			 "echo hello | exec \"$0\" --port 9", client, NULL };

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_TRUE(self->installed);
	snprintf(client, sizeof(client), "%s/" LIBEXEC "/udp_chat_client",
		 self->dir);
	ASSERT_EQ(0, chdir("/"));
	/* The client's own status: the message was refused. */
	EXPECT_EQ(1, run_err(argv, &out, &err, RUN_MS));
	EXPECT_NE(NULL, strstr(err, "udp_chat_client: message refused by 127.0.0.1:9 (ICMP port unreachable): is the server running?\n"));
	EXPECT_EQ(1, count_of(out, "\"comm\":\"udp_chat_client\",\"name\":\"socket\",\"ret\":3,\"args\":{\"family\":\"AF_INET\",\"type\":\"SOCK_DGRAM\",\"flags\":[],\"protocol\":\"IPPROTO_IP\"}"));
	EXPECT_EQ(1, count_of(out, "\"comm\":\"udp_chat_client\",\"name\":\"sendto\",\"ret\":5,\"args\":{\"fd\":3,\"len\":5,\"flags\":[],\"addr\":{\"family\":\"AF_INET\",\"ip\":\"127.0.0.1\",\"port\":9}}}\n"));
	EXPECT_EQ(2, count_of(out, "\"kind\":\"syscall\"")) {
		TH_LOG("sockscope printed:\n%s\n%s", out, err);
	}
	free(out);
	free(err);
}

/* --- tests: the Debian package ------------------------------------------ */

/* The package's tests need dpkg-buildpackage, debhelper and lintian; the
 * SANITIZE=1 pass leaves them to the plain one. */
#ifdef __SANITIZE_ADDRESS__
#define REQUIRE_PACKAGING()						\
	SKIP(return, "the package is built once, in the plain build's pass")
#else
#define REQUIRE_PACKAGING() do {					\
	if (system("command -v dpkg-buildpackage dh lintian >/dev/null")) \
		SKIP(return, "needs dpkg-dev, debhelper and lintian: scripts/deps.sh --test"); \
} while (0)
#endif

/* "build/sockscope_VERSION_ARCH.deb" (absolute) into buf. */
static void deb_path(char *buf, size_t size)
{
	char *version = package_version(), *arch, name[256];
	char *argv[] = { "dpkg", "--print-architecture", NULL };

	arch = first_line_of(argv);
	snprintf(name, sizeof(name), "sockscope_%s_%s.deb", version, arch);
	build_abs(buf, size, name);
	free(version);
	free(arch);
}

/* git status of the source tree ("" when clean; NULL outside git). */
static char *tree_status(void)
{
	char src[PATH_MAX], *out;
	char *argv[] = { "git", "-C", src, "status", "--porcelain",
			 "--untracked-files=all", NULL };

	source_abs(src, sizeof(src), ".");
	if (run(argv, &out, QUICK_MS)) {
		free(out);
		return NULL;
	}
	return out;
}

/* One field of the package (dpkg-deb -f), without its newline. */
static char *deb_field(const char *deb, const char *field)
{
	char *argv[] = { "dpkg-deb", "-f", (char *)deb, (char *)field, NULL };

	return first_line_of(argv);
}

/* The package's files (dpkg-deb -c), as make install names them: no
 * "./", directories with "/", and no ".gz" (dh_compress's). */
static void deb_paths(struct list *l, const char *deb)
{
	char *argv[] = { "dpkg-deb", "-c", (char *)deb, NULL };
	char *out, *line, *save = NULL;

	ASSERT_EQ(0, run(argv, &out, QUICK_MS));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *name = strstr(line, " ./");
		size_t n;

		ASSERT_NE(NULL, name);
		name += 3;
		n = strlen(name);
		if (n > 3 && !strcmp(name + n - 3, ".gz"))
			n -= 3;
		if (n)
			list_add(l, name, n);
	}
	free(out);
}

TEST_TIMEOUT(package_builds_and_passes_lintian, 600)
{
	static const char *const package_only[] = {
		DOC "/copyright", DOC "/changelog", "usr/share/lintian/",
		"usr/share/lintian/overrides/",
		"usr/share/lintian/overrides/sockscope",
	};
	char deb[PATH_MAX], log[PATH_MAX], *before, *after, *text;
	char *version = package_version(), *field, *want, *seen;
	struct list files = {}, shipped = {};

	REQUIRE_PACKAGING();
	before = tree_status();
	ASSERT_EQ(0, make("deb", NULL, NULL));
	/* The tree is as it was: nothing of the build is left in it. */
	after = tree_status();
	if (before && after)
		EXPECT_STREQ(before, after);
	free(before);
	free(after);

	build_abs(log, sizeof(log), "deb/lintian.log");
	text = slurp(log);
	EXPECT_EQ(0, count_of(text, "\nE: ") + !strncmp(text, "E: ", 3)) {
		TH_LOG("lintian:\n%s", text);
	}
	free(text);

	deb_path(deb, sizeof(deb));
	field = deb_field(deb, "Version");
	EXPECT_STREQ(version, field);
	free(field);
	field = deb_field(deb, "Depends");
	seen = set_of(field, ',');
	EXPECT_STREQ("iproute2\nlibbpf1\nlibc6\n", seen);
	free(seen);
	free(field);
	field = deb_field(deb, "Recommends");
	EXPECT_STREQ("python3", field);
	free(field);

	/* Exactly what make install installs, and the package's docs. */
	installed_paths(&files);
	for (size_t i = 0; i < files.n; i++) {
		if (!strcmp(files.v[i], LIBEXEC "/installed-dirs"))
			files.v[i][0] = '\0';
	}
	for (size_t i = 0; i < sizeof(package_only) / sizeof(package_only[0]);
	     i++)
		list_add(&files, package_only[i], strlen(package_only[i]));
	want = list_set(&files);
	deb_paths(&shipped, deb);
	seen = list_set(&shipped);
	EXPECT_STREQ(want + (want[0] == '\n'), seen);
	free(want);
	free(seen);
	list_free(&files);
	list_free(&shipped);
	free(version);
}

/* dpkg-query's status of the package: "install ok installed", or "". */
static char *package_status(void)
{
	char *argv[] = { "dpkg-query", "-W", "-f=${Status}", "sockscope",
			 NULL };
	char *out, *err;

	proc_capture(argv, &out, &err, QUICK_MS);
	free(err);
	return out;
}

static int dpkg(const char *action, const char *what)
{
	char *argv[] = { "dpkg", (char *)action, (char *)what, NULL };
	char *out;
	int status = run(argv, &out, MAKE_MS);

	free(out);
	return status;
}

FIXTURE(package) {
	int unused;
};

FIXTURE_SETUP(package) {}

/* Whatever happened, the test's own install goes. */
FIXTURE_TEARDOWN(package)
{
	if (!access(MARKER, F_OK) && !dpkg("-r", "sockscope"))
		unlink(MARKER);
}

TEST_F_TIMEOUT(package, installs_runs_a_lesson_and_removes_cleanly, 600)
{
	char deb[PATH_MAX], *status, *out, *list, *line, *save = NULL;
	char *lesson[] = { "/usr/bin/sockscope", "lesson", "tcp", NULL };
	char *files[] = { "dpkg", "-L", "sockscope", NULL };
	static const char *const own_dirs[] = {
		"/usr/libexec/sockscope", "/usr/libexec/sockscope/python",
		"/usr/share/doc/sockscope", "/usr/share/doc/sockscope/img",
	};
	struct stat st;
	int fd;

	REQUIRE_E2E();
	REQUIRE_PACKAGING();
	status = package_status();
	if (!strcmp(status, "install ok installed")) {
		/* Left by a run of this test that was killed. */
		if (access(MARKER, F_OK))
			SKIP(return, "a sockscope package this test did not install is on the system: not replacing it");
		ASSERT_EQ(0, dpkg("-r", "sockscope"));
	} else if (!access("/usr/bin/sockscope", F_OK)) {
		SKIP(return, "/usr/bin/sockscope is there, from no package: not replacing it");
	}
	free(status);
	deb_path(deb, sizeof(deb));
	if (access(deb, R_OK))
		ASSERT_EQ(0, make("deb", NULL, NULL));

	fd = open(MARKER, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, dpkg("-i", deb));

	ENTER_NETNS();
	ASSERT_EQ(0, chdir("/"));
	EXPECT_EQ(0, run(lesson, &out, RUN_MS));
	EXPECT_EQ(0, strncmp(out, "Lesson: the TCP chat: handshake, data, close\n", 45));
	EXPECT_NE(NULL, strstr(out, "\n  1. socket(AF_INET, SOCK_STREAM, 0): protocol 0 let the kernel choose IPPROTO_TCP.\n"));
	EXPECT_NE(NULL, strstr(out, "\n  3. accept() returned a new descriptor for each of the 3 connections, while the listening socket kept listening.\n")) {
		TH_LOG("sockscope lesson tcp printed:\n%s", out);
	}
	free(out);

	ASSERT_EQ(0, run(files, &list, QUICK_MS));
	ASSERT_EQ(0, dpkg("-r", "sockscope"));
	unlink(MARKER);
	status = package_status();
	EXPECT_STRNE("install ok installed", status);
	free(status);
	/* Every file it had is gone, and the directories that were its own. */
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!lstat(line, &st) && !S_ISDIR(st.st_mode))
			TH_LOG("left behind: %s", line);
		EXPECT_TRUE(lstat(line, &st) || S_ISDIR(st.st_mode));
	}
	for (size_t i = 0; i < sizeof(own_dirs) / sizeof(own_dirs[0]); i++) {
		EXPECT_NE(0, access(own_dirs[i], F_OK)) {
			TH_LOG("left behind: %s", own_dirs[i]);
		}
	}
	free(list);
}

TEST_HARNESS_MAIN
