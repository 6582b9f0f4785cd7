// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the PV MMU: each input is a sequence of guest
 * actions against a fresh test domain (hv/testing.h) - mmu_update,
 * update_va_mapping, mmuext_op, multicall, machphys updates, the guest
 * writing to pages it may write, guest accesses through the shadow, the
 * hypervisor holding pages, writes to pagetables taken as page faults
 * with writable pagetables on or off (ptwr: an instruction from a set of
 * the forms a kernel uses, or raw bytes for the decoder) - with the
 * audit after every hypercall and emulated write
 * (aborting on the first inconsistency), the shadow checked against the
 * host's real mappings at the end, and the domain destroyed with every
 * frame required back.  A finding is any abort, crash or sanitizer report.
 *
 * The guest here sends m2p updates with any value, so the audit's check of
 * the m2p against the p2m (which only a well-behaved guest passes) is off;
 * instead the m2p entries of frames the domain does not own must never
 * change, and free frames must have none (the audit checks that).
 *
 * Operands are drawn from small sets of interesting values (the domain's
 * frames, its tables, foreign and invalid frames; indices and addresses
 * the layout makes meaningful; flag combinations Xen cares about) so that
 * random bytes mostly make sense to the MMU, plus raw values now and then.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "last_input.h"
#include "hv/arch/x86/private.h"
#include "hv/arch/x86/mm/private.h"
#include "hv/testing.h"

#define NR_PAGES	64
#define MAX_OPS		48

struct input {
	const uint8_t *p;
	size_t left;
};

struct fuzz {
	struct hv_domain *d;
	struct hv_vcpu *v;
	uint64_t arg_va;
	mfn_t foreign;
	struct input in;
	uint64_t *m2p_before;	/* the machine's m2p at the start */
	bool crashed;		/* by the hypervisor: no more guest actions */
};

static uint8_t u8(struct fuzz *z)
{
	if (!z->in.left)
		return 0;
	z->in.left--;
	return *z->in.p++;
}

static uint64_t u64(struct fuzz *z)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | u8(z);
	return v;
}

/* A frame number: mostly the domain's own, sometimes anything. */
static mfn_t pick_mfn(struct fuzz *z)
{
	uint8_t b = u8(z);

	switch (b >> 5) {
	case 0:
		return hv_p2m(z->d, _pfn(b % 4));	/* the region's tables */
	case 1:
	case 2:
	case 3:
	case 4:
		return hv_p2m(z->d, _pfn(b % NR_PAGES));
	case 5:
		return z->foreign;
	case 6:
		switch (b & 7) {
		case 0:
			return _mfn(0);
		case 1:
			return z->d->shared_info_mfn;
		case 2:
			return _mfn(z->d->m->nr_frames);
		case 3:
			return _mfn(PTE_MFN_ALL_ONES);
		default:
			return _mfn(b & 7);
		}
	}
	return _mfn(u64(z) & (PTE_ADDR >> HV_PAGE_SHIFT));
}

static const uint64_t flag_sets[] = {
	PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D,
	PTE_P | PTE_RW | PTE_A | PTE_D,
	PTE_P | PTE_A,
	PTE_P,
	PTE_P | PTE_RW | PTE_NX,
	PTE_P | PTE_US | PTE_A,
	PTE_P | PTE_RW | PTE_PSE,
	PTE_P | PTE_PCD,
	PTE_P | PTE_PWT | PTE_RW,
	PTE_P | PTE_G | PTE_RW,
	PTE_P | PTE_RW | PTE_GUEST_KERNEL,
	PTE_P | PTE_AVAIL | PTE_AVAIL_HIGH,
	0,
	PTE_RW,
	PTE_P | PTE_RW | PTE_US | PTE_D | PTE_NX | PTE_G,
	PTE_P | PTE_RW | (1UL << 62),
};

/* A pagetable entry value. */
static uint64_t pick_pte(struct fuzz *z)
{
	uint8_t b = u8(z);

	if (b == 0xff)
		return u64(z);
	return mfn_to_maddr(pick_mfn(z)) |
	       flag_sets[b % ARRAY_SIZE(flag_sets)];
}

/* An index into a table: the layout's busy slots, hypervisor slots, any. */
static unsigned int pick_idx(struct fuzz *z)
{
	static const unsigned int special[] = {
		0, 1, 2, 3, 4, 5, 31, 32, 33, 34, 40, 127, 255, 256, 271, 300,
	};
	uint8_t b = u8(z);

	if (b < 128)
		return special[b % 16];
	return (b << 1 | (u8(z) & 1)) & 511;
}

static volatile uint64_t host_word = 0x600dUL;

/* A guest virtual address. */
static uint64_t pick_va(struct fuzz *z)
{
	uint8_t b = u8(z), c = u8(z);

	switch (b >> 5) {
	case 0:
	case 1:
		return HV_TEST_VA + (c % HV_TEST_REGION_PAGES) * HV_PAGE_SIZE;
	case 2:
		return HV_TEST_VA + (33UL << 39) - (32UL << 39) +
		       (uint64_t)c * HV_PAGE_SIZE;
	case 3:	/* through self-maps in slot 40 */
		return (40UL << 39) | ((uint64_t)(c % 4 ? 40 : c) << 30) |
		       (40UL << 21) | ((uint64_t)c << 12);
	case 4:
		return HV_M2P_VIRT_START + (uint64_t)c * 8;
	case 5:
		return c & 1 ? 0x0000800000000000UL : (uint64_t)&host_word;
	case 6:
		return HV_TEST_VA + ((uint64_t)c << 21);
	}
	return u64(z);
}

static long hcall(struct fuzz *z, unsigned int nr, uint64_t a0, uint64_t a1,
		  uint64_t a2, uint64_t a3)
{
	return hv_test_hypercall(z->v, nr, a0, a1, a2, a3, 0);
}

/*
 * A guest that changes an m2p entry changes its p2m to match; one that
 * does not breaks the p2m/m2p agreement the audit checks, through no fault
 * of the hypervisor.  So single m2p updates rewrite what is there (or name
 * frames that are not ours and must be refused); op_machphys() swaps.
 */
static uint64_t keep_m2p(struct fuzz *z, mfn_t mfn, uint64_t val)
{
	struct hv_frame *f = hv_frame(z->d->m, mfn);

	if (f && f->owner == z->d->domid && f->count)
		return pfn_x(hv_m2p(z->d->m, mfn));
	return val;
}

static unsigned int op_mmu_update(struct fuzz *z, uint64_t where)
{
	struct mmu_update r[4];
	unsigned int n = u8(z) % 4 + 1, i;

	for (i = 0; i < n; i++) {
		uint8_t cmd = u8(z);

		r[i].ptr = mfn_to_maddr(pick_mfn(z)) + pick_idx(z) * 8 +
			   (cmd < 200 ? cmd % 3 : cmd & 7);
		r[i].val = pick_pte(z);
		if ((r[i].ptr & 7) == MMU_MACHPHYS_UPDATE)
			r[i].val = keep_m2p(z, pte_mfn(r[i].ptr), r[i].val);
	}
	if (hv_copy_to_guest(z->v, where, r, n * sizeof(r[0])))
		return 0;
	return n;
}

/* Two pfns swap frames, p2m first, then both m2p entries in one batch. */
static void op_machphys(struct fuzz *z)
{
	struct mmu_update r[2];
	/* Not the tables (0..3) nor the p2m page (4) itself. */
	uint64_t a = 5 + u8(z) % (NR_PAGES - 5), b = 5 + u8(z) % (NR_PAGES - 5);
	uint64_t *p2m = hv_mfn_ptr(z->d->m, hv_p2m(z->d, _pfn(HV_TEST_P2M_PFN)));
	mfn_t ma = hv_p2m(z->d, _pfn(a)), mb = hv_p2m(z->d, _pfn(b));

	if (u8(z) & 1) {
		r[0].ptr = mfn_to_maddr(pick_mfn(z)) | MMU_MACHPHYS_UPDATE;
		r[0].val = keep_m2p(z, pte_mfn(r[0].ptr), u8(z));
		if (!hv_copy_to_guest(z->v, z->arg_va, r, sizeof(r[0])))
			hcall(z, __HYPERVISOR_mmu_update, z->arg_va, 1, 0,
			      DOMID_SELF);
		return;
	}
	p2m[a] = mfn_x(mb);
	p2m[b] = mfn_x(ma);
	hv_set_p2m(z->d, _pfn(a), mb);
	hv_set_p2m(z->d, _pfn(b), ma);
	r[0].ptr = mfn_to_maddr(mb) | MMU_MACHPHYS_UPDATE;
	r[0].val = a;
	r[1].ptr = mfn_to_maddr(ma) | MMU_MACHPHYS_UPDATE;
	r[1].val = b;
	if (!hv_copy_to_guest(z->v, z->arg_va, r, sizeof(r)))
		hcall(z, __HYPERVISOR_mmu_update, z->arg_va, 2, 0, DOMID_SELF);
}

static void fill_ext(struct fuzz *z, struct mmuext_op *op)
{
	memset(op, 0, sizeof(*op));
	op->cmd = u8(z) % 22;
	switch (op->cmd) {
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_ALL:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_SET_LDT:
		op->arg1.linear_addr = pick_va(z);
		break;
	default:
		op->arg1.mfn = mfn_x(pick_mfn(z));
	}
	if (op->cmd == MMUEXT_COPY_PAGE)
		op->arg2.src_mfn = mfn_x(pick_mfn(z));
	else if (op->cmd == MMUEXT_SET_LDT)
		op->arg2.nr_ents = u8(z);
	else
		set_xen_guest_handle(op->arg2.vcpumask,
				     (void *)(u8(z) & 1 ? z->arg_va + 4000 :
					      pick_va(z)));
}

/* The guest writing a page it may write (writable type, or no type). */
static void op_guest_write(struct fuzz *z)
{
	mfn_t mfn = pick_mfn(z);
	struct hv_frame *f = hv_frame(z->d->m, mfn);
	unsigned int idx = pick_idx(z);
	uint64_t val = pick_pte(z);

	if (!f || f->owner != z->d->domid || (f->flags & HV_PGF_XENHEAP) ||
	    (f->type_count && f->type != HV_PGT_WRITABLE) ||
	    mfn_eq(mfn, hv_p2m(z->d, _pfn(HV_TEST_P2M_PFN))))
		return;
	((uint64_t *)hv_mfn_ptr(z->d->m, mfn))[idx] = val;
}

static sigjmp_buf probe_jmp;
static volatile sig_atomic_t probing;
static struct sigaction fuzzer_segv;

/*
 * A fault of op_touch's probe is expected (the shadow allowed less than
 * the host access tried); any other SIGSEGV is a finding: libFuzzer's own
 * handler is put back and the access faults again into it, so the input
 * is saved in artifacts/ (a jump back to a stale probe would lose it).
 */
static void on_segv(int sig)
{
	if (probing)
		siglongjmp(probe_jmp, 1);
	sigaction(SIGSEGV, &fuzzer_segv, NULL);
}

/* A guest access through the shadow, then the host access it allows. */
static void op_touch(struct fuzz *z)
{
	uint8_t how = u8(z);
	uint64_t va = pick_va(z), ec;
	volatile uint64_t *p = (volatile uint64_t *)(va & ~7UL);

	if (hv_test_touch(z->v, va, how & 1, how & 2, &ec) != HV_SHADOW_RETRY)
		return;
	if (sigsetjmp(probe_jmp, 1) == 0) {
		uint64_t x;

		probing = 1;
		x = *p;
		if (how & 1)
			*p = x;
	}
	probing = 0;
}

/* One of the pfns above the mapped region: free for tables and pages. */
static mfn_t free_mfn(struct fuzz *z)
{
	return hv_p2m(z->d, _pfn(HV_TEST_REGION_PAGES +
			 u8(z) % (NR_PAGES - HV_TEST_REGION_PAGES)));
}

static void guest_poke(struct fuzz *z, mfn_t mfn, unsigned int idx,
		       uint64_t val)
{
	struct hv_frame *f = hv_frame(z->d->m, mfn);

	if (f->type_count && f->type != HV_PGT_WRITABLE)
		return;
	((uint64_t *)hv_mfn_ptr(z->d->m, mfn))[idx] = val;
}

static void set_entry(struct fuzz *z, mfn_t table, unsigned int idx,
		      uint64_t val)
{
	struct mmu_update r = {
		.ptr = mfn_to_maddr(table) + idx * 8, .val = val,
	};

	if (!hv_copy_to_guest(z->v, z->arg_va, &r, sizeof(r)))
		hcall(z, __HYPERVISOR_mmu_update, z->arg_va, 1, 0, DOMID_SELF);
}

/*
 * What a guest does to map a new 2 MiB: prepare L3, L2 and L1 in free
 * pages, then hook the L3 into the current L4 (slot 33 or 34).
 */
static void op_chain(struct fuzz *z)
{
	static const uint64_t up = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;
	mfn_t l3 = free_mfn(z), l2 = free_mfn(z), l1 = free_mfn(z);
	unsigned int slot = 33 + (u8(z) & 1), i, n = u8(z) % 6;
	uint8_t f = u8(z);

	guest_poke(z, l2, 0, mfn_to_maddr(l1) | (f & 1 ? up : up & ~PTE_RW));
	guest_poke(z, l3, 0, mfn_to_maddr(l2) | (f & 2 ? up : up | PTE_NX));
	for (i = 0; i < n; i++)
		guest_poke(z, l1, i, pick_pte(z));
	set_entry(z, z->v->cr3, slot, mfn_to_maddr(l3) | up);
}

/* A free page filled with entries and pinned at some level. */
static void op_table(struct fuzz *z)
{
	mfn_t t = free_mfn(z);
	unsigned int level = u8(z) % 4 + 1, n = u8(z) % 5, i;
	struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE + level - 1 };

	for (i = 0; i < n; i++)
		guest_poke(z, t, pick_idx(z), pick_pte(z));
	op.arg1.mfn = mfn_x(t);
	if (!hv_copy_to_guest(z->v, z->arg_va, &op, sizeof(op)))
		hcall(z, __HYPERVISOR_mmuext_op, z->arg_va, 1, 0, DOMID_SELF);
}

/* A linear entry: a table pointing at itself or another of its level. */
static void op_linear(struct fuzz *z)
{
	uint8_t b = u8(z);
	mfn_t table = b & 1 ? z->v->cr3 : pick_mfn(z);
	mfn_t target = b & 2 ? table : pick_mfn(z);
	uint64_t flags = b & 4 ? PTE_P | PTE_A : PTE_P | PTE_RW | PTE_A;

	set_entry(z, table, b & 8 ? 40 : pick_idx(z),
		  mfn_to_maddr(target) | flags);
}

/* Where op_ptwr puts its instruction and its stack (region pages). */
#define PTWR_CODE_PFN	28
#define PTWR_STACK_PFN	30
#define PTWR_HANDLER	(HV_TEST_VA + PTWR_CODE_PFN * HV_PAGE_SIZE + 0x800)

/* Instructions that write memory at (%rbx), or (%rdi) for cmpxchg8b. */
static const struct {
	uint8_t b[8];
	unsigned int n;
} ptwr_insns[] = {
	{ { 0x48, 0x89, 0x03 }, 3 },			/* mov %rax,(%rbx) */
	{ { 0x89, 0x03 }, 2 },				/* mov %eax,(%rbx) */
	{ { 0x66, 0x89, 0x03 }, 3 },			/* mov %ax,(%rbx) */
	{ { 0x88, 0x23 }, 2 },				/* mov %ah,(%rbx) */
	{ { 0x48, 0xc7, 0x03, 0x63, 0x00, 0x00, 0x80 }, 7 },	/* movq $imm */
	{ { 0x48, 0x87, 0x03 }, 3 },			/* xchg %rax,(%rbx) */
	{ { 0xf0, 0x48, 0x0f, 0xb1, 0x0b }, 5 },	/* lock cmpxchg %rcx */
	{ { 0xf0, 0x0f, 0xb1, 0x0b }, 4 },		/* lock cmpxchg %ecx */
	{ { 0xf0, 0x0f, 0xc7, 0x0f }, 4 },		/* lock cmpxchg8b (%rdi) */
	{ { 0xf0, 0x48, 0x21, 0x03 }, 4 },		/* lock and %rax */
	{ { 0xf0, 0x48, 0x09, 0x03 }, 4 },		/* lock or %rax */
	{ { 0xf0, 0x80, 0x23, 0xfd }, 4 },		/* lock andb $~RW */
	{ { 0xf0, 0x48, 0x0f, 0xb3, 0x0b }, 5 },	/* lock btr %rcx */
	{ { 0xf0, 0x48, 0x0f, 0xba, 0x2b, 0x01 }, 6 },	/* lock bts $1 */
	{ { 0x48, 0x01, 0x03 }, 3 },			/* add: refused */
	{ { 0x48, 0x89, 0x43, 0x01 }, 4 },		/* misaligned mov */
};

/*
 * A guest store to a table, taken as the vCPU takes the page fault: at an
 * entry of the region's L1 (mapped read-only), or of its L2..L4, or any
 * page of the region, with registers that make a valid entry, a current
 * one (a cmpxchg that matches) or anything.
 */
static void op_ptwr(struct fuzz *z)
{
	uint8_t how = u8(z), k = u8(z);
	uint64_t page = how & 0x80 ? u8(z) % HV_TEST_REGION_PAGES :
			how & 0x40 ? u8(z) % 4 : HV_TEST_L1_PFN;
	uint64_t cr2 = HV_TEST_VA + page * HV_PAGE_SIZE + pick_idx(z) * 8 +
		       (u8(z) & 7 ? 0 : u8(z) & 7);
	uint64_t code = HV_TEST_VA + PTWR_CODE_PFN * HV_PAGE_SIZE;
	struct hv_insn_regs r = { 0 };
	static const uint8_t stack[128];
	uint8_t bytes[15];
	unsigned int n, i;
	uint64_t cur = 0;
	ucontext_t uc;

	if (how & 1)
		hcall(z, __HYPERVISOR_vm_assist, how & 2 ? VMASST_CMD_disable :
		      VMASST_CMD_enable, VMASST_TYPE_writable_pagetables, 0, 0);
	if (k < 224) {
		k %= ARRAY_SIZE(ptwr_insns);
		n = ptwr_insns[k].n;
		memcpy(bytes, ptwr_insns[k].b, n);
	} else {
		n = 1 + k % 15;
		for (i = 0; i < n; i++)
			bytes[i] = u8(z);
	}
	/*
	 * The fault goes to the guest's handler on this stack, rewritten
	 * here since other ops may have changed it; one they made unusable
	 * (unmapped, read-only) crashes the domain, which ends the input.
	 */
	r.gpr[4] = HV_TEST_VA + (PTWR_STACK_PFN + 1) * HV_PAGE_SIZE - 512;
	if (hv_copy_to_guest(z->v, code, bytes, n) ||
	    hv_copy_to_guest(z->v, r.gpr[4] - sizeof(stack), stack,
			     sizeof(stack)))
		return;
	hv_copy_from_guest(z->v, &cur, cr2 & ~7UL, sizeof(cur));
	r.gpr[0] = how & 4 ? cur : pick_pte(z);
	r.gpr[1] = pick_pte(z);
	r.gpr[2] = how & 4 ? cur >> 32 : u8(z);
	r.gpr[3] = cr2;
	r.gpr[7] = cr2;
	r.rip = code;
	r.rflags = 0x202 | (how & 8 ? 0x100 : 0);
	memset(&uc, 0, sizeof(uc));
	hv_insn_regs_to_uc(&r, &uc);
	/* A fault it cannot deliver crashes the domain, as Xen's would. */
	if (!hv_test_page_fault(z->v, &uc, cr2, true))
		z->crashed = true;
}

static void run_one(struct fuzz *z, unsigned int op)
{
	struct multicall_entry mc[4];
	struct mmuext_op ext[3];
	unsigned int n, i;

	switch (op) {
	case 0:
	case 1:
	case 2:
		n = op_mmu_update(z, z->arg_va);
		if (n)
			hcall(z, __HYPERVISOR_mmu_update, z->arg_va, n,
			      z->arg_va + 4088,
			      u8(z) == 7 ? HV_TEST_DOMID : DOMID_SELF);
		break;
	case 3:
	case 4:
		hcall(z, __HYPERVISOR_update_va_mapping, pick_va(z), pick_pte(z),
		      u8(z) & 7, 0);
		break;
	case 5:
	case 6:
		n = u8(z) % 3 + 1;
		for (i = 0; i < n; i++)
			fill_ext(z, &ext[i]);
		if (!hv_copy_to_guest(z->v, z->arg_va, ext, n * sizeof(ext[0])))
			hcall(z, __HYPERVISOR_mmuext_op, z->arg_va, n,
			      z->arg_va + 4088, DOMID_SELF);
		break;
	case 7:
		op_machphys(z);
		break;
	case 8:
	case 9:
	case 10:
		op_guest_write(z);
		break;
	case 11:
	case 12:
		op_touch(z);
		break;
	case 13:
		/* uvm, mmu_update, uvm: XSA-286's shape, and others. */
		n = u8(z) % 4 + 1;
		memset(mc, 0, sizeof(mc));
		for (i = 0; i < n; i++) {
			uint8_t k = u8(z) % 3;

			if (k == 0) {
				mc[i].op = __HYPERVISOR_update_va_mapping;
				mc[i].args[0] = pick_va(z);
				mc[i].args[1] = pick_pte(z);
				mc[i].args[2] = u8(z) & 7;
			} else if (k == 1) {
				mc[i].op = __HYPERVISOR_mmu_update;
				mc[i].args[0] = z->arg_va + 1024 * (i + 1);
				mc[i].args[1] = op_mmu_update(z, mc[i].args[0]);
				mc[i].args[3] = DOMID_SELF;
			} else {
				mc[i].op = __HYPERVISOR_mmuext_op;
				mc[i].args[0] = z->arg_va + 1024 * (i + 1);
				fill_ext(z, ext);
				hv_copy_to_guest(z->v, mc[i].args[0], ext,
						 sizeof(ext[0]));
				mc[i].args[1] = 1;
				mc[i].args[3] = DOMID_SELF;
			}
		}
		if (!hv_copy_to_guest(z->v, z->arg_va + 3000, mc,
				      n * sizeof(mc[0])))
			hcall(z, __HYPERVISOR_multicall, z->arg_va + 3000, n,
			      0, 0);
		break;
	case 14:
		if (u8(z) & 1)
			hv_mmu_hold_page(z->d, pick_mfn(z));
		else
			hv_mmu_release_page(z->d, pick_mfn(z));
		break;
	case 15:
		z->v = &z->d->vcpus[u8(z) & 1];
		break;
	case 16:
	case 17:
		op_chain(z);
		break;
	case 18:
	case 19:
		op_table(z);
		break;
	case 20:
		op_linear(z);
		break;
	case 21:
		for (n = u8(z) % 8 + 1; n; n--)
			op_touch(z);
		break;
	case 23:
	case 24:
		op_ptwr(z);
		break;
	case 22:
		ext[0].cmd = MMUEXT_NEW_BASEPTR;
		ext[0].arg1.mfn = mfn_x(u8(z) & 1 ? hv_test_l4(z->d) : free_mfn(z));
		if (hv_copy_to_guest(z->v, z->arg_va, ext, sizeof(ext[0])))
			break;
		hcall(z, __HYPERVISOR_mmuext_op, z->arg_va, 1, 0, DOMID_SELF);
		break;
	}
}

static void fail(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_mmu: %s: %s\n", what, why);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct fuzz z = { .in = { data, size } };
	struct sigaction sa;
	char err[1024];
	unsigned int ops;
	uint64_t i, left;

	fuzz_keep_input(data, size);
	if (!ready) {
		if (hv_shadow_reserve(err, sizeof(err)))
			fail("setup", err);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_segv;
		sigaction(SIGSEGV, &sa, &fuzzer_segv);
		ready = true;
	}
	z.d = hv_test_domain_new(NR_PAGES, 2, err, sizeof(err));
	if (!z.d)
		fail("domain", err);
	z.d->mmu->audit = true;
	z.d->mmu->audit_abort = true;
	z.d->mmu->audit_p2m = false;
	z.m2p_before = malloc(z.d->m->nr_frames * sizeof(uint64_t));
	memcpy(z.m2p_before, z.d->m->m2p, z.d->m->nr_frames * sizeof(uint64_t));
	z.v = &z.d->vcpus[0];
	z.arg_va = HV_TEST_VA + (HV_TEST_REGION_PAGES - 1) * HV_PAGE_SIZE;
	for (i = 1; i < z.d->m->nr_frames; i++)
		if (z.d->m->frames[i].owner == HV_TEST_FOREIGN)
			z.foreign = _mfn(i);
	/* Page faults (ptwr's refusals) and single steps land here. */
	for (i = 0; i < z.d->nr_vcpus; i++) {
		z.d->vcpus[i].traps[14].address = PTWR_HANDLER;
		z.d->vcpus[i].traps[1].address = PTWR_HANDLER;
	}
	for (ops = 0; ops < MAX_OPS && z.in.left && !z.crashed; ops++)
		run_one(&z, u8(&z) % 25);
	if (hv_mmu_audit(z.d, err, sizeof(err)))
		fail("audit", err);
	if (z.d->mmu->st.sh_fills + z.d->mmu->st.sh_m2p_fills &&
	    hv_shadow_audit(z.d, err, sizeof(err)))
		fail("shadow audit", err);
	for (i = 0; i < z.d->m->nr_frames; i++)
		if (z.d->m->frames[i].owner != z.d->domid &&
		    pfn_x(hv_m2p(z.d->m, _mfn(i))) != z.m2p_before[i]) {
			snprintf(err, sizeof(err), "m2p[%#lx] of a frame not the domain's changed",
				 (unsigned long)i);
			fail("m2p", err);
		}
	free(z.m2p_before);
	left = hv_test_domain_free(z.d);
	if (left) {
		snprintf(err, sizeof(err), "%lu frames left after destruction",
			 (unsigned long)left);
		fail("relinquish", err);
	}
	return 0;
}
