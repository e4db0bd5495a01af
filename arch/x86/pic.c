/*
 * The host 8259 pair (Intel 8259A datasheet: ICW1-ICW4 then OCW1). Nothing
 * of the host uses it; remapped so that a spurious IRQ7 or IRQ15 is not
 * mistaken for an exception, then fully masked.
 */
#include "arch/x86/pic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/hostirq.h"

#define MASTER_CMD  0x20
#define MASTER_DATA 0x21
#define SLAVE_CMD   0xa0
#define SLAVE_DATA  0xa1
#define ICW1_INIT   0x11 /* edge, cascade, ICW4 follows */
#define ICW3_MASTER 0x04 /* slave on IR2 */
#define ICW3_SLAVE  0x02 /* slave ID 2 */
#define ICW4_8086   0x01
#define MASK_ALL    0xff

void host_pic_disable(void)
{
	outb(MASTER_CMD, ICW1_INIT);
	outb(SLAVE_CMD, ICW1_INIT);
	outb(MASTER_DATA, HOST_VEC_PIC_BASE);
	outb(SLAVE_DATA, HOST_VEC_PIC_BASE + 8);
	outb(MASTER_DATA, ICW3_MASTER);
	outb(SLAVE_DATA, ICW3_SLAVE);
	outb(MASTER_DATA, ICW4_8086);
	outb(SLAVE_DATA, ICW4_8086);
	outb(MASTER_DATA, MASK_ALL);
	outb(SLAVE_DATA, MASK_ALL);
}
