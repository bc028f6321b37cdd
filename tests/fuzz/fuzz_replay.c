// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: arbitrary lines given to "sockscope replay".
 * What must hold is in checks.h.
 */
#include "checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *err = check_replay_input(data, size);

	if (err) {
		fprintf(stderr, "fuzz_replay: %s\n", err);
		abort();
	}
	return 0;
}
