/*
 * The xAPIC register page (see vmx/vlapic.h): access checks, reset and the
 * per-register read and write rules of vmx/vlapic_regs.c.
 *
 * SDM Vol. 3A §11.4.1: registers are 128-bit aligned and only 32-bit
 * loads and stores are defined; an access touching bytes 4..15 of a
 * register "may cause undefined behavior". This model refuses every access
 * that is not a 4-byte access at offset 16*n.
 */
#include "vmx/dev/lapic.h"

static uint32_t *slot(struct vlapic *a, uint32_t offset)
{
	return &a->reg[vlapic_slot(offset)];
}

/* §11.4.7.1; the version register is "not affected" but never changes. */
static void reset_registers(struct vlapic *a)
{
	__builtin_memset(a->reg, 0, sizeof(a->reg));
	for (unsigned i = 0; i < vlapic_reg_count; i++) {
		const struct vlapic_reg_desc *d = &vlapic_reg_table[i];
		for (unsigned s = 0; s < d->slots; s++)
			a->reg[vlapic_slot(d->offset) + s] = d->reset;
	}
	*slot(a, APIC_ID) = (uint32_t)a->initial_id << APIC_ID_SHIFT;
	a->esr_pending = 0;
	a->timer_current = 0;
}

void vlapic_init(struct vlapic *a, uint8_t apic_id, uint8_t phys_addr_bits)
{
	__builtin_memset(a, 0, sizeof(*a));
	a->initial_id = apic_id;
	/* MAXPHYADDR is at least 36 with an APIC at 0xFEE00000 and at most 52. */
	a->phys_addr_bits = phys_addr_bits < 36 ? 36 : phys_addr_bits > 52 ? 52 : phys_addr_bits;
	a->base_msr = VLAPIC_DEFAULT_BASE | VLAPIC_BASE_ENABLE | VLAPIC_BASE_BSP;
	reset_registers(a);
}

void vlapic_hw_disable(struct vlapic *a)
{
	reset_registers(a);
	a->hw_disables++;
}

bool vlapic_handles(const struct vlapic *a, uint64_t gpa)
{
	uint64_t base = vlapic_base(a);
	return vlapic_hw_enabled(a) && gpa >= base && gpa - base < VLAPIC_PAGE_SIZE;
}

static bool access_defined(uint64_t gpa, unsigned size)
{
	return size == 4 && gpa % VLAPIC_SLOT_SIZE == 0;
}

/* §11.8.3.1: with no ISR bit set ISRV is 0, so PPR[7:0] = TPR[7:0]. */
static uint32_t processor_priority(const struct vlapic *a)
{
	uint32_t tpr = a->reg[vlapic_slot(APIC_TPR)];
	uint32_t isrv = 0;
	if ((tpr & 0xf0u) >= (isrv & 0xf0u))
		return tpr & 0xffu;
	return isrv & 0xf0u;
}

static uint32_t read_register(struct vlapic *a, const struct vlapic_reg_desc *d, uint32_t off)
{
	switch (d->kind) {
	case VLAPIC_REG_ZERO:
	case VLAPIC_REG_EOI:
		return 0;
	case VLAPIC_REG_PPR:
		return processor_priority(a);
	case VLAPIC_REG_TIMER_CURRENT:
		return vlapic_timer_read_current(a);
	default:
		return *slot(a, off);
	}
}

/* The register an access at gpa names (*d, *off), or the status that ends
 * the access there: not ours, not a defined access, or a reserved offset
 * (which the ESR records, §11.5.3). */
static enum vlapic_status locate(struct vlapic *a, uint64_t gpa, unsigned size, uint32_t *off,
                                 const struct vlapic_reg_desc **d)
{
	if (!vlapic_handles(a, gpa))
		return VLAPIC_UNCLAIMED;
	if (!access_defined(gpa, size))
		return VLAPIC_REFUSED;
	*off = (uint32_t)(gpa - vlapic_base(a));
	*d = vlapic_reg_desc(*off);
	if (!*d) {
		a->esr_pending |= APIC_ESR_ILLEGAL_REGISTER;
		return VLAPIC_RESERVED;
	}
	return VLAPIC_OK;
}

enum vlapic_status vlapic_mmio_read(struct vlapic *a, uint64_t gpa, unsigned size, uint32_t *value)
{
	const struct vlapic_reg_desc *d;
	uint32_t off;
	enum vlapic_status st = locate(a, gpa, size, &off, &d);

	*value = st == VLAPIC_RESERVED ? 0 : 0xffffffffu;
	if (st == VLAPIC_OK)
		*value = read_register(a, d, off);
	return st;
}

/* §11.4.7.2: while software-disabled every LVT mask bit is set and
 * attempts to clear one are ignored. */
static void mask_all_lvt(struct vlapic *a)
{
	for (uint32_t off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += VLAPIC_SLOT_SIZE)
		*slot(a, off) |= APIC_LVT_MASKED;
}

static enum vlapic_status write_register(struct vlapic *a, const struct vlapic_reg_desc *d,
                                         uint32_t off, uint32_t value)
{
	uint32_t kept = (value & d->writable) | d->ones;

	switch (d->kind) {
	case VLAPIC_REG_PLAIN:
		*slot(a, off) = kept;
		return VLAPIC_OK;
	case VLAPIC_REG_LVT:
		*slot(a, off) = vlapic_sw_enabled(a) ? kept : kept | APIC_LVT_MASKED;
		return VLAPIC_OK;
	case VLAPIC_REG_SVR:
		*slot(a, off) = kept;
		if (!(kept & APIC_SVR_ENABLE))
			mask_all_lvt(a);
		return VLAPIC_OK;
	case VLAPIC_REG_EOI:
		a->eoi_writes++; /* nothing is in service: no ISR bit to clear */
		return VLAPIC_OK;
	case VLAPIC_REG_ESR:
		/* §11.5.3: a write (any value) makes the errors seen since the
		 * previous write readable and starts collecting afresh. */
		*slot(a, off) = a->esr_pending;
		a->esr_pending = 0;
		return VLAPIC_OK;
	case VLAPIC_REG_ICR_LOW:
		*slot(a, off) = kept;
		vlapic_send_ipi(a);
		return VLAPIC_IPI_SENT;
	case VLAPIC_REG_TIMER_INITIAL:
		*slot(a, off) = value;
		vlapic_timer_start(a, value);
		return VLAPIC_OK;
	default:
		return VLAPIC_READ_ONLY;
	}
}

enum vlapic_status vlapic_mmio_write(struct vlapic *a, uint64_t gpa, unsigned size, uint32_t value)
{
	const struct vlapic_reg_desc *d;
	uint32_t off;
	enum vlapic_status st = locate(a, gpa, size, &off, &d);

	return st == VLAPIC_OK ? write_register(a, d, off, value) : st;
}

const char *vlapic_status_name(enum vlapic_status s)
{
	switch (s) {
	case VLAPIC_OK:
		return "ok";
	case VLAPIC_IPI_SENT:
		return "IPI sent";
	case VLAPIC_READ_ONLY:
		return "read-only register";
	case VLAPIC_RESERVED:
		return "reserved register";
	case VLAPIC_REFUSED:
		return "not an aligned 32-bit access to a register";
	case VLAPIC_UNCLAIMED:
		return "not the APIC page";
	}
	return "unknown";
}

const char *vlapic_reg_name(uint32_t offset)
{
	const struct vlapic_reg_desc *d = vlapic_reg_desc(offset & ~(VLAPIC_SLOT_SIZE - 1));
	return d ? d->name : "reserved";
}
