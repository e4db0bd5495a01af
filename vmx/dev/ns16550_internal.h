/*
 * What the parts of the 16550 model (vmx/dev/ns16550*.c) call of each
 * other. Not for users of the model: they include vmx/dev/ns16550.h.
 */
#ifndef VMX_DEV_NS16550_INTERNAL_H
#define VMX_DEV_NS16550_INTERNAL_H

#include "vmx/dev/ns16550.h"

static inline uint64_t ns16550_now(const struct ns16550 *u)
{
	return u->clock.now ? io_now(&u->clock) : 0;
}

static inline bool ns16550_fifos_enabled(const struct ns16550 *u)
{
	return (u->fcr & NS16550_FCR_ENABLE) != 0;
}

static inline bool ns16550_loopback(const struct ns16550 *u)
{
	return (u->mcr & NS16550_MCR_LOOP) != 0;
}

/* ns16550_intr.c: interrupt identification and the IRQ line. */
void ns16550_update_irq(struct ns16550 *u);
uint8_t ns16550_read_iir(struct ns16550 *u);
void ns16550_write_ier(struct ns16550 *u, uint8_t value);

/* ns16550_tx.c: the transmitter. */
void ns16550_write_thr(struct ns16550 *u, uint8_t byte);

/* ns16550_fifo.c: the RX FIFO and FCR. */
bool ns16550_rx_full(const struct ns16550 *u);
void ns16550_rx_push(struct ns16550 *u, uint8_t byte, uint8_t errors);
uint8_t ns16550_rx_pop(struct ns16550 *u);
void ns16550_rx_replace_newest(struct ns16550 *u, uint8_t byte, uint8_t errors);
void ns16550_rx_clear(struct ns16550 *u);
bool ns16550_rx_errors_behind_top(const struct ns16550 *u);
bool ns16550_rx_at_trigger(const struct ns16550 *u);
void ns16550_write_fcr(struct ns16550 *u, uint8_t value);

/* ns16550_rx.c: the receiver, LSR and the character timeout. */
uint8_t ns16550_read_rbr(struct ns16550 *u);
uint8_t ns16550_read_lsr(struct ns16550 *u);
void ns16550_loopback_receive(struct ns16550 *u, uint8_t byte);
bool ns16550_rx_timed_out(const struct ns16550 *u);
void ns16550_rx_check_timeout(struct ns16550 *u, uint64_t now);
void ns16550_rx_rearm_timer(struct ns16550 *u);
void ns16550_rx_timer_fire(void *dev, uint64_t now);

/* ns16550_modem.c: MCR, MSR and the modem lines. */
void ns16550_write_mcr(struct ns16550 *u, uint8_t value);
uint8_t ns16550_read_msr(struct ns16550 *u);

#endif
