/*
 * The 8259A pair (see vmx/vpic.h). Command port (A0=0) writes: ICW1 when
 * bit 4 is set, else OCW3 when bit 3 is set, else OCW2. Data port (A0=1)
 * writes: the next ICW while initializing, else OCW1 (the mask).
 * Reads: the data port gives the IMR; the command port gives IRR or ISR as
 * OCW3 selected; either gives the poll word once after an OCW3 poll.
 */
#include "vmx/dev/pic.h"

#define ICW1_IC4  (1u << 0) /* ICW4 will follow */
#define ICW1_SNGL (1u << 1) /* single chip: no ICW3 */
#define ICW1_INIT (1u << 4) /* marks ICW1 on the command port */

#define ICW2_VECTOR_MASK 0xf8u /* T7..T3 in 8086 mode; the chip supplies IR0..2 */
#define ICW4_DEFINED     0x1fu /* uPM, AEOI, M/S, BUF, SFNM; bits 7..5 are 0 */
#define ICW4_8086        (1u << 0)

#define OCW3_SELECT (1u << 3) /* with bit 4 clear: this is OCW3, not OCW2 */
#define OCW3_RIS    (1u << 0) /* read ISR (1) or IRR (0) ... */
#define OCW3_RR     (1u << 1) /* ... when this bit is set */
#define OCW3_POLL   (1u << 2)
#define OCW3_SMM    (1u << 5) /* special mask mode on/off ... */
#define OCW3_ESMM   (1u << 6) /* ... when this bit is set */

#define POLL_NO_INTERRUPT 0x00 /* poll word: bit 7 clear = nothing pending */
#define CASCADE_LINE      2

_Static_assert((ICW2_VECTOR_MASK & 7) == 0, "ICW2 vector base is 8-aligned");

static struct vpic_chip *chip_of(struct vpic *p, uint16_t port)
{
	if (port == VPIC_MASTER_COMMAND || port == VPIC_MASTER_DATA)
		return &p->master;
	if (port == VPIC_SLAVE_COMMAND || port == VPIC_SLAVE_DATA)
		return &p->slave;
	return 0;
}

static bool is_data_port(uint16_t port)
{
	return port & 1; /* A0 = 1 */
}

static void chip_reset(struct vpic_chip *c, uint8_t base, uint8_t icw3)
{
	*c = (struct vpic_chip){
	    .imr = 0xff,
	    .icw1 = ICW1_INIT | ICW1_IC4,
	    .vector_base = base,
	    .icw3 = icw3,
	    .icw4 = ICW4_8086,
	};
}

void vpic_init(struct vpic *p)
{
	chip_reset(&p->master, 0x08, 1u << CASCADE_LINE);
	chip_reset(&p->slave, 0x70, CASCADE_LINE);
}

bool vpic_handles(uint16_t port)
{
	return port == VPIC_MASTER_COMMAND || port == VPIC_MASTER_DATA ||
	       port == VPIC_SLAVE_COMMAND || port == VPIC_SLAVE_DATA;
}

/* ICW1 (datasheet "Initialization Command Words"): the mask is cleared,
 * special mask mode is cleared, status read is set to IRR, and without IC4
 * every ICW4 function is set to zero. */
static void write_icw1(struct vpic_chip *c, uint8_t v)
{
	c->icw1 = v;
	c->imr = 0;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	if (!(v & ICW1_IC4))
		c->icw4 = 0;
	c->init_step = VPIC_WANT_ICW2;
	c->inits++;
}

static void write_ocw3(struct vpic_chip *c, uint8_t v)
{
	if (v & OCW3_ESMM)
		c->special_mask = (v & OCW3_SMM) != 0;
	if (v & OCW3_RR)
		c->read_isr = (v & OCW3_RIS) != 0;
	c->poll = (v & OCW3_POLL) != 0;
}

static void write_command(struct vpic_chip *c, uint8_t v)
{
	if (v & ICW1_INIT)
		write_icw1(c, v);
	else if (v & OCW3_SELECT)
		write_ocw3(c, v);
	else
		c->eois++; /* OCW2: EOI/rotate commands; nothing is ever in service */
}

static enum vpic_init_step step_after_icw2(const struct vpic_chip *c)
{
	if (!(c->icw1 & ICW1_SNGL))
		return VPIC_WANT_ICW3;
	return (c->icw1 & ICW1_IC4) ? VPIC_WANT_ICW4 : VPIC_READY;
}

static void write_data(struct vpic_chip *c, uint8_t v)
{
	switch (c->init_step) {
	case VPIC_WANT_ICW2:
		c->vector_base = v & ICW2_VECTOR_MASK;
		c->init_step = step_after_icw2(c);
		break;
	case VPIC_WANT_ICW3:
		c->icw3 = v;
		c->init_step = (c->icw1 & ICW1_IC4) ? VPIC_WANT_ICW4 : VPIC_READY;
		break;
	case VPIC_WANT_ICW4:
		c->icw4 = v & ICW4_DEFINED;
		c->init_step = VPIC_READY;
		break;
	default:
		c->imr = v; /* OCW1 */
		break;
	}
}

/* After an OCW3 poll command the next read, on either port, is the poll
 * word (the datasheet treats that read as an interrupt acknowledge). */
static uint8_t read_byte(struct vpic *p, uint16_t port)
{
	struct vpic_chip *c = chip_of(p, port);
	if (!c)
		return 0xff;
	if (c->poll) {
		c->poll = false;
		return POLL_NO_INTERRUPT;
	}
	if (is_data_port(port))
		return c->imr;
	return 0; /* IRR or ISR, whichever OCW3 selected: both always empty */
}

static void write_byte(struct vpic *p, uint16_t port, uint8_t v)
{
	struct vpic_chip *c = chip_of(p, port);
	if (!c)
		return;
	if (is_data_port(port))
		write_data(c, v);
	else
		write_command(c, v);
}

uint32_t vpic_read(struct vpic *p, uint16_t port, unsigned size)
{
	uint32_t value = 0;
	for (unsigned i = 0; i < size && i < 4; i++)
		value |= (uint32_t)read_byte(p, (uint16_t)(port + i)) << (8 * i);
	return value;
}

void vpic_write(struct vpic *p, uint16_t port, unsigned size, uint32_t value)
{
	for (unsigned i = 0; i < size && i < 4; i++)
		write_byte(p, (uint16_t)(port + i), (uint8_t)(value >> (8 * i)));
}

void vpic_print(const struct vpic *p, vmx_printf_fn pf)
{
	pf("pic: master base 0x%x mask 0x%x, slave base 0x%x mask 0x%x\n", p->master.vector_base,
	   p->master.imr, p->slave.vector_base, p->slave.imr);
}
