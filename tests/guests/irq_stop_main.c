/*
 * Guests that never finish, for the hypervisor's own limits (one source, three builds):
 *   guest-irq-spin      IRQ_STOP_SPIN      "irq-spin: spinning", then CLI; JMP . for ever:
 *                                          only a time limit can stop it
 *   guest-irq-spin-sti  IRQ_STOP_SPIN_STI  "irq-spin-sti: spinning", then STI; JMP . with
 *                                          every interrupt source masked
 *   guest-irq-halt      IRQ_STOP_HALT      "irq-halt: halting", then STI; HLT in a loop with
 *                                          every interrupt source masked: idle for ever
 *   guest-irq-halt-cli  IRQ_STOP_HALT_CLI  "irq-halt-cli: halting with interrupts off",
 *                                          then CLI; HLT: nothing can ever wake it
 * None prints a result: there is nothing to judge inside the guest.
 */
#include "tests/guests/desc.h"
#include "tests/guests/guest.h"
#include "tests/guests/irq_apic.h"
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_setup.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/report.h"

const char guest_name[] = GUEST_PROG;

/* Should anything arrive after all, say which vector once: the hypervisor's test sees it. */
static void on_any(struct trap_frame *f)
{
	static bool told;
	if (!told)
		report_info("woken by vector 0x%lx", f->vector);
	told = true;
}

/* The 8259 pair masked (irq_platform_init) and every local APIC entry masked, so that
 * only the hypervisor's limit ends the guest. */
static void mask_everything(void)
{
	irq_platform_init();
	apic_mask_lvts();
	for (unsigned v = VEC_FIRST_EXT; v < IRQ_VECTORS; v++)
		if (v != VEC_USER_RETURN)
			irq_set_handler(v, on_any);
}

void guest_main(void)
{
	mask_everything();
#if defined(IRQ_STOP_SPIN)
	report_info("spinning");
	__asm__ volatile("cli; 1: jmp 1b");
#elif defined(IRQ_STOP_SPIN_STI)
	report_info("spinning");
	__asm__ volatile("sti; 1: jmp 1b");
#elif defined(IRQ_STOP_HALT)
	report_info("halting");
	for (;;)
		irq_enable_and_halt();
#elif defined(IRQ_STOP_HALT_CLI)
	report_info("halting with interrupts off");
	__asm__ volatile("cli; 1: hlt; jmp 1b");
#else
#error "one of IRQ_STOP_SPIN, IRQ_STOP_SPIN_STI, IRQ_STOP_HALT, IRQ_STOP_HALT_CLI"
#endif
}
