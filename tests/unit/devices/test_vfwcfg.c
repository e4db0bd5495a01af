/* fw_cfg: every item byte by byte, selection, the access forms. */
#include "tests/unit/harness.h"

#include "vmx/dev/fwcfg.h"

static void select_item(struct vfwcfg *f, uint16_t key)
{
	CHECK(vfwcfg_write(f, 0x510, 2, key));
}

static uint8_t data(struct vfwcfg *f)
{
	uint32_t v = 0xdead;
	CHECK(vfwcfg_read(f, 0x511, 1, &v));
	CHECK(v <= 0xff);
	return (uint8_t)v;
}

/* Read `n` bytes of the current item and compare with `want`. */
static int item_matches(struct vfwcfg *f, const uint8_t *want, unsigned n)
{
	int ok = 1;
	for (unsigned i = 0; i < n; i++) {
		uint8_t got = data(f);
		if (got != want[i]) {
			printf("  byte %u: 0x%02x, want 0x%02x\n", i, got, want[i]);
			ok = 0;
		}
	}
	return ok;
}

static const uint8_t zeros[32];

TEST(fwcfg_ports)
{
	CHECK(vfwcfg_handles(0x510));
	CHECK(vfwcfg_handles(0x511));
	CHECK(!vfwcfg_handles(0x50f));
	CHECK(!vfwcfg_handles(0x512));
	CHECK(!vfwcfg_handles(0x514)); /* DMA address: not offered */
}

TEST(fwcfg_signature)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 128 << 20);
	select_item(&f, 0x0000);
	const uint8_t want[] = {'Q', 'E', 'M', 'U', 0, 0, 0, 0};
	CHECK(item_matches(&f, want, sizeof(want)));
	CHECK_EQ(vfwcfg_item_length(FW_CFG_SIGNATURE), 4);
}

TEST(fwcfg_signature_is_selected_after_reset)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 1 << 20);
	const uint8_t want[] = {'Q', 'E', 'M', 'U', 0};
	CHECK(item_matches(&f, want, sizeof(want)));
}

TEST(fwcfg_selector_write_rewinds)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 1 << 20);
	select_item(&f, 0);
	CHECK_EQ(data(&f), 'Q');
	CHECK_EQ(data(&f), 'E');
	select_item(&f, 0);
	CHECK_EQ(data(&f), 'Q');
	/* Selecting another item and coming back also starts over. */
	select_item(&f, FW_CFG_NB_CPUS);
	CHECK_EQ(data(&f), 1);
	select_item(&f, 0);
	CHECK_EQ(data(&f), 'Q');
}

TEST(fwcfg_id_traditional_interface_only)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 1 << 20);
	select_item(&f, FW_CFG_ID);
	const uint8_t want[] = {0x01, 0, 0, 0, 0, 0};
	CHECK(item_matches(&f, want, sizeof(want)));
	CHECK_EQ(vfwcfg_item_length(FW_CFG_ID), 4);
}

static void check_ram_size(uint64_t size)
{
	struct vfwcfg f;
	vfwcfg_init(&f, size);
	select_item(&f, FW_CFG_RAM_SIZE);
	uint8_t want[12] = {0};
	for (unsigned i = 0; i < 8; i++)
		want[i] = (uint8_t)(size >> (8 * i));
	if (!item_matches(&f, want, sizeof(want))) {
		printf("  for RAM size 0x%llx\n", (unsigned long long)size);
		harness_current_failed = 1;
	}
}

TEST(fwcfg_ram_size_little_endian)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 128ull << 20);
	select_item(&f, FW_CFG_RAM_SIZE);
	const uint8_t want[] = {0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0, 0};
	CHECK(item_matches(&f, want, sizeof(want)));
	CHECK_EQ(vfwcfg_item_length(FW_CFG_RAM_SIZE), 8);

	check_ram_size(0);
	check_ram_size(32ull << 20);
	check_ram_size(640ull << 10);
	check_ram_size((4ull << 30) + 4096);
	check_ram_size(0x0123456789abcdefull);
	check_ram_size(~0ull);
}

TEST(fwcfg_cpu_counts)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 1 << 20);
	const uint8_t one16[] = {0x01, 0x00, 0, 0};
	select_item(&f, FW_CFG_NB_CPUS);
	CHECK(item_matches(&f, one16, sizeof(one16)));
	select_item(&f, FW_CFG_MAX_CPUS);
	CHECK(item_matches(&f, one16, sizeof(one16)));
	CHECK_EQ(vfwcfg_item_length(FW_CFG_NB_CPUS), 2);
	CHECK_EQ(vfwcfg_item_length(FW_CFG_MAX_CPUS), 2);
}

TEST(fwcfg_file_dir_is_empty)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 1 << 20);
	select_item(&f, FW_CFG_FILE_DIR);
	CHECK(item_matches(&f, zeros, 8));
	CHECK_EQ(vfwcfg_item_length(FW_CFG_FILE_DIR), 4);
}

TEST(fwcfg_unknown_items_read_zero)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 128 << 20);
	const uint16_t unknown[] = {
	    0x0002 /* UUID */,        0x0004, 0x000e, 0x0020, 0x1234, 0x3fff,
	    0x8000 /* ACPI tables */, 0x8003 /* e820 */};
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		select_item(&f, unknown[i]);
		CHECK(item_matches(&f, zeros, sizeof(zeros)));
		CHECK_EQ(vfwcfg_item_length(unknown[i]), 0);
	}
	/* The arch-local bit is part of the key: 0x8003 is not 0x0003. */
	select_item(&f, 0x8003);
	CHECK_EQ(data(&f), 0);
}

TEST(fwcfg_write_channel_bit_selects_the_same_item)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 1 << 20);
	select_item(&f, FW_CFG_WRITE_CHANNEL | FW_CFG_SIGNATURE);
	const uint8_t want[] = {'Q', 'E', 'M', 'U'};
	CHECK(item_matches(&f, want, sizeof(want)));
	CHECK_EQ(f.selector, 0);
}

TEST(fwcfg_undefined_access_forms_are_refused)
{
	struct vfwcfg f;
	uint32_t v;
	vfwcfg_init(&f, 1 << 20);
	select_item(&f, FW_CFG_NB_CPUS);

	CHECK(!vfwcfg_write(&f, 0x510, 1, 0x00)); /* byte write to the selector */
	CHECK(!vfwcfg_write(&f, 0x510, 4, 0x00));
	CHECK(!vfwcfg_write(&f, 0x511, 2, 0x00));
	CHECK_EQ(f.selector, FW_CFG_NB_CPUS);

	v = 0;
	CHECK(!vfwcfg_read(&f, 0x511, 2, &v));
	CHECK_EQ(v, 0xffff);
	CHECK(!vfwcfg_read(&f, 0x511, 4, &v));
	CHECK_EQ(v, 0xffffffff);
	CHECK(!vfwcfg_read(&f, 0x510, 1, &v));
	CHECK_EQ(v, 0xff);
	CHECK(!vfwcfg_read(&f, 0x510, 2, &v));
	CHECK_EQ(v, 0xffff);
	/* None of these consumed a byte. */
	CHECK_EQ(data(&f), 0x01);
}

TEST(fwcfg_data_writes_are_ignored)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 1 << 20);
	select_item(&f, 0);
	CHECK(vfwcfg_write(&f, 0x511, 1, 'X'));
	CHECK_EQ(data(&f), 'Q');
	CHECK(vfwcfg_write(&f, 0x511, 1, 'Y'));
	CHECK_EQ(data(&f), 'E');
}

TEST(fwcfg_reading_far_past_the_end_stays_zero)
{
	struct vfwcfg f;
	vfwcfg_init(&f, 1 << 20);
	select_item(&f, 0);
	for (unsigned i = 0; i < 100000; i++)
		(void)data(&f);
	CHECK_EQ(f.offset, 4);
	CHECK_EQ(data(&f), 0);
	select_item(&f, 0);
	CHECK_EQ(data(&f), 'Q');
}
