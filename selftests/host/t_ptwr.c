// SPDX-License-Identifier: MIT
/*
 * Writable pagetables (hv/arch/x86/mm/ptwr.c, hv/arch/x86/emulate.c):
 * HYPERVISOR_vm_assist gives Xen 4.17's answers and shows in the vCPU
 * context; the decoder reads the instructions a kernel writes entries
 * with and refuses the rest; and a guest write to its own read-only L1,
 * taken as the vCPU thread takes a page fault, is emulated with the
 * assist on - the entry validated as mmu_update validates it, its
 * references taken and the old ones dropped, the shadow kept exact, the
 * registers and flags as the CPU would leave them, rip past it - or, when
 * validation refuses it, the instruction cannot be emulated, the table is
 * not an L1 or the assist is off, delivered to the guest's #PF handler
 * with Xen's error code (present | write) and nothing changed.  The audit
 * runs after every step.
 */
#include "t_mmu.h"
#include "hv/arch/x86/private.h"

#define LEAF_RW		(PTE_P | PTE_RW | PTE_A | PTE_D)
#define LEAF_RO		(PTE_P | PTE_A)
#define PF_EC		0x3UL		/* present | write, kernel mode */
#define HANDLER		(HV_TEST_VA + 0x100)
#define FL_CF		0x0001UL
#define FL_ZF		0x0040UL

/* Where the region's L1 is mapped (read-only) and its first free slot. */
#define L1_VA		(HV_TEST_VA + HV_TEST_L1_PFN * HV_PAGE_SIZE)
#define SLOT		40
#define SLOT_VA		(L1_VA + SLOT * 8)
#define TARGET_VA	(HV_TEST_VA + SLOT * HV_PAGE_SIZE)

struct run {
	ucontext_t uc;
	uint64_t code_va;
	unsigned int len;
};

/* ---- the decoder on its own ---- */

struct dcase {
	const char *name;
	uint8_t b[16];
	unsigned int n;
	int rc;
	enum hv_insn_op op;
	unsigned int size, len;
	uint64_t ea;
	int reg;
	uint64_t imm;
};

/* A decoded case: its bytes, and what the decoder must make of them. */
#define OK_(nm, op_, sz, ea_, reg_, imm_, ...)				\
	{ .name = nm, .b = { __VA_ARGS__ },				\
	  .n = sizeof((uint8_t []){ __VA_ARGS__ }), .op = op_,		\
	  .size = sz, .len = sizeof((uint8_t []){ __VA_ARGS__ }),	\
	  .ea = ea_, .reg = reg_, .imm = imm_ }
#define NO_(nm, rc_, ...)						\
	{ .name = nm, .b = { __VA_ARGS__ },				\
	  .n = sizeof((uint8_t []){ __VA_ARGS__ }), .rc = rc_ }

#define RBX	0x1000UL
#define RSP	0x2000UL
#define R12	0x3000UL
#define R13	0x10UL
#define RIP	0x7000UL
#define GS	0x900000UL

static void decoder(void)
{
	static const struct dcase cases[] = {
		OK_("mov %rax,(%rbx)", HV_INSN_MOV, 8, RBX, 0, 0, 0x48, 0x89, 0x03),
		OK_("mov %eax,4(%rbx)", HV_INSN_MOV, 4, RBX + 4, 0, 0, 0x89, 0x43, 0x04),
		OK_("mov %ax,(%rbx)", HV_INSN_MOV, 2, RBX, 0, 0, 0x66, 0x89, 0x03),
		OK_("movb $5,(%rbx)", HV_INSN_MOV, 1, RBX, -1, 5, 0xc6, 0x03, 0x05),
		OK_("movq $-1,8(%rsp)", HV_INSN_MOV, 8, RSP + 8, -1, ~0UL,
		    0x48, 0xc7, 0x44, 0x24, 0x08, 0xff, 0xff, 0xff, 0xff),
		OK_("mov %r9,0x10(%r12,%r13,8)", HV_INSN_MOV, 8, R12 + R13 * 8 + 0x10, 9, 0,
		    0x4f, 0x89, 0x4c, 0xec, 0x10),
		OK_("mov %rax,0x100(%rip)", HV_INSN_MOV, 8, RIP + 7 + 0x100, 0, 0,
		    0x48, 0x89, 0x05, 0x00, 0x01, 0x00, 0x00),
		OK_("mov %rax,%gs:0x20", HV_INSN_MOV, 8, GS + 0x20, 0, 0,
		    0x65, 0x48, 0x89, 0x04, 0x25, 0x20, 0, 0, 0),
		OK_("mov %ah,(%rbx)", HV_INSN_MOV, 1, RBX, 4, 0, 0x88, 0x23),
		OK_("movabs %rax,0x1122334455667788", HV_INSN_MOV, 8, 0x1122334455667788UL, 0, 0,
		    0x48, 0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
		OK_("movnti %rax,(%rbx)", HV_INSN_MOV, 8, RBX, 0, 0, 0x48, 0x0f, 0xc3, 0x03),
		OK_("xchg %rax,(%rbx)", HV_INSN_XCHG, 8, RBX, 0, 0, 0x48, 0x87, 0x03),
		OK_("lock cmpxchg %rcx,(%rbx)", HV_INSN_CMPXCHG, 8, RBX, 1, 0,
		    0xf0, 0x48, 0x0f, 0xb1, 0x0b),
		OK_("cmpxchg %cl,(%rbx)", HV_INSN_CMPXCHG, 1, RBX, 1, 0, 0x0f, 0xb0, 0x0b),
		OK_("lock cmpxchg8b (%rdi)", HV_INSN_CMPXCHG8B, 8, 0x5000, -1, 0,
		    0xf0, 0x0f, 0xc7, 0x0f),
		OK_("lock andb $0xfd,(%rbx)", HV_INSN_AND, 1, RBX, -1, 0xfd,
		    0xf0, 0x80, 0x23, 0xfd),
		OK_("orq $2,(%rbx)", HV_INSN_OR, 8, RBX, -1, 2, 0x48, 0x83, 0x0b, 0x02),
		OK_("andq $-3,(%rbx)", HV_INSN_AND, 8, RBX, -1, 0xfffffffffffffffdUL,
		    0x48, 0x83, 0x23, 0xfd),
		OK_("lock orq %rax,(%rbx)", HV_INSN_OR, 8, RBX, 0, 0, 0xf0, 0x48, 0x09, 0x03),
		OK_("lock btsq $1,(%rbx)", HV_INSN_BTS, 8, RBX, -1, 1,
		    0xf0, 0x48, 0x0f, 0xba, 0x2b, 0x01),
		OK_("lock btr %rax,(%rbx) with rax 65", HV_INSN_BTR, 8, RBX + 8, 0, 0,
		    0xf0, 0x48, 0x0f, 0xb3, 0x03),
		NO_("addr32 mov", -EOPNOTSUPP, 0x67, 0x48, 0x89, 0x03),
		NO_("fs: mov", -EOPNOTSUPP, 0x64, 0x48, 0x89, 0x03),
		NO_("rep mov", -EOPNOTSUPP, 0xf3, 0x48, 0x89, 0x03),
		NO_("mov %rax,%rbx (no memory)", -EOPNOTSUPP, 0x48, 0x89, 0xc3),
		NO_("lock mov (#UD)", -EOPNOTSUPP, 0xf0, 0x48, 0x89, 0x03),
		NO_("cmpxchg16b", -EOPNOTSUPP, 0x48, 0x0f, 0xc7, 0x0f),
		NO_("add %rax,(%rbx)", -EOPNOTSUPP, 0x48, 0x01, 0x03),
		NO_("mov cut short", -EFAULT, 0x48, 0x89),
		NO_("movq imm cut short", -EFAULT, 0x48, 0xc7, 0x03, 0x01, 0x02),
	};

	struct hv_insn_regs r = { 0 };
	unsigned int i;

	r.gpr[0] = 65;
	r.gpr[3] = RBX;
	r.gpr[4] = RSP;
	r.gpr[7] = 0x5000;
	r.gpr[12] = R12;
	r.gpr[13] = R13;
	r.rip = RIP;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct dcase *c = &cases[i];
		struct hv_insn in;
		int rc = hv_insn_decode(c->b, c->n, &r, GS, &in);

		if (c->rc) {
			T_CHECK(rc == c->rc, "decoder: %s refused (%d)", c->name, c->rc);
			continue;
		}
		T_CHECK(rc == 0 && in.op == c->op && in.size == c->size &&
			in.len == c->len && in.ea == c->ea && in.reg == c->reg &&
			(c->reg >= 0 || in.imm == c->imm),
			"decoder: %s: op %d size %u len %u ea %#lx reg %d imm %#lx",
			c->name, in.op, in.size, in.len, (unsigned long)in.ea, in.reg,
			(unsigned long)in.imm);
	}
	{
		uint8_t b[16];
		struct hv_insn in;

		memset(b, 0x66, sizeof(b));
		T_CHECK(hv_insn_decode(b, sizeof(b), &r, 0, &in) == -EFAULT,
			"decoder: an instruction longer than 15 bytes is refused");
		T_CHECK(hv_insn_decode((const uint8_t []){ 0x40, 0x88, 0x23 }, 3, &r, 0,
				       &in) == 0 && in.reg == 4 && !in.high8,
			"decoder: with REX byte register 4 is %%spl, not %%ah");
		r.gpr[0] = -1UL;
		T_CHECK(hv_insn_decode((const uint8_t []){ 0xf0, 0x48, 0x0f, 0xb3, 0x03 },
				       5, &r, 0, &in) == 0 &&
			in.ea == RBX - 8 && in.bit == 63,
			"decoder: btr with a negative register offset addresses the word below");
		/* The extremes once overflowed the rounding (the fuzzer's UBSan). */
		r.gpr[0] = 1UL << 63;
		T_CHECK(hv_insn_decode((const uint8_t []){ 0xf0, 0x48, 0x0f, 0xb3, 0x03 },
				       5, &r, 0, &in) == 0 &&
			in.ea == RBX - (1UL << 60) && in.bit == 0,
			"decoder: btr with offset INT64_MIN addresses 2^60 bytes below");
		r.gpr[0] = (1UL << 63) + 3;
		T_CHECK(hv_insn_decode((const uint8_t []){ 0xf0, 0x48, 0x0f, 0xb3, 0x03 },
				       5, &r, 0, &in) == 0 &&
			in.ea == RBX - (1UL << 60) && in.bit == 3,
			"decoder: btr with offset INT64_MIN + 3 rounds down to the same word, bit 3");
		r.gpr[0] = ~0UL >> 1;
		T_CHECK(hv_insn_decode((const uint8_t []){ 0xf0, 0x48, 0x0f, 0xb3, 0x03 },
				       5, &r, 0, &in) == 0 &&
			in.ea == RBX + (1UL << 60) - 8 && in.bit == 63,
			"decoder: btr with offset INT64_MAX addresses its last word, bit 63");
		r.gpr[0] = 0x80000001UL;
		T_CHECK(hv_insn_decode((const uint8_t []){ 0xf0, 0x0f, 0xb3, 0x03 },
				       4, &r, 0, &in) == 0 &&
			in.ea == RBX - 0x10000000UL && in.bit == 1,
			"decoder: 32-bit btr sign-extends its offset (INT32_MIN + 1)");
	}
}

/* ---- execution on a copy of the registers ---- */

static void executor(void)
{
	struct hv_insn_regs r = { 0 };
	struct hv_insn in;
	uint64_t val = 0;
	bool st;

	r.gpr[3] = RBX;
	hv_insn_decode((const uint8_t []){ 0xf0, 0x0f, 0xb1, 0x0b }, 4, &r, 0, &in);
	r.gpr[0] = 0xffffffff00000001UL;
	r.gpr[1] = 7;
	st = hv_insn_exec(&in, &r, 5, &val);
	T_CHECK(!st && r.gpr[0] == 5 && !(r.rflags & FL_ZF) && (r.rflags & FL_CF),
		"exec: 32-bit cmpxchg that fails stores nothing, loads eax zero-extended, ZF clear, CF as cmp");
	r.gpr[0] = 5;
	st = hv_insn_exec(&in, &r, 5, &val);
	T_CHECK(st && val == 7 && (r.rflags & FL_ZF) && r.gpr[0] == 5,
		"exec: cmpxchg that matches stores the source, ZF set, rax kept");

	hv_insn_decode((const uint8_t []){ 0xf0, 0x0f, 0xc7, 0x0f }, 4, &r, 0, &in);
	r.gpr[0] = 1;
	r.gpr[2] = 2;
	r.gpr[1] = 3;
	r.gpr[3] = 4;
	st = hv_insn_exec(&in, &r, 0x0000000200000001UL, &val);
	T_CHECK(st && val == 0x0000000300000004UL && (r.rflags & FL_ZF),
		"exec: cmpxchg8b that matches stores ecx:ebx");
	st = hv_insn_exec(&in, &r, 0x0000000900000008UL, &val);
	T_CHECK(!st && r.gpr[0] == 8 && r.gpr[2] == 9 && !(r.rflags & FL_ZF),
		"exec: cmpxchg8b that fails loads edx:eax");

	r.gpr[3] = RBX;
	hv_insn_decode((const uint8_t []){ 0xf0, 0x80, 0x23, 0xfd }, 4, &r, 0, &in);
	r.rflags = FL_CF;
	st = hv_insn_exec(&in, &r, 0x02, &val);
	T_CHECK(st && val == 0 && (r.rflags & FL_ZF) && !(r.rflags & FL_CF),
		"exec: and to zero sets ZF and clears CF");
	hv_insn_decode((const uint8_t []){ 0xf0, 0x48, 0x0f, 0xba, 0x2b, 0x01 }, 6, &r,
		       0, &in);
	st = hv_insn_exec(&in, &r, 0x02, &val);
	T_CHECK(st && val == 0x02 && (r.rflags & FL_CF),
		"exec: bts of a set bit leaves it and sets CF");
	hv_insn_decode((const uint8_t []){ 0x88, 0x23 }, 2, &r, 0, &in);
	r.gpr[0] = 0xab00;
	st = hv_insn_exec(&in, &r, 0, &val);
	T_CHECK(st && val == 0xab, "exec: mov %%ah stores bits 8-15 of rax");
	hv_insn_decode((const uint8_t []){ 0x48, 0x87, 0x03 }, 3, &r, 0, &in);
	r.gpr[0] = 0x1234;
	st = hv_insn_exec(&in, &r, 0x5678, &val);
	T_CHECK(st && val == 0x1234 && r.gpr[0] == 0x5678,
		"exec: xchg stores the register and returns the old value in it");
}

/* ---- guest writes to pagetables, through the fault path ---- */

static bool env(struct tenv *e)
{
	if (!tenv_new(e, 256))
		return false;
	e->v->traps[14].vector = 14;
	e->v->traps[14].address = HANDLER;
	e->v->traps[1].vector = 1;
	e->v->traps[1].address = HANDLER + 0x40;
	return true;
}

/*
 * Puts the instruction in the first scratch page and takes a write fault
 * at cr2 with it at rip; regs (rax, rcx, rdx, rbx, ...) as given.
 */
static void run_insn(struct tenv *e, struct run *x, const uint8_t *b,
		     unsigned int n, const uint64_t gpr[8], uint64_t cr2)
{
	uint64_t scratch = hv_test_scratch_pfn(e->d);
	struct hv_insn_regs r = { 0 };

	memcpy(r.gpr, gpr, 8 * sizeof(*gpr));
	x->code_va = HV_TEST_VA + scratch * HV_PAGE_SIZE + 0x10;
	x->len = n;
	hv_copy_to_guest(e->v, x->code_va, b, n);
	memset(&x->uc, 0, sizeof(x->uc));
	r.gpr[4] = HV_TEST_VA + (scratch + 2) * HV_PAGE_SIZE - 256;
	r.rip = x->code_va;
	r.rflags = 0x202;
	hv_insn_regs_to_uc(&r, &x->uc);
	hv_test_page_fault(e->v, &x->uc, cr2, true);
}

static bool emulated(struct run *x)
{
	return UC_REG(&x->uc, RIP) == x->code_va + x->len;
}

/* The guest's #PF handler runs with error code ec for cr2, rip unmoved. */
static bool delivered(struct tenv *e, struct run *x, uint64_t cr2, uint64_t ec)
{
	uint64_t frame[8];

	if (UC_REG(&x->uc, RIP) != HANDLER ||
	    hv_copy_from_guest(e->v, frame, UC_REG(&x->uc, RSP), sizeof(frame)))
		return false;
	if (frame[2] != ec || frame[3] != x->code_va)
		printf("# #PF frame: error code %#lx rip %#lx\n",
		       (unsigned long)frame[2], (unsigned long)frame[3]);
	return frame[2] == ec && frame[3] == x->code_va &&
	       e->v->vcpu_info->arch.cr2 == cr2;
}

static long assist(struct tenv *e, uint64_t cmd, uint64_t type)
{
	return hcall(e, __HYPERVISOR_vm_assist, cmd, type, 0, 0);
}

static void vm_assist(void)
{
	static const unsigned int offered[] = { 0, 1, 2, 3, 4, 5, 32 };
	struct vcpu_guest_context c;
	struct tenv e;
	unsigned int i;
	bool all = true;

	if (!env(&e))
		return;
	for (i = 0; i < ARRAY_SIZE(offered); i++)
		all &= assist(&e, VMASST_CMD_enable, offered[i]) == 0;
	T_CHECK(all, "vm_assist: every type Xen 4.17 offers a 64-bit PV guest enables (0-5, 32)");
	hv_arch_get_info_guest(e.v, &c);
	T_CHECK(c.vm_assist == 0x10000003fUL,
		"vm_assist: the vCPU context shows them (%#lx)", (unsigned long)c.vm_assist);
	T_CHECK(assist(&e, VMASST_CMD_enable, 6) == -EINVAL &&
		assist(&e, VMASST_CMD_enable, 31) == -EINVAL &&
		assist(&e, VMASST_CMD_enable, 33) == -EINVAL &&
		assist(&e, VMASST_CMD_enable, 64) == -EINVAL,
		"vm_assist: types Xen does not offer give -EINVAL");
	T_CHECK(assist(&e, 2, VMASST_TYPE_writable_pagetables) == -ENOSYS,
		"vm_assist: an unknown command gives -ENOSYS");
	T_CHECK(assist(&e, 2, 6) == -EINVAL,
		"vm_assist: ... but a bad type is found first (-EINVAL)");
	T_CHECK(assist(&e, VMASST_CMD_disable, (1UL << 32) | 2) == 0,
		"vm_assist: the type is an unsigned int, as Xen's handler takes it");
	for (i = 0; i < ARRAY_SIZE(offered); i++)
		assist(&e, VMASST_CMD_disable, offered[i]);
	hv_arch_get_info_guest(e.v, &c);
	T_CHECK(c.vm_assist == 0, "vm_assist: disable clears each again");
	/* setvcpucontext takes the same mask (4 and 5 were once refused). */
	hv_arch_get_info_guest(e.v, &c);
	c.vm_assist = (1UL << VMASST_TYPE_architectural_iopl) |
		      (1UL << VMASST_TYPE_runstate_update_flag) |
		      (1UL << VMASST_TYPE_m2p_strict);
	T_CHECK(hv_arch_set_info_guest(e.v, &c) == 0,
		"vm_assist: setvcpucontext accepts architectural_iopl, runstate_update_flag, m2p_strict");
	hv_arch_get_info_guest(e.v, &c);
	T_CHECK(c.vm_assist == 0x100000030UL,
		"vm_assist: ... and getvcpucontext gives them back (%#lx)",
		(unsigned long)c.vm_assist);
	c.vm_assist |= 1UL << 6;
	T_CHECK(hv_arch_set_info_guest(e.v, &c) == -EINVAL,
		"vm_assist: setvcpucontext refuses a type Xen does not offer (6)");
	hv_arch_get_info_guest(e.v, &c);
	T_CHECK(c.vm_assist == 0x100000030UL, "vm_assist: ... and keeps what it had");
	T_CHECK(tenv_free(&e) == 0, "vm_assist: every frame freed");
}

/* Without the assist a write to an L1 is the guest's #PF, as on Xen. */
static void assist_off(void)
{
	static const uint8_t mov[] = { 0x48, 0x89, 0x03 };
	struct tenv e;
	struct run x;
	struct snap s;

	if (!env(&e))
		return;
	snap_take(&e, &s);
	run_insn(&e, &x, mov, sizeof(mov),
		 (uint64_t [8]){ pte(mfn_of(&e, 40), LEAF_RW), 0, 0, SLOT_VA }, SLOT_VA);
	T_CHECK(delivered(&e, &x, SLOT_VA, PF_EC),
		"assist off: a plain write to an L1 is a #PF (error code 3) at the instruction");
	T_CHECK(snap_same(&e, &s) && peek(&e, mfn_of(&e, HV_TEST_L1_PFN), SLOT) == 0,
		"assist off: ... and nothing changed");
	T_CHECK(tenv_free(&e) == 0, "assist off: every frame freed");
}

static void plain_writes(void)
{
	struct tenv e;
	struct run x;
	mfn_t l1, data;
	struct hv_frame *df;
	uint32_t count, tcount;

	if (!env(&e))
		return;
	l1 = mfn_of(&e, HV_TEST_L1_PFN);
	data = mfn_of(&e, 40);
	df = frame_of(&e, data);
	count = df->count;
	tcount = df->type_count;
	T_CHECK(assist(&e, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables) == 0,
		"ptwr: assist enabled");

	run_insn(&e, &x, (const uint8_t []){ 0x48, 0x89, 0x03 }, 3,
		 (uint64_t [8]){ pte(data, LEAF_RW), 0, 0, SLOT_VA }, SLOT_VA);
	T_CHECK(emulated(&x), "ptwr: mov %%rax,(%%rbx) to an L1 entry emulated, rip past it");
	T_CHECK((peek(&e, l1, SLOT) & (PTE_ADDR | LEAF_RW)) == pte(data, LEAF_RW),
		"ptwr: ... the entry holds the new mapping");
	T_CHECK(df->count == count + 1 && df->type_count == tcount + 1 &&
		df->type == HV_PGT_WRITABLE,
		"ptwr: ... with a general and a writable type reference on the frame");
	T_CHECK(audit_ok(&e) && shadow_ok(&e), "ptwr: audit clean after the emulated write");
	T_CHECK(touch(&e, TARGET_VA, true) == HV_SHADOW_RETRY && probe(TARGET_VA, true),
		"ptwr: the page it maps is writable through the shadow");

	/* Clear RW with a one-byte locked and: the entry is merged and checked. */
	run_insn(&e, &x, (const uint8_t []){ 0xf0, 0x80, 0x23, 0xfd }, 4,
		 (uint64_t [8]){ 0, 0, 0, SLOT_VA }, SLOT_VA);
	T_CHECK(emulated(&x) && !(peek(&e, l1, SLOT) & PTE_RW) &&
		(peek(&e, l1, SLOT) & PTE_ADDR) == mfn_to_maddr(data),
		"ptwr: lock andb $0xfd clears RW alone (1-byte write merged into the entry)");
	T_CHECK(df->count == count + 1 && df->type_count == tcount,
		"ptwr: ... the writable type reference dropped, the general one kept");
	T_CHECK(!probe(TARGET_VA, true),
		"ptwr: ... and the shadow no longer lets the host write the page");
	T_CHECK(audit_ok(&e) && shadow_ok(&e), "ptwr: audit clean");

	/* The high dword: set NX with a 4-byte store at entry + 4. */
	run_insn(&e, &x, (const uint8_t []){ 0x89, 0x43, 0x04 }, 3,
		 (uint64_t [8]){ 0x80000000UL, 0, 0, SLOT_VA }, SLOT_VA + 4);
	T_CHECK(emulated(&x) && (peek(&e, l1, SLOT) & PTE_NX) &&
		(peek(&e, l1, SLOT) & PTE_ADDR) == mfn_to_maddr(data),
		"ptwr: mov %%eax,4(%%rbx) sets NX in the high half of the entry");

	/* xchg takes the entry out and hands back the old one. */
	{
		uint64_t before = peek(&e, l1, SLOT);

		run_insn(&e, &x, (const uint8_t []){ 0x48, 0x87, 0x03 }, 3,
			 (uint64_t [8]){ 0, 0, 0, SLOT_VA }, SLOT_VA);
		T_CHECK(emulated(&x) && UC_REG(&x.uc, RAX) == before &&
			peek(&e, l1, SLOT) == 0,
			"ptwr: xchg %%rax,(%%rbx) clears the entry and returns the old one in rax");
		T_CHECK(df->count == count && df->type_count == tcount,
			"ptwr: ... and the frame's references are back where they were");
		T_CHECK(!probe(TARGET_VA, false), "ptwr: ... and the page is gone from the shadow");
	}
	T_CHECK(audit_ok(&e) && shadow_ok(&e), "ptwr: audit clean");
	T_CHECK(tenv_free(&e) == 0, "ptwr: every frame freed");
}

static void compare_exchange(void)
{
	struct tenv e;
	struct run x;
	mfn_t l1, a, b;
	uint64_t cur;

	if (!env(&e))
		return;
	l1 = mfn_of(&e, HV_TEST_L1_PFN);
	a = mfn_of(&e, 40);
	b = mfn_of(&e, 41);
	assist(&e, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
	T_CHECK(set_entry(&e, l1, SLOT, pte(a, LEAF_RW)) == 0, "cmpxchg: entry set by mmu_update");
	cur = peek(&e, l1, SLOT);

	run_insn(&e, &x, (const uint8_t []){ 0xf0, 0x48, 0x0f, 0xb1, 0x0b }, 5,
		 (uint64_t [8]){ cur, pte(b, LEAF_RO), 0, SLOT_VA }, SLOT_VA);
	T_CHECK(emulated(&x) && (UC_REG(&x.uc, EFL) & FL_ZF) &&
		(peek(&e, l1, SLOT) & (PTE_ADDR | LEAF_RW)) == pte(b, LEAF_RO),
		"cmpxchg: lock cmpxchg with the current value swaps in the new entry, ZF set");
	T_CHECK(frame_of(&e, a)->type_count == 0 && frame_of(&e, b)->type_count == 0,
		"cmpxchg: ... the old frame's writable reference dropped, the new one read-only");
	T_CHECK(audit_ok(&e) && shadow_ok(&e), "cmpxchg: audit clean");

	cur = peek(&e, l1, SLOT);
	{
		struct snap s;

		snap_take(&e, &s);
		/* A stale compare value, and a new entry that would be refused. */
		run_insn(&e, &x, (const uint8_t []){ 0xf0, 0x48, 0x0f, 0xb1, 0x0b }, 5,
			 (uint64_t [8]){ cur ^ PTE_A, pte(l1, LEAF_RW), 0, SLOT_VA },
			 SLOT_VA);
		T_CHECK(emulated(&x) && !(UC_REG(&x.uc, EFL) & FL_ZF) &&
			UC_REG(&x.uc, RAX) == cur && peek(&e, l1, SLOT) == cur,
			"cmpxchg: a stale compare value stores nothing, loads rax, ZF clear, no fault");
		T_CHECK(snap_same(&e, &s), "cmpxchg: ... and no count changed");
	}

	run_insn(&e, &x, (const uint8_t []){ 0xf0, 0x0f, 0xc7, 0x0f }, 4,
		 (uint64_t [8]){ cur & 0xffffffffUL, 0, cur >> 32, 0, 0, 0, 0, SLOT_VA },
		 SLOT_VA);
	T_CHECK(emulated(&x) && (UC_REG(&x.uc, EFL) & FL_ZF) && peek(&e, l1, SLOT) == 0,
		"cmpxchg: lock cmpxchg8b with ecx:ebx 0 clears the entry");
	T_CHECK(frame_of(&e, b)->count == 1, "cmpxchg: ... and its reference went");
	T_CHECK(audit_ok(&e) && shadow_ok(&e), "cmpxchg: audit clean");
	T_CHECK(tenv_free(&e) == 0, "cmpxchg: every frame freed");
}

/* One refused write: #PF with Xen's error code, nothing changed. */
static void refused_one(struct tenv *e, const char *what, const uint8_t *b,
			unsigned int n, const uint64_t gpr[8], uint64_t cr2)
{
	struct snap s;
	struct run x;
	uint64_t before = peek(e, mfn_of(e, HV_TEST_L1_PFN), SLOT);

	snap_take(e, &s);
	run_insn(e, &x, b, n, gpr, cr2);
	T_CHECK(delivered(e, &x, cr2, PF_EC), "refused: %s: #PF, error code 3, at the instruction",
		what);
	T_CHECK(snap_same(e, &s) && peek(e, mfn_of(e, HV_TEST_L1_PFN), SLOT) == before,
		"refused: %s: nothing changed", what);
	T_CHECK(audit_ok(e), "refused: %s: audit clean", what);
}

static void refused(void)
{
	static const uint8_t mov[] = { 0x48, 0x89, 0x03 };
	struct tenv e;
	mfn_t l1, l2, foreign = INVALID_MFN;
	uint64_t i;

	if (!env(&e))
		return;
	l1 = mfn_of(&e, HV_TEST_L1_PFN);
	l2 = mfn_of(&e, HV_TEST_L2_PFN);
	for (i = 1; i < e.d->m->nr_frames && !mfn_valid_raw(foreign); i++)
		if (e.d->m->frames[i].owner == HV_TEST_FOREIGN)
			foreign = _mfn(i);
	assist(&e, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);

	refused_one(&e, "a writable mapping of the pinned L4", mov, 3,
		    (uint64_t [8]){ pte(cur_l4(&e), LEAF_RW), 0, 0, SLOT_VA }, SLOT_VA);
	refused_one(&e, "a writable mapping of the L1 itself", mov, 3,
		    (uint64_t [8]){ pte(l1, LEAF_RW), 0, 0, SLOT_VA }, SLOT_VA);
	refused_one(&e, "another domain's frame", mov, 3,
		    (uint64_t [8]){ pte(foreign, LEAF_RO), 0, 0, SLOT_VA }, SLOT_VA);
	refused_one(&e, "an I/O frame (mfn 0)", mov, 3,
		    (uint64_t [8]){ pte(_mfn(0), LEAF_RO), 0, 0, SLOT_VA }, SLOT_VA);
	refused_one(&e, "a cache attribute bit (PCD)", mov, 3,
		    (uint64_t [8]){ pte(mfn_of(&e, 40), LEAF_RO | PTE_PCD), 0, 0, SLOT_VA },
		    SLOT_VA);
	refused_one(&e, "a misaligned 8-byte store", mov, 3,
		    (uint64_t [8]){ 0, 0, 0, SLOT_VA + 1 }, SLOT_VA + 1);
	refused_one(&e, "an instruction outside the emulated set (add)",
		    (const uint8_t []){ 0x48, 0x01, 0x03 }, 3,
		    (uint64_t [8]){ 1, 0, 0, SLOT_VA }, SLOT_VA);
	refused_one(&e, "a store to the L2 (writable pagetables stop at L1)", mov, 3,
		    (uint64_t [8]){ 0, 0, 0, HV_TEST_VA + HV_TEST_L2_PFN * HV_PAGE_SIZE + 8 * 100 },
		    HV_TEST_VA + HV_TEST_L2_PFN * HV_PAGE_SIZE + 8 * 100);
	refused_one(&e, "a store to the L4", mov, 3,
		    (uint64_t [8]){ 0, 0, 0, HV_TEST_VA + 8 * 100 }, HV_TEST_VA + 8 * 100);
	(void)l2;
	{
		struct snap s;
		struct run x;

		e.v->kernel_mode = false;
		snap_take(&e, &s);
		run_insn(&e, &x, mov, 3,
			 (uint64_t [8]){ pte(mfn_of(&e, 40), LEAF_RO), 0, 0, SLOT_VA },
			 SLOT_VA);
		T_CHECK(delivered(&e, &x, SLOT_VA, PF_EC | 0x4) && snap_same(&e, &s),
			"refused: from user mode: #PF with the user bit, nothing changed");
		e.v->kernel_mode = true;
	}
	T_CHECK(tenv_free(&e) == 0, "refused: every frame freed");
}

int main(void)
{
	decoder();
	executor();
	vm_assist();
	assist_off();
	plain_writes();
	compare_exchange();
	refused();
	T_DONE();
}
