/* Interrupt vectors for the interrupt and time guests (guest-irq-*): IDT gates for the NMI
 * and every vector from 32 up, each reaching a C handler with the saved state. */
#ifndef GUESTS_IRQ_VECTORS_H
#define GUESTS_IRQ_VECTORS_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/guests/trap.h"

#define VEC_NMI       2
#define VEC_FIRST_EXT 32 /* first vector an interrupt may use (SDM Vol. 3A §6.2) */
#define IRQ_VECTORS   256

/* RFLAGS.IF (SDM Vol. 1 §3.4.3). */
#define RFLAGS_IF (1ul << 9)

typedef void (*irq_handler_fn)(struct trap_frame *f);

/* Points the NMI gate and every gate from 32 up, except the ring-3 return gate 0x80, at
 * the irq stubs; a vector without a handler is counted as unexpected. */
void irq_vectors_init(void);
/* Handler of VEC (also takes over the gate of 0x80 when VEC is 0x80). */
void irq_set_handler(unsigned vec, irq_handler_fn fn);

/* Interrupts that reached a vector with no handler: count and the last vector. */
extern volatile uint32_t irq_unexpected_count, irq_unexpected_vector;
/* PASS when no interrupt arrived at a vector without a handler. */
void irq_report_unexpected(void);

void irq_dispatch(struct trap_frame *f);

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* STI's one-instruction interrupt shadow keeps an interrupt from arriving between the two:
 * the classic idle step (SDM Vol. 2B, STI). */
static inline void irq_enable_and_halt(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

#endif
