/*
 * The state a guest starts in, as a loader leaves it: general registers,
 * segment registers, descriptor tables, control registers and EFER, RIP and
 * RFLAGS. The vCPU's VMCS set-up applies it as it is; nothing of a boot
 * protocol is hard-coded there. Segment access rights use the VMCS format
 * (Intel SDM Vol. 3C §24.4.1, table 24-2: the descriptor's type, S, DPL, P,
 * AVL, L, D/B and G bits, with bit 16 = unusable).
 */
#ifndef VMX_LOAD_BOOT_STATE_H
#define VMX_LOAD_BOOT_STATE_H

#include <stdint.h>

/* General registers by x86 register number (ModRM encoding). */
#define BOOT_RAX  0
#define BOOT_RCX  1
#define BOOT_RDX  2
#define BOOT_RBX  3
#define BOOT_RSP  4
#define BOOT_RBP  5
#define BOOT_RSI  6
#define BOOT_RDI  7
#define BOOT_GPRS 16

/* Access rights (SDM Vol. 3A §3.4.5, in the VMCS layout). */
#define BOOT_AR_TYPE_DATA_RW_ACCESSED 0x3u
#define BOOT_AR_TYPE_CODE_RX_ACCESSED 0xbu
#define BOOT_AR_TYPE_TSS32_BUSY       0xbu
#define BOOT_AR_TYPE_LDT              0x2u
#define BOOT_AR_S                     (1u << 4) /* code or data, not system */
#define BOOT_AR_P                     (1u << 7)
#define BOOT_AR_L                     (1u << 13) /* 64-bit code */
#define BOOT_AR_DB                    (1u << 14) /* 32-bit segment */
#define BOOT_AR_G                     (1u << 15) /* limit in 4 KiB units */
#define BOOT_AR_UNUSABLE              (1u << 16)

#define BOOT_AR_CODE32 \
	(BOOT_AR_TYPE_CODE_RX_ACCESSED | BOOT_AR_S | BOOT_AR_P | BOOT_AR_DB | BOOT_AR_G)
#define BOOT_AR_DATA32 \
	(BOOT_AR_TYPE_DATA_RW_ACCESSED | BOOT_AR_S | BOOT_AR_P | BOOT_AR_DB | BOOT_AR_G)
#define BOOT_AR_TSS32        (BOOT_AR_TYPE_TSS32_BUSY | BOOT_AR_P)
#define BOOT_AR_LDT_UNUSABLE BOOT_AR_UNUSABLE

#define BOOT_FLAT_LIMIT      0xffffffffu
#define BOOT_TSS_LIMIT       0x67u /* a 32-bit TSS without I/O bitmap */
#define BOOT_RFLAGS_RESERVED 0x2u  /* bit 1 is always 1 */

/* Control register bits a boot state may hold (SDM Vol. 3A §2.5). */
#define BOOT_CR0_PE (1u << 0)
#define BOOT_CR0_ET (1u << 4)

struct boot_segment {
	uint16_t selector;
	uint64_t base;
	uint32_t limit; /* in bytes */
	uint32_t access;
};

struct boot_state {
	uint64_t gpr[BOOT_GPRS];
	uint64_t rip, rflags;
	struct boot_segment cs, ss, ds, es, fs, gs, tr, ldtr;
	uint64_t gdt_base, idt_base;
	uint16_t gdt_limit, idt_limit;
	uint64_t cr0, cr3, cr4, efer;
};

/*
 * 32-bit protected mode with paging off and flat 4 GiB segments, what both
 * multiboot (v1 §3.2, v2 §3.3) and the Linux 32-bit boot protocol and PVH
 * ask for: CS `code_sel` (execute/read), DS/ES/FS/GS/SS `data_sel`
 * (read/write), a busy 32-bit TSS at 0 (VM entry needs a usable TR), no
 * LDT, interrupts off, every general register 0, EIP = entry. The GDTR and
 * IDTR are left empty: a loader that promises a GDT writes one to guest
 * memory and sets gdt_base/gdt_limit.
 */
static inline void boot_state_flat32(struct boot_state *s, uint32_t entry, uint16_t code_sel,
                                     uint16_t data_sel)
{
	struct boot_segment code = {code_sel, 0, BOOT_FLAT_LIMIT, BOOT_AR_CODE32};
	struct boot_segment data = {data_sel, 0, BOOT_FLAT_LIMIT, BOOT_AR_DATA32};

	*s = (struct boot_state){0};
	s->rip = entry;
	s->rflags = BOOT_RFLAGS_RESERVED;
	s->cs = code;
	s->ss = s->ds = s->es = s->fs = s->gs = data;
	s->tr = (struct boot_segment){0, 0, BOOT_TSS_LIMIT, BOOT_AR_TSS32};
	s->ldtr = (struct boot_segment){0, 0, 0, BOOT_AR_LDT_UNUSABLE};
	s->gdt_limit = 0xffff;
	s->idt_limit = 0xffff;
	s->cr0 = BOOT_CR0_PE | BOOT_CR0_ET;
}

#endif
