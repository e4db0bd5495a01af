/*
 * The xAPIC register page (see vmx/dev/lapic.h): access checks and the
 * per-register read and write rules of vmx/dev/lapic_regs.c.
 *
 * SDM Vol. 3A §11.4.1: registers are 128-bit aligned and only 32-bit
 * loads and stores are defined; an access touching bytes 4..15 of a
 * register "may cause undefined behavior". This model refuses every access
 * that is not a 4-byte access at offset 16*n.
 */
#include "vmx/dev/lapic_internal.h"

bool vlapic_handles(const struct vlapic *a, uint64_t gpa)
{
	uint64_t base = vlapic_base(a);
	return vlapic_hw_enabled(a) && gpa >= base && gpa - base < VLAPIC_PAGE_SIZE;
}

static bool access_defined(uint64_t gpa, unsigned size)
{
	return size == 4 && gpa % VLAPIC_SLOT_SIZE == 0;
}

static uint32_t read_register(struct vlapic *a, const struct vlapic_reg_desc *d, uint32_t off)
{
	switch (d->kind) {
	case VLAPIC_REG_ZERO:
	case VLAPIC_REG_EOI:
		return 0;
	case VLAPIC_REG_PPR:
		return vlapic_ppr(a);
	case VLAPIC_REG_TIMER_CURRENT:
		return vlapic_timer_current(a, vlapic_now(a));
	default: /* stored as read, IRR/ISR/TMR included */
		return *vlapic_reg(a, off);
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
		vlapic_error(a, APIC_ESR_ILLEGAL_REGISTER);
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
		*vlapic_reg(a, off) |= APIC_LVT_MASKED;
}

/* Remote IRR (bit 14) is the APIC's own state: a write keeps it. The timer
 * entry's mode bit changes a running count (vmx/dev/lapic_timer.c). */
static void write_lvt(struct vlapic *a, uint32_t off, uint32_t kept)
{
	if (!vlapic_sw_enabled(a))
		kept |= APIC_LVT_MASKED;
	kept |= *vlapic_reg(a, off) & APIC_LVT_REMOTE_IRR;
	if (off == APIC_LVT_TIMER) {
		vlapic_timer_write_lvt(a, kept, vlapic_now(a));
		return;
	}
	*vlapic_reg(a, off) = kept;
	vlapic_lint_lvt_written(a, off);
}

static enum vlapic_status write_register(struct vlapic *a, const struct vlapic_reg_desc *d,
                                         uint32_t off, uint32_t value)
{
	uint32_t kept = (value & d->writable) | d->ones;

	switch (d->kind) {
	case VLAPIC_REG_PLAIN:
		*vlapic_reg(a, off) = kept;
		return VLAPIC_OK;
	case VLAPIC_REG_LVT:
		write_lvt(a, off, kept);
		return VLAPIC_OK;
	case VLAPIC_REG_SVR:
		*vlapic_reg(a, off) = kept;
		if (!(kept & APIC_SVR_ENABLE))
			mask_all_lvt(a);
		return VLAPIC_OK;
	case VLAPIC_REG_EOI:
		vlapic_eoi(a); /* any value: the SDM asks for 0 but xAPIC ignores it */
		return VLAPIC_OK;
	case VLAPIC_REG_ESR:
		/* §11.5.3: a write (any value) makes the errors seen since the
		 * previous write readable and starts collecting afresh. */
		*vlapic_reg(a, off) = a->esr_pending;
		a->esr_pending = 0;
		return VLAPIC_OK;
	case VLAPIC_REG_ICR_LOW:
		*vlapic_reg(a, off) = kept;
		vlapic_send_ipi(a);
		return VLAPIC_IPI_SENT;
	case VLAPIC_REG_TIMER_INITIAL:
		vlapic_timer_start(a, value, vlapic_now(a));
		return VLAPIC_OK;
	case VLAPIC_REG_TIMER_DIVIDE:
		vlapic_timer_write_divide(a, kept, vlapic_now(a));
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
