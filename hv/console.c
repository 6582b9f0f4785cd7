// SPDX-License-Identifier: MIT
/*
 * HYPERVISOR_console_io.  Xen lets only privileged domains use it in
 * release builds; debug builds let every domain write.  This hypervisor
 * behaves like a debug build for writes, so that a guest has output from
 * its first instruction, and refuses reads to unprivileged guests as Xen
 * does.  Output goes to the domain's console (see domain.c).
 */
#include <errno.h>

#include "private.h"

#define CHUNK 256

long hv_do_console_io(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	uint64_t gva = a[2];
	int64_t count = (int32_t)a[1];
	char buf[CHUNK];

	switch (a[0]) {
	case CONSOLEIO_write:
		if (count < 0)
			return -EINVAL;
		while (count > 0) {
			size_t n = count > CHUNK ? CHUNK : count;

			if (hv_copy_from_guest(v, buf, gva, n))
				return -EFAULT;
			hv_console_write(v->d, buf, n);
			gva += n;
			count -= n;
		}
		return 0;
	case CONSOLEIO_read:
		return -EPERM;
	}
	return -ENOSYS;
}
