/*
 * The local APIC of the guest's one vCPU, in xAPIC mode only (Intel SDM
 * Vol. 3A "Advanced Programmable Interrupt Controller", chapter 11; 12 in
 * editions from 2023). Pure logic: the register page and the
 * IA32_APIC_BASE MSR as state plus read/write functions; the caller traps
 * the accesses and turns statuses into log lines or #GP.
 *
 * No interrupt is ever delivered by this hypervisor: IRR, ISR and TMR read
 * 0, the processor priority follows the TPR alone, an IPI is "sent" at once
 * (delivery status reads idle) and only counted, and the timer counts down
 * without ever firing. That is enough for guests that probe, program and
 * mask the APIC, and for INIT/SIPI start-up code on a one-CPU machine.
 *
 * Choices where the SDM leaves latitude (documented in the files):
 *  - Clearing the global enable bit (IA32_APIC_BASE[11]) returns every
 *    register to its power-up state (§11.4.3 "may be lost"); while it is
 *    clear the page is not the APIC: vlapic_handles() is false and the
 *    caller treats it as unbacked memory (reads all ones). CPUID.1:EDX[9]
 *    (APIC present) should then read 0: see vlapic_hw_enabled().
 *  - Software disable (SVR[8] = 0, the reset state) keeps every register
 *    readable and writable but holds all LVT mask bits set (§11.4.7.2).
 *  - The APIC base cannot move from 0xFEE00000 (#GP): a page inside guest
 *    RAM would not trap.
 *  - Writes to the APIC ID are kept (the SDM says that is model specific).
 */
#ifndef VMX_VLAPIC_H
#define VMX_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/io/clock.h"
#include "vmx/io/log.h"
#include "vmx/dev/lapic_regs.h"

/* IA32_APIC_BASE (MSR 0x1B, SDM §11.4.4 figure 11-5). */
#define VLAPIC_MSR_APIC_BASE  0x1bu
#define VLAPIC_BASE_BSP       (1ull << 8)
#define VLAPIC_BASE_X2APIC    (1ull << 10) /* EXTD: reserved here, x2APIC is not offered */
#define VLAPIC_BASE_ENABLE    (1ull << 11)
#define VLAPIC_BASE_ADDR_MASK (~0xfffull)
#define VLAPIC_DEFAULT_BASE   0xfee00000ull

/* What an MSR write did. Anything but OK: the caller injects #GP(0) and
 * leaves RIP on the WRMSR; the model is unchanged. */
enum vlapic_msr_status {
	VLAPIC_MSR_OK = 0,
	VLAPIC_MSR_X2APIC,        /* bit 10 set: x2APIC mode is not offered */
	VLAPIC_MSR_RESERVED_BITS, /* bits 0..7, 9 or >= MAXPHYADDR set */
	VLAPIC_MSR_BASE_MOVED,    /* relocating the APIC page is refused */
};

/* What an MMIO access did. */
enum vlapic_status {
	VLAPIC_OK = 0,
	VLAPIC_IPI_SENT,  /* a write to ICR low sent an IPI: see vlapic.last_ipi */
	VLAPIC_READ_ONLY, /* write to a read-only register: dropped */
	VLAPIC_RESERVED,  /* reserved offset: reads 0, writes dropped, ESR bit 7 */
	VLAPIC_REFUSED,   /* not a 32-bit access at a 16-byte aligned offset: the
	                   * read gives all ones, the write is dropped; log it */
	VLAPIC_UNCLAIMED, /* not the APIC page (outside it, or globally disabled):
	                   * treat as unbacked memory; the read gives all ones */
};

/* IPI kinds by delivery mode (ICR bits 10..8), plus INIT de-assert. */
enum vlapic_ipi_kind {
	VLAPIC_IPI_FIXED = 0,
	VLAPIC_IPI_LOWEST,
	VLAPIC_IPI_SMI,
	VLAPIC_IPI_NMI,
	VLAPIC_IPI_INIT,
	VLAPIC_IPI_INIT_DEASSERT, /* INIT, level de-assert: an arbitration-ID sync */
	VLAPIC_IPI_STARTUP,
	VLAPIC_IPI_RESERVED_MODE, /* delivery modes 3 and 7 */
	VLAPIC_IPI_KINDS
};

struct vlapic_ipi {
	uint32_t icr_low, icr_high; /* as written */
	uint8_t kind;               /* enum vlapic_ipi_kind */
	uint8_t vector;
	bool to_self;       /* this vCPU is a destination (nothing is delivered) */
	bool to_others;     /* other APICs are addressed: none exist, a no-op */
	bool first_of_kind; /* the first IPI of this kind: the caller logs it */
};

struct vlapic {
	uint64_t base_msr;          /* IA32_APIC_BASE as the guest reads it */
	uint8_t initial_id;         /* the hardware-assigned APIC ID */
	uint8_t phys_addr_bits;     /* MAXPHYADDR the guest is told */
	uint32_t reg[VLAPIC_SLOTS]; /* register values, indexed by offset / 16 */
	uint32_t esr_pending;       /* errors since the last ESR write (§11.5.3) */
	uint32_t timer_current;     /* current-count register */

	/* Statistics for the log: nothing here changes what the guest sees. */
	struct vlapic_ipi last_ipi;
	uint64_t ipis[VLAPIC_IPI_KINDS];
	uint64_t self_ipis;
	uint64_t eoi_writes;
	uint64_t hw_disables; /* times the global enable bit was cleared */

	/* Where the guest's noteworthy accesses are logged (vmx/dev/lapic_bus.c). */
	struct io_log *log;
	const struct io_clock *clock;
	bool refused_logged;
};

/* Power-up state: enabled at 0xFEE00000, BSP, software-disabled (SVR 0xFF),
 * every LVT masked (§11.4.7.1). */
void vlapic_init(struct vlapic *a, uint8_t apic_id, uint8_t phys_addr_bits);

/* RDMSR/WRMSR of IA32_APIC_BASE (vmx/vlapic_msr.c). The BSP bit is
 * read-only: a written value is ignored. */
uint64_t vlapic_read_base_msr(const struct vlapic *a);
enum vlapic_msr_status vlapic_write_base_msr(struct vlapic *a, uint64_t value);
const char *vlapic_msr_status_name(enum vlapic_msr_status s);

/* The global enable bit was cleared: every register returns to its
 * power-up value (called by vlapic_write_base_msr). */
void vlapic_hw_disable(struct vlapic *a);

static inline bool vlapic_hw_enabled(const struct vlapic *a)
{
	return (a->base_msr & VLAPIC_BASE_ENABLE) != 0;
}

static inline bool vlapic_sw_enabled(const struct vlapic *a)
{
	return (a->reg[vlapic_slot(APIC_SVR)] & APIC_SVR_ENABLE) != 0;
}

static inline uint64_t vlapic_base(const struct vlapic *a)
{
	return a->base_msr & VLAPIC_BASE_ADDR_MASK; /* bits >= MAXPHYADDR are never set */
}

/* True if `gpa` is in the APIC page and the APIC is globally enabled. */
bool vlapic_handles(const struct vlapic *a, uint64_t gpa);

/*
 * A guest access of `size` bytes at guest-physical `gpa` (vmx/vlapic.c).
 * Only aligned 32-bit accesses to offset 16*n are defined (§11.4.1); a
 * read always stores something in *value (all ones unless VLAPIC_OK or
 * VLAPIC_RESERVED).
 */
enum vlapic_status vlapic_mmio_read(struct vlapic *a, uint64_t gpa, unsigned size, uint32_t *value);
enum vlapic_status vlapic_mmio_write(struct vlapic *a, uint64_t gpa, unsigned size, uint32_t value);
const char *vlapic_status_name(enum vlapic_status s);

/* Register name for logs ("ICR low", "LVT timer"), or "reserved". */
const char *vlapic_reg_name(uint32_t offset);

/* The ICR was written: classify and count the IPI (vmx/vlapic_ipi.c). */
void vlapic_send_ipi(struct vlapic *a);
const char *vlapic_ipi_kind_name(enum vlapic_ipi_kind k);

/*
 * Timer (vmx/vlapic_timer.c). A deterministic model, no clock: every read
 * of the current count advances time by VLAPIC_TIMER_BUS_TICKS_PER_READ
 * bus clocks, i.e. the count drops by that many divided by the divide
 * configuration (at least 1). One-shot: it stops at 0. Periodic (LVT timer
 * bit 17): on reaching 0 it reloads the initial count. An initial count of
 * 0 stops the timer: the current count then stays 0. Expiry raises
 * nothing.
 */
#define VLAPIC_TIMER_BUS_TICKS_PER_READ 1024u
void vlapic_timer_start(struct vlapic *a, uint32_t initial);
uint32_t vlapic_timer_read_current(struct vlapic *a);

/* The register state in a few "lapic: ..." lines (vmx/dev/lapic_print.c). */
void vlapic_print(const struct vlapic *a, struct io_log *log);

/* On the bus (vmx/dev/lapic_bus.c): the register page as an MMIO range based
 * at VLAPIC_DEFAULT_BASE, IA32_APIC_BASE as an MSR, and where to log. */
void vlapic_attach(struct vlapic *a, struct io_log *log, const struct io_clock *clock);
bool vlapic_bus_read(void *dev, uint64_t offset, unsigned size, uint64_t *value);
bool vlapic_bus_write(void *dev, uint64_t offset, unsigned size, uint64_t value);
bool vlapic_msr_read(void *dev, uint32_t msr, uint64_t *value);
bool vlapic_msr_write(void *dev, uint32_t msr, uint64_t value);

#endif
