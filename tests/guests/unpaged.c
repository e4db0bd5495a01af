/* guest-unpaged: 32-bit protected mode without paging, then paging turned on by the
 * guest itself with its own 32-bit page tables. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/frames.h"
#include "tests/guests/guest.h"
#include "tests/guests/probe.h"
#include "tests/guests/pt.h"
#include "tests/guests/report.h"

/* guest-aout runs these tests under its own name. */
#ifdef GUEST_PROG
const char guest_name[] = GUEST_PROG;
#else
const char guest_name[] = "unpaged";
#endif

#define UNPAGED_TEST_VA           0x40000000u
#define GDT_SELECTOR_OUT_OF_LIMIT 0x1000u
#define COM1_LSR                  0x3fd
#define COM1_SCR                  0x3ff

static volatile uint32_t data_word = 0x5eed1234;

static void test_entry_state(unsigned long cr0)
{
	bool magic = env.boot_magic == MB1_BOOT_MAGIC || env.boot_magic == MB2_BOOT_MAGIC;
	report(magic && (env.mb_flags & MBI_FLAG_MEM) && env.ram_end >= (16u << 20),
	       "entry: multiboot magic in EAX, info with mem_upper (RAM >= 16 MiB)",
	       "magic 0x%x, flags 0x%x, RAM end 0x%llx", env.boot_magic, env.mb_flags,
	       (unsigned long long)env.ram_end);
	report((cr0 & CR0_PE) && !(cr0 & CR0_PG), "entry: protected mode with paging off",
	       "CR0 0x%lx", cr0);
}

/* Every free page holds its own address: catches guest RAM pages that alias each other. */
static void test_memory(void)
{
	uintptr_t lo, hi, bad = 0;
	frames_free_span(&lo, &hi);
	for (uintptr_t p = lo; p < hi; p += PAGE_SIZE) {
		((volatile uint32_t *)p)[0] = (uint32_t)p;
		((volatile uint32_t *)p)[1023] = ~(uint32_t)p;
	}
	for (uintptr_t p = lo; p < hi && !bad; p += PAGE_SIZE)
		if (((volatile uint32_t *)p)[0] != (uint32_t)p ||
		    ((volatile uint32_t *)p)[1023] != ~(uint32_t)p)
			bad = p;
	report(!bad, "memory: every free RAM page keeps its own address", "page 0x%lx reads 0x%x",
	       (unsigned long)bad, bad ? ((volatile uint32_t *)bad)[0] : 0);

	volatile uint8_t *block = (volatile uint8_t *)frame_alloc_large(1u << 20);
	for (uint32_t i = 0; i < (1u << 20); i++)
		block[i] = (uint8_t)(i * 7 + (i >> 9));
	uint32_t i = 0;
	while (i < (1u << 20) && block[i] == (uint8_t)(i * 7 + (i >> 9)))
		i++;
	report(i == (1u << 20), "memory: byte pattern over 1 MiB at the top of RAM",
	       "offset 0x%x differs", i);
}

static void test_cpuid(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	char vendor[13];
	uint32_t *v = (uint32_t *)vendor;
	v[0] = r[1];
	v[1] = r[3];
	v[2] = r[2];
	vendor[12] = 0;
	bool printable = true;
	for (int i = 0; i < 12; i++)
		printable &= vendor[i] >= 0x20 && vendor[i] < 0x7f;
	report(r[0] >= 1 && printable, "cpuid: leaf 0 vendor and max leaf >= 1",
	       "max leaf %u vendor '%s'", r[0], vendor);
	report_info("cpu vendor %s, hypervisor vendor '%s'", vendor, env.hv_vendor);
}

static void test_instructions(void)
{
	volatile uint32_t a = 123456789, b = 1000;
	uint32_t q, r, hi, lo, bit, swapped, old;
	__asm__ volatile("divl %4" : "=a"(q), "=d"(r) : "a"(a), "d"(0), "rm"(b));
	__asm__ volatile("mull %3" : "=a"(lo), "=d"(hi) : "a"(a), "rm"(b));
	__asm__ volatile("bsf %1, %0" : "=r"(bit) : "rm"(b));
	__asm__ volatile("bswap %0" : "=r"(swapped) : "0"(a));
	uint32_t mem = 5;
	__asm__ volatile("lock cmpxchgl %2, %1" : "=a"(old), "+m"(mem) : "r"(9u), "0"(5u));
	char src[16] = "rep movsb works", dst[16];
	void *d = dst, *s = src;
	uint32_t n = sizeof(src);
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	bool ok = q == 123456 && r == 789 && lo == 0xbe991a08 && hi == 0x1c && bit == 3 &&
	          swapped == 0x15cd5b07 && old == 5 && mem == 9 &&
	          __builtin_memcmp(src, dst, sizeof(src)) == 0;
	report(ok, "insn: div, mul, bsf, bswap, lock cmpxchg, rep movsb",
	       "q %u r %u lo 0x%x hi 0x%x bsf %u bswap 0x%x cmpxchg %u/%u", q, r, lo, hi, bit,
	       swapped, old, mem);
}

static void test_exceptions(void)
{
	last_fault.taken = false;
	__asm__ volatile("1: ud2\n2:\n" FIXUP("1b", "2b"));
	report(fault_is(VEC_UD, 0, 0), "exception: #UD from ud2 (vector 6)", "taken %d vector %u",
	       last_fault.taken, last_fault.vector);

	last_fault.taken = false;
	uint32_t zero = 0, q = 1;
	__asm__ volatile("1: divl %2\n2:\n" FIXUP("1b", "2b") : "+a"(q) : "d"(0), "r"(zero) : "cc");
	report(fault_is(VEC_DE, 0, 0), "exception: #DE from divide by zero (vector 0)",
	       "taken %d vector %u", last_fault.taken, last_fault.vector);

	last_fault.taken = false;
	__asm__ volatile("1: mov %0, %%fs\n2:\n" FIXUP("1b", "2b")
	                 :
	                 : "r"(GDT_SELECTOR_OUT_OF_LIMIT));
	report(fault_is(VEC_GP, GDT_SELECTOR_OUT_OF_LIMIT, 0),
	       "exception: #GP(0x1000) from a selector beyond the GDT limit (vector 13)",
	       "taken %d vector %u error 0x%x", last_fault.taken, last_fault.vector,
	       last_fault.error);

	last_fault.taken = false;
	__asm__ volatile("int3");
	report(last_fault.taken && last_fault.vector == VEC_BP,
	       "exception: #BP from int3 resumes after it (vector 3)", "taken %d vector %u",
	       last_fault.taken, last_fault.vector);

	last_fault.taken = false;
	user_enter((uintptr_t)user_stub_hlt, 0, 0);
	report(fault_is(VEC_GP, 0, 0), "exception: #GP(0) from HLT at CPL 3",
	       "taken %d vector %u error 0x%x", last_fault.taken, last_fault.vector,
	       last_fault.error);

	uint32_t val = 0;
	bool faulted = user_read32((uintptr_t)&data_word, &val);
	report(!faulted && val == 0x5eed1234, "ring3: CPL 3 read and int 0x80 back to CPL 0",
	       "faulted %d vector %u value 0x%x", faulted, last_fault.vector, val);
}

static void test_uart(void)
{
	/* A real 16550 clears THRE while a byte is sent: wait a bounded time for it. */
	uint8_t lsr = 0;
	for (uint32_t spin = 0; spin < 1000000 && !(lsr & 0x20); spin++)
		lsr = inb(COM1_LSR);
	report(lsr & 0x20, "uart: LSR reports the transmitter empty", "LSR 0x%x", lsr);
	outb(COM1_SCR, 0xa5);
	uint8_t a = inb(COM1_SCR);
	outb(COM1_SCR, 0x5a);
	uint8_t b = inb(COM1_SCR);
	report(a == 0xa5 && b == 0x5a, "uart: scratch register reads back what was written",
	       "read 0x%x and 0x%x", a, b);
}

static void test_paging_on(void)
{
	pt_set_mode(PG_MODE_32);
	uintptr_t root = pt_new_root();
	uintptr_t frame = frame_alloc();
	*(volatile uint32_t *)frame = 0xfeed0001;
	pt_map(root, UNPAGED_TEST_VA, frame, PTE_P | PTE_W);
	volatile uint32_t on_stack = 0x57ac0001;
	paging_enable(root);

	bool on = read_cr0() & CR0_PG;
	report(on && data_word == 0x5eed1234 && on_stack == 0x57ac0001 && read_cr3() == root,
	       "paging: identity-mapped code, stack and data after enabling 32-bit paging",
	       "CR0 0x%lx CR3 0x%lx data 0x%x stack 0x%x", read_cr0(), read_cr3(), data_word,
	       on_stack);
	uint32_t v = 0;
	bool faulted = probe_read32(UNPAGED_TEST_VA, &v);
	report(!faulted && v == 0xfeed0001, "paging: non-identity mapping reads its frame",
	       "faulted %d value 0x%x", faulted, v);
	faulted = probe_read32(UNPAGED_TEST_VA + PAGE_SIZE, &v);
	report(fault_is(VEC_PF, 0, UNPAGED_TEST_VA + PAGE_SIZE),
	       "paging: unmapped address faults (#PF 0x0, CR2 exact)",
	       "faulted %d vector %u error 0x%x cr2 0x%lx", faulted, last_fault.vector,
	       last_fault.error, (unsigned long)last_fault.cr2);
	probe_write32(UNPAGED_TEST_VA + 4, 0xfeed0002);

	write_cr0(read_cr0() & ~CR0_PG);
	v = ((volatile uint32_t *)frame)[1];
	report(!(read_cr0() & CR0_PG) && v == 0xfeed0002,
	       "paging: after CR0.PG=0 the frame holds what was written through the mapping",
	       "CR0 0x%lx value 0x%x", read_cr0(), v);
}

void guest_main(void)
{
	unsigned long cr0 = read_cr0();
	test_entry_state(cr0);
	frames_init();
	test_memory();
	test_cpuid();
	test_instructions();
	test_exceptions();
	test_uart();
	test_paging_on();
}
