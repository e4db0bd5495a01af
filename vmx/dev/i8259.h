/*
 * The guest's pair of Intel 8259A programmable interrupt controllers, wired
 * as on every PC: the master at ports 0x20/0x21 signals the CPU, the slave
 * at 0xA0/0xA1 drives the master's IR2, and the south bridge's edge/level
 * control registers (ELCR, PIIX/ICH) at 0x4D0/0x4D1 choose the trigger mode
 * of each input.
 *
 * Devices drive IRQ lines 0..15 through `irq_chip` (0-7 master, 8-15 slave;
 * line 2 is the cascade and not an input). The vCPU asks `i8259_intr_ops`
 * for the vector INTR would deliver and performs the INTA cycle through it;
 * the local APIC reads i8259_intr_output() for its LINT0 in virtual-wire mode.
 *
 * Source: Intel 8259A datasheet (order 231468); ELCR as in the Intel PIIX
 * datasheet. Pure logic: no hardware access.
 */
#ifndef VMX_DEV_I8259_H
#define VMX_DEV_I8259_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/io/intr.h"
#include "vmx/io/irq.h"
#include "vmx/io/log.h"

#define I8259_MASTER_BASE 0x20
#define I8259_SLAVE_BASE  0xa0
#define I8259_ELCR_BASE   0x4d0
#define I8259_PORTS       2 /* each of the three ranges: command/data, ELCR1/ELCR2 */

#define I8259_IRQS       16 /* pins of irq_chip */
#define I8259_CASCADE_IR 2  /* the master input the slave's INT drives */
#define I8259_DEFAULT_IR 7  /* the level a chip answers when a request vanished */

/* The state a PC BIOS leaves (SeaBIOS: vector bases 0x08 and 0x70). */
#define I8259_BIOS_MASTER_BASE 0x08
#define I8259_BIOS_SLAVE_BASE  0x70

/* ELCR bits of IRQ 0, 1, 2 and 8, 13: always edge (read 0, writes ignored). */
#define I8259_ELCR_MASTER_WRITABLE 0xf8u
#define I8259_ELCR_SLAVE_WRITABLE  0xdeu

/* Which initialization word the data port expects next. */
enum i8259_init_step {
	I8259_READY = 0, /* initialized: data-port writes are OCW1 (the mask) */
	I8259_WANT_ICW2,
	I8259_WANT_ICW3,
	I8259_WANT_ICW4,
};

struct i8259_chip {
	uint8_t irr;         /* interrupt request register */
	uint8_t isr;         /* in-service register */
	uint8_t imr;         /* interrupt mask register (OCW1) */
	uint8_t line;        /* the level each input is driven to now */
	uint8_t elcr;        /* this chip's ELCR byte: 1 = level-triggered input */
	uint8_t icw1;        /* the last ICW1: IC4, SNGL, LTIM */
	uint8_t vector_base; /* ICW2 with the low three bits dropped (8086 mode) */
	uint8_t icw3;        /* cascade: slave inputs (master) or slave ID (slave) */
	uint8_t icw4;        /* uPM, AEOI, M/S, BUF, SFNM */
	uint8_t init_step;   /* enum i8259_init_step */
	uint8_t lowest;      /* the IR with the lowest priority (rotation state) */
	bool master;         /* the chip in front of the CPU */
	bool read_isr;       /* OCW3: command-port reads return ISR, else IRR */
	bool poll;           /* OCW3: the next read is the poll word */
	bool special_mask;   /* OCW3: special mask mode */
	bool rotate_aeoi;    /* OCW2: rotate in automatic EOI mode */
	uint32_t inits;      /* ICW1 writes */
	uint32_t ocw2s;      /* OCW2 commands (EOI, rotation, priority) */
	uint32_t polls;      /* poll words read */
};

struct i8259 {
	struct i8259_chip master, slave;
	struct io_irq_chip irq_chip; /* pins 0..15; chip = this pair */
	uint64_t delivered[I8259_IRQS];
	uint64_t spurious_master; /* INTAs answered with the master's default IR7 */
	uint64_t spurious_slave;  /* INTAs answered with the slave's default IR7 */
};

/*
 * The state a PC BIOS leaves: vector bases 0x08 and 0x70, the slave on IR2
 * (ID 2), 8086 mode, every input masked and edge-triggered, nothing pending.
 */
void i8259_init(struct i8259 *p);

/* INTR (master INT) and INTA. ctrl = struct i8259 *. No NMI. */
extern const struct io_intr_ops i8259_intr_ops;

/* The master's INT output: the local APIC's LINT0 in virtual-wire mode. */
bool i8259_intr_output(const struct i8259 *p);

/*
 * Bus handlers (dev = struct i8259 *): 2 ports each, at I8259_MASTER_BASE,
 * I8259_SLAVE_BASE and I8259_ELCR_BASE. Accesses of 1, 2 or 4 bytes split
 * into bytes at offset + i as on the ISA bus; bytes past the range read
 * 0xff and are dropped on writes. Other sizes are refused.
 */
bool i8259_master_read(void *dev, uint16_t offset, unsigned size, uint32_t *value);
bool i8259_master_write(void *dev, uint16_t offset, unsigned size, uint32_t value);
bool i8259_slave_read(void *dev, uint16_t offset, unsigned size, uint32_t *value);
bool i8259_slave_write(void *dev, uint16_t offset, unsigned size, uint32_t value);
bool i8259_elcr_read(void *dev, uint16_t offset, unsigned size, uint32_t *value);
bool i8259_elcr_write(void *dev, uint16_t offset, unsigned size, uint32_t value);

/* The machine's ELCR setup (IRQ n = bit n), as a BIOS writes it for PCI lines. */
void i8259_set_elcr(struct i8259 *p, uint16_t elcr);

/* True while the chip is between ICW1 and its last initialization word. */
static inline bool i8259_chip_initializing(const struct i8259_chip *c)
{
	return c->init_step != I8259_READY;
}

/*
 * Report lines:
 *   pic: master base 0x20 mask 0xfb, slave base 0x28 mask 0xff
 *   pic: irqs 0:1200 1:3 12:40, spurious 7:0 15:1
 *   pic: master irr 0x00 isr 0x00 elcr 0x00, slave irr 0x00 isr 0x00 elcr 0x0c
 */
void i8259_print(const struct i8259 *p, struct io_log *log);

#endif
