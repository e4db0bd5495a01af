/*
 * Exception and NMI exits (reason 0). The exception bitmap holds #PF (shadow
 * paging) and, while a page-table write is being stepped, every exception:
 * the single-step #DB that ends the step, and anything the stepped
 * instruction raised, which goes back to the guest once the step is
 * finished. Host NMIs are nothing of the guest's.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"

/* The #DB exit qualification carries what DR6 would have said (SDM Vol. 3C
 * §27.2.1 table 27-1): B0-B3, BD and BS. */
#define DB_QUAL_BREAKPOINTS 0xfull
#define DB_QUAL_BD          (1ull << 13)
#define DB_QUAL_BS          (1ull << 14)

/* A #DB for the guest (a breakpoint of its own): DR6 gets the bits, since a
 * #DB that exits leaves DR6 alone (§27.1). */
static void reflect_debug(struct vcpu *v, uint64_t qual)
{
	write_dr6(read_dr6() | (qual & (DB_QUAL_BREAKPOINTS | DB_QUAL_BD | DB_QUAL_BS)));
	vcpu_reflect_exception(v);
}

void exit_exception(struct vcpu *v, uint64_t qual)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	uint32_t vector = vmx_intr_info_vector(info);

	if (vmx_intr_info_type(info) == VMX_INTR_TYPE_NMI)
		return; /* a host NMI: nothing of the guest's */
	if (vector == VEC_PF) {
		exit_page_fault(v, qual);
		return;
	}
	if (vector == VEC_DB && v->step.active) {
		/* The step's own trap, and the guest's if it was single-stepping
		 * itself. */
		if (!(qual & (DB_QUAL_BREAKPOINTS | DB_QUAL_BD))) {
			if (step_finish(v, true)) {
				write_dr6(read_dr6() | DB_QUAL_BS);
				vcpu_inject(v, VEC_DB, false, 0);
			}
			return;
		}
		/* A breakpoint of the guest's as well: one #DB with its bits, and BS
		 * only if the guest's own TF asked for it. */
		step_finish(v, false);
		if (!v->step.guest_tf)
			qual &= ~DB_QUAL_BS;
		reflect_debug(v, qual);
		return;
	}
	if (vector == VEC_DB) {
		reflect_debug(v, qual);
		return;
	}
	vcpu_reflect_exception(v);
}
