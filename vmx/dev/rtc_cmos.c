/*
 * The CMOS RAM bytes a PC BIOS's POST leaves for the memory size and the
 * installed equipment (see rtc.h and the layout in rtc_regs.h). The
 * rules are those of QEMU's pc_cmos_init(), which SeaBIOS and coreboot
 * read back on QEMU: KiB counts for the first 64 MiB (the AT's 16-bit
 * fields), 64 KiB units above 16 MiB and above 4 GiB.
 */
#include "vmx/dev/rtc.h"

#define KIB             1024ull
#define MIB             (1024ull * KIB)
#define UNIT_64K        (64ull * KIB)
#define BASE_MEMORY_KIB 640u /* conventional memory below the VGA hole */
#define MAX_16BIT       0xffffu
#define MAX_24BIT       0xffffffu

static void put16(struct rtc *r, unsigned at, uint64_t value, uint64_t max)
{
	uint64_t v = value < max ? value : max;

	r->cmos[at] = (uint8_t)v;
	r->cmos[at + 1] = (uint8_t)(v >> 8);
}

static uint64_t above(uint64_t bytes, uint64_t base)
{
	return bytes > base ? bytes - base : 0;
}

/* IBM PC/AT: 0x2e/0x2f hold the 16-bit sum of bytes 0x10-0x2d, high byte first. */
static void put_checksum(struct rtc *r)
{
	unsigned sum = 0;

	for (unsigned i = CMOS_CHECKSUM_FIRST; i <= CMOS_CHECKSUM_LAST; i++)
		sum += r->cmos[i];
	r->cmos[CMOS_CHECKSUM] = (uint8_t)(sum >> 8);
	r->cmos[CMOS_CHECKSUM + 1] = (uint8_t)sum;
}

void rtc_cmos_set_ram(struct rtc *r, uint64_t below_4g, uint64_t above_4g)
{
	uint64_t base_kib = below_4g / KIB;
	uint64_t units_4g = above_4g / UNIT_64K;

	r->cmos[CMOS_FLOPPY_TYPES] = 0;
	r->cmos[CMOS_DISK_TYPES] = 0;
	r->cmos[CMOS_EQUIPMENT] = CMOS_EQUIPMENT_FPU; /* no diskette, EGA/VGA display */
	put16(r, CMOS_BASE_MEM, base_kib, BASE_MEMORY_KIB);
	put16(r, CMOS_EXT_MEM, above(below_4g, MIB) / KIB, MAX_16BIT);
	put16(r, CMOS_EXT_MEM_POST, above(below_4g, MIB) / KIB, MAX_16BIT);
	put16(r, CMOS_MEM_ABOVE_16M, above(below_4g, 16 * MIB) / UNIT_64K, MAX_16BIT);
	if (units_4g > MAX_24BIT)
		units_4g = MAX_24BIT;
	r->cmos[CMOS_MEM_ABOVE_4G] = (uint8_t)units_4g;
	r->cmos[CMOS_MEM_ABOVE_4G + 1] = (uint8_t)(units_4g >> 8);
	r->cmos[CMOS_MEM_ABOVE_4G + 2] = (uint8_t)(units_4g >> 16);
	put_checksum(r);
}
