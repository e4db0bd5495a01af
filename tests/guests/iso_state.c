/* Access to the register families the state guests plant and check: FXSAVE, the debug
 * registers, CR8 and RDPMC from ring 3. */
#include "tests/guests/iso_state.h"

#include "tests/guests/cpu.h"
#include "tests/guests/iso.h"
#include "tests/guests/probe.h"

void state_fpu_enable(void)
{
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
}

void state_fxsave(struct fxsave_area *a)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*a));
}

/* MOV from/to DRn needs the register number in the instruction. */
uint64_t state_read_dr(unsigned n)
{
	uint64_t v = 0;
	switch (n) {
	case 0:
		__asm__ volatile("mov %%dr0, %0" : "=r"(v));
		break;
	case 1:
		__asm__ volatile("mov %%dr1, %0" : "=r"(v));
		break;
	case 2:
		__asm__ volatile("mov %%dr2, %0" : "=r"(v));
		break;
	case 3:
		__asm__ volatile("mov %%dr3, %0" : "=r"(v));
		break;
	case 6:
		__asm__ volatile("mov %%dr6, %0" : "=r"(v));
		break;
	case 7:
		__asm__ volatile("mov %%dr7, %0" : "=r"(v));
		break;
	}
	return v;
}

void state_write_dr(unsigned n, uint64_t v)
{
	switch (n) {
	case 0:
		__asm__ volatile("mov %0, %%dr0" : : "r"(v));
		break;
	case 1:
		__asm__ volatile("mov %0, %%dr1" : : "r"(v));
		break;
	case 2:
		__asm__ volatile("mov %0, %%dr2" : : "r"(v));
		break;
	case 3:
		__asm__ volatile("mov %0, %%dr3" : : "r"(v));
		break;
	case 6:
		__asm__ volatile("mov %0, %%dr6" : : "r"(v));
		break;
	case 7:
		__asm__ volatile("mov %0, %%dr7" : : "r"(v));
		break;
	}
}

unsigned long state_read_cr8(void)
{
	unsigned long v;
	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

void state_write_cr8(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory");
}

bool state_user_rdpmc(void)
{
	iso_arm();
	user_enter((uintptr_t)iso_user_rdpmc, 0, 0);
	return last_fault.taken;
}
