// SPDX-License-Identifier: MIT
/*
 * A small x86-64 decoder and executor for the one kind of instruction hv
 * must emulate: a guest kernel's write to a pagetable entry it may not
 * write (mm/ptwr.c, Xen's ptwr_emulate_ops over x86_emulate()).
 *
 * Xen runs its full emulator there; hv needs only the instructions a
 * compiler and a PV kernel emit for an entry: mov from a register or an
 * immediate (and movnti, and mov to a 64-bit absolute address), xchg,
 * cmpxchg and cmpxchg8b with or without lock, and the read-modify-write
 * forms of clear_bit/set_bit (or, and, bts, btr with lock), each of 1, 2,
 * 4 or 8 bytes.  Everything else is refused, and the fault then reaches
 * the guest as the #PF it was, which is what Xen does with an instruction
 * its emulator will not complete on a pagetable.
 *
 * The work is split in two so that nothing happens before validation has
 * said yes: hv_insn_decode() reads the bytes and the registers an address
 * needs, and computes the memory operand's address; hv_insn_exec() takes
 * the operand's current value and a copy of the registers, and returns
 * what is to be stored (or that nothing is, a failed compare) with the
 * registers and flags changed in the copy.  The caller stores under its
 * own lock and commits the copy only when the store was allowed.
 *
 * Limits, each refused rather than guessed at: 16-bit and 32-bit address
 * sizes (0x67), FS-relative addresses (hv gives the guest no FS), rep and
 * HLE prefixes, cmpxchg16b, register destinations (no memory was written).
 */
#include <errno.h>
#include <string.h>

#include "private.h"

#define FL_CF	0x0001UL
#define FL_PF	0x0004UL
#define FL_AF	0x0010UL
#define FL_ZF	0x0040UL
#define FL_SF	0x0080UL
#define FL_OF	0x0800UL
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

#define INSN_MAX	15

/* The ucontext slots of the x86 register numbers 0..15 (rax, rcx, ...). */
static const int uc_slot[16] = {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

void hv_insn_regs_from_uc(struct hv_insn_regs *r, const ucontext_t *uc)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		r->gpr[i] = uc->uc_mcontext.gregs[uc_slot[i]];
	r->rip = UC_REG(uc, RIP);
	r->rflags = UC_REG(uc, EFL);
}

void hv_insn_regs_to_uc(const struct hv_insn_regs *r, ucontext_t *uc)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		uc->uc_mcontext.gregs[uc_slot[i]] = r->gpr[i];
	UC_REG(uc, RIP) = r->rip;
	UC_REG(uc, EFL) = r->rflags;
}

static uint64_t size_mask(unsigned int size)
{
	return size == 8 ? ~0UL : (1UL << (size * 8)) - 1;
}

/* A register operand's value: AH..BH for byte registers 4-7 without REX. */
static uint64_t reg_read(const struct hv_insn *in, const struct hv_insn_regs *r)
{
	if (in->high8)
		return (r->gpr[in->reg - 4] >> 8) & 0xff;
	return r->gpr[in->reg] & size_mask(in->size);
}

/* A register write as the CPU does it: 4 bytes zero-extend, 1 and 2 merge. */
static void gpr_write(uint64_t *gpr, unsigned int size, uint64_t val)
{
	if (size == 4 || size == 8)
		*gpr = val & size_mask(size);
	else
		*gpr = (*gpr & ~size_mask(size)) | (val & size_mask(size));
}

static void reg_write(const struct hv_insn *in, struct hv_insn_regs *r,
		      uint64_t val)
{
	if (in->high8)
		r->gpr[in->reg - 4] = (r->gpr[in->reg - 4] & ~0xff00UL) |
				      ((val & 0xff) << 8);
	else
		gpr_write(&r->gpr[in->reg], in->size, val);
}

/* ---- decoding ---- */

struct cursor {
	const uint8_t *b;
	unsigned int n, avail;
};

static bool take(struct cursor *c, unsigned int len, uint64_t *val)
{
	uint64_t v = 0;

	if (c->n + len > c->avail || c->n + len > INSN_MAX)
		return false;
	memcpy(&v, c->b + c->n, len);	/* little-endian, as x86 */
	c->n += len;
	*val = v;
	return true;
}

static int64_t sext(uint64_t v, unsigned int bytes)
{
	unsigned int shift = 64 - bytes * 8;

	return bytes == 8 ? (int64_t)v : (int64_t)(v << shift) >> shift;
}

/*
 * The ModRM byte and what follows it up to the immediate: the memory
 * operand's address (RIP-relative ones finished once the length is
 * known), the register field in *reg.  Register destinations are refused.
 */
static int modrm(struct cursor *c, struct hv_insn *in, unsigned int rex,
		 const struct hv_insn_regs *r, unsigned int *reg,
		 bool *rip_rel)
{
	uint64_t m, sib, disp = 0;
	unsigned int mod, rm, base, index, scale;
	uint64_t ea = 0;

	if (!take(c, 1, &m))
		return -EFAULT;
	mod = m >> 6;
	*reg = ((m >> 3) & 7) | ((rex & 4) << 1);
	rm = m & 7;
	*rip_rel = false;
	if (mod == 3)
		return -EOPNOTSUPP;
	if (rm == 4) {
		if (!take(c, 1, &sib))
			return -EFAULT;
		scale = sib >> 6;
		index = ((sib >> 3) & 7) | ((rex & 2) << 2);
		base = (sib & 7) | ((rex & 1) << 3);
		if (index != 4)
			ea += r->gpr[index] << scale;
		if ((base & 7) == 5 && mod == 0) {
			if (!take(c, 4, &disp))
				return -EFAULT;
			ea += sext(disp, 4);
		} else {
			ea += r->gpr[base];
		}
	} else if (rm == 5 && mod == 0) {
		if (!take(c, 4, &disp))
			return -EFAULT;
		ea = sext(disp, 4);
		*rip_rel = true;
	} else {
		ea = r->gpr[rm | ((rex & 1) << 3)];
	}
	if (mod == 1) {
		if (!take(c, 1, &disp))
			return -EFAULT;
		ea += sext(disp, 1);
	} else if (mod == 2) {
		if (!take(c, 4, &disp))
			return -EFAULT;
		ea += sext(disp, 4);
	}
	in->ea = ea;
	return 0;
}

/* The register operand of a ModRM form: byte registers as REX says. */
static void set_reg(struct hv_insn *in, unsigned int reg, unsigned int rex)
{
	in->reg = reg;
	in->high8 = in->size == 1 && !rex && reg >= 4 && reg < 8;
}

/* An immediate of the operand size, at most 4 bytes, sign-extended. */
static bool take_imm(struct cursor *c, struct hv_insn *in, unsigned int bytes)
{
	uint64_t v;

	if (!take(c, bytes, &v))
		return false;
	in->imm = (uint64_t)sext(v, bytes) & size_mask(in->size);
	in->has_imm = true;
	return true;
}

static unsigned int imm_bytes(unsigned int size)
{
	return size == 2 ? 2 : size == 1 ? 1 : 4;
}

/* Group 1 (0x80, 0x81, 0x83): only or (/1) and and (/4) write PTE bits. */
static int group1(struct hv_insn *in, unsigned int sub)
{
	if (sub == 1)
		in->op = HV_INSN_OR;
	else if (sub == 4)
		in->op = HV_INSN_AND;
	else
		return -EOPNOTSUPP;
	return 0;
}

/* Two-byte opcodes (0x0f xx). */
static int decode_0f(struct cursor *c, struct hv_insn *in, unsigned int rex,
		     const struct hv_insn_regs *r, bool *rip_rel)
{
	uint64_t op;
	unsigned int reg;
	int rc;

	if (!take(c, 1, &op))
		return -EFAULT;
	switch (op) {
	case 0xb0:			/* cmpxchg Eb, Gb */
	case 0xb1:			/* cmpxchg Ev, Gv */
	case 0xab:			/* bts Ev, Gv */
	case 0xb3:			/* btr Ev, Gv */
	case 0xc3:			/* movnti My, Gy */
		if (op == 0xb0)
			in->size = 1;
		if (op == 0xc3 && in->size == 2)
			return -EOPNOTSUPP;
		rc = modrm(c, in, rex, r, &reg, rip_rel);
		if (rc)
			return rc;
		set_reg(in, reg, rex);
		in->op = op == 0xab ? HV_INSN_BTS : op == 0xb3 ? HV_INSN_BTR :
			 op == 0xc3 ? HV_INSN_MOV : HV_INSN_CMPXCHG;
		return 0;
	case 0xba:			/* bts/btr Ev, Ib */
		rc = modrm(c, in, rex, r, &reg, rip_rel);
		if (rc)
			return rc;
		if ((reg & 7) != 5 && (reg & 7) != 6)
			return -EOPNOTSUPP;
		in->op = (reg & 7) == 5 ? HV_INSN_BTS : HV_INSN_BTR;
		if (!take(c, 1, &op))
			return -EFAULT;
		in->imm = op;
		in->has_imm = true;
		return 0;
	case 0xc7:			/* cmpxchg8b Mq (/1, no REX.W) */
		rc = modrm(c, in, rex, r, &reg, rip_rel);
		if (rc)
			return rc;
		if ((reg & 7) != 1 || (rex & 8))
			return -EOPNOTSUPP;
		in->op = HV_INSN_CMPXCHG8B;
		in->size = 8;
		return 0;
	}
	return -EOPNOTSUPP;
}

/* One-byte opcodes. */
static int decode_1b(struct cursor *c, struct hv_insn *in, unsigned int opc,
		     unsigned int rex, const struct hv_insn_regs *r,
		     bool *rip_rel)
{
	unsigned int reg;
	uint64_t addr;
	int rc;

	if (opc == 0xa2 || opc == 0xa3) {	/* mov moffs64, al/eAX */
		if (opc == 0xa2)
			in->size = 1;
		if (!take(c, 8, &addr))
			return -EFAULT;
		in->ea = addr;
		in->op = HV_INSN_MOV;
		set_reg(in, 0, rex);
		return 0;
	}
	switch (opc) {
	case 0x88: case 0x86: case 0x08: case 0x20:
	case 0xc6: case 0x80:
		in->size = 1;
		break;
	case 0x89: case 0x87: case 0x09: case 0x21:
	case 0xc7: case 0x81: case 0x83:
		break;
	default:
		return -EOPNOTSUPP;
	}
	rc = modrm(c, in, rex, r, &reg, rip_rel);
	if (rc)
		return rc;
	switch (opc) {
	case 0x88: case 0x89:
		in->op = HV_INSN_MOV;
		break;
	case 0x86: case 0x87:
		in->op = HV_INSN_XCHG;
		in->lock = true;	/* xchg with memory always is */
		break;
	case 0x08: case 0x09:
		in->op = HV_INSN_OR;
		break;
	case 0x20: case 0x21:
		in->op = HV_INSN_AND;
		break;
	case 0xc6: case 0xc7:
		if (reg & 7)
			return -EOPNOTSUPP;
		in->op = HV_INSN_MOV;
		return take_imm(c, in, imm_bytes(in->size)) ? 0 : -EFAULT;
	case 0x80: case 0x81: case 0x83:
		if (group1(in, reg & 7))
			return -EOPNOTSUPP;
		return take_imm(c, in, opc == 0x81 ? imm_bytes(in->size) : 1) ?
		       0 : -EFAULT;
	}
	set_reg(in, reg, rex);
	return 0;
}

int hv_insn_decode(const uint8_t *bytes, unsigned int avail,
		   const struct hv_insn_regs *r, uint64_t gs_base,
		   struct hv_insn *in)
{
	struct cursor c = { .b = bytes, .avail = avail };
	unsigned int rex = 0;
	bool opsize = false, gs = false, rip_rel = false;
	uint64_t b;
	int rc;

	memset(in, 0, sizeof(*in));
	in->reg = -1;
	for (;;) {
		if (!take(&c, 1, &b))
			return -EFAULT;
		if (b >= 0x40 && b <= 0x4f) {
			rex = b;
			continue;
		}
		/* A legacy prefix after REX makes the REX void (SDM 2.2.1). */
		switch (b) {
		case 0x66:
			opsize = true;
			rex = 0;
			continue;
		case 0xf0:
			in->lock = true;
			rex = 0;
			continue;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			rex = 0;
			continue;		/* no effect in 64-bit mode */
		case 0x65:
			gs = true;
			rex = 0;
			continue;
		case 0x64: case 0x67: case 0xf2: case 0xf3:
			return -EOPNOTSUPP;
		}
		break;
	}
	in->size = (rex & 8) ? 8 : opsize ? 2 : 4;
	if (b == 0x0f)
		rc = decode_0f(&c, in, rex, r, &rip_rel);
	else
		rc = decode_1b(&c, in, b, rex, r, &rip_rel);
	if (rc)
		return rc;
	/* lock is #UD but on read-modify-write forms (mov never has it). */
	if (in->lock && in->op == HV_INSN_MOV)
		return -EOPNOTSUPP;
	in->len = c.n;
	if (rip_rel)
		in->ea += r->rip + in->len;
	if (gs)
		in->ea += gs_base;
	/*
	 * A register bit offset may reach outside the operand (SDM BT): the
	 * operand is the one holding bit off, rounded down to a whole operand.
	 * Rounding by masking cannot overflow (any offset, INT64_MIN included,
	 * minus its low bits stays in range, INT64_MIN being a multiple of
	 * every operand width) and divides exactly into bytes.
	 */
	if ((in->op == HV_INSN_BTS || in->op == HV_INSN_BTR) && !in->has_imm) {
		int64_t off = sext(reg_read(in, r), in->size);
		int64_t bits = in->size * 8;

		in->ea += (uint64_t)((off - (off & (bits - 1))) / 8);
		in->bit = off & (bits - 1);
	} else if (in->op == HV_INSN_BTS || in->op == HV_INSN_BTR) {
		in->bit = in->imm & (in->size * 8 - 1);
	}
	return 0;
}

/* ---- executing ---- */

static bool parity_even(uint64_t v)
{
	return !__builtin_parity(v & 0xff);
}

/* Flags of a logical result: CF and OF clear, SF ZF PF from it. */
static void logic_flags(struct hv_insn_regs *r, uint64_t res, unsigned int size)
{
	uint64_t f = 0;

	res &= size_mask(size);
	if (!res)
		f |= FL_ZF;
	if (res >> (size * 8 - 1))
		f |= FL_SF;
	if (parity_even(res))
		f |= FL_PF;
	r->rflags = (r->rflags & ~FL_ARITH) | f;
}

/* Flags of cmp a, b (a - b), as cmpxchg sets them. */
static void cmp_flags(struct hv_insn_regs *r, uint64_t a, uint64_t b,
		      unsigned int size)
{
	uint64_t m = size_mask(size), res = (a - b) & m, f = 0;
	unsigned int top = size * 8 - 1;

	a &= m;
	b &= m;
	if (a < b)
		f |= FL_CF;
	if (!res)
		f |= FL_ZF;
	if (res >> top)
		f |= FL_SF;
	if (((a ^ b) & (a ^ res)) >> top & 1)
		f |= FL_OF;
	if ((a ^ b ^ res) & 0x10)
		f |= FL_AF;
	if (parity_even(res))
		f |= FL_PF;
	r->rflags = (r->rflags & ~FL_ARITH) | f;
}

bool hv_insn_exec(const struct hv_insn *in, struct hv_insn_regs *r,
		  uint64_t old, uint64_t *val)
{
	uint64_t m = size_mask(in->size);
	uint64_t src = in->has_imm ? in->imm : in->reg >= 0 ? reg_read(in, r) : 0;
	uint64_t acc;

	old &= m;
	switch (in->op) {
	case HV_INSN_MOV:
		*val = src & m;
		return true;
	case HV_INSN_XCHG:
		*val = src & m;
		reg_write(in, r, old);
		return true;
	case HV_INSN_CMPXCHG:
		acc = r->gpr[0] & m;
		cmp_flags(r, acc, old, in->size);
		if (acc == old) {
			*val = src & m;
			return true;
		}
		gpr_write(&r->gpr[0], in->size, old);
		return false;
	case HV_INSN_CMPXCHG8B:
		acc = (r->gpr[2] << 32) | (r->gpr[0] & 0xffffffffUL);
		if (acc == old) {
			r->rflags |= FL_ZF;
			*val = (r->gpr[1] << 32) | (r->gpr[3] & 0xffffffffUL);
			return true;
		}
		r->rflags &= ~FL_ZF;
		r->gpr[0] = old & 0xffffffffUL;
		r->gpr[2] = old >> 32;
		return false;
	case HV_INSN_OR:
		*val = (old | src) & m;
		logic_flags(r, *val, in->size);
		return true;
	case HV_INSN_AND:
		*val = old & src & m;
		logic_flags(r, *val, in->size);
		return true;
	case HV_INSN_BTS:
	case HV_INSN_BTR:
		r->rflags = (r->rflags & ~FL_CF) | ((old >> in->bit) & 1);
		if (in->op == HV_INSN_BTS)
			*val = old | (1UL << in->bit);
		else
			*val = old & ~(1UL << in->bit);
		return true;
	}
	return false;
}
