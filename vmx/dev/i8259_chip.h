/*
 * One 8259A of the pair (see vmx/dev/i8259.h): its command words, its
 * inputs and its priority resolver. Used only by the pair's files.
 */
#ifndef VMX_DEV_I8259_CHIP_H
#define VMX_DEV_I8259_CHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/dev/i8259.h"

/* ICW1 (datasheet, "Initialization Command Words"). */
#define ICW1_IC4  (1u << 0) /* ICW4 will follow */
#define ICW1_SNGL (1u << 1) /* single chip: no ICW3 */
#define ICW1_LTIM (1u << 3) /* every input level-triggered */
#define ICW1_INIT (1u << 4) /* marks ICW1 on the command port */

/* ICW2: T7..T3 in 8086 mode; the chip supplies the IR number in bits 2..0. */
#define ICW2_VECTOR_MASK 0xf8u

/* ICW4. */
#define ICW4_UPM     (1u << 0) /* 8086/8088 mode */
#define ICW4_AEOI    (1u << 1) /* automatic EOI at the end of INTA */
#define ICW4_MS      (1u << 2) /* buffered mode: master (1) or slave (0) */
#define ICW4_BUF     (1u << 3) /* buffered mode */
#define ICW4_SFNM    (1u << 4) /* special fully nested mode */
#define ICW4_DEFINED 0x1fu     /* bits 7..5 are 0 */

/* OCW3 (command port, bit 4 clear, bit 3 set). */
#define OCW3_SELECT (1u << 3)
#define OCW3_RIS    (1u << 0) /* read ISR (1) or IRR (0) ... */
#define OCW3_RR     (1u << 1) /* ... when this bit is set */
#define OCW3_POLL   (1u << 2)
#define OCW3_SMM    (1u << 5) /* special mask mode on/off ... */
#define OCW3_ESMM   (1u << 6) /* ... when this bit is set */

/* Poll word: I in bit 7, the highest requesting level in bits 2..0. */
#define POLL_INTERRUPT (1u << 7)
#define POLL_LEVEL     0x07u

#define I8259_IR_NONE (-1)

_Static_assert((ICW2_VECTOR_MASK & POLL_LEVEL) == 0, "ICW2 leaves the IR bits to the chip");

static inline uint8_t i8259_ir_bit(unsigned ir)
{
	return (uint8_t)(1u << (ir & 7));
}

static inline uint8_t i8259_chip_vector(const struct i8259_chip *c, unsigned ir)
{
	return (uint8_t)(c->vector_base | (ir & 7));
}

/* The inputs that follow the line's level: all of them under LTIM, else the ELCR's. */
static inline uint8_t i8259_chip_level_inputs(const struct i8259_chip *c)
{
	return (c->icw1 & ICW1_LTIM) ? 0xff : c->elcr;
}

/* IR2 of the master when ICW1/ICW3 program a slave there (the only slave on a PC). */
static inline bool i8259_chip_is_cascade(const struct i8259_chip *c, unsigned ir)
{
	return c->master && ir == I8259_CASCADE_IR && !(c->icw1 & ICW1_SNGL) &&
	       (c->icw3 & i8259_ir_bit(ir));
}

/* i8259_cmd.c: reset, command words and reads. */
void i8259_chip_reset(struct i8259_chip *c, bool master, uint8_t base, uint8_t icw3);
void i8259_chip_write(struct i8259_chip *c, bool a0, uint8_t v);
uint8_t i8259_chip_read(struct i8259_chip *c, bool a0);

/* i8259_input.c: edge and level inputs. */
void i8259_chip_set_input(struct i8259_chip *c, unsigned ir, bool level);
void i8259_chip_resample_levels(struct i8259_chip *c);
void i8259_chip_set_elcr(struct i8259_chip *c, uint8_t elcr);

/* i8259_prio.c: priority resolution, INTA, OCW2. */
int i8259_chip_resolve(const struct i8259_chip *c);
void i8259_chip_inta(struct i8259_chip *c, unsigned ir);
void i8259_chip_ocw2(struct i8259_chip *c, uint8_t v);

/* i8259.c: the slave's INT drives the master's IR2; call after any change. */
void i8259_sync_cascade(struct i8259 *p);

static inline bool i8259_chip_int(const struct i8259_chip *c)
{
	return i8259_chip_resolve(c) != I8259_IR_NONE;
}

#endif
