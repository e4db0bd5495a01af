/*
 * What the vCPU asks of the interrupt controller in front of it before each
 * VM entry (the local APIC, which passes the 8259 pair through LINT0, or the
 * 8259 pair alone when the APIC is off): is there an external interrupt the
 * controller would signal now, and, when the CPU takes it, the INTA cycle
 * that returns its vector and puts it in service. NMIs take the same path.
 */
#ifndef VMX_IO_INTR_H
#define VMX_IO_INTR_H

#include <stdbool.h>
#include <stdint.h>

#define IO_INTR_NONE (-1)

struct io_intr_ops {
	/* The vector the controller signals now (INTR asserted), or IO_INTR_NONE. */
	int (*pending)(void *ctrl);
	/* INTA: the vector to deliver, now in service. The controller may answer a
	 * spurious vector if the request went away (8259: IR7 of the chip). */
	int (*ack)(void *ctrl);
	/* An NMI is waiting (LINT1, an NMI IPI); nmi_ack takes it. May be 0. */
	bool (*nmi_pending)(void *ctrl);
	void (*nmi_ack)(void *ctrl);
	/* The task priority (the local APIC's TPR, which MOV CR8 reads and writes in
	 * 64-bit mode as TPR[7:4], SDM Vol. 3A §11.8.6). May be 0: CR8 then reads 0
	 * and writes are dropped. */
	uint8_t (*get_tpr)(void *ctrl);
	void (*set_tpr)(void *ctrl, uint8_t tpr);
};

struct io_intr {
	const struct io_intr_ops *ops; /* 0: no controller, nothing ever pending */
	void *ctrl;
};

static inline int io_intr_pending(const struct io_intr *i)
{
	return i->ops ? i->ops->pending(i->ctrl) : IO_INTR_NONE;
}

static inline int io_intr_ack(const struct io_intr *i)
{
	return i->ops ? i->ops->ack(i->ctrl) : IO_INTR_NONE;
}

static inline bool io_intr_nmi_pending(const struct io_intr *i)
{
	return i->ops && i->ops->nmi_pending && i->ops->nmi_pending(i->ctrl);
}

static inline void io_intr_nmi_ack(const struct io_intr *i)
{
	if (i->ops && i->ops->nmi_ack)
		i->ops->nmi_ack(i->ctrl);
}

static inline uint8_t io_intr_get_tpr(const struct io_intr *i)
{
	return i->ops && i->ops->get_tpr ? i->ops->get_tpr(i->ctrl) : 0;
}

static inline void io_intr_set_tpr(const struct io_intr *i, uint8_t tpr)
{
	if (i->ops && i->ops->set_tpr)
		i->ops->set_tpr(i->ctrl, tpr);
}

#endif
