/* Legacy ports: the COM1 16550 (registers read back as written, transmitter empty), the
 * 8259A pair (ICW1-ICW4, OCW1 mask, OCW2 EOI, OCW3 register select and poll) and a port no
 * device decodes (all ones on a PC, where an unclaimed ISA read floats high). */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/platform.h"
#include "tests/guests/report.h"

/* 16550 register offsets from COM1 (PC16550D datasheet, table II). */
#define COM1           0x3f8
#define UART_DATA      0
#define UART_IER       1
#define UART_IIR       2
#define UART_LCR       3
#define UART_MCR       4
#define UART_LSR       5
#define UART_SCR       7
#define LCR_DLAB       0x80u
#define LCR_8N1        0x03u
#define LCR_8E2        0x1fu /* 8 bits, 2 stop bits, even parity */
#define MCR_DTR_RTS    0x03u
#define MCR_OUT2_DTR   0x09u
#define LSR_THRE       0x20u
#define LSR_TEMT       0x40u
#define IIR_NO_INT     0x01u
#define IER_RDA_RLS    0x05u /* receive-data and line-status interrupts: neither can fire */
#define DIVISOR_115200 1u
#define SPIN_LIMIT     1000000u

/* 8259A ports and command words (Intel 8259A datasheet). */
#define PIC1_CMD      0x20
#define PIC1_DATA     0x21
#define PIC2_CMD      0xa0
#define PIC2_DATA     0xa1
#define ICW1_INIT_IC4 0x11u /* ICW1, edge triggered, cascade, ICW4 follows */
#define ICW4_8086     0x01u
#define OCW3_READ_IRR 0x0au
#define OCW3_READ_ISR 0x0bu
#define OCW3_POLL     0x0cu
#define OCW2_EOI      0x20u /* non-specific EOI */
#define POLL_INT      0x80u /* poll word: an interrupt is pending */
#define PIC1_VECTOR   0x20u
#define PIC2_VECTOR   0x28u
#define CASCADE_IRQ   2u
#define TIMER_IRQ_BIT 0x01u

/* COM3's registers: nothing decodes them on QEMU's pc machine (-nodefaults) or ours. */
#define UNUSED_PORT 0x3e8
#define UNUSED_SCR  0x3ef

static uint8_t uart_in(unsigned reg)
{
	return inb((uint16_t)(COM1 + reg));
}

static void uart_out(unsigned reg, uint8_t v)
{
	outb((uint16_t)(COM1 + reg), v);
}

static bool uart_reads_back(unsigned reg, uint8_t v)
{
	uart_out(reg, v);
	return uart_in(reg) == v;
}

static void test_uart_status(void)
{
	uint8_t lsr = 0;
	for (uint32_t spin = 0;
	     spin < SPIN_LIMIT && (lsr & (LSR_THRE | LSR_TEMT)) != (LSR_THRE | LSR_TEMT); spin++)
		lsr = uart_in(UART_LSR);
	report((lsr & (LSR_THRE | LSR_TEMT)) == (LSR_THRE | LSR_TEMT),
	       "uart: LSR bits 5 and 6 report THR empty and transmitter idle", "LSR 0x%x", lsr);
	uint8_t iir = uart_in(UART_IIR);
	report(iir & IIR_NO_INT, "uart: IIR reports no interrupt pending with IER 0", "IIR 0x%x",
	       iir);
}

static void test_uart_registers(void)
{
	bool scr = uart_reads_back(UART_SCR, 0x00) && uart_reads_back(UART_SCR, 0xff) &&
	           uart_reads_back(UART_SCR, 0xa5) && uart_reads_back(UART_SCR, 0x5a);
	report(scr, "uart: scratch register keeps 0x00, 0xff, 0xa5, 0x5a", "reads 0x%x",
	       uart_in(UART_SCR));

	bool lcr = uart_reads_back(UART_LCR, LCR_8E2);
	uart_out(UART_LCR, LCR_8N1);
	bool mcr = uart_reads_back(UART_MCR, MCR_OUT2_DTR);
	uart_out(UART_MCR, MCR_DTR_RTS);
	bool ier = uart_reads_back(UART_IER, IER_RDA_RLS);
	uart_out(UART_IER, 0);
	report(lcr && mcr && ier && uart_in(UART_IER) == 0 && uart_in(UART_LCR) == LCR_8N1,
	       "uart: LCR, MCR and IER read back as written",
	       "LCR %d MCR %d IER %d, now LCR 0x%x IER 0x%x", lcr, mcr, ier, uart_in(UART_LCR),
	       uart_in(UART_IER));

	uart_out(UART_LCR, LCR_DLAB | LCR_8N1);
	uart_out(UART_DATA, 0x0c);
	uart_out(UART_IER, 0x12);
	uint8_t dll = uart_in(UART_DATA), dlm = uart_in(UART_IER);
	uart_out(UART_DATA, DIVISOR_115200);
	uart_out(UART_IER, 0);
	uart_out(UART_LCR, LCR_8N1);
	report(dll == 0x0c && dlm == 0x12 && uart_in(UART_IER) == 0,
	       "uart: with LCR.DLAB the divisor latch (DLL, DLM) reads back",
	       "DLL 0x%x DLM 0x%x, IER after 0x%x", dll, dlm, uart_in(UART_IER));
}

void platform_uart_tests(void)
{
	test_uart_status();
	test_uart_registers();
}

static void pic_init(uint16_t cmd, uint16_t data, uint8_t vector, uint8_t icw3)
{
	outb(cmd, ICW1_INIT_IC4);
	outb(data, vector);
	outb(data, icw3);
	outb(data, ICW4_8086);
}

static uint8_t pic_read_reg(uint16_t cmd, uint8_t ocw3)
{
	outb(cmd, ocw3);
	return inb(cmd);
}

static bool mask_reads_back(uint16_t data, uint8_t v)
{
	outb(data, v);
	return inb(data) == v;
}

static void test_pic_init_and_mask(void)
{
	pic_init(PIC1_CMD, PIC1_DATA, PIC1_VECTOR, 1u << CASCADE_IRQ);
	pic_init(PIC2_CMD, PIC2_DATA, PIC2_VECTOR, CASCADE_IRQ);
	uint8_t m1 = inb(PIC1_DATA), m2 = inb(PIC2_DATA);
	/* Mask everything at once: interrupts stay off (IF = 0) but keep the lines quiet. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	report(m1 == 0 && m2 == 0, "pic: ICW1-ICW4 leave the mask (IMR) cleared",
	       "master IMR 0x%x slave IMR 0x%x", m1, m2);
	bool ok = mask_reads_back(PIC1_DATA, 0xa5) && mask_reads_back(PIC1_DATA, 0x5a) &&
	          mask_reads_back(PIC2_DATA, 0x3c) && mask_reads_back(PIC2_DATA, 0xc3) &&
	          mask_reads_back(PIC1_DATA, 0xff) && mask_reads_back(PIC2_DATA, 0xff);
	report(ok, "pic: OCW1 mask reads back on the data port, master and slave",
	       "master 0x%x slave 0x%x", inb(PIC1_DATA), inb(PIC2_DATA));
}

/* IRR: the PC's timer (IR0) may be pending on real firmware-initialized hardware; no
 * other line has a source here, and under hvx86 nothing raises any line. */
static void test_pic_status_registers(void)
{
	uint8_t isr1 = pic_read_reg(PIC1_CMD, OCW3_READ_ISR);
	uint8_t isr2 = pic_read_reg(PIC2_CMD, OCW3_READ_ISR);
	uint8_t irr1 = pic_read_reg(PIC1_CMD, OCW3_READ_IRR);
	uint8_t irr2 = pic_read_reg(PIC2_CMD, OCW3_READ_IRR);
	uint8_t allowed = env.kind == ENV_HVX86 ? 0 : TIMER_IRQ_BIT;
	report(isr1 == 0 && isr2 == 0 && (irr1 & ~allowed) == 0 && irr2 == 0 &&
	           inb(PIC1_DATA) == 0xff && inb(PIC2_DATA) == 0xff,
	       "pic: OCW3 reads ISR 0 and IRR with no request (timer IR0 aside), IMR kept",
	       "ISR 0x%x/0x%x IRR 0x%x/0x%x IMR 0x%x/0x%x", isr1, isr2, irr1, irr2, inb(PIC1_DATA),
	       inb(PIC2_DATA));

	outb(PIC1_CMD, OCW3_POLL);
	uint8_t poll = inb(PIC1_CMD);
	uint8_t imr = inb(PIC1_DATA);
	report(!(poll & POLL_INT) && imr == 0xff,
	       "pic: OCW3 poll with every line masked reports no interrupt",
	       "poll word 0x%x, IMR after 0x%x", poll, imr);

	outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
	isr1 = pic_read_reg(PIC1_CMD, OCW3_READ_ISR);
	isr2 = pic_read_reg(PIC2_CMD, OCW3_READ_ISR);
	report(isr1 == 0 && isr2 == 0 && inb(PIC1_DATA) == 0xff && inb(PIC2_DATA) == 0xff,
	       "pic: OCW2 EOI with nothing in service changes nothing",
	       "ISR 0x%x/0x%x IMR 0x%x/0x%x", isr1, isr2, inb(PIC1_DATA), inb(PIC2_DATA));
	/* Leave IRR selected, as after initialization. */
	outb(PIC1_CMD, OCW3_READ_IRR);
	outb(PIC2_CMD, OCW3_READ_IRR);
}

void platform_pic_tests(void)
{
	test_pic_init_and_mask();
	test_pic_status_registers();
}

void platform_port_tests(void)
{
	uint8_t b = inb(UNUSED_PORT);
	uint16_t w = inw(UNUSED_PORT);
	uint32_t l = inl(UNUSED_PORT);
	report(b == 0xff && w == 0xffff && l == 0xffffffffu,
	       "io: 8-, 16- and 32-bit reads of an unused port (0x3e8) give all ones",
	       "0x%x 0x%x 0x%x", b, w, l);
	outb(UNUSED_SCR, 0x5a);
	b = inb(UNUSED_SCR);
	report(b == 0xff, "io: a write to an unused port (0x3ef) is dropped, it still reads 0xff",
	       "read 0x%x", b);
}
