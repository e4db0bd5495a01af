/*
 * Programming a VMCS for a guest under shadow paging (Intel SDM Vol. 3C
 * ch. 24): controls chosen from the capability MSRs, host state from this
 * kernel, and the initial guest state of a multiboot kernel: 32-bit
 * protected mode, flat segments, paging off in the guest's view.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/gdt.h"
#include "arch/x86/printf.h"
#include "mm/directmap.h"
#include "mm/kmem.h"
#include "vmx/cpu/exit_stub.h"
#include "vmx/hw/insn.h"
#include "vmx/hw/msr_vmx.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

#define GUEST_CS          0x08
#define GUEST_DS          0x10
#define FLAT_LIMIT        0xffffffffu
#define TSS_LIMIT         0x67
#define RFLAGS_RESERVED1  0x2
#define DR7_INIT          0x400
#define LINK_POINTER_NONE (~0ull)
#define VEC_PF            14

/* What we intercept (CR bits the guest may not set directly). */
#define CR0_OWNED       (CR0_PE | CR0_PG | CR0_WP | CR0_NE | CR0_CD | CR0_NW)
/* CR4 bits the guest's value passes to the real CR4 unchanged. */
#define CR4_PASSTHROUGH (CR4_TSD | CR4_DE | CR4_MCE | CR4_PCE | CR4_OSFXSR | CR4_OSXMMEXCPT)

static int choose_controls(struct vcpu *v)
{
	struct vmx_ctl_request req[VMX_CTL_COUNT] = {
	    [VMX_CTL_PIN] = {.required = VMX_PIN_EXT_INT_EXITING | VMX_PIN_NMI_EXITING},
	    [VMX_CTL_PROC] = {.required = VMX_PROC_HLT_EXITING | VMX_PROC_INVLPG_EXITING |
	                                  VMX_PROC_CR3_LOAD_EXITING | VMX_PROC_CR3_STORE_EXITING |
	                                  VMX_PROC_USE_IO_BITMAPS | VMX_PROC_USE_MSR_BITMAPS},
	    [VMX_CTL_PROC2] = {.wanted = VMX_PROC2_ENABLE_VPID},
	    [VMX_CTL_EXIT] = {.required = VMX_EXIT_CTL_HOST_ADDR_SPACE_SIZE},
	    [VMX_CTL_ENTRY] = {0},
	};
	struct vmx_ctl_failure fail;

	if (vmx_choose_controls(&v->cpu->caps, req, &v->ctl, &fail) != 0) {
		vmx_ctl_failure_print(&v->cpu->caps, &fail, printf);
		return -1;
	}
	/* Shadow paging only: never EPT or unrestricted guest, even where offered. */
	v->ctl.ctl[VMX_CTL_PROC2] &= ~(VMX_PROC2_ENABLE_EPT | VMX_PROC2_UNRESTRICTED_GUEST);
	v->vpid = (v->ctl.ctl[VMX_CTL_PROC2] & VMX_PROC2_ENABLE_VPID) ? 1 : 0;
	vmx_controls_print(&v->ctl, printf);
	return 0;
}

static int make_bitmaps(struct vcpu *v)
{
	/* I/O bitmaps A and B: every port exits. MSR bitmap: every MSR exits
	 * except FS/GS base, which live in the VMCS guest state anyway. */
	v->io_bitmap_phys = frame_alloc_run(kmem_frames(), 2, 1);
	v->msr_bitmap_phys = frame_alloc(kmem_frames());
	if (!v->io_bitmap_phys || !v->msr_bitmap_phys)
		return -1;
	__builtin_memset(phys_to_virt(v->io_bitmap_phys), 0xff, 2 * PAGE_SIZE);
	uint8_t *msr = phys_to_virt(v->msr_bitmap_phys);
	__builtin_memset(msr, 0xff, PAGE_SIZE);
	/* Layout (SDM Vol. 3C §25.6.9): read-low, read-high, write-low, write-high,
	 * 1 KiB each; high = MSRs 0xC0000000..0xC0001FFF. */
	for (uint32_t m = MSR_FS_BASE; m <= MSR_GS_BASE; m++) {
		uint32_t bit = m - 0xc0000000u;
		msr[1024 + bit / 8] &= (uint8_t) ~(1u << (bit % 8));
		msr[3072 + bit / 8] &= (uint8_t) ~(1u << (bit % 8));
	}
	return 0;
}

static void write_controls(struct vcpu *v)
{
	vmcs_write(VMCS_PIN_CONTROLS, v->ctl.ctl[VMX_CTL_PIN]);
	vmcs_write(VMCS_PROC_CONTROLS, v->ctl.ctl[VMX_CTL_PROC]);
	if (v->ctl.ctl[VMX_CTL_PROC] & VMX_PROC_SECONDARY_CONTROLS)
		vmcs_write(VMCS_PROC_CONTROLS2, v->ctl.ctl[VMX_CTL_PROC2]);
	if (v->vpid)
		vmcs_write(VMCS_VPID, v->vpid);
	vmcs_write(VMCS_EXIT_CONTROLS, v->ctl.ctl[VMX_CTL_EXIT]);
	vmcs_write(VMCS_ENTRY_CONTROLS, v->ctl.ctl[VMX_CTL_ENTRY]);
	vmcs_write(VMCS_EXCEPTION_BITMAP, vmx_exception_bit(VEC_PF));
	vmcs_write(VMCS_PF_ERRCODE_MASK, 0);
	vmcs_write(VMCS_PF_ERRCODE_MATCH, 0);
	vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
	vmcs_write(VMCS_IO_BITMAP_A, v->io_bitmap_phys);
	vmcs_write(VMCS_IO_BITMAP_B, v->io_bitmap_phys + PAGE_SIZE);
	vmcs_write(VMCS_MSR_BITMAP, v->msr_bitmap_phys);
	vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	vmcs_write(VMCS_CR0_GUEST_HOST_MASK,
	           CR0_OWNED |
	               vmx_cr_forced_bits(v->cpu->caps.cr0_fixed0, v->cpu->caps.cr0_fixed1));
	vmcs_write(VMCS_CR4_GUEST_HOST_MASK, ~0ull); /* the guest owns no CR4 bit */
	vmcs_write(VMCS_LINK_POINTER, LINK_POINTER_NONE);
}

static void write_host_state(struct vcpu *v)
{
	struct descriptor_table_ptr idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));

	vmcs_write(VMCS_HOST_CR0, read_cr0());
	vmcs_write(VMCS_HOST_CR3, read_cr3());
	vmcs_write(VMCS_HOST_CR4, read_cr4());
	vmcs_write(VMCS_HOST_CS_SEL, GDT_KERNEL_CODE);
	vmcs_write(VMCS_HOST_SS_SEL, GDT_KERNEL_DATA);
	vmcs_write(VMCS_HOST_DS_SEL, GDT_KERNEL_DATA);
	vmcs_write(VMCS_HOST_ES_SEL, GDT_KERNEL_DATA);
	vmcs_write(VMCS_HOST_FS_SEL, 0);
	vmcs_write(VMCS_HOST_GS_SEL, 0);
	vmcs_write(VMCS_HOST_TR_SEL, GDT_TSS);
	vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmcs_write(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmcs_write(VMCS_HOST_TR_BASE, tss_base());
	vmcs_write(VMCS_HOST_GDTR_BASE, gdt_base());
	vmcs_write(VMCS_HOST_IDTR_BASE, idtr.base);
	vmcs_write(VMCS_HOST_SYSENTER_CS, 0);
	vmcs_write(VMCS_HOST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_HOST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_HOST_RSP,
	           vcpu_exit_stack_init(v->exit_stack, sizeof(v->exit_stack), &v->regs));
	vmcs_write(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_entry);
}

static void write_segment(uint32_t sel_field, uint16_t sel, uint32_t ar)
{
	/* Selector, base, limit and access-rights fields are laid out in four
	 * groups with the same order (ES, CS, SS, DS, FS, GS, LDTR, TR), so the
	 * other fields follow from the selector's index (SDM Vol. 3C App. B). */
	uint32_t n = (sel_field - VMCS_GUEST_ES_SEL) / 2;
	vmcs_write(sel_field, sel);
	vmcs_write(VMCS_GUEST_ES_BASE + 2 * n, 0);
	vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * n, ar == VMX_AR_TSS_BUSY ? TSS_LIMIT : FLAT_LIMIT);
	vmcs_write(VMCS_GUEST_ES_AR + 2 * n, ar);
}

static void write_guest_state(struct vcpu *v, const struct guest_entry *e)
{
	write_segment(VMCS_GUEST_CS_SEL, GUEST_CS, VMX_AR_CODE32);
	write_segment(VMCS_GUEST_DS_SEL, GUEST_DS, VMX_AR_DATA32);
	write_segment(VMCS_GUEST_ES_SEL, GUEST_DS, VMX_AR_DATA32);
	write_segment(VMCS_GUEST_SS_SEL, GUEST_DS, VMX_AR_DATA32);
	write_segment(VMCS_GUEST_FS_SEL, GUEST_DS, VMX_AR_DATA32);
	write_segment(VMCS_GUEST_GS_SEL, GUEST_DS, VMX_AR_DATA32);
	write_segment(VMCS_GUEST_LDTR_SEL, 0, VMX_AR_LDT_UNUSABLE);
	write_segment(VMCS_GUEST_TR_SEL, 0, VMX_AR_TSS_BUSY);
	vmcs_write(VMCS_GUEST_GDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0xffff);
	vmcs_write(VMCS_GUEST_DR7, DR7_INIT);
	vmcs_write(VMCS_GUEST_RSP, 0);
	vmcs_write(VMCS_GUEST_RIP, e->rip);
	vmcs_write(VMCS_GUEST_RFLAGS, RFLAGS_RESERVED1);
	vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(VMCS_GUEST_ACTIVITY_STATE, 0);
	vmcs_write(VMCS_GUEST_PENDING_DBG_EXCEPTIONS, 0);
	v->regs.gpr[VCPU_RAX] = e->rax;
	v->regs.gpr[VCPU_RBX] = e->rbx;
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

void vcpu_flush_tlb(struct vcpu *v)
{
	if (!v->vpid)
		return; /* VPID 0: every VM entry and exit flushes guest mappings */
	uint64_t caps = v->cpu->caps.ept_vpid;
	uint64_t type = (caps & VMX_VPID_CAP_INVVPID_SINGLE) ? VMX_INVVPID_SINGLE_CONTEXT
	                                                     : VMX_INVVPID_ALL_CONTEXT;
	vmx_invvpid(type, v->vpid, 0);
}

int vmcs_setup(struct vcpu *v, const struct guest_entry *entry)
{
	if (choose_controls(v) || make_bitmaps(v))
		return -1;
	if (vmx_vmclear(v->vmcs_phys) != VMX_OK || vmx_vmptrld(v->vmcs_phys) != VMX_OK) {
		printf("vmx: VMCLEAR/VMPTRLD of the VMCS at %016lx failed\n",
		       (unsigned long)v->vmcs_phys);
		return -1;
	}
	write_controls(v);
	write_host_state(v);
	write_guest_state(v, entry);
	v->cr0 = CR0_PE | CR0_ET;
	v->cr4 = 0;
	v->efer = 0;
	vcpu_sync_control_regs(v);
	if (!vcpu_load_shadow_root(v)) {
		printf("vmx: no shadow root for the unpaged guest\n");
		return -1;
	}
	return 0;
}
