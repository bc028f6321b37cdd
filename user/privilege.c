// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Checking the capabilities that loading tracing programs needs. */
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "privilege.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

static bool has_cap(const struct __user_cap_data_struct *data, int cap)
{
	return data[cap / 32].effective & (1u << (cap % 32));
}

bool can_trace(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	if (has_cap(data, CAP_SYS_ADMIN))
		return true;
	return has_cap(data, CAP_BPF) && has_cap(data, CAP_PERFMON);
}
