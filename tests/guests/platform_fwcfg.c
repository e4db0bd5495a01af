/* QEMU's fw_cfg through its legacy port interface (QEMU docs/specs/fw_cfg.txt): a 16-bit
 * selector written to 0x510 picks an item and rewinds it, each 8-bit read of 0x511 gives
 * the next byte; past the end, and for an item that does not exist, reads give 0. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/platform.h"
#include "tests/guests/report.h"

#define FW_CFG_PORT_SEL  0x510
#define FW_CFG_PORT_DATA 0x511

#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID        0x01
#define FW_CFG_RAM_SIZE  0x03
#define FW_CFG_NB_CPUS   0x05
#define FW_CFG_MAX_CPUS  0x0f
#define FW_CFG_FILE_DIR  0x19
#define FW_CFG_UNKNOWN   0x3fff /* the highest selector; no such item on either platform */

#define FW_CFG_ID_TRADITIONAL 0x1u  /* bit 0: the port interface */
#define FW_CFG_FILE_FIRST     0x20u /* file items live at 0x20 and above */
#define FW_CFG_FILE_NAME      56
#define FW_CFG_FILES_SANE     1024u
#define FIRMWARE_RAM_MAX      (1ull << 20)

static void fw_select(uint16_t item)
{
	outw(FW_CFG_PORT_SEL, item);
}

static uint8_t fw_byte(void)
{
	return inb(FW_CFG_PORT_DATA);
}

/* N (<= 8) bytes, little endian, as QEMU stores its numeric items. */
static uint64_t fw_le(unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)fw_byte() << (8 * i);
	return v;
}

/* N (<= 4) bytes, big endian, as in the file directory. */
static uint32_t fw_be(unsigned n)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = (v << 8) | fw_byte();
	return v;
}

static void test_signature(void)
{
	char sig[5] = {0};
	fw_select(FW_CFG_SIGNATURE);
	for (int i = 0; i < 4; i++)
		sig[i] = (char)fw_byte();
	report(__builtin_memcmp(sig, "QEMU", 4) == 0, "fw_cfg: signature (item 0x0) reads QEMU",
	       "read %02x %02x %02x %02x", (uint8_t)sig[0], (uint8_t)sig[1], (uint8_t)sig[2],
	       (uint8_t)sig[3]);

	fw_select(FW_CFG_SIGNATURE);
	uint8_t q = fw_byte(), e = fw_byte();
	fw_select(FW_CFG_SIGNATURE);
	uint8_t again = fw_byte();
	report(q == 'Q' && e == 'E' && again == 'Q',
	       "fw_cfg: writing the selector again rewinds the item to offset 0",
	       "read '%c' '%c' then '%c'", q, e, again);

	fw_select(FW_CFG_SIGNATURE);
	fw_le(4);
	uint64_t past = fw_le(4);
	fw_select(FW_CFG_UNKNOWN);
	uint64_t unknown = fw_le(8);
	report(past == 0 && unknown == 0,
	       "fw_cfg: reads past an item's end and of an unknown item (0x3fff) give 0",
	       "past end 0x%llx, unknown 0x%llx", (unsigned long long)past,
	       (unsigned long long)unknown);
}

static void test_numeric_items(void)
{
	fw_select(FW_CFG_ID);
	uint32_t id = (uint32_t)fw_le(4);
	report(id & FW_CFG_ID_TRADITIONAL,
	       "fw_cfg: ID (item 0x1) has bit 0 set, the port interface", "ID 0x%x", id);

	/* Firmware may keep the top of RAM for itself (SeaBIOS does, 128 KiB); our
	 * hypervisor runs no firmware, so there the two must agree exactly. */
	fw_select(FW_CFG_RAM_SIZE);
	uint64_t ram = fw_le(8);
	uint64_t slack = env.kind == ENV_HVX86 ? 0 : FIRMWARE_RAM_MAX;
	report(ram >= env.ram_end && ram - env.ram_end <= slack,
	       "fw_cfg: RAM size (item 0x3) is the multiboot RAM plus what firmware keeps",
	       "fw_cfg 0x%llx, multiboot RAM end 0x%llx", (unsigned long long)ram,
	       (unsigned long long)env.ram_end);

	fw_select(FW_CFG_NB_CPUS);
	uint32_t cpus = (uint32_t)fw_le(2);
	fw_select(FW_CFG_MAX_CPUS);
	uint32_t max_cpus = (uint32_t)fw_le(2);
	report(cpus == 1 && max_cpus >= cpus,
	       "fw_cfg: CPU count (item 0x5) is 1, max CPUs (item 0xf) not below it",
	       "CPUs %u max %u", cpus, max_cpus);
}

/* One directory entry (be32 size, be16 select, be16 reserved, name[56]): a NUL-terminated
 * printable name and a selector in the file range. */
static bool file_entry_ok(uint32_t *select_out, char *name_out)
{
	fw_be(4); /* size */
	uint32_t select = fw_be(2);
	fw_be(2);
	bool terminated = false, printable = true;
	for (unsigned i = 0; i < FW_CFG_FILE_NAME; i++) {
		char c = (char)fw_byte();
		name_out[i] = c;
		if (!c)
			terminated = true;
		else if (!terminated && (c < 0x20 || c > 0x7e))
			printable = false;
	}
	name_out[FW_CFG_FILE_NAME - 1] = 0;
	*select_out = select;
	return terminated && printable && name_out[0] && select >= FW_CFG_FILE_FIRST;
}

static void test_file_dir(void)
{
	fw_select(FW_CFG_FILE_DIR);
	uint32_t count = fw_be(4), bad = 0, select = 0;
	char name[FW_CFG_FILE_NAME];
	name[0] = 0;
	for (uint32_t i = 0; i < count && i < FW_CFG_FILES_SANE && !bad; i++)
		if (!file_entry_ok(&select, name))
			bad = i + 1;
	report(count < FW_CFG_FILES_SANE && !bad,
	       "fw_cfg: file directory (item 0x19) has a sane count and well-formed entries",
	       "count %u, entry %u bad: select 0x%x name '%s'", count, bad ? bad - 1 : 0, select,
	       name);
	report_info("fw_cfg: %u files", count);
}

void platform_fwcfg_tests(void)
{
	test_signature();
	test_numeric_items();
	test_file_dir();
}
