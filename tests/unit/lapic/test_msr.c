/* IA32_APIC_BASE: reset value, refused writes, the global enable toggle. */
#include "tests/unit/harness.h"

#include "tests/unit/lapic/rig.h"

TEST(apic_base_reset_value)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK_EQ(vlapic_read_base_msr(&a), 0xfee00900ull);
	CHECK_EQ(vlapic_base(&a), 0xfee00000ull);
	CHECK(vlapic_hw_enabled(&a));
}

TEST(apic_base_x2apic_enable_is_refused)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_TPR, 0x40) == VLAPIC_OK);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00d00ull), VLAPIC_MSR_X2APIC);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00c00ull), VLAPIC_MSR_X2APIC);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00400ull), VLAPIC_MSR_X2APIC);
	CHECK_EQ(vlapic_read_base_msr(&a), 0xfee00900ull);
	CHECK_EQ(lapic_rd(&a, APIC_TPR), 0x40); /* nothing was reset */
	CHECK(strstr(vlapic_msr_status_name(VLAPIC_MSR_X2APIC), "x2APIC") != 0);
}

TEST(apic_base_reserved_bits_are_refused)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	const uint64_t bad[] = {
	    0xfee00901ull,
	    0xfee00980ull,
	    0xfee00b00ull, /* bits 0, 7, 9 */
	    0xfee00900ull | (1ull << 36),
	    0xfee00900ull | (1ull << 63),
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(vlapic_write_base_msr(&a, bad[i]), VLAPIC_MSR_RESERVED_BITS);
	CHECK_EQ(vlapic_read_base_msr(&a), 0xfee00900ull);
}

TEST(apic_base_reserved_bits_follow_maxphyaddr)
{
	struct vlapic a;
	vlapic_init(&a, 0, 40);
	/* Bit 38 is an address bit with MAXPHYADDR 40: a move, not reserved. */
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00900ull | (1ull << 38)), VLAPIC_MSR_BASE_MOVED);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00900ull | (1ull << 40)), VLAPIC_MSR_RESERVED_BITS);
	vlapic_init(&a, 0, 52);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00900ull | (1ull << 51)), VLAPIC_MSR_BASE_MOVED);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00900ull | (1ull << 52)), VLAPIC_MSR_RESERVED_BITS);
}

TEST(apic_base_move_is_refused)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfec00900ull), VLAPIC_MSR_BASE_MOVED);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee01900ull), VLAPIC_MSR_BASE_MOVED);
	CHECK_EQ(vlapic_write_base_msr(&a, 0x00000900ull), VLAPIC_MSR_BASE_MOVED);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfec00100ull), VLAPIC_MSR_BASE_MOVED);
	CHECK_EQ(vlapic_read_base_msr(&a), 0xfee00900ull);
	CHECK(vlapic_handles(&a, 0xfee00020ull));
	CHECK(!vlapic_handles(&a, 0xfec00020ull));
	CHECK(strstr(vlapic_msr_status_name(VLAPIC_MSR_BASE_MOVED), "0xfee00000") != 0);
}

TEST(apic_base_bsp_bit_is_read_only)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00800ull), VLAPIC_MSR_OK);
	CHECK_EQ(vlapic_read_base_msr(&a), 0xfee00900ull);
}

TEST(apic_base_rewriting_the_same_value_keeps_state)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	lapic_sw_enable(&a);
	CHECK(lapic_wr(&a, APIC_TPR, 0x40) == VLAPIC_OK);
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00900ull), VLAPIC_MSR_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TPR), 0x40);
	CHECK(vlapic_sw_enabled(&a));
	CHECK_EQ(a.hw_disables, 0);
}

TEST(apic_base_enable_can_be_cleared_and_set_again)
{
	struct vlapic a;
	vlapic_init(&a, 2, 36);
	lapic_sw_enable(&a);
	CHECK(lapic_wr(&a, APIC_TPR, 0x40) == VLAPIC_OK);
	CHECK(lapic_wr(&a, APIC_ID, 0x07000000) == VLAPIC_OK);
	CHECK(lapic_wr(&a, APIC_LVT_LINT0, 0x700) == VLAPIC_OK);

	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00100ull), VLAPIC_MSR_OK);
	CHECK_EQ(vlapic_read_base_msr(&a), 0xfee00100ull);
	CHECK(!vlapic_hw_enabled(&a));
	CHECK_EQ(a.hw_disables, 1);

	/* Globally disabled: the page is not the APIC any more. */
	uint32_t v = 0;
	CHECK(!vlapic_handles(&a, BASE + APIC_TPR));
	CHECK(vlapic_mmio_read(&a, BASE + APIC_VERSION, 4, &v) == VLAPIC_UNCLAIMED);
	CHECK_EQ(v, 0xffffffff);
	CHECK(vlapic_mmio_write(&a, BASE + APIC_TPR, 4, 0x80) == VLAPIC_UNCLAIMED);
	/* Disabled, it stays disabled across writes that keep EN clear. */
	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00000ull), VLAPIC_MSR_OK);
	CHECK(!vlapic_hw_enabled(&a));
	CHECK_EQ(a.hw_disables, 1);

	CHECK_EQ(vlapic_write_base_msr(&a, 0xfee00900ull), VLAPIC_MSR_OK);
	CHECK(vlapic_hw_enabled(&a));
	CHECK(vlapic_handles(&a, BASE + APIC_TPR));
	/* Back at the power-up state, with the hardware-assigned ID. */
	CHECK_EQ(lapic_rd(&a, APIC_TPR), 0);
	CHECK_EQ(lapic_rd(&a, APIC_ID), 0x02000000);
	CHECK_EQ(lapic_rd(&a, APIC_SVR), 0xff);
	CHECK_EQ(lapic_rd(&a, APIC_LVT_LINT0), 0x10000);
	CHECK_EQ(lapic_rd(&a, APIC_DFR), 0xffffffff);
	CHECK_EQ(lapic_rd(&a, APIC_VERSION), 0x00050014);
	/* And fully usable again. */
	lapic_sw_enable(&a);
	CHECK(lapic_wr(&a, APIC_TPR, 0x10) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_TPR), 0x10);
}
