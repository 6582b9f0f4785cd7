// SPDX-License-Identifier: MIT
/*
 * Hypercall dispatch by number (the registers it comes from are
 * arch/x86/hypercall.c's business).  Unknown numbers give -ENOSYS.  Every
 * call is counted per number and per outcome for `tern-xl stats`.
 */
#include <errno.h>

#include "private.h"

static const struct {
	const char *name;
	hv_hypercall_fn fn;
} hypercalls[64] = {
	[__HYPERVISOR_set_trap_table] = { "set_trap_table", hv_do_set_trap_table },
	[__HYPERVISOR_mmu_update] = { "mmu_update", hv_do_mmu_update },
	[__HYPERVISOR_set_callbacks] = { "set_callbacks", hv_do_set_callbacks },
	[__HYPERVISOR_memory_op] = { "memory_op", hv_do_memory_op },
	[__HYPERVISOR_multicall] = { "multicall", hv_do_multicall },
	[__HYPERVISOR_update_va_mapping] = { "update_va_mapping", hv_do_update_va_mapping },
	[__HYPERVISOR_xen_version] = { "xen_version", hv_do_xen_version },
	[__HYPERVISOR_vm_assist] = { "vm_assist", hv_do_vm_assist },
	[__HYPERVISOR_console_io] = { "console_io", hv_do_console_io },
	[__HYPERVISOR_iret] = { "iret", hv_do_iret },
	[__HYPERVISOR_set_segment_base] = { "set_segment_base", hv_do_set_segment_base },
	[__HYPERVISOR_mmuext_op] = { "mmuext_op", hv_do_mmuext_op },
	[__HYPERVISOR_sched_op] = { "sched_op", hv_do_sched_op },
	[__HYPERVISOR_callback_op] = { "callback_op", hv_do_callback_op },
	[__HYPERVISOR_vcpu_op] = { "vcpu_op", hv_do_vcpu_op },
	[__HYPERVISOR_event_channel_op] = { "event_channel_op", hv_do_event_channel_op },
};

const char *hv_hypercall_name(unsigned int nr)
{
	if (nr < 64 && hypercalls[nr].name)
		return hypercalls[nr].name;
	return NULL;
}

long hv_hypercall_invoke(struct hv_vcpu *v, ucontext_t *uc, unsigned int nr,
			 const uint64_t a[5])
{
	struct hv_domain *d = v->d;
	long rc;

	if (nr >= 64 || !hypercalls[nr].fn) {
		__atomic_fetch_add(&d->hypercalls_unknown, 1, __ATOMIC_RELAXED);
		return -ENOSYS;
	}
	__atomic_fetch_add(&d->hypercalls[nr], 1, __ATOMIC_RELAXED);
	rc = hypercalls[nr].fn(v, uc, a);
	if (rc < 0 && nr != __HYPERVISOR_iret)
		__atomic_fetch_add(&d->hypercall_errors[nr], 1, __ATOMIC_RELAXED);
	return rc;
}

/* The counts behind `tern-xl stats`, one line per hypercall used. */
void hv_print_hypercall_stats(struct hv_domain *d, FILE *f)
{
	unsigned int i;

	fprintf(f, "hypercall            calls     errors\n");
	for (i = 0; i < 64; i++) {
		const char *name = hv_hypercall_name(i);

		if (d->hypercalls[i])
			fprintf(f, "%-18s %7lu %10lu\n", name ? name : "?",
				(unsigned long)d->hypercalls[i],
				(unsigned long)d->hypercall_errors[i]);
	}
	fprintf(f, "%-18s %7lu\n", "unknown", (unsigned long)d->hypercalls_unknown);
}
