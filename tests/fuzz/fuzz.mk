# Fuzzing sockscope's decoders of untrusted data with clang's libFuzzer.
# Included by the top Makefile. tests/fuzz/README.md says more.
#
#   make fuzz            each target for FUZZ_SECONDS (default 60)
#   make fuzz-smoke      each target for FUZZ_SMOKE_SECONDS (default 20; CI)
#   make fuzz-build      only build $(BUILD)/fuzz/fuzz_*
#   make fuzz-corpus     rewrite the seed corpus in tests/fuzz/corpus/
#
# The user/ sources are compiled again with clang into $(BUILD)/fuzz/, with
# libFuzzer's coverage and ASan + UBSan (aborting on the first report);
# the gcc objects of the normal build are not used. New inputs the fuzzer
# finds go to $(BUILD)/fuzz/corpus/<target>/; a crash leaves its input in
# $(BUILD)/fuzz/crash-<target>-*, to be added to
# tests/fuzz/corpus/<target>/ once fixed (test_bad_input replays them all).

FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_DIR           := $(BUILD)/fuzz
FUZZ_TARGET_NAMES  := record reader replay sockaddr escape options
FUZZ_TARGETS       := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGET_NAMES))

FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS   := -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -std=gnu11 \
		 $(WARNINGS) -MMD -MP
FUZZ_CPPFLAGS := $(CONFIG_CPPFLAGS) -D_GNU_SOURCE -Ibpf -Iuser \
		 -Itests/fuzz $(LIBBPF_CFLAGS)

# The decoders and all they use: every user/*.c but main.c and those that
# need the BPF skeleton, in an archive, so that a target links only what
# it calls.
FUZZ_LIB_SRCS := $(filter-out $(USER_MAIN),\
		   $(shell grep -L '\.skel\.h' user/*.c))
FUZZ_LIB_OBJS := $(patsubst user/%.c,$(FUZZ_DIR)/user/%.o,$(FUZZ_LIB_SRCS))
FUZZ_LIB      := $(FUZZ_DIR)/libsockscope-fuzz.a

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-corpus

fuzz-build: $(FUZZ_TARGETS)

fuzz: fuzz-build
	$(Q)tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGET_NAMES)

fuzz-smoke: fuzz-build
	$(Q)tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGET_NAMES)

fuzz-corpus: $(FUZZ_DIR)/make_corpus
	$(call msg,GEN,tests/fuzz/corpus)
	$(Q)$(FUZZ_DIR)/make_corpus tests/fuzz/corpus

$(FUZZ_DIR)/user/%.o: user/%.c
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/fuzz_%.o: tests/fuzz/fuzz_%.c
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/fuzz_%.o $(FUZZ_LIB)
	$(call msg,FUZZ-LD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $^ $(LIBBPF_LIBS) -o $@

$(FUZZ_DIR)/make_corpus: tests/fuzz/make_corpus.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FUZZ_CPPFLAGS) -O1 -g -Wall -Wextra $< -o $@
