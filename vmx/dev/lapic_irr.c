/*
 * The interrupt request, in-service and trigger-mode registers, the
 * processor priority and EOI (SDM Vol. 3A §11.8.3-§11.8.5). The three
 * 256-bit registers live in their own slots of vlapic.reg, laid out as the
 * guest reads them: vector v is bit v % 32 of the register at
 * base + 16 * (v / 32).
 */
#include "vmx/dev/lapic_internal.h"

static uint32_t *vec_word(struct vlapic *a, uint32_t set, uint8_t vector)
{
	return &a->reg[vlapic_slot(set) + vector / APIC_VECTORS_PER_SLOT];
}

static uint32_t vec_bit(uint8_t vector)
{
	return 1u << (vector % APIC_VECTORS_PER_SLOT);
}

bool vlapic_vec_test(const struct vlapic *a, uint32_t set, uint8_t vector)
{
	return (a->reg[vlapic_slot(set) + vector / APIC_VECTORS_PER_SLOT] & vec_bit(vector)) != 0;
}

void vlapic_vec_set(struct vlapic *a, uint32_t set, uint8_t vector)
{
	*vec_word(a, set, vector) |= vec_bit(vector);
}

void vlapic_vec_clear(struct vlapic *a, uint32_t set, uint8_t vector)
{
	*vec_word(a, set, vector) &= ~vec_bit(vector);
}

int vlapic_vec_highest(const struct vlapic *a, uint32_t set)
{
	for (unsigned i = APIC_VECTOR_REG_SLOTS; i-- > 0;) {
		uint32_t word = a->reg[vlapic_slot(set) + i];
		if (word)
			return (int)(i * APIC_VECTORS_PER_SLOT + 31u -
			             (unsigned)__builtin_clz(word));
	}
	return -1;
}

/*
 * §11.8.3.1: PPR[7:0] = TPR[7:0] if TPR[7:4] >= ISRV[7:4], else
 * ISRV[7:4] with PPR[3:0] = 0; ISRV is the highest in-service vector, or 0.
 */
uint8_t vlapic_ppr(const struct vlapic *a)
{
	uint32_t tpr = vlapic_reg_value(a, APIC_TPR) & APIC_TPR_MASK;
	int highest = vlapic_vec_highest(a, APIC_ISR);
	uint32_t isrv = highest < 0 ? 0 : (uint32_t)highest;

	if (apic_priority_class(tpr) >= apic_priority_class(isrv))
		return (uint8_t)tpr;
	return (uint8_t)apic_priority_class(isrv);
}

/* §11.8.4: the highest IRR vector goes to the core only if its priority
 * class is above the processor priority class. */
int vlapic_deliverable(const struct vlapic *a)
{
	int vector = vlapic_vec_highest(a, APIC_IRR);

	if (vector < 0)
		return -1;
	if (apic_priority_class((uint32_t)vector) <= apic_priority_class(vlapic_ppr(a)))
		return -1;
	return vector;
}

int vlapic_take_fixed(struct vlapic *a)
{
	int vector = vlapic_deliverable(a);

	if (vector < 0)
		return -1;
	vlapic_vec_clear(a, APIC_IRR, (uint8_t)vector);
	vlapic_vec_set(a, APIC_ISR, (uint8_t)vector);
	a->stats.delivered++;
	return vector;
}

/*
 * §11.8.5: an EOI ends the highest-priority in-service interrupt. Without
 * an I/O APIC there is no EOI message to broadcast; a level-triggered
 * vector from a LINT pin has its remote IRR cleared. An EOI with nothing in
 * service does nothing (Linux writes extra EOIs while setting up the APIC).
 */
void vlapic_eoi(struct vlapic *a)
{
	int vector = vlapic_vec_highest(a, APIC_ISR);

	a->eoi_writes++;
	if (vector < 0)
		return;
	vlapic_vec_clear(a, APIC_ISR, (uint8_t)vector);
	a->stats.eois++;
	if (vlapic_vec_test(a, APIC_TMR, (uint8_t)vector))
		vlapic_lint_eoi(a, (uint8_t)vector);
}
