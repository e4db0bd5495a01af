/* Fixed interrupts through IRR, ISR and PPR to the vCPU: priority, TPR,
 * EOI order, spurious INTAs, NMIs, and the io_intr_ops around them. */
#include "tests/unit/harness.h"

#include "tests/unit/lapic/rig.h"

#define ICR_SELF     0x00040000u /* fixed, edge, self shorthand */
#define ICR_NMI_PHYS 0x00000400u /* NMI, physical destination */
#define ICR_ALL_INCL 0x00080000u
#define ICR_ALL_EXCL 0x000c0000u
#define ICR_LOGICAL  0x00000800u

static void self_ipi(uint8_t vector)
{
	send_ipi(0, ICR_SELF | vector);
}

TEST(fixed_self_ipi_goes_irr_isr_eoi)
{
	rig_enabled();
	self_ipi(0x40);
	CHECK_EQ(rd(APIC_IRR + 0x20), 1u << 0); /* vector 0x40: register 2, bit 0 */
	CHECK(rig.apic.last_ipi.delivered);
	CHECK_EQ(pending(), 0x40);
	CHECK_EQ(pending(), 0x40); /* asking twice changes nothing */
	CHECK_EQ(ack(), 0x40);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK_EQ(rd(APIC_ISR + 0x20), 1u << 0);
	CHECK_EQ(rd(APIC_PPR), 0x40);
	CHECK_EQ(pending(), IO_INTR_NONE);
	eoi();
	CHECK_EQ(reg_count(APIC_ISR), 0);
	CHECK_EQ(rd(APIC_PPR), 0);
	CHECK_EQ(rig.apic.stats.delivered, 1);
	CHECK_EQ(rig.apic.stats.eois, 1);
	CHECK_EQ(rig.apic.stats.accepted[VLAPIC_SRC_IPI], 1);
}

TEST(highest_vector_first_and_lower_classes_wait)
{
	rig_enabled();
	self_ipi(0x31);
	self_ipi(0x85);
	self_ipi(0x52);
	CHECK_EQ(reg_count(APIC_IRR), 3);
	CHECK_EQ(pending(), 0x85);
	CHECK_EQ(ack(), 0x85);
	/* 0x52 is below the in-service class 8. */
	CHECK_EQ(pending(), IO_INTR_NONE);
	CHECK_EQ(rd(APIC_PPR), 0x80);
	eoi();
	CHECK_EQ(pending(), 0x52);
	CHECK_EQ(ack(), 0x52);
	eoi();
	CHECK_EQ(ack(), 0x31);
	eoi();
	CHECK_EQ(pending(), IO_INTR_NONE);
}

TEST(nested_interrupts_end_highest_first)
{
	rig_enabled();
	self_ipi(0x30);
	CHECK_EQ(ack(), 0x30);
	self_ipi(0x90); /* arrives while 0x30 is in service: it nests */
	CHECK_EQ(pending(), 0x90);
	CHECK_EQ(ack(), 0x90);
	CHECK(reg_has(APIC_ISR, 0x30));
	CHECK(reg_has(APIC_ISR, 0x90));
	CHECK_EQ(rd(APIC_PPR), 0x90);
	eoi();
	CHECK(reg_has(APIC_ISR, 0x30));
	CHECK(!reg_has(APIC_ISR, 0x90));
	CHECK_EQ(rd(APIC_PPR), 0x30);
	eoi();
	CHECK_EQ(reg_count(APIC_ISR), 0);
	/* An EOI with nothing in service is harmless. */
	eoi();
	CHECK_EQ(rig.apic.stats.eois, 2);
	CHECK_EQ(rig.apic.eoi_writes, 3);
}

TEST(same_priority_class_as_in_service_waits)
{
	rig_enabled();
	self_ipi(0x45);
	CHECK_EQ(ack(), 0x45);
	self_ipi(0x4a);
	CHECK_EQ(pending(), IO_INTR_NONE);
	self_ipi(0x50);
	CHECK_EQ(pending(), 0x50);
}

TEST(tpr_masks_by_priority_class)
{
	rig_enabled();
	wr(APIC_TPR, 0x50);
	self_ipi(0x55);
	CHECK_EQ(pending(), IO_INTR_NONE);
	CHECK_EQ(rd(APIC_PPR), 0x50);
	wr(APIC_TPR, 0x4f);
	CHECK_EQ(pending(), 0x55);
	wr(APIC_TPR, 0x5f);
	CHECK_EQ(pending(), IO_INTR_NONE);
	self_ipi(0x61);
	CHECK_EQ(pending(), 0x61);
	CHECK_EQ(ack(), 0x61);
	/* ISRV class 6 above TPR class 5: PPR = 0x60. */
	CHECK_EQ(rd(APIC_PPR), 0x60);
	/* TPR class 7 >= ISRV class 6: PPR = TPR, low nibble included. */
	wr(APIC_TPR, 0x7a);
	CHECK_EQ(rd(APIC_PPR), 0x7a);
	wr(APIC_TPR, 0x6c);
	CHECK_EQ(rd(APIC_PPR), 0x6c);
}

TEST(ack_after_tpr_raise_gives_spurious_vector)
{
	rig_enabled();
	wr(APIC_SVR, 0x1ef);
	self_ipi(0x61);
	CHECK_EQ(pending(), 0x61);
	io_intr_set_tpr(&rig.intr, 0x80);
	CHECK_EQ(ack(), 0xef);
	CHECK_EQ(reg_count(APIC_ISR), 0);
	CHECK(reg_has(APIC_IRR, 0x61));
	CHECK_EQ(rig.apic.stats.spurious, 1);
	io_intr_set_tpr(&rig.intr, 0);
	CHECK_EQ(ack(), 0x61);
	CHECK(reg_has(APIC_ISR, 0x61));
}

TEST(ack_with_nothing_pending_gives_spurious_vector)
{
	rig_enabled();
	CHECK_EQ(ack(), 0xff);
	CHECK_EQ(reg_count(APIC_ISR), 0);
	CHECK_EQ(rig.pic_acks, 0);
}

TEST(a_request_already_in_irr_is_one_request)
{
	rig_enabled();
	self_ipi(0x70);
	self_ipi(0x70);
	CHECK_EQ(rig.apic.stats.coalesced, 1);
	CHECK_EQ(ack(), 0x70);
	eoi();
	CHECK_EQ(pending(), IO_INTR_NONE);
	/* Once in service, a new request is a new one. */
	self_ipi(0x70);
	CHECK_EQ(ack(), 0x70);
	self_ipi(0x70);
	CHECK(reg_has(APIC_ISR, 0x70));
	CHECK(reg_has(APIC_IRR, 0x70));
	eoi();
	CHECK_EQ(ack(), 0x70);
}

TEST(cr8_reads_and_writes_the_tpr)
{
	rig_enabled();
	CHECK(rig.intr.ops->get_tpr != 0 && rig.intr.ops->set_tpr != 0);
	io_intr_set_tpr(&rig.intr, 0x30);
	CHECK_EQ(rd(APIC_TPR), 0x30);
	wr(APIC_TPR, 0x9c);
	CHECK_EQ(io_intr_get_tpr(&rig.intr), 0x9c);
}

TEST(software_disabled_refuses_fixed_ipis_but_takes_nmis)
{
	rig_reset();
	self_ipi(0x40);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK(!rig.apic.last_ipi.delivered);
	CHECK_EQ(rig.apic.stats.refused, 1);
	send_ipi(0, 0x00040400); /* NMI to self */
	CHECK(io_intr_nmi_pending(&rig.intr));
}

TEST(software_disable_keeps_what_irr_holds)
{
	rig_enabled();
	self_ipi(0x40);
	wr(APIC_SVR, 0xff);
	CHECK_EQ(pending(), 0x40);
	CHECK_EQ(ack(), 0x40);
}

TEST(physical_destinations_reach_only_this_apic_id)
{
	rig_enabled();
	wr(APIC_ID, 0x05000000);
	send_ipi(0x05000000, 0x41);
	send_ipi(0x04000000, 0x42);
	send_ipi(0xff000000, 0x43); /* broadcast */
	CHECK(reg_has(APIC_IRR, 0x41));
	CHECK(!reg_has(APIC_IRR, 0x42));
	CHECK(reg_has(APIC_IRR, 0x43));
	send_ipi(0, ICR_ALL_INCL | 0x44);
	send_ipi(0, ICR_ALL_EXCL | 0x45);
	CHECK(reg_has(APIC_IRR, 0x44));
	CHECK(!reg_has(APIC_IRR, 0x45));
	CHECK_EQ(reg_count(APIC_IRR), 3);
}

TEST(logical_destinations_match_ldr_and_dfr)
{
	rig_enabled();
	wr(APIC_LDR, 0x02000000); /* flat model: bit 1 */
	send_ipi(0x02000000, ICR_LOGICAL | 0x51);
	send_ipi(0x01000000, ICR_LOGICAL | 0x52);
	send_ipi(0x06000000, ICR_LOGICAL | 0x53);
	CHECK(reg_has(APIC_IRR, 0x51));
	CHECK(!reg_has(APIC_IRR, 0x52));
	CHECK(reg_has(APIC_IRR, 0x53));
	wr(APIC_DFR, 0x0fffffff); /* cluster model */
	wr(APIC_LDR, 0x34000000); /* cluster 3, bit 2 */
	send_ipi(0x34000000, ICR_LOGICAL | 0x61);
	send_ipi(0x24000000, ICR_LOGICAL | 0x62);
	send_ipi(0x3b000000, ICR_LOGICAL | 0x63);
	send_ipi(0x3c000000, ICR_LOGICAL | 0x64);
	CHECK(reg_has(APIC_IRR, 0x61));
	CHECK(!reg_has(APIC_IRR, 0x62));
	CHECK(!reg_has(APIC_IRR, 0x63));
	CHECK(reg_has(APIC_IRR, 0x64));
	CHECK_EQ(reg_count(APIC_IRR), 4);
}

TEST(lowest_priority_to_self_is_taken_as_fixed)
{
	rig_enabled();
	send_ipi(0, 0x00040100 | 0x66); /* lowest priority, self */
	CHECK_EQ(pending(), 0x66);
}

TEST(ipis_are_edge_triggered)
{
	rig_enabled();
	send_ipi(0, ICR_SELF | APIC_ICR_LEVEL_TRIGGER | APIC_ICR_ASSERT | 0x77);
	CHECK(reg_has(APIC_IRR, 0x77));
	CHECK_EQ(reg_count(APIC_TMR), 0);
}

TEST(nmi_ipi_to_self_until_acked)
{
	rig_enabled();
	CHECK(!io_intr_nmi_pending(&rig.intr));
	send_ipi(0, ICR_NMI_PHYS); /* to APIC 0, this one */
	CHECK(io_intr_nmi_pending(&rig.intr));
	CHECK(rig.apic.last_ipi.delivered);
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK_EQ(pending(), IO_INTR_NONE);
	io_intr_nmi_ack(&rig.intr);
	CHECK(!io_intr_nmi_pending(&rig.intr));
	send_ipi(0x01000000, ICR_NMI_PHYS); /* APIC 1: nobody */
	CHECK(!io_intr_nmi_pending(&rig.intr));
	send_ipi(0, 0x00040400); /* self shorthand */
	CHECK(io_intr_nmi_pending(&rig.intr));
	CHECK_EQ(rig.apic.stats.nmis, 2);
}

TEST(init_sipi_smi_to_self_change_nothing)
{
	rig_enabled();
	send_ipi(0, 0x00044500); /* INIT to self */
	send_ipi(0, 0x00044608); /* SIPI to self */
	send_ipi(0, 0x00040200); /* SMI to self */
	CHECK_EQ(reg_count(APIC_IRR), 0);
	CHECK(!io_intr_nmi_pending(&rig.intr));
	CHECK(!rig.apic.last_ipi.delivered);
	CHECK_EQ(rd(APIC_SVR), 0x1ff);
	CHECK_EQ(rig.apic.self_ipis, 3);
}
