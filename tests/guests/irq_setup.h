/* The start every irq guest shares: its interrupt vectors, the local APIC in virtual-wire
 * mode, the 8259 pair with every line masked, and the TSC calibrated. */
#ifndef GUESTS_IRQ_SETUP_H
#define GUESTS_IRQ_SETUP_H

#include <stdbool.h>

/* Vectors, virtual wire (irq_apic.h), PIT channel 0 stopped, 8259 pair at 0x20/0x28 all
 * masked. IF stays 0. */
void irq_platform_init(void);
/* Calibrates the TSC against PIT channel 2 (irq_pit.h) and prints "tsc N kHz"; PASS when
 * another run agrees with the one kept within their uncertainties plus 0.5 %, the kept
 * one is known to 10 %, and the TSC runs at 1 MHz at least. */
bool irq_setup_tsc(void);

#define SKIP_TCG_RATE "QEMU TCG on a loaded host drops timer periods itself"
/* True (and a SKIP printed) when a rate test NAME failed under QEMU TCG; see irq_setup.c. */
bool irq_rate_skip(const char *name, bool ok);

/* Bochs, told by its port 0xe9 hack (a read returns 0xe9; tools/bochs.bxrc.in enables
 * it). Only for SKIPs of known Bochs deviations, never under hvx86. */
bool irq_env_bochs(void);

#endif
