/* guest-iso-cross: string moves from the local APIC page (outside RAM: a hypervisor must
 * emulate them) whose destination crosses a page boundary, with the next linear page
 * mapped elsewhere, read-only, not present, or onto one of the guest's page tables; and a
 * non-canonical destination (SDM Vol. 2B MOVS, Vol. 3A §4.7 #PF, Vol. 1 §3.3.7.1 canonical
 * addresses). */
#include "tests/guests/cpu.h"
#include "tests/guests/frames.h"
#include "tests/guests/guest.h"
#include "tests/guests/iso.h"
#include "tests/guests/probe.h"
#include "tests/guests/pt.h"
#include "tests/guests/report.h"

const char guest_name[] = "iso-cross";

#define APIC_VERSION_REG (ISO_APIC_BASE + 0x30u)
#define CROSS_D          0x40000000ul         /* D; D + 4 KiB maps what each test needs */
#define CROSS_T          0x40600000ul         /* its PTE sits in the page table D + 4 KiB may map */
#define CROSS_LOW_CANON  0x00007ffffffff000ul /* the last canonical lower-half page */
#define NONCANONICAL     0x8000000000000000ul
#define PTE_LOW_BITS     0xffffull

static uintptr_t root;
static uint32_t version;
static uintptr_t f_d, f_next_phys, f_other; /* D's frame, the one after it, D+4K's frame */

/* Every fill byte has bit 7 set: the APIC version bytes never have, so any byte stored
 * shows. */
static uint32_t fill_word(uintptr_t frame, uint32_t i)
{
	return ((uint32_t)(frame >> 12) * 0x9e3779b1u + i * 0x01030507u) | 0x80808080u;
}

static void fill(uintptr_t frame)
{
	for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
		((volatile uint32_t *)frame)[i] = fill_word(frame, i);
}

/* Bytes of FRAME that differ from its fill, outside [from, to). */
static uint32_t changed_outside(uintptr_t frame, uint32_t from, uint32_t to)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < PAGE_SIZE; i++) {
		uint32_t w = fill_word(frame, i / 4);
		uint8_t want = (uint8_t)(w >> (8 * (i % 4)));
		n += (i < from || i >= to) && ((volatile uint8_t *)frame)[i] != want;
	}
	return n;
}

static uint8_t byte(uintptr_t frame, uint32_t off)
{
	return ((volatile uint8_t *)frame)[off];
}

/* MOVSL (SIZE 4) or MOVSW (2) from SRC to DST; the registers afterwards come back. */
static bool movs(unsigned size, uintptr_t *src, uintptr_t *dst)
{
	iso_arm();
	if (size == 4)
		__asm__ volatile("1: movsl\n2:\n" FIXUP("1b", "2b")
		                 : "+S"(*src), "+D"(*dst)
		                 :
		                 : "memory");
	else
		__asm__ volatile("1: movsw\n2:\n" FIXUP("1b", "2b")
		                 : "+S"(*src), "+D"(*dst)
		                 :
		                 : "memory");
	return last_fault.taken;
}

static void map_next(uintptr_t frame, uint64_t flags)
{
	fill(f_d);
	fill(f_next_phys);
	fill(f_other);
	pt_map(root, CROSS_D + PAGE_SIZE, frame, flags);
}

/* Loads of less than 32 bits from APIC registers are model specific (SDM Vol. 3A
 * §11.4.1): MOVSW must store what a plain 16-bit load of the register gives. */
static uint32_t apic_version_as(unsigned size)
{
	if (size == 4)
		return version;
	return *(volatile uint16_t *)(uintptr_t)APIC_VERSION_REG;
}

static void test_split(unsigned size)
{
	uint32_t value = apic_version_as(size);
	map_next(f_other, PTE_P | PTE_W);
	uint32_t first = size / 2;
	uintptr_t src = APIC_VERSION_REG, dst = CROSS_D + PAGE_SIZE - first;
	bool f = movs(size, &src, &dst);
	bool ok = !f && src == APIC_VERSION_REG + size && dst == CROSS_D + PAGE_SIZE + size - first;
	for (uint32_t i = 0; i < size; i++) {
		uint8_t want = (uint8_t)(value >> (8 * i));
		ok &= i < first ? byte(f_d, PAGE_SIZE - first + i) == want
		                : byte(f_other, i - first) == want;
	}
	uint32_t stray = changed_outside(f_d, PAGE_SIZE - first, PAGE_SIZE) +
	                 changed_outside(f_other, 0, size - first) +
	                 changed_outside(f_next_phys, 0, 0);
	report(ok && !stray,
	       size == 4
	           ? "split: movsl from the APIC version register: 2 bytes in D's frame, 2 in "
	             "D+4K's (not the next frame)"
	           : "split: movsw from the APIC version register (as a 16-bit load reads it): 1 "
	             "byte in D's frame, 1 in D+4K's",
	       "fault %d (vector %u), RSI 0x%lx RDI 0x%lx, bytes 0x%x 0x%x | 0x%x 0x%x, %u stray",
	       f, last_fault.vector, (unsigned long)src, (unsigned long)dst,
	       byte(f_d, PAGE_SIZE - 2), byte(f_d, PAGE_SIZE - 1), byte(f_other, 0),
	       byte(f_other, 1), stray);
}

/* The second page faults: #PF at D+4K and the instruction not done (a fault leaves RSI and
 * RDI as they were, SDM Vol. 3A §6.6). Whether the part in D was stored the architecture
 * leaves open: either is accepted. The second frame must be untouched. */
static void test_second_page_faults(const char *name, uint64_t flags, uint32_t err)
{
	map_next(f_other, flags);
	uintptr_t src = APIC_VERSION_REG, dst = CROSS_D + PAGE_SIZE - 2;
	bool f = movs(4, &src, &dst);
	bool pf = f && fault_is(VEC_PF, err, CROSS_D + PAGE_SIZE);
	uint32_t stray = changed_outside(f_d, PAGE_SIZE - 2, PAGE_SIZE);
	uint32_t second = changed_outside(f_other, 0, 0) + changed_outside(f_next_phys, 0, 0);
	bool first_ok = changed_outside(f_d, 0, 0) == 0 ||
	                (byte(f_d, PAGE_SIZE - 2) == (uint8_t)version &&
	                 byte(f_d, PAGE_SIZE - 1) == (uint8_t)(version >> 8));
	report(pf && src == APIC_VERSION_REG && dst == CROSS_D + PAGE_SIZE - 2 && !second &&
	           !stray && first_ok,
	       name,
	       "fault %d vector %u error 0x%x CR2 0x%lx, RSI 0x%lx RDI 0x%lx, %u bytes changed in "
	       "the second frames, %u elsewhere in D's, first part ok %d",
	       f, last_fault.vector, last_fault.error, (unsigned long)last_fault.cr2,
	       (unsigned long)src, (unsigned long)dst, second, stray, first_ok);
	if (pf)
		report_info("second page %s: the first two bytes were %s",
		            flags ? "read-only" : "not present",
		            changed_outside(f_d, 0, 0) ? "stored" : "not stored");
}

/* D+4K maps the page table of CROSS_T: the upper half of the version register replaces
 * bits 15:0 of T's PTE. T's frames sit in a 64 KiB-aligned block, so the new PTE points
 * at the block's first frame (PTE bits 15:12 come from the version register's 31:28). */
static void test_into_page_table(void)
{
	uintptr_t block = frame_alloc_large(16 * PAGE_SIZE);
	uintptr_t f_old = block + 3 * PAGE_SIZE;
	fill(block);
	fill(f_old);
	pt_map(root, CROSS_T, f_old, PTE_P | PTE_W);
	uintptr_t pte = pt_entry(root, CROSS_T, 1, false);
	uintptr_t table = pte & ~(uintptr_t)(PAGE_SIZE - 1);
	uint32_t v = 0;
	probe_read32(CROSS_T, &v); /* the old translation is cached now */
	map_next(table, PTE_P | PTE_W);
	uint64_t old = pt_get(pte);
	uint64_t want = (old & ~PTE_LOW_BITS) | (version >> 16);
	uintptr_t src = APIC_VERSION_REG, dst = CROSS_D + PAGE_SIZE - 2;
	bool f = movs(4, &src, &dst);
	uint64_t now = pt_get(pte);
	invlpg(CROSS_T);
	bool rf = probe_read32(CROSS_T, &v);
	uintptr_t frame = (uintptr_t)(want & pt_addr_mask());
	bool translated = (want & PTE_P) ? !rf && v == fill_word(frame, 0) && frame == block
	                                 : rf && fault_is(VEC_PF, 0, CROSS_T);
	report(!f && now == want && translated,
	       "split: movsl into a page table across the boundary: after INVLPG the new PTE "
	       "maps",
	       "fault %d, PTE 0x%llx -> 0x%llx (want 0x%llx), read fault %d value 0x%x", f,
	       (unsigned long long)old, (unsigned long long)now, (unsigned long long)want, rf, v);
	pt_set(pte, old);
	invlpg(CROSS_T);
}

static void test_noncanonical(void)
{
	uintptr_t src = APIC_VERSION_REG, dst = NONCANONICAL;
	bool f = movs(4, &src, &dst);
	report(f && fault_is(VEC_GP, 0, 0) && dst == NONCANONICAL,
	       "canonical: movsl from the APIC page to a non-canonical address: #GP(0)",
	       "fault %d vector %u error 0x%x", f, last_fault.vector, last_fault.error);
	uintptr_t frame = frame_alloc();
	fill(frame);
	pt_map(root, CROSS_LOW_CANON, frame, PTE_P | PTE_W);
	src = APIC_VERSION_REG;
	dst = CROSS_LOW_CANON + PAGE_SIZE - 2;
	f = movs(4, &src, &dst);
	report(f && fault_is(VEC_GP, 0, 0) && !changed_outside(frame, 0, 0),
	       "canonical: movsl running from the last canonical page into non-canonical: "
	       "#GP(0), nothing stored",
	       "fault %d vector %u error 0x%x, %u bytes changed", f, last_fault.vector,
	       last_fault.error, changed_outside(frame, 0, 0));
}

void guest_main(void)
{
	root = iso_long_setup();
	iso_map_apic(root);
	version = iso_apic_read(0x30);
	f_d = frame_alloc();
	f_next_phys = frame_alloc();
	frame_alloc(); /* a gap: D+4K's frame is not adjacent to anything involved */
	f_other = frame_alloc();
	pt_map(root, CROSS_D, f_d, PTE_P | PTE_W);
	report_info("APIC version 0x%x; D 0x%lx -> 0x%lx (next frame 0x%lx), D+4K -> 0x%lx",
	            version, CROSS_D, (unsigned long)f_d, (unsigned long)f_next_phys,
	            (unsigned long)f_other);
	test_split(4);
	test_split(2);
	test_second_page_faults("split: movsl with D+4K read-only (WP=1): #PF 0x3 at D+4K, second "
	                        "frame untouched",
	                        PTE_P, PF_P | PF_W);
	test_second_page_faults("split: movsl with D+4K not present: #PF 0x2 at D+4K, second frame "
	                        "untouched",
	                        0, PF_W);
	test_into_page_table();
	test_noncanonical();
}
