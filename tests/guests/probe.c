/* Faulting accesses recovered through the fix-up table (trap.c), like a kernel's
 * exception table: the handler resumes after the faulting instruction. */
#include "tests/guests/probe.h"

static void arm(void)
{
	last_fault.taken = false;
	last_fault.vector = ~0u;
	last_fault.error = 0;
	last_fault.cr2 = 0;
}

__attribute__((noinline)) bool probe_read32(uintptr_t addr, uint32_t *val)
{
	uint32_t v = 0;
	arm();
	__asm__ volatile("1: movl (%1), %0\n2:\n" FIXUP("1b", "2b")
	                 : "+r"(v)
	                 : "r"(addr)
	                 : "memory");
	*val = v;
	return last_fault.taken;
}

__attribute__((noinline)) bool probe_write32(uintptr_t addr, uint32_t val)
{
	arm();
	__asm__ volatile("1: movl %1, (%0)\n2:\n" FIXUP("1b", "2b")
	                 :
	                 : "r"(addr), "r"(val)
	                 : "memory");
	return last_fault.taken;
}

/* The call pushes a return address; when the fetch at ADDR faults, the handler resumes
 * at 3: which drops it. */
__attribute__((noinline)) bool probe_fetch(uintptr_t addr)
{
	uintptr_t tmp;
	arm();
	exec_probe_target = addr;
	__asm__ volatile("mov $3f, %0\n"
	                 "mov %0, exec_probe_fixup\n"
	                 "call *%1\n"
	                 "jmp 4f\n"
	                 "3: add $" PTR_SIZE ", " SP_REG "\n"
	                 "4:\n"
	                 : "=&r"(tmp)
	                 : "r"(addr)
	                 : "memory", "cc");
	exec_probe_target = 0;
	return last_fault.taken;
}

bool user_read32(uintptr_t addr, uint32_t *val)
{
	arm();
	*val = user_enter((uintptr_t)user_stub_read32, addr, 0);
	return last_fault.taken;
}

bool user_write32(uintptr_t addr, uint32_t val)
{
	arm();
	user_enter((uintptr_t)user_stub_write32, addr, val);
	return last_fault.taken;
}

bool user_fetch(uintptr_t addr)
{
	arm();
	user_enter((uintptr_t)user_stub_exec, addr, 0);
	return last_fault.taken;
}

bool probe_access(enum access_kind kind, bool user, uintptr_t addr, uint32_t *val)
{
	switch (kind) {
	case ACC_READ:
		return user ? user_read32(addr, val) : probe_read32(addr, val);
	case ACC_WRITE:
		return user ? user_write32(addr, *val) : probe_write32(addr, *val);
	case ACC_FETCH:
	default:
		return user ? user_fetch(addr) : probe_fetch(addr);
	}
}

bool fault_is(uint32_t vec, uint32_t err, uintptr_t addr)
{
	if (!last_fault.taken || last_fault.vector != vec || last_fault.error != err)
		return false;
	return vec != VEC_PF || last_fault.cr2 == addr;
}
