# sockscope — one entry point.
#
#   make            build everything into build/
#   make test       build, then run every test; last line: tests: N passed, ...
#   make demo       trace the chat programs and show the annotated trace,
#                   then the lab (TCP vs UDP on a bad link)
#   make lab        the lab only
#   make deps       install the Debian packages the build and tests need
#   make install    install into PREFIX (default /usr/local); DESTDIR stages
#   make uninstall  remove what make install installed
#   make deb        build the Debian package into build/
#   make V=1        show full commands
#
# Everything generated lives under build/.

# make test SANITIZE=1 builds into build-san/, never mixed with build/.
ifeq ($(SANITIZE),1)
BUILD      ?= build-san
endif
BUILD      ?= build
CC         ?= cc
CLANG      ?= clang
BPFTOOL    ?= bpftool
PKG_CONFIG ?= pkg-config
ARCH       := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

LIBBPF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
LIBBPF_LIBS   := $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz)

WARNINGS  := -Wall -Wextra -Wno-unused-parameter
CFLAGS    ?= -O2 -g
CFLAGS    += $(WARNINGS) -std=gnu11 -MMD -MP
CPPFLAGS  += $(CONFIG_CPPFLAGS) -D_GNU_SOURCE -I$(BUILD) -Ibpf -Iuser $(LIBBPF_CFLAGS)
LDLIBS    += $(LIBBPF_LIBS) -lpthread

ifeq ($(SANITIZE),1)
CFLAGS    += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS   += -fsanitize=address,undefined
endif

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Wall \
	      -Wno-unused-function -MMD -MP -I$(BUILD) -Ibpf

# --- version and installed locations -------------------------------------

# The version is the Debian package's, from the first line of
# debian/changelog: the binary and the package cannot disagree.
VERSION := $(shell head -n 1 debian/changelog | cut -d ' ' -f 2 | tr -d '()')
ifeq ($(VERSION),)
$(error sockscope: no version in the first line of debian/changelog)
endif

# Where make install puts things. The binary is built knowing the way
# from BINDIR to PKGLIBEXECDIR (../libexec/sockscope by default, whatever
# the PREFIX): it finds the example programs that way from where it runs,
# installed or in a DESTDIR staging tree. Only a layout that changes that
# way rebuilds what uses it.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
LIBEXECDIR  ?= $(PREFIX)/libexec
PKGLIBEXECDIR := $(LIBEXECDIR)/sockscope
DATADIR     ?= $(PREFIX)/share
DOCDIR      ?= $(DATADIR)/doc/sockscope
MANDIR      ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions

LIBEXEC_FROM_BIN := $(shell realpath -m --relative-to='$(BINDIR)' '$(PKGLIBEXECDIR)')
CONFIG_CPPFLAGS := -DSOCKSCOPE_VERSION=\"$(VERSION)\" \
		   -DSOCKSCOPE_LIBEXEC_FROM_BIN=\"$(LIBEXEC_FROM_BIN)\"
# The objects that use them; they depend on $(CONFIG_STAMP), which is
# rewritten only when the values change.
CONFIG_USERS := $(patsubst %,$(BUILD)/user/%.o,main reader lesson_run)
CONFIG_STAMP := $(BUILD)/config.stamp

# --- sources -------------------------------------------------------------

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS     := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

# user/main.c holds main(); everything else in user/ is a library that the
# unit tests link against too.
USER_MAIN := user/main.c
USER_LIB_SRCS := $(filter-out $(USER_MAIN),$(wildcard user/*.c))
USER_LIB_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(USER_LIB_SRCS))
USER_LIB  := $(BUILD)/libsockscope.a
SOCKSCOPE := $(BUILD)/sockscope

# examples/*_chat_*.c and the lab's sender and receiver are programs; every
# other examples/*.c is shared by them.
EXAMPLE_PROG_SRCS := $(wildcard examples/*_chat_*.c) examples/lab_sender.c \
		     examples/lab_receiver.c
EXAMPLE_LIB_SRCS  := $(filter-out $(EXAMPLE_PROG_SRCS),$(wildcard examples/*.c))
EXAMPLE_LIB_OBJS  := $(patsubst %.c,$(BUILD)/%.o,$(EXAMPLE_LIB_SRCS))
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(EXAMPLE_PROG_SRCS))

# tests/test_*.c are test programs; tests/lib/*.c is linked into each.
TEST_PROG_SRCS := $(wildcard tests/test_*.c)
TEST_LIB_SRCS  := $(wildcard tests/lib/*.c)
TEST_LIB_OBJS  := $(patsubst %.c,$(BUILD)/%.o,$(TEST_LIB_SRCS))
TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_PROG_SRCS))

# tests/helpers/*.c are small programs that tests run (not tests themselves).
TEST_HELPER_SRCS := $(wildcard tests/helpers/*.c)
TEST_HELPERS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(TEST_HELPER_SRCS))

# bench/*.c are the benchmark workloads.
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_PROGS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

# --- top-level targets ---------------------------------------------------

.PHONY: all build deps test demo lab bench bench-build clean programs \
	install uninstall deb FORCE

all: deps
	$(Q)$(MAKE) --no-print-directory build

build: $(SOCKSCOPE) $(EXAMPLES) $(TESTS) $(TEST_HELPERS) $(BENCH_PROGS)

deps:
	$(Q)scripts/deps.sh

test: deps
	$(Q)scripts/deps.sh --test
	$(Q)$(MAKE) --no-print-directory build
	$(Q)tests/run.sh $(BUILD)/tests

demo: deps
	$(Q)$(MAKE) --no-print-directory build
	$(Q)scripts/demo.sh

# The lab alone: sockscope lab all.
lab: deps
	$(Q)$(MAKE) --no-print-directory build
	$(Q)scripts/demo.sh --lab

# Benchmarks against strace, perf trace and bpftrace (bench/README.md).
bench: deps
	$(Q)scripts/deps.sh --bench
	$(Q)$(MAKE) --no-print-directory build bench-build
	$(Q)bench/run.sh

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

bench-build: $(BENCH_PROGS)

# The binary, the example programs, the docs, the man page and the bash
# completion; scripts/install.sh says where each goes.
INSTALL_ENV = DESTDIR='$(DESTDIR)' BINDIR='$(BINDIR)' \
	      PKGLIBEXECDIR='$(PKGLIBEXECDIR)' DOCDIR='$(DOCDIR)' \
	      MANDIR='$(MANDIR)' BASHCOMPDIR='$(BASHCOMPDIR)' BUILD='$(BUILD)' \
	      EXAMPLES='$(notdir $(EXAMPLES))'

# What install installs, built (debian/rules builds just this).
programs: $(SOCKSCOPE) $(EXAMPLES)

install: programs
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL_ENV) scripts/install.sh install

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL_ENV) scripts/install.sh uninstall

# The Debian package, built with dpkg-buildpackage from a copy of the
# tree in $(BUILD)/deb/, so the tree itself stays as it was.
deb:
	$(Q)scripts/build-deb.sh $(BUILD)

$(CONFIG_STAMP): FORCE
	$(Q)mkdir -p $(@D)
	$(Q)echo '$(CONFIG_CPPFLAGS)' > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(CONFIG_USERS): $(CONFIG_STAMP)

$(BUILD)/bench/%: bench/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< -o $@

# --- kernel side ---------------------------------------------------------

$(BUILD)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)if [ ! -r /sys/kernel/btf/vmlinux ]; then \
		echo "sockscope: this kernel has no BTF (/sys/kernel/btf/vmlinux is missing); build a kernel with CONFIG_DEBUG_INFO_BTF=y" >&2; \
		exit 1; fi
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp
	$(Q)mv $@.tmp $@

# bpftool's static linker writes the object without its DWARF sections
# (BTF and its line info stay): the skeleton embeds a third of the bytes,
# and libbpf has less to read at start-up.
$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(BUILD)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MF $(@:.o=.d) -MT $@ -c $< -o $(@:.bpf.o=.tmp.bpf.o)
	$(Q)$(BPFTOOL) gen object $@ $(@:.bpf.o=.tmp.bpf.o)

$(BUILD)/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp
	$(Q)mv $@.tmp $@

# --- user side -----------------------------------------------------------

# Objects that include a skeleton find it through their .d file after the
# first build; the order-only dependency makes sure it exists before that.
$(BUILD)/user/%.o: user/%.c | $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(SOCKSCOPE): $(BUILD)/user/main.o $(USER_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# --- examples ------------------------------------------------------------

$(BUILD)/examples/%.o: examples/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Iexamples -c $< -o $@

$(BUILD)/examples/%: $(BUILD)/examples/%.o $(EXAMPLE_LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -o $@

# --- tests ---------------------------------------------------------------

$(BUILD)/tests/%.o: tests/%.c | $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Itests -c $< -o $@

$(BUILD)/tests/helpers/%: $(BUILD)/tests/helpers/%.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lpthread -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_LIB_OBJS) $(USER_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

.SECONDARY:
.DELETE_ON_ERROR:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Fuzzing (make fuzz) lives in its own fragment.
-include tests/fuzz/fuzz.mk
