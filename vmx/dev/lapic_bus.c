/*
 * The local APIC on the guest machine's bus: its register page as an MMIO
 * range and IA32_APIC_BASE as an MSR, with the log lines a guest should see
 * once (a refused register access, the first IPI of each kind when it had
 * nothing to deliver, a refused base write).
 */
#include "vmx/dev/lapic.h"

#define ONCE_TAG_APIC_BASE 0x1b

void vlapic_attach(struct vlapic *a, struct io_log *log, const struct io_clock *clock)
{
	a->log = log;
	a->clock = clock;
}

static uint64_t now(const struct vlapic *a)
{
	return a->clock ? io_now(a->clock) : 0;
}

static void note(struct vlapic *a, enum vlapic_status st, uint64_t gpa, unsigned size)
{
	if (!a->log)
		return;
	if (st == VLAPIC_REFUSED && !a->refused_logged) {
		a->refused_logged = true;
		io_log_guest(a->log, now(a),
		             "%u-byte access to APIC register %s (offset 0x%lx) refused: only "
		             "aligned 32-bit accesses exist\n",
		             size, vlapic_reg_name((uint32_t)(gpa & 0xfff)),
		             (unsigned long)(gpa & 0xfff));
	}
	if (st == VLAPIC_IPI_SENT && a->last_ipi.first_of_kind && !a->last_ipi.delivered)
		io_log_guest(a->log, now(a),
		             "%s IPI (vector 0x%x) with one vCPU: nothing to deliver\n",
		             vlapic_ipi_kind_name((enum vlapic_ipi_kind)a->last_ipi.kind),
		             a->last_ipi.vector);
}

bool vlapic_bus_read(void *dev, uint64_t offset, unsigned size, uint64_t *value)
{
	struct vlapic *a = dev;
	uint64_t gpa = vlapic_base(a) + offset;
	uint32_t v32 = ~0u;

	if (!vlapic_handles(a, gpa))
		return false; /* globally disabled: not the APIC, unbacked memory */
	enum vlapic_status st = vlapic_mmio_read(a, gpa, size, &v32);
	note(a, st, gpa, size);
	*value = st == VLAPIC_REFUSED ? ~0ull : v32;
	return true;
}

bool vlapic_bus_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
	struct vlapic *a = dev;
	uint64_t gpa = vlapic_base(a) + offset;

	if (!vlapic_handles(a, gpa))
		return false;
	note(a, vlapic_mmio_write(a, gpa, size, (uint32_t)value), gpa, size);
	return true;
}

bool vlapic_msr_read(void *dev, uint32_t msr, uint64_t *value)
{
	(void)msr;
	*value = vlapic_read_base_msr(dev);
	return true;
}

/* Enable may be cleared and set again; x2APIC mode, reserved bits and moving
 * the page are refused with #GP, logged once. */
bool vlapic_msr_write(void *dev, uint32_t msr, uint64_t value)
{
	struct vlapic *a = dev;
	enum vlapic_msr_status st = vlapic_write_base_msr(a, value);

	(void)msr;
	if (st == VLAPIC_MSR_OK)
		return true;
	if (a->log)
		io_log_once(a->log, now(a), ONCE_TAG_APIC_BASE,
		            "IA32_APIC_BASE = 0x%lx refused: %s\n", (unsigned long)value,
		            vlapic_msr_status_name(st));
	return false;
}
