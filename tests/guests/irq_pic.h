/* The PC's 8259A pair (Intel 8259A datasheet, order 231468): initialization (ICW1-ICW4),
 * masks (OCW1), EOIs (OCW2) and the IRR/ISR read selection (OCW3). */
#ifndef GUESTS_IRQ_PIC_H
#define GUESTS_IRQ_PIC_H

#include <stdint.h>

#define PIC_MASTER_CMD  0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_CMD   0xa0
#define PIC_SLAVE_DATA  0xa1

#define PIC_MASTER_VECTOR 0x20u
#define PIC_SLAVE_VECTOR  0x28u
#define PIC_CASCADE_IRQ   2u
#define PIC_IRQS          16u

/* PC wiring of the lines the irq guests use. */
#define IRQ_PIT  0u
#define IRQ_COM1 4u
#define IRQ_RTC  8u

#define PIC_ALL_MASKED 0xffffu

/* Both controllers: edge triggered, cascaded, 8086 mode, vectors 0x20 and 0x28, every
 * line masked. */
void pic_init(void);
/* OCW1 of both controllers: bit N masks IRQ N (IRQ 8-15 on the slave). */
void pic_set_mask(uint16_t mask);
uint16_t pic_mask(void);
void pic_unmask_irq(unsigned irq);
void pic_mask_irq(unsigned irq);
/* Drops a request IRQ latched while masked (e.g. an edge of a timer being reprogrammed),
 * then unmasks it: only requests made from now on get through. IF must be 0. */
void pic_unmask_clean(unsigned irq);
/* Non-specific EOI (OCW2 0x20): to the slave and the master for IRQ 8-15. */
void pic_eoi(unsigned irq);
/* Specific EOI (OCW2 0x60 | level) to the controller that owns IRQ. */
void pic_specific_eoi(unsigned irq);
/* IRR and ISR of both controllers, slave in bits 8-15 (OCW3 read register commands);
 * the IRR stays selected afterwards, as after initialization. */
uint16_t pic_read_irr(void);
uint16_t pic_read_isr(void);

static inline uint8_t pic_vector(unsigned irq)
{
	return (uint8_t)(irq < 8 ? PIC_MASTER_VECTOR + irq : PIC_SLAVE_VECTOR + irq - 8);
}

#endif
