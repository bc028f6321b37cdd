// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: a stream of ring-buffer records through the reader
 * (socket table, notes, rendering, --save), then the saved trace
 * replayed: it must render the same.
 * What must hold is in checks.h.
 */
#include "checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *err = check_reader_input(data, size);

	if (err) {
		fprintf(stderr, "fuzz_reader: %s\n", err);
		abort();
	}
	return 0;
}
