/*
 * The guest's two 8259A programmable interrupt controllers, cascaded as on
 * every PC: master at ports 0x20/0x21, slave at 0xA0/0xA1 on the master's
 * IR2. Enough for a guest that initializes and masks them: the ICW1..ICW4
 * sequence, the mask register (OCW1), EOI commands (OCW2, accepted and
 * ignored) and the IRR/ISR read selection (OCW3). This hypervisor never
 * raises an interrupt, so IRR and ISR are always 0 and a poll finds nothing.
 *
 * Source: Intel 8259A datasheet (order 231468), "Programming the 8259A".
 * Pure logic: no hardware access, the caller passes the port and value.
 */
#ifndef VMX_VPIC_H
#define VMX_VPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/hw/printf_fn.h"

#define VPIC_MASTER_COMMAND 0x20
#define VPIC_MASTER_DATA    0x21
#define VPIC_SLAVE_COMMAND  0xa0
#define VPIC_SLAVE_DATA     0xa1

/* Which initialization word the data port expects next. */
enum vpic_init_step {
	VPIC_READY = 0, /* initialized: data-port writes are OCW1 (the mask) */
	VPIC_WANT_ICW2,
	VPIC_WANT_ICW3,
	VPIC_WANT_ICW4,
};

struct vpic_chip {
	uint8_t imr;         /* interrupt mask register (OCW1) */
	uint8_t icw1;        /* the last ICW1, for its IC4 and SNGL bits */
	uint8_t vector_base; /* ICW2 with the low three bits dropped (8086 mode) */
	uint8_t icw3;        /* cascade: slave lines (master) or slave ID (slave) */
	uint8_t icw4;        /* 8086 mode, AEOI, buffering, SFNM */
	uint8_t init_step;   /* enum vpic_init_step */
	bool read_isr;       /* OCW3: command-port reads return ISR, else IRR */
	bool poll;           /* OCW3: the next command-port read is a poll */
	bool special_mask;   /* OCW3: special mask mode */
	uint32_t inits;      /* ICW1 writes seen */
	uint32_t eois;       /* OCW2 commands seen (all ignored) */
};

struct vpic {
	struct vpic_chip master, slave;
};

/*
 * The state a PC BIOS leaves behind (SeaBIOS programs vector bases 0x08
 * and 0x70, cascade on IR2, 8086 mode), with every line masked: nothing is
 * ever raised here, and a guest that reads the masks before programming
 * them sees the truth.
 */
void vpic_init(struct vpic *p);

bool vpic_handles(uint16_t port);

/*
 * Port accesses of 1, 2 or 4 bytes at `port`. Each byte goes to port + i,
 * as on the ISA bus: an OUTW to 0x20 writes 0x20 then 0x21. Bytes that fall
 * on a port that is not the PIC's read as 0xff and are dropped on writes.
 */
uint32_t vpic_read(struct vpic *p, uint16_t port, unsigned size);
void vpic_write(struct vpic *p, uint16_t port, unsigned size, uint32_t value);

/* True while the chip is between ICW1 and its last initialization word. */
static inline bool vpic_chip_initializing(const struct vpic_chip *c)
{
	return c->init_step != VPIC_READY;
}

/* "pic: master base 0x20 mask 0xff, slave base 0x28 mask 0xff" */
void vpic_print(const struct vpic *p, vmx_printf_fn pf);

#endif
