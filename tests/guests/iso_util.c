/* Set-up shared by the 64-bit isolation guests: 4-level paging in the guest's own tree,
 * the local APIC page and a silent 8259 pair. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/frames.h"
#include "tests/guests/iso.h"
#include "tests/guests/probe.h"
#include "tests/guests/pt.h"
#include "tests/guests/report.h"

/* Bochs's port 0xe9 hack (enabled in tools/bochs.bxrc.in) reads back 0xe9. */
#define BOCHS_E9_PORT 0xe9

/* 8259A interrupt mask registers (OCW1 on the odd port, Intel 8259A datasheet). */
#define PIC_MASTER_IMR 0x21
#define PIC_SLAVE_IMR  0xa1

uintptr_t iso_long_setup(void)
{
	frames_init();
	pt_set_mode(PG_MODE_LONG);
	uintptr_t root = pt_new_root();
	paging_enable(root);
	iso_trap_init();
	return root;
}

void iso_map_apic(uintptr_t root)
{
	/* Uncached, as the SDM asks for the APIC's registers (Vol. 3A §11.4.1). */
	pt_map(root, ISO_APIC_BASE, ISO_APIC_BASE, PTE_P | PTE_W | PTE_PCD | PTE_PWT);
}

uint32_t iso_apic_read(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(ISO_APIC_BASE + off);
}

void iso_apic_write(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(ISO_APIC_BASE + off) = v;
}

void iso_pic_mask_all(void)
{
	outb(PIC_MASTER_IMR, 0xff);
	outb(PIC_SLAVE_IMR, 0xff);
}

bool iso_is_bochs(void)
{
	return env.kind == ENV_BARE && inb(BOCHS_E9_PORT) == BOCHS_E9_PORT;
}

/* A PDPTE with PS = 1 at VA mapping guest-physical 0: with CPUID PDPE1GB a 1 GiB page,
 * without it PS is reserved there (SDM Vol. 3A §4.5.4, Table 4-16): #PF P|RSVD. QEMU TCG
 * leaves P out of that error code and maps the page whatever CPUID says: known defects. */
void iso_test_1g_page(uintptr_t root, uintptr_t va, const char *name)
{
	static volatile uint32_t probe = 0x1c0ffee1;
	uintptr_t pdpte = pt_entry(root, va, 3, true);
	pt_set(pdpte, PTE_P | PTE_W | PTE_PS);
	invlpg(va);
	uintptr_t at = va + (uintptr_t)&probe;
	uint32_t v = 0;
	bool f = probe_read32(at, &v);
	pt_set(pdpte, 0);
	invlpg(va);
	if (env.pdpe1gb)
		report(!f && v == probe, name, "fault %d vector %u error 0x%x, read 0x%x", f,
		       last_fault.vector, last_fault.error, v);
	else if (env_is_tcg() && f && fault_is(VEC_PF, PF_RSVD, at))
		report_skip(name, "known QEMU TCG defect: RSVD #PF without P");
	else if (env_is_tcg() && !f && v == probe)
		report_skip(name, "known QEMU TCG defect: 1 GiB pages work without CPUID PDPE1GB");
	else
		report(f && fault_is(VEC_PF, PF_P | PF_RSVD, at), name,
		       "no PDPE1GB: fault %d vector %u error 0x%x CR2 0x%lx", f, last_fault.vector,
		       last_fault.error, (unsigned long)last_fault.cr2);
}
