/*
 * Exits that shadow paging is about: #PF (and the #DB that ends a stepped
 * page-table write), MOV to/from CR0/CR3/CR4, LMSW, INVLPG, and the mode
 * changes they cause (Intel SDM Vol. 3A §2.5, §4.1; Vol. 3C §27.1, §27.2).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "vmx/exit/exit.h"
#include "vmx/cpu/step.h"
#include "vmx/hw/vmcs.h"

#define VEC_DE    0
#define VEC_DB    1
#define VEC_DF    8
#define VEC_TS    10
#define VEC_NP    11
#define VEC_SS    12
#define VEC_GP    13
#define VEC_PF    14
#define RFLAGS_AC (1u << 18)
#define AR_L      (1u << 13) /* CS access rights: 64-bit code */

#define EFER_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)
#define CR4_SUPPORTED                                                                      \
	(CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_MCE | CR4_PGE | CR4_PCE | CR4_OSFXSR | \
	 CR4_OSXMMEXCPT)
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)

static bool in_64bit_code(struct vcpu *v)
{
	return (v->efer & EFER_LMA) && (vmcs_read(VMCS_GUEST_CS_AR) & AR_L);
}

static uint64_t read_gpr(struct vcpu *v, uint32_t n)
{
	uint64_t value = n == VCPU_RSP ? vmcs_read(VMCS_GUEST_RSP) : v->regs.gpr[n];
	return in_64bit_code(v) ? value : (uint32_t)value;
}

static void write_gpr(struct vcpu *v, uint32_t n, uint64_t value)
{
	if (!in_64bit_code(v))
		value = (uint32_t)value;
	if (n == VCPU_RSP)
		vmcs_write(VMCS_GUEST_RSP, value);
	else
		v->regs.gpr[n] = value;
}

/* Contributory exceptions and #PF turn a second fault into #DF (SDM Vol. 3A
 * §7.15, table 7-5). */
static bool is_double_fault_class(uint32_t vector)
{
	return vector == VEC_DE || (vector >= VEC_TS && vector <= VEC_PF);
}

static void reflect_page_fault(struct vcpu *v, uint64_t cr2, uint32_t error)
{
	uint32_t vectoring = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
	if (vmx_intr_info_valid(vectoring) &&
	    vmx_intr_info_type(vectoring) == VMX_INTR_TYPE_HW_EXCEPTION &&
	    is_double_fault_class(vmx_intr_info_vector(vectoring))) {
		vcpu_inject(v, VEC_DF, true, 0);
		return;
	}
	v->regs.cr2 = cr2;
	vcpu_inject(v, VEC_PF, true, error);
}

static void page_fault(struct vcpu *v, uint64_t la)
{
	uint32_t error = (uint32_t)vmcs_read(VMCS_EXIT_INTR_ERRCODE);
	uint32_t access = error & (WALK_ACC_WRITE | WALK_ACC_USER | WALK_ACC_FETCH);
	struct shadow_fault f;

	if (vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_AC)
		access |= WALK_ACC_AC;
	shadow_sync(&v->shadow, la, access, &f);
	switch (f.result) {
	case SHADOW_FIXED:
		vcpu_flush_tlb(v);
		return;
	case SHADOW_REFLECT:
		reflect_page_fault(v, f.cr2, f.error_code);
		return;
	case SHADOW_EMULATE:
		if (step_begin(v, la, f.gpa, access))
			return;
		printf("vmx: cannot step the write to 0x%lx (gpa 0x%lx)\n", (unsigned long)la,
		       (unsigned long)f.gpa);
		vcpu_stop(v, 1, "page-table write emulation failed");
	case SHADOW_NOT_RAM:
		exit_outside_ram(v, la, f.gpa, access);
		return;
	case SHADOW_GP:
		vcpu_inject(v, VEC_GP, true, 0);
		return;
	case SHADOW_NO_MEMORY:
		printf("vmx: shadow pool exhausted: flushing all shadows\n");
		pool_flush_all(&v->mem.pool);
		return;
	}
}

void exit_exception(struct vcpu *v, uint64_t qual)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	uint32_t vector = vmx_intr_info_vector(info);

	if (vmx_intr_info_type(info) == VMX_INTR_TYPE_NMI)
		return; /* a host NMI: nothing of the guest's */
	if (vector == VEC_PF) {
		page_fault(v, qual);
		return;
	}
	if (vector == VEC_DB && v->step.active) {
		step_finish(v);
		return;
	}
	bool has_error = vmx_intr_info_has_errcode(info);
	vcpu_inject(v, vector, has_error,
	            has_error ? (uint32_t)vmcs_read(VMCS_EXIT_INTR_ERRCODE) : 0);
}

/* The guest's CR0/CR4/EFER changed: recompute mode, shadow root, VMCS. */
void vcpu_set_paging_regs(struct vcpu *v, uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	efer &= ~(uint64_t)EFER_LMA;
	if ((efer & EFER_LME) && (cr0 & CR0_PG))
		efer |= EFER_LMA;
	v->cr0 = cr0;
	v->cr4 = cr4;
	v->efer = efer;
	enum shadow_result r = shadow_set_regs(&v->shadow, cr0, cr4, efer);
	if (r == SHADOW_GP) {
		vcpu_inject(v, VEC_GP, true, 0);
		return;
	}
	if (r != SHADOW_FIXED) {
		printf("vmx: paging change cr0=0x%lx cr4=0x%lx efer=0x%lx: no shadow root (%d)\n",
		       (unsigned long)cr0, (unsigned long)cr4, (unsigned long)efer, (int)r);
		vcpu_stop(v, 1, "shadow root for new paging mode failed");
	}
	vcpu_sync_control_regs(v);
	vcpu_flush_tlb(v);
}

/* MOV to CR0 checks (SDM Vol. 3A §2.5 and MOV CR instruction page). */
static bool cr0_write_faults(struct vcpu *v, uint64_t cr0)
{
	if (cr0 >> 32)
		return true;
	if ((cr0 & CR0_PG) && !(cr0 & CR0_PE))
		return true;
	if ((cr0 & CR0_NW) && !(cr0 & CR0_CD))
		return true;
	if ((cr0 & CR0_PG) && (v->efer & EFER_LME) && !(v->cr4 & CR4_PAE))
		return true;
	return !(cr0 & CR0_PG) && in_64bit_code(v); /* leave 64-bit code first */
}

/* CR4 bits a guest may set: what we virtualize, and SMEP/SMAP only where the
 * CPU (and so the guest's CPUID) has them. Anything else is #GP, as on a CPU
 * without the feature (SDM Vol. 3A §2.5). VMXE is never allowed: VMX is hidden. */
static uint64_t cr4_allowed(void)
{
	uint64_t allowed = CR4_SUPPORTED;
	if (cpuid(0, 0).eax >= 7) {
		uint32_t ebx = cpuid(7, 0).ebx;
		if (ebx & CPUID7_EBX_SMEP)
			allowed |= CR4_SMEP;
		if (ebx & CPUID7_EBX_SMAP)
			allowed |= CR4_SMAP;
	}
	return allowed;
}

static bool cr4_write_faults(struct vcpu *v, uint64_t cr4)
{
	if (cr4 & ~cr4_allowed())
		return true;
	return (v->efer & EFER_LMA) && !(cr4 & CR4_PAE);
}

static void write_cr(struct vcpu *v, uint32_t cr, uint64_t value)
{
	if (cr == 0) {
		if (cr0_write_faults(v, value))
			vcpu_inject(v, VEC_GP, true, 0);
		else
			vcpu_set_paging_regs(v, value | CR0_ET, v->cr4, v->efer);
	} else if (cr == 4) {
		if (cr4_write_faults(v, value))
			vcpu_inject(v, VEC_GP, true, 0);
		else
			vcpu_set_paging_regs(v, v->cr0, value, v->efer);
	} else if (cr == 3) {
		enum shadow_result r = shadow_load_cr3(&v->shadow, value);
		if (r == SHADOW_GP) {
			vcpu_inject(v, VEC_GP, true, 0);
			return;
		}
		if (r != SHADOW_FIXED) {
			printf("vmx: CR3 load 0x%lx failed (%d)\n", (unsigned long)value, (int)r);
			vcpu_stop(v, 1, "CR3 load failed");
		}
		v->cr3 = value;
		vcpu_flush_tlb(v);
	} else {
		printf("vmx: MOV to CR%u not virtualized\n", cr);
		vcpu_stop(v, 1, "unexpected control register write");
	}
}

void exit_cr_access(struct vcpu *v, uint64_t qual)
{
	uint32_t cr = vmx_qual_cr_num(qual), gpr = vmx_qual_cr_gpr(qual);

	switch (vmx_qual_cr_access(qual)) {
	case VMX_CR_ACCESS_MOV_TO_CR:
		write_cr(v, cr, read_gpr(v, gpr));
		break;
	case VMX_CR_ACCESS_MOV_FROM_CR:
		write_gpr(v, gpr, v->cr3); /* only CR3 reads exit */
		break;
	case VMX_CR_ACCESS_LMSW: {
		/* LMSW sets CR0 bits 0-3 but cannot clear PE. */
		uint64_t msw = vmx_qual_cr_lmsw_data(qual) & 0xf;
		write_cr(v, 0, (v->cr0 & ~0xeull) | msw | (v->cr0 & CR0_PE));
		break;
	}
	case VMX_CR_ACCESS_CLTS:
		write_cr(v, 0, v->cr0 & ~(uint64_t)CR0_TS);
		break;
	}
	if (!vmx_intr_info_valid((uint32_t)vmcs_read(VMCS_ENTRY_INTR_INFO)))
		vcpu_skip_instruction(v);
}

void exit_invlpg(struct vcpu *v, uint64_t qual)
{
	shadow_invlpg(&v->shadow, qual);
	vcpu_flush_tlb(v);
	vcpu_skip_instruction(v);
}

/* WRMSR to EFER (SDM Vol. 4, IA32_EFER; Vol. 3A §10.8.5). */
bool vcpu_write_efer(struct vcpu *v, uint64_t value)
{
	if (value & ~(uint64_t)(EFER_WRITABLE | EFER_LMA))
		return false;
	if (((value ^ v->efer) & EFER_LME) && (v->cr0 & CR0_PG))
		return false; /* LME may change only with paging off */
	vcpu_set_paging_regs(v, v->cr0, v->cr4, (value & EFER_WRITABLE) | (v->efer & EFER_LMA));
	return true;
}
