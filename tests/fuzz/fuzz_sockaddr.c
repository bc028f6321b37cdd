// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: a socket address of any family and length, as text
 * and as JSON.
 * What must hold is in checks.h.
 */
#include "checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *err = check_sockaddr_input(data, size);

	if (err) {
		fprintf(stderr, "fuzz_sockaddr: %s\n", err);
		abort();
	}
	return 0;
}
