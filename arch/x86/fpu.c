/*
 * x87/SSE state reset (see arch/x86/fpu.h): one FXRSTOR of a clean 512-byte
 * image (SDM Vol. 2A "FXSAVE", table 3-53: FCW at 0, MXCSR at 24, the eight
 * x87/MMX registers at 32, XMM0-XMM15 at 160).
 */
#include "arch/x86/fpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"

#define FXSAVE_FCW_OFFSET   0
#define FXSAVE_MXCSR_OFFSET 24
#define FCW_AFTER_FNINIT    0x037f
#define MXCSR_RESET         0x1f80

static uint8_t clean_image[512] __attribute__((aligned(16)));

void fpu_enable(void)
{
	write_cr0((read_cr0() & ~(uint64_t)(CR0_EM | CR0_TS)) | CR0_MP);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	uint16_t fcw = FCW_AFTER_FNINIT;
	uint32_t mxcsr = MXCSR_RESET;
	__builtin_memcpy(&clean_image[FXSAVE_FCW_OFFSET], &fcw, sizeof(fcw));
	__builtin_memcpy(&clean_image[FXSAVE_MXCSR_OFFSET], &mxcsr, sizeof(mxcsr));
}

void fpu_reset(void)
{
	__asm__ volatile("fxrstor64 %0" ::"m"(clean_image) : "memory");
}
