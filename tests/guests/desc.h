/* Segment selectors, GDT/TSS/IDT set-up shared by the 32-bit and 64-bit guests. */
#ifndef GUESTS_DESC_H
#define GUESTS_DESC_H

/* One GDT layout for every guest; entry64.S and modeswitch.S use the same numbers. */
#define SEL_KCODE32 0x08
#define SEL_KDATA   0x10
#define SEL_KCODE64 0x18
#define SEL_UCODE32 (0x20 | 3)
#define SEL_UDATA   (0x28 | 3)
#define SEL_UCODE64 (0x30 | 3)
#define SEL_TSS     0x38

#ifdef __x86_64__
#define SEL_KCODE SEL_KCODE64
#define SEL_UCODE SEL_UCODE64
#else
#define SEL_KCODE SEL_KCODE32
#define SEL_UCODE SEL_UCODE32
#endif

/* The gate user code uses to come back to ring 0 ("syscall" of the test guests). */
#define VEC_USER_RETURN 0x80

#ifndef __ASSEMBLER__
/* Loads the GDT, the TSS (ring-0 stack for traps from ring 3) and the IDT. */
void desc_init(void);
#endif

#endif
