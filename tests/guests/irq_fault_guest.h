/* guest-irq-fault's register canaries, shared by its C code and irq_fault_canary.S:
 * while the loops run, rbx, rbp and r8-r15 hold CANARY_VALUE(0..9). */
#ifndef GUESTS_IRQ_FAULT_GUEST_H
#define GUESTS_IRQ_FAULT_GUEST_H

#define CANARY_BASE     0x5afec0de00000000
#define CANARY_VALUE(n) (CANARY_BASE + (n)*0x1111)
#define CANARY_REGS     10 /* rbx, rbp, r8 .. r15 */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Writes the page index I to BASE + I * 4096 + OFFSET for every page, with the canaries
 * live; returns a bit mask of the canary registers found changed (bit N: CANARY_VALUE(N)). */
uint64_t canary_touch(uintptr_t base, uint64_t pages, uint64_t offset);
/* COUNT times int $0x80 with the canaries live; the same mask. */
uint64_t canary_int80(uint64_t count);

/* Where the canaries are live: [canary_touch_live, canary_touch_done) and the same for
 * canary_int80. */
extern char canary_touch_live[], canary_touch_done[], canary_int_live[], canary_int_done[];
#endif

#endif
