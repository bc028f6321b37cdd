// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: payload and string escaping: strace-style text
 * (with and without keep_utf8), JSON strings, UTF-8 validation, hex.
 * What must hold is in checks.h.
 */
#include "checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *err = check_escape_input(data, size);

	if (err) {
		fprintf(stderr, "fuzz_escape: %s\n", err);
		abort();
	}
	return 0;
}
