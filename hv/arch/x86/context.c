// SPDX-License-Identifier: MIT
/*
 * A vCPU's context in Xen's vcpu_guest_context layout: what VCPUOP_initialise
 * loads, what getvcpucontext reads and setvcpucontext writes, and how it
 * moves between the struct hv_vcpu of a parked vCPU and the ucontext a
 * signal handler returns to the guest with.
 *
 * The rules of hv_arch_set_info_guest() are those of Xen's
 * arch_set_info_guest() for a 64-bit PV vCPU, with one difference: every
 * check comes before the first change, so a refused context leaves the
 * vCPU as it was (Xen copies some fields before its later checks).  Xen
 * refuses to move a live vCPU's base pointer this way, and so do we.
 * What hv cannot do is refused, not dropped: an FS base (the host's FS is
 * the hypervisor's thread pointer) and guest user mode.  Descriptor tables
 * are neither kept nor used here (the guest runs on the host's flat
 * segments): a GDT or LDT in a context is ignored, as VCPUOP_initialise
 * always has on hv, and reads back as none.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "private.h"

#define EFLAGS_IF	0x00000200UL
#define EFLAGS_IOPL	0x00003000UL

/*
 * vm_assist bits Xen 4.17 accepts for a 64-bit PV guest (its
 * PV64_VM_ASSIST_MASK): the 32-bit ones it cannot refuse without breaking
 * old guests, and m2p_strict.  Of these only writable_pagetables changes
 * anything on hv (mm/ptwr.c); the others are kept, read back and carried
 * by save/restore as Xen does, and mean nothing here: there are no
 * segments to truncate, no PAE, no IOPL (rings are the host's), no
 * runstate area, and no user mode in which the m2p would show.
 */
#define VM_ASSIST_VALID	((1UL << VMASST_TYPE_4gb_segments) | \
			 (1UL << VMASST_TYPE_4gb_segments_notify) | \
			 (1UL << VMASST_TYPE_writable_pagetables) | \
			 (1UL << VMASST_TYPE_pae_extended_cr3) | \
			 (1UL << VMASST_TYPE_architectural_iopl) | \
			 (1UL << VMASST_TYPE_runstate_update_flag) | \
			 (1UL << VMASST_TYPE_m2p_strict))

/* Where MXCSR and the CPU's mask of settable MXCSR bits sit in FXSAVE. */
#define FXSAVE_MXCSR		24
#define FXSAVE_MXCSR_MASK	28
#define MXCSR_DEFAULT_MASK	0xffbfU		/* when the CPU reports 0 */

/* The MXCSR bits this CPU accepts: others would make sigreturn fail. */
static uint32_t host_mxcsr_mask(void)
{
	static uint32_t mask;
	uint8_t area[512] __attribute__((aligned(16)));

	if (!mask) {
		memset(area, 0, sizeof(area));
		__asm__ __volatile__("fxsave64 %0" : "=m"(area));
		memcpy(&mask, area + FXSAVE_MXCSR_MASK, sizeof(mask));
		if (!mask)
			mask = MXCSR_DEFAULT_MASK;
	}
	return mask;
}

void hv_regs_to_uc(const struct hv_vcpu *v, ucontext_t *uc)
{
	const struct cpu_user_regs *r = &v->regs;

	UC_REG(uc, R8) = r->r8;
	UC_REG(uc, R9) = r->r9;
	UC_REG(uc, R10) = r->r10;
	UC_REG(uc, R11) = r->r11;
	UC_REG(uc, R12) = r->r12;
	UC_REG(uc, R13) = r->r13;
	UC_REG(uc, R14) = r->r14;
	UC_REG(uc, R15) = r->r15;
	UC_REG(uc, RDI) = r->rdi;
	UC_REG(uc, RSI) = r->rsi;
	UC_REG(uc, RBP) = r->rbp;
	UC_REG(uc, RBX) = r->rbx;
	UC_REG(uc, RDX) = r->rdx;
	UC_REG(uc, RAX) = r->rax;
	UC_REG(uc, RCX) = r->rcx;
	UC_REG(uc, RSP) = r->rsp;
	UC_REG(uc, RIP) = r->rip;
	UC_REG(uc, EFL) = r->rflags;
	if (v->fpu_valid && uc->uc_mcontext.fpregs)
		memcpy(uc->uc_mcontext.fpregs, v->fpu, sizeof(v->fpu));
	syscall(SYS_arch_prctl, ARCH_SET_GS, v->gs_base_kernel);
}

void hv_regs_from_uc(struct hv_vcpu *v, const ucontext_t *uc)
{
	struct cpu_user_regs *r = &v->regs;

	r->r8 = UC_REG(uc, R8);
	r->r9 = UC_REG(uc, R9);
	r->r10 = UC_REG(uc, R10);
	r->r11 = UC_REG(uc, R11);
	r->r12 = UC_REG(uc, R12);
	r->r13 = UC_REG(uc, R13);
	r->r14 = UC_REG(uc, R14);
	r->r15 = UC_REG(uc, R15);
	r->rdi = UC_REG(uc, RDI);
	r->rsi = UC_REG(uc, RSI);
	r->rbp = UC_REG(uc, RBP);
	r->rbx = UC_REG(uc, RBX);
	r->rdx = UC_REG(uc, RDX);
	r->rax = UC_REG(uc, RAX);
	r->rcx = UC_REG(uc, RCX);
	r->rsp = UC_REG(uc, RSP);
	r->rip = UC_REG(uc, RIP);
	r->rflags = UC_REG(uc, EFL);
	r->cs = FLAT_KERNEL_CS;
	r->ss = FLAT_KERNEL_SS;
	if (uc->uc_mcontext.fpregs) {
		memcpy(v->fpu, uc->uc_mcontext.fpregs, sizeof(v->fpu));
		v->fpu_valid = true;
	}
}

/* Xen's arch_get_info_guest() for a 64-bit PV vCPU; v must be still. */
void hv_arch_get_info_guest(struct hv_vcpu *v, struct vcpu_guest_context *c)
{
	memset(c, 0, sizeof(*c));
	if (v->fpu_valid) {
		memcpy(c->fpu_ctxt.x, v->fpu, sizeof(c->fpu_ctxt.x));
		c->flags |= VGCF_i387_valid;
	}
	c->flags |= v->vgc_flags & (VGCF_failsafe_disables_events |
				    VGCF_syscall_disables_events);
	if (v->kernel_mode)
		c->flags |= VGCF_in_kernel;
	if (!__atomic_load_n(&v->down, __ATOMIC_ACQUIRE))
		c->flags |= VGCF_online;
	c->user_regs = v->regs;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.saved_upcall_mask = v->vcpu_info->evtchn_upcall_mask;
	memcpy(c->trap_ctxt, v->traps, sizeof(c->trap_ctxt));
	c->kernel_ss = v->kernel_ss;
	c->kernel_sp = v->kernel_sp;
	if (mfn_valid_raw(v->cr3))
		c->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(v->cr3));
	if (mfn_valid_raw(v->cr3_user))
		c->ctrlreg[1] = xen_pfn_to_cr3(mfn_x(v->cr3_user));
	c->event_callback_eip = v->event_callback;
	c->failsafe_callback_eip = v->failsafe_callback;
	c->syscall_callback_eip = v->syscall_callback;
	c->vm_assist = __atomic_load_n(&v->d->vm_assist, __ATOMIC_RELAXED);
	c->gs_base_kernel = v->gs_base_kernel;
	c->gs_base_user = v->gs_base_user;
}

/* Xen's checks of a context that need no frame: -EINVAL or 0. */
static long check_context(const struct hv_vcpu *v,
			  const struct vcpu_guest_context *c)
{
	unsigned int i;

	if (c->debugreg[6] != (uint32_t)c->debugreg[6] ||
	    c->debugreg[7] != (uint32_t)c->debugreg[7])
		return -EINVAL;
	for (i = 0; i < 4; i++)
		if (!hv_is_canonical(c->debugreg[i]))
			return -EINVAL;
	if (!hv_is_canonical(c->user_regs.rip) ||
	    !hv_is_canonical(c->user_regs.rsp) ||
	    !hv_is_canonical(c->kernel_sp) ||
	    (c->ldt_ents && !hv_is_canonical(c->ldt_base)) ||
	    !hv_is_canonical(c->fs_base) ||
	    !hv_is_canonical(c->gs_base_kernel) ||
	    !hv_is_canonical(c->gs_base_user) ||
	    !hv_is_canonical(c->event_callback_eip) ||
	    !hv_is_canonical(c->syscall_callback_eip) ||
	    !hv_is_canonical(c->failsafe_callback_eip))
		return -EINVAL;
	for (i = 0; i < 256; i++)
		if (!hv_is_canonical(c->trap_ctxt[i].address))
			return -EINVAL;
	if ((c->ldt_base & (HV_PAGE_SIZE - 1)) || c->ldt_ents > 8192)
		return -EINVAL;
	if (v->id == 0 && (c->vm_assist & ~VM_ASSIST_VALID))
		return -EINVAL;
	if ((c->gdt_ents + 511) / 512 > ARRAY_SIZE(c->gdt_frames))
		return -EINVAL;
	if (!v->initialised && !(c->flags & VGCF_in_kernel) && !c->ctrlreg[1])
		return -EINVAL;
	return 0;
}

/* A live vCPU keeps the base pointers it runs on (-EOPNOTSUPP). */
static long check_same_tables(const struct hv_vcpu *v,
			      const struct vcpu_guest_context *c)
{
	uint64_t cr1 = mfn_valid_raw(v->cr3_user) ?
		       xen_pfn_to_cr3(mfn_x(v->cr3_user)) : 0;

	if (!mfn_valid_raw(v->cr3) ||
	    xen_pfn_to_cr3(mfn_x(v->cr3)) != c->ctrlreg[3] ||
	    cr1 != c->ctrlreg[1] ||
	    (!mfn_valid_raw(v->cr3_user) && !(c->flags & VGCF_in_kernel)))
		return -EOPNOTSUPP;
	return 0;
}

/* Takes the base pointers of a vCPU initialised now; all or none. */
static long load_tables(struct hv_vcpu *v, const struct vcpu_guest_context *c)
{
	struct hv_domain *d = v->d;
	mfn_t l4 = _mfn(xen_cr3_to_pfn(c->ctrlreg[3]));
	mfn_t ul4 = _mfn(xen_cr3_to_pfn(c->ctrlreg[1]));
	long rc;

	hv_mmu_lock(d);
	rc = hv_mmu_vcpu_set_baseptr(v, l4);
	if (!rc && c->ctrlreg[1]) {
		rc = hv_mmu_vcpu_set_user_baseptr(v, ul4);
		if (rc)
			hv_mmu_vcpu_drop_baseptr(v);
	}
	hv_mmu_unlock(d);
	/* Xen's get_page_type() answer for a frame that cannot be an L4. */
	return rc ? -EINVAL : 0;
}

long hv_arch_set_info_guest(struct hv_vcpu *v,
			    const struct vcpu_guest_context *c)
{
	long rc = check_context(v, c);

	if (!rc && v->initialised)
		rc = check_same_tables(v, c);
	if (!rc && (c->fs_base || !(c->flags & VGCF_in_kernel)))
		rc = -EOPNOTSUPP;
	if (!rc && !v->initialised)
		rc = load_tables(v, c);
	if (rc)
		return rc;

	v->vgc_flags = c->flags;
	v->kernel_mode = true;
	v->regs = c->user_regs;
	v->regs.cs = FLAT_KERNEL_CS;
	v->regs.ss = FLAT_KERNEL_SS;
	/* IOPL is virtualised on Xen (none here); interrupts stay on. */
	v->regs.rflags = (v->regs.rflags & ~EFLAGS_IOPL) | EFLAGS_IF;
	v->fpu_valid = c->flags & VGCF_i387_valid;
	if (v->fpu_valid) {
		uint32_t mxcsr;

		memcpy(v->fpu, c->fpu_ctxt.x, sizeof(v->fpu));
		/* Xen drops reserved MXCSR bits too (the CPU would fault). */
		memcpy(&mxcsr, v->fpu + FXSAVE_MXCSR, sizeof(mxcsr));
		mxcsr &= host_mxcsr_mask();
		memcpy(v->fpu + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	}
	memcpy(v->traps, c->trap_ctxt, sizeof(v->traps));
	v->kernel_ss = c->kernel_ss;
	v->kernel_sp = c->kernel_sp;
	v->event_callback = c->event_callback_eip;
	v->failsafe_callback = c->failsafe_callback_eip;
	v->syscall_callback = c->syscall_callback_eip;
	v->gs_base_kernel = c->gs_base_kernel;
	v->gs_base_user = c->gs_base_user;
	if (v->id == 0)
		__atomic_store_n(&v->d->vm_assist, c->vm_assist,
				 __ATOMIC_RELAXED);
	v->initialised = true;
	__atomic_store_n(&v->down, !(c->flags & VGCF_online), __ATOMIC_RELEASE);
	return 0;
}

/*
 * vm_assist(cmd, type): Xen's vm_assist() with the 64-bit PV mask: a type
 * Xen does not offer is -EINVAL, a command other than enable or disable
 * -ENOSYS.  The bits are the domain's, as vCPU 0's context shows them.
 */
long hv_do_vm_assist(struct hv_vcpu *v, ucontext_t *uc, const uint64_t a[5])
{
	/* Xen's handler takes both as unsigned int: upper halves ignored. */
	unsigned int cmd = a[0], type = a[1];

	if (type >= 64 || !(VM_ASSIST_VALID & (1UL << type)))
		return -EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		__atomic_fetch_or(&v->d->vm_assist, 1UL << type,
				  __ATOMIC_RELAXED);
		return 0;
	case VMASST_CMD_disable:
		__atomic_fetch_and(&v->d->vm_assist, ~(1UL << type),
				   __ATOMIC_RELAXED);
		return 0;
	}
	return -ENOSYS;
}

/* Whether the guest asked for one of the assists (a VMASST_TYPE_*). */
bool hv_vm_assist(const struct hv_domain *d, unsigned int type)
{
	return __atomic_load_n(&d->vm_assist, __ATOMIC_RELAXED) & (1UL << type);
}
