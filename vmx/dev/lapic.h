/*
 * The local APIC of the guest's one vCPU, in xAPIC mode only (Intel SDM
 * Vol. 3A "Advanced Programmable Interrupt Controller", chapter 11; 12 in
 * editions from 2023). Pure logic: the register page and the
 * IA32_APIC_BASE MSR as state plus read/write functions; the caller traps
 * the accesses and turns statuses into log lines or #GP.
 *
 * It delivers interrupts. Fixed interrupts from the LVT timer, the LVT
 * error entry, LINT0/LINT1 programmed as Fixed and IPIs that address this
 * APIC go through IRR, ISR, TMR, TPR and PPR as §11.8 describes; the vCPU
 * takes them through vlapic_intr_ops. LINT0 in ExtINT mode passes the
 * 8259 pair's INTR through (virtual-wire mode, vlapic_connect_extint).
 * NMIs come from NMI IPIs to this APIC and from LINT1 (or LINT0)
 * programmed as NMI. The timer counts in guest time and wakes the machine
 * through an io_timer at each expiry. There is one CPU: IPIs to other
 * APICs, INIT, SIPI and SMI are classified and counted, nothing more.
 *
 * Integration (vmx/vm/), in this order:
 *   vlapic_init(a, 0, maxphyaddr);             power-up state
 *   vlapic_attach(a, log, &bus->clock);        log and guest time
 *   vlapic_connect_extint(a, (struct io_intr){&i8259_intr_ops, pic});
 *   vlapic_bios_handoff(a);                    virtual-wire mode, as a BIOS leaves it
 *   io_bus_add_timer(bus, vlapic_timer(a));
 *   bus->intr = (struct io_intr){&vlapic_intr_ops, a};
 * plus the MMIO range and the MSR of vlapic_bus_read/write and
 * vlapic_msr_read/write (see vmx/dev/lapic_bus.c). vlapic_init clears the
 * io_timer's list link: it must not run again once the timer is on the bus.
 *
 * Choices where the SDM leaves latitude (documented in the files):
 *  - Clearing the global enable bit (IA32_APIC_BASE[11]) returns every
 *    register to its power-up state (§11.4.3 "may be lost"); while it is
 *    clear the page is not the APIC: vlapic_handles() is false and the
 *    caller treats it as unbacked memory (reads all ones). CPUID.1:EDX[9]
 *    (APIC present) should then read 0: see vlapic_hw_enabled(). The
 *    vCPU's INTR then comes straight from the 8259 pair and LINT1 is its
 *    NMI pin (§11.4.3).
 *  - Software disable (SVR[8] = 0, the reset state) keeps every register
 *    readable and writable but holds all LVT mask bits set (§11.4.7.2);
 *    fixed IPIs are then refused, NMIs accepted, and what is already in
 *    IRR is still delivered ("held ... require masking or handling").
 *  - The APIC base cannot move from 0xFEE00000 (#GP): a page inside guest
 *    RAM would not trap.
 *  - Writes to the APIC ID are kept (the SDM says that is model specific).
 *  - A fixed interrupt the APIC can deliver goes before the 8259's ExtINT
 *    (the SDM sets no order between them; KVM's kvm_cpu_get_interrupt()
 *    asks the PIC first). With the APIC first, the timer and IPIs keep
 *    their priority over a busy 8259 input.
 */
#ifndef VMX_VLAPIC_H
#define VMX_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/io/clock.h"
#include "vmx/io/intr.h"
#include "vmx/io/irq.h"
#include "vmx/io/log.h"
#include "vmx/io/timer.h"
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
	bool to_self;       /* this APIC is a destination */
	bool to_others;     /* other APICs are addressed: none exist, a no-op */
	bool delivered;     /* a fixed, lowest-priority or NMI IPI reached this APIC */
	bool first_of_kind; /* the first IPI of this kind: the caller logs it */
};

/* Where the fixed interrupts the APIC accepted came from (statistics). */
enum vlapic_source {
	VLAPIC_SRC_TIMER = 0,
	VLAPIC_SRC_ERROR,
	VLAPIC_SRC_LINT0,
	VLAPIC_SRC_LINT1,
	VLAPIC_SRC_IPI,
	VLAPIC_SOURCES
};

/* The timer's count, kept as where it started: see vmx/dev/lapic_timer.c. */
struct vlapic_timer {
	struct io_timer wake; /* the machine's wake-up at the next expiry */
	uint64_t start_ns;    /* guest time of the count's tick 0 */
	uint64_t expiries;    /* expiries since start_ns already signalled */
	uint32_t start_count; /* the count at start_ns */
	uint32_t divisor;     /* bus clocks per count while counting from start_ns */
	bool running;         /* counting: not stopped, not a one-shot run out */
};

/* Statistics for the log: nothing here changes what the guest sees. */
struct vlapic_stats {
	uint64_t accepted[VLAPIC_SOURCES]; /* fixed vectors set in IRR, by source */
	uint64_t coalesced;                /* accepted while the vector was already in IRR */
	uint64_t refused;                  /* fixed IPIs to a software-disabled APIC */
	uint64_t delivered;                /* vectors the vCPU took (IRR to ISR) */
	uint64_t extint;                   /* INTA cycles passed to the 8259 pair */
	uint64_t nmis;                     /* NMIs raised (IPI, LINT pin) */
	uint64_t spurious;                 /* INTAs answered with the spurious vector */
	uint64_t eois;                     /* EOIs that ended an in-service vector */
	uint64_t timer_expiries;           /* times the count reached 0 */
	uint64_t timer_collapsed;          /* expiries folded into a later one by a late wake-up */
	uint64_t timer_masked;             /* expiries while the LVT timer entry was masked */
};

struct vlapic {
	uint64_t base_msr;          /* IA32_APIC_BASE as the guest reads it */
	uint8_t initial_id;         /* the hardware-assigned APIC ID */
	uint8_t phys_addr_bits;     /* MAXPHYADDR the guest is told */
	uint32_t reg[VLAPIC_SLOTS]; /* register values, indexed by offset / 16;
	                             * IRR, ISR and TMR hold their vector bits */
	uint32_t esr_pending;       /* errors since the last ESR write (§11.5.3) */
	struct vlapic_timer timer;
	bool nmi_pending;             /* an NMI waits for the vCPU */
	bool lint_level[2];           /* LINT0/LINT1 electrical levels */
	struct io_irq_chip lint_chip; /* pins VLAPIC_LINT0, VLAPIC_LINT1 */
	struct io_intr extint;        /* the 8259 pair behind LINT0, or none */

	struct vlapic_ipi last_ipi;
	uint64_t ipis[VLAPIC_IPI_KINDS];
	uint64_t self_ipis;
	uint64_t eoi_writes;
	uint64_t hw_disables; /* times the global enable bit was cleared */
	struct vlapic_stats stats;

	/* Where the guest's noteworthy accesses are logged (vmx/dev/lapic_bus.c),
	 * and guest time (none: time stands at 0). */
	struct io_log *log;
	const struct io_clock *clock;
	bool refused_logged;
};

/* Power-up state: enabled at 0xFEE00000, BSP, software-disabled (SVR 0xFF),
 * every LVT masked (§11.4.7.1), timer stopped, no 8259 connected. */
void vlapic_init(struct vlapic *a, uint8_t apic_id, uint8_t phys_addr_bits);

/*
 * The state a PC BIOS hands over (SeaBIOS src/fw/smp.c, smp_scan): SVR
 * software-enabled keeping the reset spurious vector (0x1FF), LINT0 ExtINT
 * unmasked (0x8700), LINT1 NMI (0x8400), the other LVT entries masked. A
 * guest that never touches the APIC then still gets the 8259's interrupts
 * through LINT0. Does nothing while the APIC is globally disabled.
 */
void vlapic_bios_handoff(struct vlapic *a);

/* The 8259 pair's INTR/INTA (struct io_intr of i8259_intr_ops) behind LINT0. */
void vlapic_connect_extint(struct vlapic *a, struct io_intr pic);

/* The timer the machine runs (io_bus_add_timer). */
struct io_timer *vlapic_timer(struct vlapic *a);

/* RDMSR/WRMSR of IA32_APIC_BASE (vmx/dev/lapic_msr.c). The BSP bit is
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
 * A guest access of `size` bytes at guest-physical `gpa` (vmx/dev/lapic.c).
 * Only aligned 32-bit accesses to offset 16*n are defined (§11.4.1); a
 * read always stores something in *value (all ones unless VLAPIC_OK or
 * VLAPIC_RESERVED).
 */
enum vlapic_status vlapic_mmio_read(struct vlapic *a, uint64_t gpa, unsigned size, uint32_t *value);
enum vlapic_status vlapic_mmio_write(struct vlapic *a, uint64_t gpa, unsigned size, uint32_t value);
const char *vlapic_status_name(enum vlapic_status s);

/* Register name for logs ("ICR low", "LVT timer"), or "reserved". */
const char *vlapic_reg_name(uint32_t offset);

/* The ICR was written: classify, count and deliver the IPI (vmx/dev/lapic_ipi.c). */
void vlapic_send_ipi(struct vlapic *a);
const char *vlapic_ipi_kind_name(enum vlapic_ipi_kind k);

/*
 * What the vCPU sees (vmx/dev/lapic_intr.c); vlapic_intr_ops wraps these
 * with ctrl = struct vlapic *.
 *  pending: the highest IRR vector whose priority class is above PPR's, else
 *    the 8259's pending vector when LINT0 is an unmasked ExtINT entry, else
 *    IO_INTR_NONE. Globally disabled: the 8259's, unfiltered.
 *  ack: the INTA cycle. A fixed vector moves from IRR to ISR; an ExtINT is
 *    the 8259's INTA; a request that vanished since pending (the TPR was
 *    raised, say) gets the spurious vector (SVR[7:0]) and no ISR bit
 *    (§11.9). Globally disabled: the 8259's INTA.
 *  get_tpr/set_tpr: the full 8-bit TPR (0 and dropped while globally
 *    disabled); MOV CR8 is TPR[7:4], which the exit handler shifts.
 */
extern const struct io_intr_ops vlapic_intr_ops;
int vlapic_pending(struct vlapic *a);
int vlapic_ack(struct vlapic *a);
bool vlapic_nmi_pending(const struct vlapic *a);
void vlapic_nmi_ack(struct vlapic *a);
uint8_t vlapic_get_tpr(const struct vlapic *a);
void vlapic_set_tpr(struct vlapic *a, uint8_t tpr);

/* The processor priority (§11.8.3.1) and the vector pending() would give
 * from IRR alone (or -1) (vmx/dev/lapic_irr.c). */
uint8_t vlapic_ppr(const struct vlapic *a);
int vlapic_deliverable(const struct vlapic *a);

/*
 * The LINT0/LINT1 input pins (vmx/dev/lapic_lint.c), as an interrupt chip
 * for io_irq lines {&a->lint_chip, VLAPIC_LINT0 or VLAPIC_LINT1}. `level`
 * is the pin's electrical level; the LVT entry's polarity bit says which
 * level is asserted. Fixed entries accept on the rising edge (edge
 * trigger) or while asserted with remote IRR clear (level trigger), NMI
 * entries raise an NMI on the rising edge; ExtINT is the 8259 path above
 * and SMI/INIT are not modelled. Globally disabled, LINT1 is the vCPU's
 * NMI pin. Nothing is wired to either pin on this machine yet.
 */
#define VLAPIC_LINT0 0u
#define VLAPIC_LINT1 1u
void vlapic_set_lint(struct vlapic *a, unsigned pin, bool level);

/*
 * Timer (vmx/dev/lapic_timer.c, §11.5.4). The bus clock that feeds the
 * divider runs at VLAPIC_TIMER_BUS_HZ in guest time, as KVM's default
 * (1 ns per bus clock): divide by 16 counts 62.5 million a second. The
 * current count is computed from guest time and the time counting started,
 * never accumulated, so expiry times are exact; the machine is woken at
 * each expiry. Writing the initial count (re)starts, 0 stops; changing the
 * divide value or the LVT timer mode keeps the current count and goes on
 * from it at the new rate or in the new mode. A periodic timer wakes the
 * machine at most once per VLAPIC_TIMER_MIN_WAKE_NS: shorter periods still
 * count exactly but their interrupts collapse, as a late wake-up's do.
 */
#define VLAPIC_TIMER_BUS_HZ      1000000000ull
#define VLAPIC_TIMER_MIN_WAKE_NS 100000ull
void vlapic_timer_start(struct vlapic *a, uint32_t initial, uint64_t now);
uint32_t vlapic_timer_current(const struct vlapic *a, uint64_t now);

/* The register state and the statistics in a few "lapic: ..." lines
 * (vmx/dev/lapic_print.c). */
void vlapic_print(const struct vlapic *a, struct io_log *log);

/* On the bus (vmx/dev/lapic_bus.c): the register page as an MMIO range based
 * at VLAPIC_DEFAULT_BASE, IA32_APIC_BASE as an MSR, and where to log. */
void vlapic_attach(struct vlapic *a, struct io_log *log, const struct io_clock *clock);
bool vlapic_bus_read(void *dev, uint64_t offset, unsigned size, uint64_t *value);
bool vlapic_bus_write(void *dev, uint64_t offset, unsigned size, uint64_t value);
bool vlapic_msr_read(void *dev, uint32_t msr, uint64_t *value);
bool vlapic_msr_write(void *dev, uint32_t msr, uint64_t value);

#endif
