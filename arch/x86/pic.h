#ifndef ARCH_X86_PIC_H
#define ARCH_X86_PIC_H

/* The host's 8259 pair: remapped to vectors 0x20-0x2F, away from the
 * exceptions, with every line masked (the BIOS may have left IRQ0 running,
 * whose unacknowledged request would make every VM entry exit again). */
void host_pic_disable(void);

#endif
