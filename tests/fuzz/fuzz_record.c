// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: one ring-buffer record: validated, then rendered as
 * text and as JSON.
 * What must hold is in checks.h.
 */
#include "checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *err = check_record_input(data, size);

	if (err) {
		fprintf(stderr, "fuzz_record: %s\n", err);
		abort();
	}
	return 0;
}
