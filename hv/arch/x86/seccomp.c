// SPDX-License-Identifier: MIT
/*
 * Hypercalls are syscall instructions in the guest's hypercall page, as on
 * Xen.  A seccomp filter tells them apart from the hypervisor's own system
 * calls by where they come from: any syscall whose instruction pointer lies
 * in the guest window is trapped (SIGSYS, handled as a hypercall), every
 * other one is allowed.  The guest thus cannot make a single host system
 * call, whatever it executes.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "private.h"

#define IP_HI offsetof(struct seccomp_data, instruction_pointer) + 4

int hv_seccomp_install(char *err, size_t errlen)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IP_HI),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, HV_GUEST_VA_START >> 32, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, HV_GUEST_VA_END >> 32, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = ARRAY_SIZE(code),
		.filter = code,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC, &prog)) {
		snprintf(err, errlen, "installing the hypercall filter (seccomp): %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}
