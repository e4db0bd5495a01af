/* guest-modeswitch: constants shared by the C part and the long-mode leg. */
#ifndef GUESTS_MODESWITCH_H
#define GUESTS_MODESWITCH_H

#define MS_LOW_VA    0x40000000         /* mapped in every mode, to a different frame each */
#define MS_HIGH_VA   0x0000008000000000 /* 512 GiB: only 4-level paging reaches it */
#define MS_LONG_MARK 0x10a9c0de

#ifndef __ASSEMBLER__
#include <stdint.h>

struct long_results {
	uint32_t low, high, efer;
};

void long_mode_roundtrip(uint32_t pml4, struct long_results *out);
void long_mode_fault(void);
extern uint32_t idt64[32 * 4];
#endif

#endif
