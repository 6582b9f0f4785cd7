// SPDX-License-Identifier: MIT
/*
 * multicall(list, nr): several hypercalls for the price of one trap, which
 * on hv is the whole point (a trap costs about 2 us).  As on Xen: each
 * entry runs in order through the ordinary dispatcher and gets its result
 * written back; a failing entry does not stop the batch, only a fault on
 * the list itself does (-EFAULT), or an iret, which ends it with its own
 * result.  A multicall inside a multicall is refused (-EINVAL).
 *
 * Every entry sees the state the previous ones left: each pagetable call
 * walks the guest's tables afresh, so an update_va_mapping after an L3
 * change acts on the new hierarchy (XSA-286).
 */
#include <errno.h>
#include <limits.h>

#include "private.h"

static __thread bool in_multicall;

long hv_do_multicall(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	uint64_t list = a[0];
	uint32_t nr = a[1], i;
	long rc = 0;

	if (in_multicall)
		return -EINVAL;
	in_multicall = true;
	if (!hv_addr_ok(list))
		rc = -EFAULT;
	for (i = 0; !rc && i < nr; i++) {
		uint64_t gva = list + (uint64_t)i * sizeof(struct multicall_entry);
		struct multicall_entry e;
		unsigned int op;

		if (hv_copy_from_guest(v, &e, gva, sizeof(e))) {
			rc = -EFAULT;
			break;
		}
		op = e.op > UINT_MAX ? UINT_MAX : e.op;
		e.result = hv_hypercall_invoke(v, uc, op, e.args);
		if (hv_copy_to_guest(v, gva + offsetof(struct multicall_entry,
						       result),
				     &e.result, sizeof(e.result)) &&
		    op != __HYPERVISOR_iret)
			rc = -EFAULT;
		if (op == __HYPERVISOR_iret) {
			rc = e.result;
			break;
		}
	}
	in_multicall = false;
	hv_mmu_count(v->d, HV_OP_MULTICALL, rc);
	hv_mmu_after_hypercall(v, uc, "multicall");
	return rc;
}
