/*
 * The vCPU half of a stepped page-table write (see vmx/cpu/step.h): the
 * snapshot, RFLAGS.TF, the exception intercepts, the interruptibility state
 * and what the guest must not see of them. The shadow half (opening and
 * closing the walk) belongs to the pool.
 */
#include "vmx/cpu/step.h"
#include "arch/x86/cpu.h"
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/cpu/guest_access.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

#define PAGE_MASK      0xfffull
#define OPCODE_PUSHF   0x9c
#define PREFIX_OPSIZE  0x66
#define DR6_BS         (1ull << 14) /* single step (SDM Vol. 3B §18.2.3) */
#define DEBUGCTL_BTF   (1ull << 1)
#define ALL_EXCEPTIONS 0xffffffffu
#define INSN_LOOKAHEAD 15

static bool is_legacy_prefix(uint8_t b)
{
	return b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e ||
	       b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65;
}

/* The push size if the instruction at RIP is PUSHF (SDM Vol. 2B "PUSHF"), else 0:
 * it stores RFLAGS, so the hypervisor's TF must be taken out of its image. */
static unsigned pushf_size(struct vcpu *v)
{
	uint8_t b[INSN_LOOKAHEAD];
	unsigned n = vcpu_fetch_insn(v, b, sizeof(b)), i = 0;
	bool opsize = false, mode64 = vcpu_in_64bit_code(v);

	for (; i < n && is_legacy_prefix(b[i]); i++)
		opsize |= b[i] == PREFIX_OPSIZE;
	if (mode64 && i < n && (b[i] & 0xf0) == 0x40)
		i++; /* REX: no effect on PUSHF's size */
	if (i >= n || b[i] != OPCODE_PUSHF)
		return 0;
	if (mode64)
		return opsize ? 2 : 8;
	bool d = vmcs_read(VMCS_GUEST_CS_AR) & SEG_AR_DB;
	return d != opsize ? 4 : 2;
}

static void set_stepping(struct vcpu *v, bool on)
{
	uint64_t rflags = vmcs_read(VMCS_GUEST_RFLAGS);

	if (on) {
		v->step.guest_tf = rflags & RFLAGS_TF;
		rflags |= RFLAGS_TF;
		/* With DEBUGCTL.BTF the CPU would single-step branches, not
		 * instructions (SDM Vol. 3B §18.4.3): off for the step. */
		v->step.guest_debugctl = vmcs_read(VMCS_GUEST_DEBUGCTL);
		if (v->step.guest_debugctl & DEBUGCTL_BTF)
			vmcs_write(VMCS_GUEST_DEBUGCTL, v->step.guest_debugctl & ~DEBUGCTL_BTF);
	} else {
		if (!v->step.guest_tf)
			rflags &= ~(uint64_t)RFLAGS_TF;
		vmcs_write(VMCS_GUEST_DEBUGCTL, v->step.guest_debugctl);
	}
	vmcs_write(VMCS_GUEST_RFLAGS, rflags);
	/* While stepping every exception exits, so that none is delivered with
	 * the hypervisor's TF in its frame and the entries still open. */
	vmcs_write(VMCS_EXCEPTION_BITMAP, on ? ALL_EXCEPTIONS : vmx_exception_bit(VEC_PF));
}

/* VM entry refuses TF = 1 inside an STI or MOV-SS shadow unless a single-step
 * #DB is pending (SDM Vol. 3C §26.3.1.5); nothing is injected during the step,
 * so the shadow is lifted for it. */
static void lift_interrupt_shadow(void)
{
	uint64_t state = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	uint64_t shadows = VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS;

	if (state & shadows)
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, state & ~shadows);
}

bool step_begin(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access)
{
	struct vcpu_step *s = &v->step;

	if (s->count == VCPU_STEP_PAGES) {
		printf("vmx: step: more than %u pages written by one instruction\n",
		       VCPU_STEP_PAGES);
		return false;
	}
	enum shadow_result r = shadow_step_open(&v->shadow, la, access);
	if (r != SHADOW_FIXED) {
		printf("vmx: step: cannot open the shadow walk of 0x%lx (result %d)\n",
		       (unsigned long)la, (int)r);
		return false;
	}
	struct step_page *sp = &s->page[s->count++];
	sp->gpa = gpa & ~PAGE_MASK;
	pool_ram_read(v->shadow.pool, sp->gpa, sp->before, sizeof(sp->before));
	if (!s->active) {
		s->active = true;
		s->push_size = pushf_size(v);
		set_stepping(v, true);
		lift_interrupt_shadow();
	}
	vcpu_flush_tlb(v);
	return true;
}

/* Report every entry of the page that the stepped instruction changed. */
static void notify_changes(struct vcpu *v, const struct step_page *sp)
{
	unsigned width = v->shadow.paging.mode == WALK_MODE_32BIT ? 4 : 8;
	const uint8_t *after = pool_ram_ptr(v->shadow.pool, sp->gpa);

	if (!pool_gfn_monitored(v->shadow.pool, sp->gpa / sizeof(sp->before)))
		return;
	for (unsigned off = 0; off < sizeof(sp->before); off += width) {
		if (__builtin_memcmp(after + off, sp->before + off, width) == 0)
			continue;
		uint64_t value = 0;
		__builtin_memcpy(&value, after + off, width);
		shadow_guest_write(&v->shadow, sp->gpa + off, width, value);
	}
}

/* A stepped PUSHF stored RFLAGS with the hypervisor's TF: clear it in the
 * image at the new top of stack (before the page diff reports it). */
static void fix_pushf_image(struct vcpu *v)
{
	uint64_t la = vmcs_read(VMCS_GUEST_SS_BASE) + vmcs_read(VMCS_GUEST_RSP);
	struct walk_result r;
	uint64_t image = 0;

	if (!vcpu_in_64bit_code(v))
		la = (uint32_t)la;
	if (vcpu_translate(v, la, 0, &r) != WALK_OK ||
	    !pool_ram_read(v->shadow.pool, r.gpa, &image, v->step.push_size))
		return;
	image &= ~(uint64_t)RFLAGS_TF;
	pool_ram_write(v->shadow.pool, r.gpa, &image, v->step.push_size);
}

static void end_step(struct vcpu *v)
{
	v->step.count = 0;
	v->step.push_size = 0;
	v->step.active = false;
	set_stepping(v, false);
	vcpu_flush_tlb(v);
}

bool step_finish(struct vcpu *v, bool trap)
{
	struct vcpu_step *s = &v->step;

	/* Close the walk first: the notifications below may free or rewrite
	 * the very entries that were opened. */
	shadow_step_close(&v->shadow);
	if (trap && s->push_size && !s->guest_tf)
		fix_pushf_image(v);
	for (unsigned i = 0; i < s->count; i++)
		notify_changes(v, &s->page[i]);
	end_step(v);
	return trap && s->guest_tf;
}

void step_abort(struct vcpu *v)
{
	if (!v->step.active)
		return;
	shadow_step_close(&v->shadow);
	end_step(v);
}
