/*
 * VM-exit dispatch (Intel SDM Vol. 3C ch. 27-28): read the exit reason,
 * count it, call its handler, and re-inject an event whose delivery the exit
 * interrupted (§28.2.4). Entry failures and unknown exits end the guest with
 * their reason and qualification in the log.
 */
#include "arch/x86/panic.h"
#include "arch/x86/printf.h"
#include "vmx/exit/exit.h"
#include "vmx/cpu/exit_stub.h"
#include "vmx/hw/insn.h"
#include "vmx/hw/names.h"
#include "vmx/hw/vmcs.h"

#define VEC_UD 6

void vcpu_stop(struct vcpu *v, uint32_t status, const char *why)
{
	vuart_flush(&v->uart);
	v->stopped = true;
	v->status = status;
	snprintf(v->result, sizeof(v->result), "%s", why);
	vmx_guest_stop(&v->regs);
}

void vcpu_inject(struct vcpu *v, uint32_t vector, bool has_error, uint32_t error)
{
	(void)v;
	vmcs_write(VMCS_ENTRY_INTR_INFO,
	           vmx_intr_info_make(vector, VMX_INTR_TYPE_HW_EXCEPTION, has_error));
	if (has_error)
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERRCODE, error);
}

void vcpu_skip_instruction(struct vcpu *v)
{
	(void)v;
	vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) + vmcs_read(VMCS_EXIT_INSTR_LEN));
}

/* An exit during event delivery (e.g. a #PF on the guest's IDT or stack)
 * loses the event: deliver it again unless the handler injected another. */
static void reinject_interrupted_event(uint32_t vectoring, uint32_t error)
{
	if (!vmx_intr_info_valid(vectoring))
		return;
	if (vmx_intr_info_valid((uint32_t)vmcs_read(VMCS_ENTRY_INTR_INFO)))
		return;
	vmcs_write(VMCS_ENTRY_INTR_INFO, vectoring & ~VMX_INTR_INFO_NMI_UNBLOCKED_IRET);
	if (vmx_intr_info_has_errcode(vectoring))
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERRCODE, error);
	uint32_t type = vmx_intr_info_type(vectoring);
	if (type == VMX_INTR_TYPE_SW_INT || type == VMX_INTR_TYPE_SW_EXCEPTION ||
	    type == VMX_INTR_TYPE_PRIV_SW_EXCEPTION)
		vmcs_write(VMCS_ENTRY_INSTR_LEN, vmcs_read(VMCS_EXIT_INSTR_LEN));
}

static void entry_failed(struct vcpu *v, uint32_t reason, uint64_t qual)
{
	uint32_t basic = vmx_exit_reason_basic(reason);
	const char *meaning = vmx_entry_failure_meaning(basic);
	printf("vmx: VM entry failed: exit reason %u (%s: %s), qualification %lu\n", basic,
	       vmx_exit_reason_name(basic), meaning ? meaning : "?", (unsigned long)qual);
	vmcs_dump_guest();
	vcpu_stop(v, 1, "VM entry failed");
}

static void unhandled_exit(struct vcpu *v, uint32_t basic, uint64_t qual)
{
	char why[96];
	printf("vmx: unhandled exit %u (%s), qualification 0x%lx, rip 0x%lx\n", basic,
	       vmx_exit_reason_name(basic), (unsigned long)qual,
	       (unsigned long)vmcs_read(VMCS_GUEST_RIP));
	snprintf(why, sizeof(why), "unhandled exit %s", vmx_exit_reason_name(basic));
	vcpu_stop(v, 1, why);
}

static void dispatch(struct vcpu *v, uint32_t basic, uint64_t qual)
{
	switch (basic) {
	case VMX_EXIT_EXCEPTION_NMI:
		exit_exception(v, qual);
		break;
	case VMX_EXIT_EXTERNAL_INTERRUPT:
		break; /* the PIC is masked; nothing to do but resume */
	case VMX_EXIT_TRIPLE_FAULT:
		printf("vmx: guest triple fault at rip 0x%lx\n",
		       (unsigned long)vmcs_read(VMCS_GUEST_RIP));
		vcpu_stop(v, 1, "triple fault");
	case VMX_EXIT_CPUID:
		exit_cpuid(v);
		break;
	case VMX_EXIT_HLT:
		/* No interrupt can wake it (none is ever delivered): the guest
		 * stopped without reporting a status, which counts as failure. */
		vcpu_stop(v, 1, "halted without an exit status");
	case VMX_EXIT_INVLPG:
		exit_invlpg(v, qual);
		break;
	case VMX_EXIT_VMCALL:
		exit_vmcall(v);
		break;
	case VMX_EXIT_CR_ACCESS:
		exit_cr_access(v, qual);
		break;
	case VMX_EXIT_IO_INSTRUCTION:
		exit_io(v, qual);
		break;
	case VMX_EXIT_RDMSR:
		exit_rdmsr(v);
		break;
	case VMX_EXIT_WRMSR:
		exit_wrmsr(v);
		break;
	case VMX_EXIT_VMCLEAR:
	case VMX_EXIT_VMLAUNCH:
	case VMX_EXIT_VMPTRLD:
	case VMX_EXIT_VMPTRST:
	case VMX_EXIT_VMREAD:
	case VMX_EXIT_VMRESUME:
	case VMX_EXIT_VMWRITE:
	case VMX_EXIT_VMXOFF:
	case VMX_EXIT_VMXON:
	case VMX_EXIT_INVEPT:
	case VMX_EXIT_INVVPID:
	case VMX_EXIT_VMFUNC:
		/* VMX instructions always exit in VMX non-root operation (SDM Vol. 3C
		 * §26.1.2); VMX is hidden from guests, so they get #UD as on a CPU
		 * with CR4.VMXE = 0. */
		vcpu_inject(v, VEC_UD, false, 0);
		break;
	case VMX_EXIT_INVD:
		vcpu_skip_instruction(v); /* guest memory is write-back host RAM */
		break;
	default:
		unhandled_exit(v, basic, qual);
	}
}

void vmx_exit_dispatch(struct vcpu_regs *regs)
{
	struct vcpu *v = vcpu_of(regs);
	uint32_t reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
	uint32_t basic = vmx_exit_reason_basic(reason);
	uint64_t qual = vmcs_read(VMCS_EXIT_QUALIFICATION);

	v->exit_total++;
	v->exits[basic < VCPU_EXIT_REASONS ? basic : 0]++;
	if (vmx_exit_reason_is_entry_failure(reason))
		entry_failed(v, reason, qual);
	uint32_t vectoring = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
	uint32_t vectoring_error = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_ERRCODE);
	dispatch(v, basic, qual);
	reinject_interrupted_event(vectoring, vectoring_error);
	if (!vcpu_load_shadow_root(v))
		vcpu_stop(v, 1, "no shadow root");
}

void vmx_resume_failed(uint64_t rflags)
{
	uint32_t err = (rflags & 0x40) ? vmx_insn_error() : 0; /* ZF: VMfailValid */
	printf("vmx: VMRESUME failed: VM-instruction error %u (%s)\n", err,
	       vmx_insn_error_name(err));
	vmcs_dump_guest();
	panic("vmx: cannot resume the guest");
}
