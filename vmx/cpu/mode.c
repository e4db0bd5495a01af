/*
 * The guest's CR0, CR4 and EFER (Intel SDM Vol. 3A §2.5, §4.1) and what
 * follows from them: the paging mode the shadow must follow, the real
 * CR0/CR4 the guest runs with (paging always on, PAE always on: no
 * unrestricted guest), the read shadows it sees, and the IA-32e entry
 * control.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/cpu/vcpu.h"
#include "mm/directmap.h"
#include "vmx/hw/vmcs.h"

#define EFER_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)
#define CR4_SUPPORTED                                                                      \
	(CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_MCE | CR4_PGE | CR4_PCE | CR4_OSFXSR | \
	 CR4_OSXMMEXCPT)
/* CR4 bits the guest's value passes to the real CR4 unchanged. PCE is not one:
 * RDPMC exits (no counters are virtualized), so the guest keeps it only in its
 * read shadow. */
#define CR4_PASSTHROUGH (CR4_TSD | CR4_DE | CR4_MCE | CR4_OSFXSR | CR4_OSXMMEXCPT)
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)

static enum shadow_result apply_paging_regs(struct vcpu *v, uint64_t cr0, uint64_t cr4,
                                            uint64_t efer)
{
	efer &= ~(uint64_t)EFER_LMA;
	if ((efer & EFER_LME) && (cr0 & CR0_PG))
		efer |= EFER_LMA;
	v->cr0 = cr0;
	v->cr4 = cr4;
	v->efer = efer;
	return shadow_set_regs(&v->shadow, cr0, cr4, efer);
}

int vcpu_start_paging(struct vcpu *v, const struct boot_state *boot)
{
	v->cr3 = boot->cr3;
	v->shadow.paging.cr3 = boot->cr3;
	enum shadow_result r = apply_paging_regs(v, boot->cr0 | CR0_ET, boot->cr4, boot->efer);
	if (r != SHADOW_FIXED) {
		printf("vmx: no shadow root for the boot state cr0=0x%lx cr3=0x%lx cr4=0x%lx "
		       "efer=0x%lx (%d)\n",
		       (unsigned long)boot->cr0, (unsigned long)boot->cr3, (unsigned long)boot->cr4,
		       (unsigned long)boot->efer, (int)r);
		return -1;
	}
	vcpu_sync_control_regs(v);
	return vcpu_load_shadow_root(v) ? 0 : -1;
}

void vcpu_set_paging_regs(struct vcpu *v, uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	enum shadow_result r = apply_paging_regs(v, cr0, cr4, efer);
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
	vcpu_sync_real_efer(v);
	vcpu_flush_tlb(v);
}

/* MOV to CR0 checks (SDM Vol. 3A §2.5 and the MOV CR instruction page). */
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
	return !(cr0 & CR0_PG) && vcpu_in_64bit_code(v); /* leave 64-bit code first */
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

uint64_t vcpu_guest_cr0(struct vcpu *v)
{
	uint64_t real = vmcs_read(VMCS_GUEST_CR0);

	v->cr0 = (v->cr0 & v->cr0_host_owned) | (real & ~v->cr0_host_owned);
	return v->cr0;
}

bool vcpu_write_cr0(struct vcpu *v, uint64_t value)
{
	if (cr0_write_faults(v, value))
		return false;
	vcpu_set_paging_regs(v, value | CR0_ET, v->cr4, v->efer);
	return true;
}

bool vcpu_write_cr4(struct vcpu *v, uint64_t value)
{
	if (cr4_write_faults(v, value))
		return false;
	vcpu_set_paging_regs(v, vcpu_guest_cr0(v), value, v->efer);
	return true;
}

/* WRMSR to EFER (SDM Vol. 4, IA32_EFER; Vol. 3A §10.8.5). */
bool vcpu_write_efer(struct vcpu *v, uint64_t value)
{
	if (value & ~(uint64_t)(EFER_WRITABLE | EFER_LMA))
		return false;
	if (((value ^ v->efer) & EFER_LME) && (v->cr0 & CR0_PG))
		return false; /* LME may change only with paging off */
	vcpu_set_paging_regs(v, vcpu_guest_cr0(v), v->cr4,
	                     (value & EFER_WRITABLE) | (v->efer & EFER_LMA));
	return true;
}

void vcpu_sync_control_regs(struct vcpu *v)
{
	const struct vmx_caps *caps = &v->cpu->caps;
	uint64_t cr0 = (v->cr0 | CR0_PE | CR0_PG | CR0_NE | CR0_WP) & ~(uint64_t)(CR0_CD | CR0_NW);
	uint64_t cr4 = (v->cr4 & CR4_PASSTHROUGH) | CR4_PAE | CR4_VMXE;
	uint32_t entry = v->ctl.ctl[VMX_CTL_ENTRY] & ~VMX_ENTRY_CTL_IA32E_GUEST;

	if (v->shadow.hw_smep)
		cr4 |= CR4_SMEP;
	if (v->shadow.hw_smap)
		cr4 |= CR4_SMAP;
	if (v->efer & EFER_LMA)
		entry |= VMX_ENTRY_CTL_IA32E_GUEST;
	v->ctl.ctl[VMX_CTL_ENTRY] = entry;
	vmcs_write(VMCS_GUEST_CR0, vmx_cr_apply_fixed(cr0, caps->cr0_fixed0, caps->cr0_fixed1));
	vmcs_write(VMCS_CR0_READ_SHADOW, v->cr0);
	vmcs_write(VMCS_GUEST_CR4, vmx_cr_apply_fixed(cr4, caps->cr4_fixed0, caps->cr4_fixed1));
	vmcs_write(VMCS_CR4_READ_SHADOW, v->cr4);
	vmcs_write(VMCS_ENTRY_CONTROLS, entry);
}

bool vcpu_load_shadow_root(struct vcpu *v)
{
	uint64_t root = shadow_root_hpa(&v->shadow);
	if (!root)
		return false;
	vmcs_write(VMCS_GUEST_CR3, root);
	return true;
}

/*
 * EFER while the guest runs: the host's (NXE, and LME/LMA as the IA-32e mode
 * control makes them) with the guest's SCE, so that SYSCALL behaves as the
 * guest set it. Without the load-EFER controls (Penryn) the VM-entry and
 * VM-exit MSR-load lists switch it (SDM Vol. 3C §26.4, §27.6), as KVM does.
 */
void vcpu_sync_real_efer(struct vcpu *v)
{
	struct vmx_msr_entry *area = phys_to_virt(v->msr_area_phys);
	uint64_t host = rdmsr(MSR_EFER);
	uint64_t efer = (host & ~(uint64_t)(EFER_SCE | EFER_LME | EFER_LMA)) | (v->efer & EFER_SCE);

	if (v->efer & EFER_LMA)
		efer |= EFER_LME | EFER_LMA;
	area[0] = (struct vmx_msr_entry){MSR_EFER, 0, efer};
	area[VCPU_MSR_AREA_EXIT_LOAD] = (struct vmx_msr_entry){MSR_EFER, 0, host};
}
