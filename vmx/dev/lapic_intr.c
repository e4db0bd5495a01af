/*
 * The local APIC in front of the vCPU (vmx/io/intr.h): the interrupt it
 * signals, the INTA cycle, NMIs and the task priority. LINT0 programmed as
 * ExtINT passes the 8259 pair's INTR through (virtual-wire mode, Intel
 * MultiProcessor Specification §3.6.2.2): the APIC sends an ExtINT
 * straight to the core, past IRR, ISR and the priority check (SDM Vol. 3A
 * §11.8.1; its handler writes no EOI), and the 8259 answers the INTA. With the APIC globally
 * disabled the 8259's INTR is the vCPU's INTR pin (§11.4.3).
 */
#include "vmx/dev/lapic_internal.h"

void vlapic_connect_extint(struct vlapic *a, struct io_intr pic)
{
	a->extint = pic;
}

/* LINT0 passes the 8259 through only while unmasked in ExtINT mode; being
 * unmasked implies software-enabled (§11.4.7.2). */
static bool extint_open(const struct vlapic *a)
{
	uint32_t lint0 = vlapic_reg_value(a, APIC_LVT_LINT0);
	return !(lint0 & APIC_LVT_MASKED) && apic_lvt_delivery_mode(lint0) == APIC_DM_EXTINT;
}

/* The timer's expiries up to now are requests already (see lapic_timer.c). */
static void catch_up(struct vlapic *a)
{
	vlapic_timer_sync(a, vlapic_now(a));
}

int vlapic_pending(struct vlapic *a)
{
	if (!vlapic_hw_enabled(a))
		return io_intr_pending(&a->extint);
	catch_up(a);
	int vector = vlapic_deliverable(a);
	if (vector >= 0)
		return vector;
	return extint_open(a) ? io_intr_pending(&a->extint) : IO_INTR_NONE;
}

/* §11.9: a request gone by the INTA cycle gets the spurious vector, which
 * sets no ISR bit (its handler must not write EOI). */
static int spurious(struct vlapic *a)
{
	a->stats.spurious++;
	return (int)(vlapic_reg_value(a, APIC_SVR) & APIC_SVR_VECTOR_MASK);
}

int vlapic_ack(struct vlapic *a)
{
	if (!vlapic_hw_enabled(a))
		return io_intr_ack(&a->extint);
	catch_up(a);
	int vector = vlapic_take_fixed(a);
	if (vector >= 0)
		return vector;
	if (extint_open(a) && io_intr_pending(&a->extint) != IO_INTR_NONE) {
		a->stats.extint++;
		return io_intr_ack(&a->extint);
	}
	return spurious(a);
}

bool vlapic_nmi_pending(const struct vlapic *a)
{
	return a->nmi_pending;
}

void vlapic_nmi_ack(struct vlapic *a)
{
	a->nmi_pending = false;
}

/* §11.4.3: a globally disabled APIC is not there; CR8 reads 0. */
uint8_t vlapic_get_tpr(const struct vlapic *a)
{
	if (!vlapic_hw_enabled(a))
		return 0;
	return (uint8_t)(vlapic_reg_value(a, APIC_TPR) & APIC_TPR_MASK);
}

void vlapic_set_tpr(struct vlapic *a, uint8_t tpr)
{
	if (vlapic_hw_enabled(a))
		*vlapic_reg(a, APIC_TPR) = tpr;
}

static int ops_pending(void *ctrl)
{
	return vlapic_pending(ctrl);
}

static int ops_ack(void *ctrl)
{
	return vlapic_ack(ctrl);
}

static bool ops_nmi_pending(void *ctrl)
{
	return vlapic_nmi_pending(ctrl);
}

static void ops_nmi_ack(void *ctrl)
{
	vlapic_nmi_ack(ctrl);
}

static uint8_t ops_get_tpr(void *ctrl)
{
	return vlapic_get_tpr(ctrl);
}

static void ops_set_tpr(void *ctrl, uint8_t tpr)
{
	vlapic_set_tpr(ctrl, tpr);
}

const struct io_intr_ops vlapic_intr_ops = {
    .pending = ops_pending,
    .ack = ops_ack,
    .nmi_pending = ops_nmi_pending,
    .nmi_ack = ops_nmi_ack,
    .get_tpr = ops_get_tpr,
    .set_tpr = ops_set_tpr,
};
