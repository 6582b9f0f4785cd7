// SPDX-License-Identifier: MIT
/*
 * Exceptions into the guest, and the hypercalls that set up and return
 * from them.
 *
 * Delivery follows Xen for a 64-bit PV guest: on the guest's current stack
 * (kernel mode), aligned down to 16 bytes, we write from high to low
 * addresses ss, rsp, rflags, cs, rip, [error code], r11, rcx, and resume
 * the guest at its handler with rsp at rcx.  The frame's cs carries the
 * vCPU's event mask at the time in bits 32-39 and its rflags.IF shows
 * whether events were enabled.  A trap table entry with the "mask events"
 * flag, and every event callback, enter with events masked.
 * HYPERVISOR_iret undoes all this from the struct iret_context the guest
 * leaves on its stack.
 *
 * A fault with no handler, or one whose frame cannot be written, crashes
 * the domain with a register dump, as Xen does.
 */
#include <errno.h>
#include <string.h>

#include "private.h"

/* The flat kernel code selector as a bounce frame carries it: RPL 0. */
#define KERNEL_FRAME_CS		(FLAT_KERNEL_CS & ~3U)
#include <xen/interface/callback.h>

#define EFLAGS_TF	0x00000100UL
#define EFLAGS_IF	0x00000200UL
#define EFLAGS_DF	0x00000400UL
#define EFLAGS_IOPL	0x00003000UL
#define EFLAGS_NT	0x00004000UL
#define EFLAGS_RF	0x00010000UL
#define EFLAGS_VM	0x00020000UL
/* What a guest may set in rflags on iret; the host forces IF on anyway. */
#define EFLAGS_GUEST	0x00000dd5UL

static const char *const vector_names[32] = {
	[0] = "#DE", [1] = "#DB", [3] = "#BP", [4] = "#OF", [5] = "#BR",
	[6] = "#UD", [7] = "#NM", [8] = "#DF", [10] = "#TS", [11] = "#NP",
	[12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF", [17] = "#AC",
	[18] = "#MC", [19] = "#XM",
};

/* Builds the bounce frame and points the guest at handler. */
static int bounce(struct hv_vcpu *v, ucontext_t *uc, uint64_t handler,
		  bool has_error, uint64_t error_code, bool mask_events)
{
	uint64_t frame[8], sp, rflags;
	uint8_t mask = v->vcpu_info->evtchn_upcall_mask;
	unsigned int n = 0, i;

	rflags = (UC_REG(uc, EFL) & ~(EFLAGS_IF | EFLAGS_IOPL)) |
		 (mask ? 0 : EFLAGS_IF);
	/* Filled top-down, written bottom-up. */
	frame[n++] = FLAT_KERNEL_SS;
	frame[n++] = UC_REG(uc, RSP);
	frame[n++] = rflags;
	/*
	 * Xen's create_bounce_frame clears the RPL of the interrupted CS
	 * when the guest kernel was interrupted (0xe030, not 0xe033): its
	 * iret tells a return to kernel from one to user mode by that RPL.
	 * A frame left on a stack travels in a saved guest, so it must say
	 * what Xen would read the same way.
	 */
	frame[n++] = KERNEL_FRAME_CS | ((uint64_t)mask << 32);
	frame[n++] = UC_REG(uc, RIP);
	if (has_error)
		frame[n++] = error_code;
	frame[n++] = UC_REG(uc, R11);
	frame[n++] = UC_REG(uc, RCX);

	sp = (UC_REG(uc, RSP) & ~15UL) - n * 8;
	for (i = 0; i < n; i++)
		if (hv_copy_to_guest(v, sp + (n - 1 - i) * 8, &frame[i], 8))
			return -EFAULT;
	UC_REG(uc, RSP) = sp;
	UC_REG(uc, RIP) = handler;
	UC_REG(uc, EFL) &= ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_DF |
			     EFLAGS_VM);
	if (mask_events) {
		struct vcpu_info *vi = v->vcpu_info;

		vi->evtchn_upcall_mask = 1;
		hv_mark_dirty_at(v->d, vi);
	}
	return 0;
}

void hv_inject_trap(struct hv_vcpu *v, ucontext_t *uc, unsigned int vector,
		    bool has_error, uint64_t error_code)
{
	const struct trap_info *ti = &v->traps[vector & 255];
	const char *name = vector < 32 && vector_names[vector] ?
			   vector_names[vector] : "trap";

	if (!ti->address)
		hv_domain_crash(v, uc, "unhandled %s (vector %u, error code %#lx): no trap handler registered",
				name, vector, (unsigned long)error_code);
	if (bounce(v, uc, ti->address, has_error, error_code,
		   TI_GET_IF(ti)))
		hv_domain_crash(v, uc, "cannot write the %s bounce frame below rsp %#lx",
				name, (unsigned long)UC_REG(uc, RSP));
}

/*
 * The event upcall: like an exception without error code, to the event
 * callback, always entered with events masked.  Returns false if there is
 * nothing to deliver (no callback, masked, or nothing pending).
 */
bool hv_inject_upcall(struct hv_vcpu *v, ucontext_t *uc)
{
	struct vcpu_info *vi = v->vcpu_info;

	if (!v->event_callback || vi->evtchn_upcall_mask ||
	    !__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE))
		return false;
	if (bounce(v, uc, v->event_callback, false, 0, true))
		hv_domain_crash(v, uc, "cannot write the event upcall frame below rsp %#lx",
				(unsigned long)UC_REG(uc, RSP));
	return true;
}

void hv_inject_page_fault(struct hv_vcpu *v, ucontext_t *uc, uint64_t cr2,
			  uint64_t error_code)
{
	struct vcpu_info *vi = v->vcpu_info;

	vi->arch.cr2 = cr2;
	hv_mark_dirty_at(v->d, vi);
	hv_inject_trap(v, uc, 14, true, error_code);
}

/*
 * set_trap_table(table): entries until one with address 0, each replacing
 * the vector it names; a NULL table clears them all.
 */
long hv_do_set_trap_table(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	uint64_t gva = a[0];
	struct trap_info ti;
	unsigned int i;

	if (!gva) {
		memset(v->traps, 0, sizeof(v->traps));
		return 0;
	}
	for (i = 0; i < 256; i++, gva += sizeof(ti)) {
		if (hv_copy_from_guest(v, &ti, gva, sizeof(ti)))
			return -EFAULT;
		if (!ti.address)
			break;
		if (!hv_is_canonical(ti.address))
			return -EINVAL;
		v->traps[ti.vector] = ti;
	}
	return 0;
}

static long register_callback(struct hv_vcpu *v, unsigned int type,
			      uint64_t address)
{
	if (!hv_is_canonical(address))
		return -EINVAL;
	switch (type) {
	case CALLBACKTYPE_event:
		v->event_callback = address;
		return 0;
	case CALLBACKTYPE_failsafe:
		v->failsafe_callback = address;
		return 0;
	case CALLBACKTYPE_syscall:
		v->syscall_callback = address;
		return 0;
	}
	return -EINVAL;
}

/* set_callbacks(event, failsafe, syscall): the 64-bit three-address form. */
long hv_do_set_callbacks(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	long rc = register_callback(v, CALLBACKTYPE_event, a[0]);

	if (!rc)
		rc = register_callback(v, CALLBACKTYPE_failsafe, a[1]);
	if (!rc)
		rc = register_callback(v, CALLBACKTYPE_syscall, a[2]);
	return rc;
}

long hv_do_callback_op(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	struct callback_register reg;

	switch (a[0]) {
	case CALLBACKOP_register:
		if (hv_copy_from_guest(v, &reg, a[1], sizeof(reg)))
			return -EFAULT;
		return register_callback(v, reg.type, reg.address);
	case CALLBACKOP_unregister:
		/* Xen keeps event and failsafe; nothing else is unregistrable here. */
		return -EINVAL;
	}
	return -ENOSYS;
}

/*
 * iret (Xen's do_iret): the guest's stub left a struct iret_context at
 * rsp.  Restore what it names, keep rflags to what ring 3 may hold, and
 * re-enable events if the saved IF says so.  As on Xen, the RPL of the
 * frame's CS says where it returns: below 3 the guest kernel, 3 guest
 * user mode, which this hypervisor does not have (Xen crashes a guest
 * that asks with no user pagetables; so do we, saying why).  The selector
 * must be the flat code one, the only one here; anything else crashes the
 * domain as Xen's failsafe path would when there is no failsafe callback.
 */
long hv_do_iret(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	struct iret_context ic;
	struct vcpu_info *vi;

	if (hv_copy_from_guest(v, &ic, UC_REG(uc, RSP), sizeof(ic)))
		hv_domain_crash(v, uc, "iret: cannot read the iret frame at %#lx",
				(unsigned long)UC_REG(uc, RSP));
	if ((ic.cs & 3) == 3)
		hv_domain_crash(v, uc, "iret to guest user mode (cs %#lx, RPL 3), which this hypervisor does not have (a kernel's own frames have RPL 0: %#x)",
				(unsigned long)(ic.cs & 0xffff), KERNEL_FRAME_CS);
	if ((ic.cs & 0xfffc) != KERNEL_FRAME_CS || !hv_is_canonical(ic.rip))
		hv_domain_crash(v, uc, "iret to cs %#lx rip %#lx: not a flat 64-bit ring-3 context",
				(unsigned long)ic.cs, (unsigned long)ic.rip);
	UC_REG(uc, RAX) = ic.rax;
	if (!(ic.flags & VGCF_in_syscall)) {
		UC_REG(uc, R11) = ic.r11;
		UC_REG(uc, RCX) = ic.rcx;
	}
	UC_REG(uc, RIP) = ic.rip;
	UC_REG(uc, RSP) = ic.rsp;
	UC_REG(uc, EFL) = (UC_REG(uc, EFL) & ~EFLAGS_GUEST) |
			  (ic.rflags & EFLAGS_GUEST);
	vi = v->vcpu_info;
	vi->evtchn_upcall_mask = !(ic.rflags & EFLAGS_IF);
	hv_mark_dirty_at(v->d, vi);
	return ic.rax;
}
