/*
 * Programming a VMCS for a guest under shadow paging (Intel SDM Vol. 3C
 * ch. 24): controls chosen from the capability MSRs, host state from this
 * kernel, and the guest state a loader asked for (vmx/load/boot_state.h).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "arch/x86/cr.h"
#include "arch/x86/gdt.h"
#include "arch/x86/printf.h"
#include "mm/directmap.h"
#include "mm/kmem.h"
#include "vmx/cpu/exit_stub.h"
#include "vmx/cpu/state.h"
#include "vmx/hw/insn.h"
#include "vmx/hw/msr_vmx.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

#define DR7_INIT          0x400
#define LINK_POINTER_NONE (~0ull)

/* What we intercept (CR bits the guest may not set directly). */
#define CR0_OWNED (CR0_PE | CR0_PG | CR0_WP | CR0_NE | CR0_CD | CR0_NW)

/* The boot state's access-rights layout is the VMCS's. */
_Static_assert(BOOT_AR_CODE32 == VMX_AR_CODE32, "boot state code segment");
_Static_assert(BOOT_AR_DATA32 == VMX_AR_DATA32, "boot state data segment");
_Static_assert(BOOT_AR_TSS32 == VMX_AR_TSS_BUSY, "boot state TSS");
_Static_assert(BOOT_AR_LDT_UNUSABLE == VMX_AR_LDT_UNUSABLE, "boot state LDT");
_Static_assert(BOOT_RSP == VCPU_RSP && BOOT_RSI == VCPU_RSI && BOOT_GPRS == VCPU_NR_GPRS,
               "boot state register numbers");

/* Each guest gets a VPID of its own, 1..65535 round robin (0 is the host's),
 * and starts with its TLB empty for it: translations a guest cached must never
 * serve the next one (SDM Vol. 3C §29.1: VM entries and exits keep them). */
static uint16_t next_vpid(void)
{
	static uint16_t last;

	last = last == 0xffff ? 1 : (uint16_t)(last + 1);
	return last;
}

static int choose_controls(struct vcpu *v)
{
	struct vmx_ctl_request req[VMX_CTL_COUNT] = {
	    /* Host interrupts and NMIs exit; NMIs for the guest are virtual (for the
	     * NMI window); the preemption timer where there is one. */
	    [VMX_CTL_PIN] = {.required = VMX_PIN_EXT_INT_EXITING | VMX_PIN_NMI_EXITING,
	                     .wanted = VMX_PIN_VIRTUAL_NMIS | VMX_PIN_PREEMPT_TIMER},
	    /* CR8 is the virtual APIC's TPR, RDPMC finds no counters, RDTSC runs
	     * with the guest's offset, MONITOR/MWAIT are hidden (#UD). */
	    [VMX_CTL_PROC] = {.required = VMX_PROC_HLT_EXITING | VMX_PROC_INVLPG_EXITING |
	                                  VMX_PROC_CR3_LOAD_EXITING | VMX_PROC_CR3_STORE_EXITING |
	                                  VMX_PROC_CR8_LOAD_EXITING | VMX_PROC_CR8_STORE_EXITING |
	                                  VMX_PROC_RDPMC_EXITING | VMX_PROC_TSC_OFFSETTING |
	                                  VMX_PROC_MWAIT_EXITING | VMX_PROC_MONITOR_EXITING |
	                                  VMX_PROC_USE_IO_BITMAPS | VMX_PROC_USE_MSR_BITMAPS},
	    [VMX_CTL_PROC2] = {.wanted = VMX_PROC2_ENABLE_VPID},
	    /* DR7 and IA32_DEBUGCTL are the guest's: loaded and saved with it. */
	    [VMX_CTL_EXIT] = {.required = VMX_EXIT_CTL_HOST_ADDR_SPACE_SIZE |
	                                  VMX_EXIT_CTL_SAVE_DEBUG_CONTROLS,
	                      .wanted = VMX_EXIT_CTL_ACK_INT_ON_EXIT},
	    [VMX_CTL_ENTRY] = {.required = VMX_ENTRY_CTL_LOAD_DEBUG_CONTROLS},
	};
	struct vmx_ctl_failure fail;

	if (vmx_choose_controls(&v->cpu->caps, req, &v->ctl, &fail) != 0) {
		vmx_ctl_failure_print(&v->cpu->caps, &fail, printf);
		return -1;
	}
	/* Shadow paging only: never EPT or unrestricted guest, even where offered. */
	v->ctl.ctl[VMX_CTL_PROC2] &= ~(VMX_PROC2_ENABLE_EPT | VMX_PROC2_UNRESTRICTED_GUEST);
	/* A VPID is useless without INVVPID to empty it (single or all context). */
	uint64_t ev = v->cpu->caps.ept_vpid;
	if (!(ev & VMX_VPID_CAP_INVVPID) ||
	    !(ev & (VMX_VPID_CAP_INVVPID_SINGLE | VMX_VPID_CAP_INVVPID_ALL)))
		v->ctl.ctl[VMX_CTL_PROC2] &= ~VMX_PROC2_ENABLE_VPID;
	v->vpid = (v->ctl.ctl[VMX_CTL_PROC2] & VMX_PROC2_ENABLE_VPID) ? next_vpid() : 0;
	vmx_controls_print(&v->ctl, printf);
	return 0;
}

static int make_bitmaps(struct vcpu *v)
{
	/* I/O bitmaps A and B: every port exits. MSR bitmap: every MSR exits
	 * except those the guest owns in the real registers (vmx/cpu/state.h). */
	v->io_bitmap_phys = frame_alloc_run(kmem_frames(), 2, 1);
	v->msr_bitmap_phys = frame_alloc(kmem_frames());
	v->msr_area_phys = frame_alloc(kmem_frames());
	if (!v->io_bitmap_phys || !v->msr_bitmap_phys || !v->msr_area_phys)
		return -1;
	__builtin_memset(phys_to_virt(v->io_bitmap_phys), 0xff, 2 * PAGE_SIZE);
	__builtin_memset(phys_to_virt(v->msr_area_phys), 0, PAGE_SIZE);
	uint8_t *msr = phys_to_virt(v->msr_bitmap_phys);
	__builtin_memset(msr, 0xff, PAGE_SIZE);
	/* Layout (SDM Vol. 3C §25.6.9): read-low, read-high, write-low, write-high,
	 * 1 KiB each; high = MSRs 0xC0000000..0xC0001FFF. */
	for (unsigned i = 0; i < vcpu_passthrough_msr_count; i++) {
		uint32_t bit = vcpu_passthrough_msrs[i] - 0xc0000000u;
		msr[1024 + bit / 8] &= (uint8_t) ~(1u << (bit % 8));
		msr[3072 + bit / 8] &= (uint8_t) ~(1u << (bit % 8));
	}
	return 0;
}

static void write_msr_lists(struct vcpu *v)
{
	vcpu_sync_real_efer(v);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_ADDR, v->msr_area_phys);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 1);
	vmcs_write(VMCS_EXIT_MSR_LOAD_ADDR,
	           v->msr_area_phys + VCPU_MSR_AREA_EXIT_LOAD * sizeof(struct vmx_msr_entry));
	vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 1);
	vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
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
	vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	v->cr0_host_owned =
	    CR0_OWNED | vmx_cr_forced_bits(v->cpu->caps.cr0_fixed0, v->cpu->caps.cr0_fixed1);
	vmcs_write(VMCS_CR0_GUEST_HOST_MASK, v->cr0_host_owned);
	vmcs_write(VMCS_CR4_GUEST_HOST_MASK, ~0ull); /* the guest owns no CR4 bit */
	vmcs_write(VMCS_LINK_POINTER, LINK_POINTER_NONE);
}

static void write_host_state(struct vcpu *v, vcpu_exit_fn on_exit)
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
	vmcs_write(VMCS_HOST_RSP, vcpu_exit_stack_init(v->exit_stack, sizeof(v->exit_stack),
	                                               &v->regs, (vcpu_regs_exit_fn)on_exit));
	vmcs_write(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_entry);
}

static void write_segment(uint32_t sel_field, const struct boot_segment *seg)
{
	/* Selector, base, limit and access-rights fields are laid out in four
	 * groups with the same order (ES, CS, SS, DS, FS, GS, LDTR, TR), so the
	 * other fields follow from the selector's index (SDM Vol. 3C App. B). */
	uint32_t n = (sel_field - VMCS_GUEST_ES_SEL) / 2;
	vmcs_write(sel_field, seg->selector);
	vmcs_write(VMCS_GUEST_ES_BASE + 2 * n, seg->base);
	vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * n, seg->limit);
	vmcs_write(VMCS_GUEST_ES_AR + 2 * n, seg->access);
}

static void write_guest_state(struct vcpu *v, const struct boot_state *b)
{
	write_segment(VMCS_GUEST_CS_SEL, &b->cs);
	write_segment(VMCS_GUEST_DS_SEL, &b->ds);
	write_segment(VMCS_GUEST_ES_SEL, &b->es);
	write_segment(VMCS_GUEST_SS_SEL, &b->ss);
	write_segment(VMCS_GUEST_FS_SEL, &b->fs);
	write_segment(VMCS_GUEST_GS_SEL, &b->gs);
	write_segment(VMCS_GUEST_LDTR_SEL, &b->ldtr);
	write_segment(VMCS_GUEST_TR_SEL, &b->tr);
	vmcs_write(VMCS_GUEST_GDTR_BASE, b->gdt_base);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, b->gdt_limit);
	vmcs_write(VMCS_GUEST_IDTR_BASE, b->idt_base);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, b->idt_limit);
	vmcs_write(VMCS_GUEST_DR7, DR7_INIT);
	vmcs_write(VMCS_GUEST_RSP, b->gpr[BOOT_RSP]);
	vmcs_write(VMCS_GUEST_RIP, b->rip);
	vmcs_write(VMCS_GUEST_RFLAGS, b->rflags);
	vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(VMCS_GUEST_ACTIVITY_STATE, 0);
	vmcs_write(VMCS_GUEST_PENDING_DBG_EXCEPTIONS, 0);
	for (unsigned i = 0; i < VCPU_NR_GPRS; i++)
		if (i != VCPU_RSP)
			v->regs.gpr[i] = b->gpr[i];
}

int vmcs_setup(struct vcpu *v, const struct boot_state *boot, vcpu_exit_fn on_exit)
{
	if (choose_controls(v) || make_bitmaps(v))
		return -1;
	if (vmx_vmclear(v->vmcs_phys) != VMX_OK || vmx_vmptrld(v->vmcs_phys) != VMX_OK) {
		printf("vmx: VMCLEAR/VMPTRLD of the VMCS at %016lx failed\n",
		       (unsigned long)v->vmcs_phys);
		return -1;
	}
	write_controls(v);
	if (vcpu_has_preemption_timer(v))
		vmcs_write(VMCS_GUEST_PREEMPT_TIMER, 0xffffffffu);
	vcpu_flush_tlb(v);
	write_host_state(v, on_exit);
	write_guest_state(v, boot);
	/* The guest's TSC starts near 0 (RDTSC and IA32_TSC add this offset). */
	v->tsc_offset = 0 - rdtsc();
	vmcs_write(VMCS_TSC_OFFSET, v->tsc_offset);
	v->msr.pat = VCPU_PAT_RESET;
	v->msr.misc_enable = VCPU_MISC_ENABLE_RESET;
	if (vcpu_start_paging(v, boot))
		return -1;
	write_msr_lists(v);
	return 0;
}
