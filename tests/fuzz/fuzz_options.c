// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: the command line: the input split on NUL bytes into argv.
 * What must hold is in checks.h.
 */
#include "checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *err = check_options_input(data, size);

	if (err) {
		fprintf(stderr, "fuzz_options: %s\n", err);
		abort();
	}
	return 0;
}
