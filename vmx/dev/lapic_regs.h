/*
 * xAPIC register page layout and bits (Intel SDM Vol. 3A §11.4.1 table
 * 11-1 "Local APIC Register Address Map"; chapter 12 in newer editions).
 * Each register sits at a 16-byte aligned offset in the 4 KiB page and is
 * 32 bits wide; 256-bit registers (ISR, TMR, IRR) span eight slots.
 */
#ifndef VMX_VLAPIC_REGS_H
#define VMX_VLAPIC_REGS_H

#include <stdint.h>

#define VLAPIC_PAGE_SIZE 4096u
#define VLAPIC_SLOT_SIZE 16u /* registers are 128-bit aligned (§11.4.1) */
#define VLAPIC_SLOTS     64u /* slots 0x000..0x3F0; the rest of the page is reserved */

#define APIC_ID            0x020
#define APIC_VERSION       0x030
#define APIC_TPR           0x080
#define APIC_APR           0x090
#define APIC_PPR           0x0a0
#define APIC_EOI           0x0b0
#define APIC_RRD           0x0c0 /* remote read: reserved on Pentium 4 and later */
#define APIC_LDR           0x0d0
#define APIC_DFR           0x0e0
#define APIC_SVR           0x0f0
#define APIC_ISR           0x100 /* 0x100..0x170 */
#define APIC_TMR           0x180 /* 0x180..0x1f0 */
#define APIC_IRR           0x200 /* 0x200..0x270 */
#define APIC_ESR           0x280
#define APIC_LVT_CMCI      0x2f0 /* only with max LVT entry >= 6: reserved here */
#define APIC_ICR_LOW       0x300
#define APIC_ICR_HIGH      0x310
#define APIC_LVT_TIMER     0x320
#define APIC_LVT_THERMAL   0x330
#define APIC_LVT_PERF      0x340
#define APIC_LVT_LINT0     0x350
#define APIC_LVT_LINT1     0x360
#define APIC_LVT_ERROR     0x370
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE  0x3e0

_Static_assert(APIC_TIMER_DIVIDE < VLAPIC_SLOTS * VLAPIC_SLOT_SIZE, "slots cover the map");

static inline unsigned vlapic_slot(uint32_t offset)
{
	return offset / VLAPIC_SLOT_SIZE;
}

/* Version register (§11.4.8): version 0x14 (integrated APIC), 6 LVT
 * entries (timer, thermal, perf, LINT0, LINT1, error), so max LVT = 5; no
 * EOI-broadcast suppression (bit 24 clear). */
#define APIC_VERSION_NUMBER 0x14u
#define APIC_MAX_LVT_SHIFT  16
#define APIC_MAX_LVT        5u
#define APIC_VERSION_VALUE  (APIC_VERSION_NUMBER | (APIC_MAX_LVT << APIC_MAX_LVT_SHIFT))
_Static_assert(APIC_VERSION_VALUE == 0x00050014u, "version register");

/* ID (§11.4.6) and LDR (§11.6.2.2): the ID or logical ID in bits 31..24. */
#define APIC_ID_SHIFT 24
#define APIC_ID_MASK  0xff000000u
#define APIC_LDR_MASK 0xff000000u

/* DFR (§11.6.2.2): model in bits 31..28 (1111b flat, 0000b cluster);
 * bits 27..0 are reserved and read as ones. */
#define APIC_DFR_MODEL_MASK    0xf0000000u
#define APIC_DFR_RESERVED_ONES 0x0fffffffu
#define APIC_DFR_FLAT          0xf0000000u

#define APIC_TPR_MASK 0xffu

/* Vectors (§11.5.2, §11.8.3): 0..15 are illegal for fixed interrupts; a
 * vector's priority class is its high nibble, and the task and processor
 * priorities compare in classes. */
#define APIC_VECTORS            256u
#define APIC_FIRST_LEGAL_VECTOR 16u
#define APIC_PRIORITY_CLASS     0xf0u

static inline uint32_t apic_priority_class(uint32_t priority)
{
	return priority & APIC_PRIORITY_CLASS;
}

/* IRR, ISR and TMR: vector v is bit v % 32 of the register v / 32 slots on
 * from the first (§11.8.4 figure 11-20). */
#define APIC_VECTOR_REG_SLOTS 8u
#define APIC_VECTORS_PER_SLOT 32u
_Static_assert(APIC_VECTORS == (APIC_VECTOR_REG_SLOTS * APIC_VECTORS_PER_SLOT), "256 bits");

/* Spurious-interrupt vector register (§11.9 figure 11-23). */
#define APIC_SVR_VECTOR_MASK   0xffu
#define APIC_SVR_ENABLE        (1u << 8) /* APIC software enable */
#define APIC_SVR_FOCUS_DISABLE (1u << 9) /* focus processor checking */
#define APIC_SVR_WRITABLE      0x3ffu    /* bit 12 needs EOI-broadcast suppression */
#define APIC_SVR_RESET         0xffu

/* Error status register bits (§11.5.3 figure 11-9) this model can raise. */
#define APIC_ESR_SEND_ILLEGAL_VECTOR    (1u << 5)
#define APIC_ESR_RECEIVE_ILLEGAL_VECTOR (1u << 6)
#define APIC_ESR_ILLEGAL_REGISTER       (1u << 7)

/* LVT entries (§11.5.1 figure 11-8). */
#define APIC_LVT_VECTOR_MASK         0xffu
#define APIC_LVT_DELIVERY_MODE_SHIFT 8
#define APIC_LVT_DELIVERY_MODE_MASK  (7u << APIC_LVT_DELIVERY_MODE_SHIFT)
#define APIC_LVT_DELIVERY_STATUS     (1u << 12) /* read-only */
#define APIC_LVT_PIN_POLARITY        (1u << 13)
#define APIC_LVT_REMOTE_IRR          (1u << 14) /* read-only */
#define APIC_LVT_LEVEL_TRIGGER       (1u << 15)
#define APIC_LVT_MASKED              (1u << 16)
/* Timer mode, bits 18:17: 00 one-shot, 01 periodic, 10 TSC deadline. TSC
 * deadline is not offered (CPUID.1:ECX[24] = 0), so bit 18 is reserved and
 * reads 0: mode 10 reads back, and counts, as one-shot; 11 as periodic. */
#define APIC_LVT_TIMER_PERIODIC      (1u << 17)
#define APIC_LVT_RESET               APIC_LVT_MASKED

#define APIC_LVT_TIMER_WRITABLE (APIC_LVT_VECTOR_MASK | APIC_LVT_MASKED | APIC_LVT_TIMER_PERIODIC)
#define APIC_LVT_DELIVERY_WRITABLE \
	(APIC_LVT_VECTOR_MASK | APIC_LVT_DELIVERY_MODE_MASK | APIC_LVT_MASKED)
#define APIC_LVT_LINT_WRITABLE \
	(APIC_LVT_DELIVERY_WRITABLE | APIC_LVT_PIN_POLARITY | APIC_LVT_LEVEL_TRIGGER)
#define APIC_LVT_ERROR_WRITABLE (APIC_LVT_VECTOR_MASK | APIC_LVT_MASKED)
_Static_assert(APIC_LVT_TIMER_WRITABLE == 0x000300ffu, "LVT timer writable bits");
_Static_assert(APIC_LVT_DELIVERY_WRITABLE == 0x000107ffu, "LVT thermal/perf writable bits");
_Static_assert(APIC_LVT_LINT_WRITABLE == 0x0001a7ffu, "LVT LINT writable bits");

/* Interrupt command register (§11.6.1 figure 11-12). */
#define APIC_ICR_VECTOR_MASK         0xffu
#define APIC_ICR_DELIVERY_MODE_SHIFT 8
#define APIC_ICR_DELIVERY_MODE_MASK  (7u << APIC_ICR_DELIVERY_MODE_SHIFT)
#define APIC_ICR_LOGICAL             (1u << 11)
#define APIC_ICR_BUSY                (1u << 12) /* delivery status: read-only */
#define APIC_ICR_ASSERT              (1u << 14)
#define APIC_ICR_LEVEL_TRIGGER       (1u << 15)
#define APIC_ICR_SHORTHAND_SHIFT     18
#define APIC_ICR_SHORTHAND_MASK      (3u << APIC_ICR_SHORTHAND_SHIFT)
#define APIC_ICR_LOW_WRITABLE                                                                      \
	(APIC_ICR_VECTOR_MASK | APIC_ICR_DELIVERY_MODE_MASK | APIC_ICR_LOGICAL | APIC_ICR_ASSERT | \
	 APIC_ICR_LEVEL_TRIGGER | APIC_ICR_SHORTHAND_MASK)
#define APIC_ICR_HIGH_WRITABLE 0xff000000u /* destination field, bits 63..56 of the ICR */
#define APIC_ICR_DEST_SHIFT    24
_Static_assert(APIC_ICR_LOW_WRITABLE == 0x000ccfffu, "ICR low writable bits");

static inline uint32_t apic_lvt_delivery_mode(uint32_t lvt)
{
	return (lvt & APIC_LVT_DELIVERY_MODE_MASK) >> APIC_LVT_DELIVERY_MODE_SHIFT;
}

static inline uint32_t apic_icr_delivery_mode(uint32_t icr_low)
{
	return (icr_low & APIC_ICR_DELIVERY_MODE_MASK) >> APIC_ICR_DELIVERY_MODE_SHIFT;
}

static inline uint32_t apic_icr_shorthand(uint32_t icr_low)
{
	return (icr_low & APIC_ICR_SHORTHAND_MASK) >> APIC_ICR_SHORTHAND_SHIFT;
}

/* Delivery modes (ICR bits 10..8; the LVT's bits 10..8 use the same codes,
 * §11.5.1, with ExtINT only on LINT0/LINT1). */
#define APIC_DM_FIXED   0u
#define APIC_DM_LOWEST  1u
#define APIC_DM_SMI     2u
#define APIC_DM_NMI     4u
#define APIC_DM_INIT    5u
#define APIC_DM_STARTUP 6u
#define APIC_DM_EXTINT  7u

/* Destination shorthands (ICR bits 19..18). */
#define APIC_SHORTHAND_NONE   0u
#define APIC_SHORTHAND_SELF   1u
#define APIC_SHORTHAND_ALL    2u
#define APIC_SHORTHAND_OTHERS 3u

#define APIC_BROADCAST_ID 0xffu /* physical destination 0xFF: every APIC */

/* Divide configuration register (§11.5.4 figure 11-10): bits 0, 1, 3. */
#define APIC_DIVIDE_WRITABLE 0xbu

/* The divisor encoded by the divide configuration register: 2..128, or 1. */
static inline uint32_t apic_timer_divisor(uint32_t dcr)
{
	uint32_t code = ((dcr & 8u) >> 1) | (dcr & 3u); /* 0..7 */
	return 1u << ((code + 1) & 7u);
}

/*
 * How the model treats each register: one descriptor per register (a
 * 256-bit register is one descriptor covering eight slots). Offsets with
 * no descriptor are reserved.
 */
enum vlapic_reg_kind {
	VLAPIC_REG_PLAIN,         /* read/write: `writable` bits kept, `ones` read as 1 */
	VLAPIC_REG_CONST,         /* read-only, value set at reset (version) */
	VLAPIC_REG_ZERO,          /* read-only, always 0 (APR) */
	VLAPIC_REG_VECTORS,       /* read-only 256-bit vector set: ISR, TMR, IRR */
	VLAPIC_REG_PPR,           /* read-only, computed from the TPR and the ISR */
	VLAPIC_REG_EOI,           /* write-only, ends the highest in-service vector */
	VLAPIC_REG_SVR,           /* clearing bit 8 masks every LVT entry */
	VLAPIC_REG_ESR,           /* a write latches the pending errors */
	VLAPIC_REG_ICR_LOW,       /* a write sends an IPI */
	VLAPIC_REG_LVT,           /* mask bit held while software-disabled */
	VLAPIC_REG_TIMER_INITIAL, /* a write (re)starts the timer */
	VLAPIC_REG_TIMER_CURRENT, /* read-only, counts down */
	VLAPIC_REG_TIMER_DIVIDE,  /* a write changes the rate of a running count */
};

struct vlapic_reg_desc {
	uint16_t offset;
	uint8_t slots; /* 16-byte slots covered: 1, or 8 for ISR/TMR/IRR */
	uint8_t kind;  /* enum vlapic_reg_kind */
	uint32_t reset;
	uint32_t writable;
	uint32_t ones;
	const char *name;
};

/* The descriptor of the register at `offset` (16-byte aligned), or 0 if
 * the offset is reserved (vmx/vlapic_regs.c). */
const struct vlapic_reg_desc *vlapic_reg_desc(uint32_t offset);

/* Every descriptor, in offset order, for reset and the log. */
extern const struct vlapic_reg_desc vlapic_reg_table[];
extern const unsigned vlapic_reg_count;

#endif
