/*
 * The lapic suite's machine around one local APIC: a guest clock the test
 * moves by hand, a fake 8259 pair behind LINT0 (one vector it presents
 * until its INTA), the vCPU's side through vlapic_intr_ops, the machine's
 * loop that runs the APIC timer, and register accesses at the default base.
 */
#ifndef TESTS_UNIT_LAPIC_RIG_H
#define TESTS_UNIT_LAPIC_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/lapic.h"

#define BASE      VLAPIC_DEFAULT_BASE
#define NS_PER_US 1000ull
#define NS_PER_MS 1000000ull
#define NS_PER_S  1000000000ull
/* Guest time at rig_reset: not 0 and not on a tick of any divider, so a
 * model that counted from guest time 0 would fail. */
#define T0        (3 * NS_PER_S + 777ull)

struct rig {
	struct vlapic apic;
	uint64_t now;
	struct io_clock clock;
	struct io_intr intr; /* what the vCPU sees: the APIC */
	int pic_vector;      /* the fake 8259's INTR: a vector, or IO_INTR_NONE */
	unsigned pic_acks;
	unsigned fires;      /* timer callbacks run by run_until */
	unsigned taken[256]; /* vectors taken (ack + EOI) by take_all */
	uint64_t last_taken_ns[256];
	char log[4096]; /* what the log wrote */
};

extern struct rig rig;

/* A fresh APIC at power-up at guest time T0 with the clock attached and the
 * fake 8259 connected, presenting nothing. */
struct vlapic *rig_reset(void);
/* The same, then software-enabled with spurious vector 0xFF. */
struct vlapic *rig_enabled(void);
void rig_at(uint64_t ns);

/* The vCPU's side. */
int pending(void);
int ack(void);
void eoi(void);
/* Take every deliverable fixed interrupt now, as a guest that handles each
 * and writes EOI: count them in rig.taken. Returns how many. */
unsigned take_all(void);

/* Run the APIC timer as the machine does until guest time `until`, each
 * fire `late` ns after its deadline, taking interrupts after each fire;
 * guest time ends at `until`. */
void run_until(uint64_t until, uint64_t late);

/* Whether vector v is set in the 256-bit register at `set` (IRR, ISR,
 * TMR), read through MMIO. */
bool reg_has(uint32_t set, uint8_t v);
/* Number of bits set in IRR, ISR or TMR. */
unsigned reg_count(uint32_t set);

/* vlapic_print into rig.log. */
void print_capture(void);

/* Aligned 32-bit accesses at the default base that must be accepted. */
uint32_t lapic_rd(struct vlapic *a, uint32_t off);
enum vlapic_status lapic_wr(struct vlapic *a, uint32_t off, uint32_t v);
void lapic_sw_enable(struct vlapic *a);
/* The same on rig.apic. */
uint32_t rd(uint32_t off);
void wr(uint32_t off, uint32_t v);
/* ICR high, then ICR low. */
void send_ipi(uint32_t high, uint32_t low);

#endif
