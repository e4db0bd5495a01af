/* Local APIC register page: reset values, writable bits, read-only and
 * reserved registers, software disable, ESR, access refusal. */
#include "tests/unit/harness.h"

#include "tests/unit/lapic/rig.h"

struct reg_expect {
	uint32_t offset;
	uint32_t value;
};

static const struct reg_expect reset_values[] = {
    {APIC_ID, 0x00000000},
    {APIC_VERSION, 0x00050014},
    {APIC_TPR, 0},
    {APIC_APR, 0},
    {APIC_PPR, 0},
    {APIC_EOI, 0},
    {APIC_LDR, 0},
    {APIC_DFR, 0xffffffff},
    {APIC_SVR, 0x000000ff},
    {APIC_ESR, 0},
    {APIC_ICR_LOW, 0},
    {APIC_ICR_HIGH, 0},
    {APIC_LVT_TIMER, 0x00010000},
    {APIC_LVT_THERMAL, 0x00010000},
    {APIC_LVT_PERF, 0x00010000},
    {APIC_LVT_LINT0, 0x00010000},
    {APIC_LVT_LINT1, 0x00010000},
    {APIC_LVT_ERROR, 0x00010000},
    {APIC_TIMER_INITIAL, 0},
    {APIC_TIMER_CURRENT, 0},
    {APIC_TIMER_DIVIDE, 0},
};

TEST(lapic_reset_values)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	for (unsigned i = 0; i < sizeof(reset_values) / sizeof(reset_values[0]); i++) {
		uint32_t got = lapic_rd(&a, reset_values[i].offset);
		if (got != reset_values[i].value) {
			printf("  %s (0x%03x): 0x%08x, want 0x%08x\n",
			       vlapic_reg_name(reset_values[i].offset), reset_values[i].offset, got,
			       reset_values[i].value);
			harness_current_failed = 1;
		}
	}
	for (uint32_t off = 0x100; off < 0x280; off += 16)
		CHECK_EQ(lapic_rd(&a, off), 0); /* ISR, TMR, IRR */
	CHECK(vlapic_hw_enabled(&a));
	CHECK(!vlapic_sw_enabled(&a));
}

TEST(lapic_id_comes_from_init)
{
	struct vlapic a;
	vlapic_init(&a, 3, 36);
	CHECK_EQ(lapic_rd(&a, APIC_ID), 0x03000000);
}

/* All ones written, then zero: what reads back is exactly the writable
 * bits (plus DFR's reserved ones). The APIC is software-enabled first so
 * the LVT mask bit is free. */
static const struct {
	uint32_t offset, all_ones, all_zero;
} writable[] = {
    {APIC_ID, 0xff000000, 0},           {APIC_TPR, 0x000000ff, 0},
    {APIC_LDR, 0xff000000, 0},          {APIC_DFR, 0xffffffff, 0x0fffffff},
    {APIC_ICR_HIGH, 0xff000000, 0},     {APIC_LVT_TIMER, 0x000300ff, 0},
    {APIC_LVT_THERMAL, 0x000107ff, 0},  {APIC_LVT_PERF, 0x000107ff, 0},
    {APIC_LVT_LINT0, 0x0001a7ff, 0},    {APIC_LVT_LINT1, 0x0001a7ff, 0},
    {APIC_LVT_ERROR, 0x000100ff, 0},    {APIC_TIMER_INITIAL, 0xffffffff, 0},
    {APIC_TIMER_DIVIDE, 0x0000000b, 0},
};

TEST(lapic_writable_bits_and_reserved_bits)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	lapic_sw_enable(&a);
	for (unsigned i = 0; i < sizeof(writable) / sizeof(writable[0]); i++) {
		uint32_t off = writable[i].offset;
		CHECK(lapic_wr(&a, off, 0xffffffff) == VLAPIC_OK);
		uint32_t ones = lapic_rd(&a, off);
		CHECK(lapic_wr(&a, off, 0) == VLAPIC_OK);
		uint32_t zero = lapic_rd(&a, off);
		if (ones != writable[i].all_ones || zero != writable[i].all_zero) {
			printf("  %s: ones 0x%08x want 0x%08x, zero 0x%08x want 0x%08x\n",
			       vlapic_reg_name(off), ones, writable[i].all_ones, zero,
			       writable[i].all_zero);
			harness_current_failed = 1;
		}
	}
}

TEST(lapic_svr_writable_bits)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_SVR, 0xffffffff) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_SVR), 0x3ff); /* no EOI-broadcast suppression */
	CHECK(vlapic_sw_enabled(&a));
	CHECK(lapic_wr(&a, APIC_SVR, 0x0000010f) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_SVR), 0x10f);
	CHECK(lapic_wr(&a, APIC_SVR, 0x27) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_SVR), 0x27);
	CHECK(!vlapic_sw_enabled(&a));
}

TEST(lapic_icr_low_writable_bits_busy_never_set)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_ICR_LOW, 0xffffffff) == VLAPIC_IPI_SENT);
	CHECK_EQ(lapic_rd(&a, APIC_ICR_LOW), 0x000ccfff);
	CHECK_EQ(lapic_rd(&a, APIC_ICR_LOW) & APIC_ICR_BUSY, 0);
}

TEST(lapic_read_only_registers_ignore_writes)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	const uint32_t ro[] = {APIC_VERSION, APIC_APR, APIC_PPR, APIC_TIMER_CURRENT,
	                       0x100,        0x170,    0x180,    0x1f0,
	                       0x200,        0x270};
	for (unsigned i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		uint32_t before = lapic_rd(&a, ro[i]);
		CHECK(lapic_wr(&a, ro[i], 0x12345678) == VLAPIC_READ_ONLY);
		CHECK_EQ(lapic_rd(&a, ro[i]), before);
	}
	CHECK_EQ(lapic_rd(&a, APIC_VERSION), 0x00050014);
	/* A read-only write is not an error the APIC reports. */
	CHECK(lapic_wr(&a, APIC_ESR, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), 0);
}

TEST(lapic_ppr_follows_tpr_with_nothing_in_service)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	const uint32_t tprs[] = {0x00, 0x10, 0x5a, 0x0f, 0xff};
	for (unsigned i = 0; i < sizeof(tprs) / sizeof(tprs[0]); i++) {
		CHECK(lapic_wr(&a, APIC_TPR, tprs[i] | 0xffffff00u) == VLAPIC_OK);
		CHECK_EQ(lapic_rd(&a, APIC_TPR), tprs[i]);
		CHECK_EQ(lapic_rd(&a, APIC_PPR), tprs[i]);
	}
	CHECK_EQ(lapic_rd(&a, APIC_APR), 0);
}

TEST(lapic_eoi_accepts_any_write)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_EOI, 0) == VLAPIC_OK);
	CHECK(lapic_wr(&a, APIC_EOI, 0xffffffff) == VLAPIC_OK);
	CHECK_EQ(a.eoi_writes, 2);
	CHECK_EQ(lapic_rd(&a, APIC_EOI), 0);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), 0);
}

TEST(lapic_esr_write_then_read)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_ESR, 0xffffffff) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), 0);

	/* An access to a reserved register is logged as an error, visible
	 * after the next ESR write and cleared by the one after. */
	uint32_t v;
	CHECK(vlapic_mmio_read(&a, BASE + 0x40, 4, &v) == VLAPIC_RESERVED);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), 0);
	CHECK(lapic_wr(&a, APIC_ESR, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), APIC_ESR_ILLEGAL_REGISTER);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), APIC_ESR_ILLEGAL_REGISTER);
	CHECK(lapic_wr(&a, APIC_ESR, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), 0);
}

TEST(lapic_reserved_offsets_read_zero_and_drop_writes)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	const uint32_t reserved[] = {0x000, 0x010, 0x040, 0x050, 0x060, 0x070, 0x0c0, 0x290,
	                             0x2e0, 0x2f0, 0x3a0, 0x3d0, 0x3f0, 0x400, 0xff0};
	for (unsigned i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		uint32_t v = 0xdead;
		CHECK(vlapic_mmio_read(&a, BASE + reserved[i], 4, &v) == VLAPIC_RESERVED);
		CHECK_EQ(v, 0);
		CHECK(vlapic_mmio_write(&a, BASE + reserved[i], 4, 0xffffffff) == VLAPIC_RESERVED);
		CHECK(vlapic_mmio_read(&a, BASE + reserved[i], 4, &v) == VLAPIC_RESERVED);
		CHECK_EQ(v, 0);
		CHECK(strcmp(vlapic_reg_name(reserved[i]), "reserved") == 0);
	}
	/* Nothing else changed. */
	CHECK_EQ(lapic_rd(&a, APIC_VERSION), 0x00050014);
	CHECK_EQ(lapic_rd(&a, APIC_SVR), 0xff);
}

TEST(lapic_misaligned_and_odd_sized_accesses_are_refused)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_TPR, 0x20) == VLAPIC_OK);
	const struct {
		uint32_t offset;
		unsigned size;
	} bad[] = {
	    {0x080, 1}, {0x080, 2}, {0x080, 8}, {0x081, 4}, {0x082, 2}, {0x084, 4},
	    {0x088, 4}, {0x08c, 4}, {0x083, 1}, {0x07c, 8}, {0x0f0, 8}, {0x300, 8},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t v = 0;
		CHECK(vlapic_mmio_read(&a, BASE + bad[i].offset, bad[i].size, &v) ==
		      VLAPIC_REFUSED);
		CHECK_EQ(v, 0xffffffff);
		CHECK(vlapic_mmio_write(&a, BASE + bad[i].offset, bad[i].size, 0x99) ==
		      VLAPIC_REFUSED);
	}
	CHECK_EQ(lapic_rd(&a, APIC_TPR), 0x20);
	CHECK_EQ(lapic_rd(&a, APIC_ICR_LOW), 0);
	CHECK_EQ(a.ipis[VLAPIC_IPI_FIXED], 0);
	/* A refusal is the caller's to log, not an APIC error. */
	CHECK(lapic_wr(&a, APIC_ESR, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), 0);
}

TEST(lapic_addresses_outside_the_page_are_not_claimed)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	uint32_t v = 0;
	CHECK(vlapic_handles(&a, BASE));
	CHECK(vlapic_handles(&a, BASE + 0xfff));
	CHECK(!vlapic_handles(&a, BASE - 1));
	CHECK(!vlapic_handles(&a, BASE + 0x1000));
	CHECK(!vlapic_handles(&a, 0));
	CHECK(vlapic_mmio_read(&a, BASE + 0x1000, 4, &v) == VLAPIC_UNCLAIMED);
	CHECK_EQ(v, 0xffffffff);
	CHECK(vlapic_mmio_write(&a, BASE - 0x10, 4, 0) == VLAPIC_UNCLAIMED);
}

TEST(lapic_software_disable_holds_lvt_masks)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	/* Reset state is software-disabled: the mask bit cannot be cleared. */
	CHECK(lapic_wr(&a, APIC_LVT_LINT0, 0x700) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_LINT0), 0x10700);
	/* Other registers still work. */
	CHECK(lapic_wr(&a, APIC_TPR, 0x30) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TPR), 0x30);

	lapic_sw_enable(&a);
	CHECK(lapic_wr(&a, APIC_LVT_LINT0, 0x700) == VLAPIC_OK);
	CHECK(lapic_wr(&a, APIC_LVT_LINT1, 0x400) == VLAPIC_OK);
	CHECK(lapic_wr(&a, APIC_LVT_TIMER, 0x20030) == VLAPIC_OK);
	CHECK(lapic_wr(&a, APIC_LVT_ERROR, 0xfe) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_LINT0), 0x700);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_LINT1), 0x400);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_TIMER), 0x20030);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_ERROR), 0xfe);

	/* Clearing SVR[8] masks every LVT entry, keeping the other bits. */
	CHECK(lapic_wr(&a, APIC_SVR, 0xff) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_LINT0), 0x10700);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_LINT1), 0x10400);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_TIMER), 0x30030);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_ERROR), 0x100fe);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_THERMAL), 0x10000);
	CHECK_EQ(lapic_rd(&a, APIC_TPR), 0x30);

	/* Re-enabling does not unmask: software must rewrite the entries. */
	lapic_sw_enable(&a);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_LINT0), 0x10700);
	CHECK(lapic_wr(&a, APIC_LVT_LINT0, 0x700) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_LINT0), 0x700);
}

TEST(lapic_register_names)
{
	CHECK(strcmp(vlapic_reg_name(APIC_ICR_LOW), "ICR low") == 0);
	CHECK(strcmp(vlapic_reg_name(APIC_LVT_TIMER), "LVT timer") == 0);
	CHECK(strcmp(vlapic_reg_name(0x150), "ISR") == 0);
	CHECK(strcmp(vlapic_reg_name(0x1f0), "TMR") == 0);
	CHECK(strcmp(vlapic_reg_name(0x204), "IRR") == 0);
	CHECK(strcmp(vlapic_reg_name(APIC_SVR), "SVR") == 0);
	CHECK(strcmp(vlapic_status_name(VLAPIC_REFUSED), "ok") != 0);
}
