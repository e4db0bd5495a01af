/*
 * The idle step of guest-irq-idle with a known address after its HLT: an interrupt that
 * is pending before the STI must be taken only once the HLT has started (STI's interrupt
 * shadow, SDM Vol. 2B "STI"), so the handler sees idle_after_hlt as the return address.
 *   void idle_sti_hlt(void): STI; HLT; returns with IF = 0.
 */
	.text
	.globl idle_sti_hlt, idle_after_hlt
idle_sti_hlt:
	sti
	hlt
idle_after_hlt:
	cli
	ret
