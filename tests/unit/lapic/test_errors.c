/* Illegal vectors, the ESR and the LVT error interrupt. */
#include "tests/unit/harness.h"

#include "tests/unit/lapic/rig.h"

#define ERROR_VEC 0xfeu
#define SEND_ILL  APIC_ESR_SEND_ILLEGAL_VECTOR
#define RECV_ILL  APIC_ESR_RECEIVE_ILLEGAL_VECTOR

static uint32_t read_esr(void)
{
	wr(APIC_ESR, 0);
	return rd(APIC_ESR);
}

TEST(illegal_self_ipi_raises_the_error_interrupt)
{
	rig_enabled();
	wr(APIC_LVT_ERROR, ERROR_VEC);
	send_ipi(0, 0x00040003); /* fixed vector 3 to self */
	CHECK(!reg_has(APIC_IRR, 3));
	CHECK(reg_has(APIC_IRR, ERROR_VEC));
	CHECK_EQ(reg_count(APIC_IRR), 1);
	CHECK(!rig.apic.last_ipi.delivered);
	CHECK_EQ(pending(), ERROR_VEC);
	CHECK_EQ(read_esr(), SEND_ILL | RECV_ILL);
	/* Both bits were new: two error interrupts, one request. */
	CHECK_EQ(rig.apic.stats.accepted[VLAPIC_SRC_ERROR], 2);
	CHECK_EQ(rig.apic.stats.coalesced, 1);
}

TEST(illegal_ipi_to_another_apic_is_only_a_send_error)
{
	rig_enabled();
	wr(APIC_LVT_ERROR, ERROR_VEC);
	send_ipi(0x01000000, 0x0000000f);
	CHECK_EQ(read_esr(), SEND_ILL);
	CHECK(reg_has(APIC_IRR, ERROR_VEC));
}

TEST(masked_error_entry_records_without_interrupt)
{
	rig_enabled();
	wr(APIC_LVT_ERROR, APIC_LVT_MASKED | ERROR_VEC);
	send_ipi(0, 0x00040003);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK_EQ(read_esr(), SEND_ILL | RECV_ILL);
}

TEST(error_interrupt_only_when_the_esr_gains_a_bit)
{
	rig_enabled();
	wr(APIC_LVT_ERROR, ERROR_VEC);
	send_ipi(0, 0x00040003);
	CHECK_EQ(take_all(), 1);
	send_ipi(0, 0x00040004); /* same errors again: nothing new */
	CHECK_EQ(reg_count(APIC_IRR), 0);
	/* An ESR write starts collecting afresh. */
	wr(APIC_ESR, 0);
	send_ipi(0, 0x00040005);
	CHECK(reg_has(APIC_IRR, ERROR_VEC));
	CHECK_EQ(rd(APIC_ESR), SEND_ILL | RECV_ILL);
}

TEST(reserved_register_access_raises_the_error_interrupt)
{
	rig_enabled();
	wr(APIC_LVT_ERROR, ERROR_VEC);
	uint32_t v;
	CHECK(vlapic_mmio_read(&rig.apic, BASE + 0x3d0, 4, &v) == VLAPIC_RESERVED);
	CHECK(reg_has(APIC_IRR, ERROR_VEC));
	CHECK_EQ(read_esr(), APIC_ESR_ILLEGAL_REGISTER);
}

TEST(timer_with_illegal_vector_is_a_receive_error)
{
	rig_enabled();
	wr(APIC_LVT_ERROR, ERROR_VEC);
	wr(APIC_LVT_TIMER, 0x05);
	wr(APIC_TIMER_DIVIDE, 0xb);
	wr(APIC_TIMER_INITIAL, 100);
	run_until(T0 + 100, 0);
	CHECK_EQ(rig.apic.stats.timer_expiries, 1);
	CHECK_EQ(rig.taken[5], 0);
	CHECK_EQ(rig.taken[ERROR_VEC], 1);
	CHECK_EQ(read_esr(), RECV_ILL);
}

TEST(error_entry_with_illegal_vector_does_not_loop)
{
	rig_enabled();
	wr(APIC_LVT_ERROR, 0x02);
	send_ipi(0, 0x00040003);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK_EQ(read_esr(), SEND_ILL | RECV_ILL);
	CHECK_EQ(rig.apic.stats.accepted[VLAPIC_SRC_ERROR], 0);
}

TEST(legal_vector_16_raises_no_error)
{
	rig_enabled();
	wr(APIC_LVT_ERROR, ERROR_VEC);
	send_ipi(0, 0x00040010);
	CHECK_EQ(pending(), 0x10);
	CHECK(!reg_has(APIC_IRR, ERROR_VEC));
	CHECK_EQ(read_esr(), 0);
}
