/*
 * The LINT0 and LINT1 input pins (SDM Vol. 3A §11.5.1 figure 11-8). Each
 * has an LVT entry: polarity (bit 13) says whether a high or low level is
 * asserted, the delivery mode what an assertion becomes. Fixed entries are
 * edge- or level-triggered (bit 15); a level-triggered request sets the
 * entry's remote IRR when the APIC accepts it and may not request again
 * until the EOI of its vector clears it. NMI entries are always edge
 * triggered ("When the delivery mode is NMI, SMI, or INIT, the trigger
 * mode is always edge sensitive"). ExtINT on LINT0 is the 8259 pass-through
 * of vmx/dev/lapic_intr.c, which reads the 8259 directly: the pin's level
 * plays no part in it.
 */
#include "vmx/dev/lapic_internal.h"

static uint32_t lint_lvt(unsigned pin)
{
	return pin == VLAPIC_LINT0 ? APIC_LVT_LINT0 : APIC_LVT_LINT1;
}

static enum vlapic_source lint_source(unsigned pin)
{
	return pin == VLAPIC_LINT0 ? VLAPIC_SRC_LINT0 : VLAPIC_SRC_LINT1;
}

static bool asserted(const struct vlapic *a, unsigned pin)
{
	bool active_low = (vlapic_reg_value(a, lint_lvt(pin)) & APIC_LVT_PIN_POLARITY) != 0;
	return a->lint_level[pin] != active_low;
}

static bool level_fixed(uint32_t entry)
{
	return apic_lvt_delivery_mode(entry) == APIC_DM_FIXED && (entry & APIC_LVT_LEVEL_TRIGGER);
}

/* A level-triggered fixed entry requests while its pin stays asserted, once
 * per EOI. */
static void level_request(struct vlapic *a, unsigned pin)
{
	uint32_t *entry = vlapic_reg(a, lint_lvt(pin));

	if (!level_fixed(*entry) || !asserted(a, pin))
		return;
	if (*entry & (APIC_LVT_MASKED | APIC_LVT_REMOTE_IRR))
		return;
	if (vlapic_local_deliver(a, lint_lvt(pin), lint_source(pin)))
		*entry |= APIC_LVT_REMOTE_IRR;
}

static void pin_changed(struct vlapic *a, unsigned pin, bool was_asserted)
{
	uint32_t entry = vlapic_reg_value(a, lint_lvt(pin));

	if (level_fixed(entry))
		level_request(a, pin);
	else if (asserted(a, pin) && !was_asserted)
		vlapic_local_deliver(a, lint_lvt(pin), lint_source(pin));
}

/* §11.4.3: globally disabled, the pins are the core's INTR and NMI; INTR
 * is the 8259 path, so only LINT1's rising edge matters (the LVT entries
 * are at reset: active high). */
void vlapic_set_lint(struct vlapic *a, unsigned pin, bool level)
{
	bool was_asserted;

	if (pin > VLAPIC_LINT1)
		return;
	was_asserted = asserted(a, pin);
	a->lint_level[pin] = level;
	if (vlapic_hw_enabled(a))
		pin_changed(a, pin, was_asserted);
	else if (pin == VLAPIC_LINT1 && level && !was_asserted)
		vlapic_raise_nmi(a);
}

static void lint_set_level(void *chip, unsigned pin, bool level)
{
	vlapic_set_lint(chip, pin, level);
}

void vlapic_lint_init(struct vlapic *a)
{
	a->lint_chip = (struct io_irq_chip){.set_level = lint_set_level, .chip = a};
}

void vlapic_lint_eoi(struct vlapic *a, uint8_t vector)
{
	for (unsigned pin = VLAPIC_LINT0; pin <= VLAPIC_LINT1; pin++) {
		uint32_t *entry = vlapic_reg(a, lint_lvt(pin));
		if (!(*entry & APIC_LVT_REMOTE_IRR) || (*entry & APIC_LVT_VECTOR_MASK) != vector)
			continue;
		*entry &= ~APIC_LVT_REMOTE_IRR;
		level_request(a, pin);
	}
}

/* An entry just written may make a pin that is held asserted request. */
void vlapic_lint_lvt_written(struct vlapic *a, uint32_t lvt)
{
	if (lvt == APIC_LVT_LINT0)
		level_request(a, VLAPIC_LINT0);
	else if (lvt == APIC_LVT_LINT1)
		level_request(a, VLAPIC_LINT1);
}
