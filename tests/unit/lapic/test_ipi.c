/* ICR writes: delivery status, classification, destinations, counting. */
#include "tests/unit/harness.h"

#include "tests/unit/lapic/rig.h"

static void send(struct vlapic *a, uint32_t high, uint32_t low)
{
	CHECK(lapic_wr(a, APIC_ICR_HIGH, high) == VLAPIC_OK);
	CHECK(lapic_wr(a, APIC_ICR_LOW, low) == VLAPIC_IPI_SENT);
}

TEST(ipi_init_sipi_sipi_to_another_cpu)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	send(&a, 0x01000000, 0x00004500); /* INIT, assert, to APIC 1 */
	CHECK_EQ(a.last_ipi.kind, VLAPIC_IPI_INIT);
	CHECK(a.last_ipi.to_others);
	CHECK(!a.last_ipi.to_self);
	CHECK(a.last_ipi.first_of_kind);
	CHECK_EQ(lapic_rd(&a, APIC_ICR_LOW), 0x00004500);
	CHECK_EQ(lapic_rd(&a, APIC_ICR_HIGH), 0x01000000);

	send(&a, 0x01000000, 0x00004608); /* SIPI, vector 8: start at 0x8000 */
	CHECK_EQ(a.last_ipi.kind, VLAPIC_IPI_STARTUP);
	CHECK_EQ(a.last_ipi.vector, 8);
	CHECK(a.last_ipi.first_of_kind);
	CHECK_EQ(lapic_rd(&a, APIC_ICR_LOW) & APIC_ICR_BUSY, 0);

	send(&a, 0x01000000, 0x00004608);
	CHECK(!a.last_ipi.first_of_kind);
	CHECK_EQ(a.ipis[VLAPIC_IPI_INIT], 1);
	CHECK_EQ(a.ipis[VLAPIC_IPI_STARTUP], 2);
	CHECK_EQ(a.self_ipis, 0);
	/* SIPI vector 0 and INIT are not vector errors. */
	CHECK(lapic_wr(&a, APIC_ESR, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), 0);
}

TEST(ipi_delivery_status_reads_idle_after_the_write)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	send(&a, 0, 0x000c4500 | APIC_ICR_BUSY);
	CHECK_EQ(lapic_rd(&a, APIC_ICR_LOW), 0x000c4500);
	/* The usual wait loop ends at once. */
	unsigned spins = 0;
	while ((lapic_rd(&a, APIC_ICR_LOW) & APIC_ICR_BUSY) && spins < 10)
		spins++;
	CHECK_EQ(spins, 0);
}

TEST(ipi_all_excluding_self)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	send(&a, 0, 0x000c4500); /* INIT to all excluding self */
	CHECK_EQ(a.last_ipi.kind, VLAPIC_IPI_INIT);
	CHECK(a.last_ipi.to_others);
	CHECK(!a.last_ipi.to_self);
	send(&a, 0, 0x000c4610); /* SIPI, vector 0x10 */
	CHECK_EQ(a.last_ipi.kind, VLAPIC_IPI_STARTUP);
	CHECK_EQ(a.last_ipi.vector, 0x10);
	send(&a, 0, 0x000c00f0); /* fixed to all others */
	CHECK_EQ(a.last_ipi.kind, VLAPIC_IPI_FIXED);
	CHECK(!a.last_ipi.to_self);
	CHECK_EQ(a.self_ipis, 0);
}

TEST(ipi_self_by_shorthand_and_by_own_id)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	send(&a, 0, 0x00040030); /* fixed, self shorthand, vector 0x30 */
	CHECK_EQ(a.last_ipi.kind, VLAPIC_IPI_FIXED);
	CHECK_EQ(a.last_ipi.vector, 0x30);
	CHECK(a.last_ipi.to_self);
	CHECK(!a.last_ipi.to_others);
	CHECK_EQ(a.self_ipis, 1);

	send(&a, 0x00000000, 0x00000031); /* physical, destination = own ID 0 */
	CHECK(a.last_ipi.to_self);
	CHECK(!a.last_ipi.to_others);
	CHECK_EQ(a.self_ipis, 2);

	vlapic_init(&a, 5, 36);
	send(&a, 0x05000000, 0x00000031);
	CHECK(a.last_ipi.to_self);
	send(&a, 0x00000000, 0x00000031); /* APIC 0 is someone else now */
	CHECK(!a.last_ipi.to_self);
	CHECK(a.last_ipi.to_others);
	CHECK_EQ(a.self_ipis, 1);
	CHECK_EQ(a.ipis[VLAPIC_IPI_FIXED], 2);
}

TEST(ipi_broadcasts_reach_self_and_others)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	send(&a, 0xff000000, 0x00000040); /* physical broadcast */
	CHECK(a.last_ipi.to_self);
	CHECK(a.last_ipi.to_others);
	send(&a, 0, 0x00080041); /* all including self */
	CHECK(a.last_ipi.to_self);
	CHECK(a.last_ipi.to_others);
	CHECK_EQ(a.self_ipis, 2);
}

TEST(ipi_logical_flat_destinations)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_LDR, 0x01000000) == VLAPIC_OK);
	send(&a, 0x01000000, 0x00000840); /* logical, MDA 0x01 */
	CHECK(a.last_ipi.to_self);
	CHECK(!a.last_ipi.to_others);
	send(&a, 0x03000000, 0x00000840);
	CHECK(a.last_ipi.to_self);
	CHECK(a.last_ipi.to_others);
	send(&a, 0x02000000, 0x00000840);
	CHECK(!a.last_ipi.to_self);
	CHECK(a.last_ipi.to_others);
	send(&a, 0x00000000, 0x00000840); /* MDA 0: nobody */
	CHECK(!a.last_ipi.to_self);
	CHECK(!a.last_ipi.to_others);
}

TEST(ipi_logical_cluster_destinations)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_DFR, 0x0fffffff) == VLAPIC_OK); /* cluster model */
	CHECK(lapic_wr(&a, APIC_LDR, 0x21000000) == VLAPIC_OK); /* cluster 2, bit 0 */
	send(&a, 0x21000000, 0x00000840);
	CHECK(a.last_ipi.to_self);
	CHECK(!a.last_ipi.to_others);
	send(&a, 0x23000000, 0x00000840);
	CHECK(a.last_ipi.to_self);
	CHECK(a.last_ipi.to_others);
	send(&a, 0x11000000, 0x00000840); /* same bit, other cluster */
	CHECK(!a.last_ipi.to_self);
	CHECK(a.last_ipi.to_others);
	send(&a, 0xff000000, 0x00000840);
	CHECK(a.last_ipi.to_self);
	CHECK(a.last_ipi.to_others);
}

TEST(ipi_kinds_by_delivery_mode)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	const struct {
		uint32_t low;
		enum vlapic_ipi_kind kind;
	} cases[] = {
	    {0x000c0040, VLAPIC_IPI_FIXED},         {0x000c0140, VLAPIC_IPI_LOWEST},
	    {0x000c0200, VLAPIC_IPI_SMI},           {0x000c0300, VLAPIC_IPI_RESERVED_MODE},
	    {0x000c0400, VLAPIC_IPI_NMI},           {0x000c4500, VLAPIC_IPI_INIT},
	    {0x000c8500, VLAPIC_IPI_INIT_DEASSERT}, {0x000c0500, VLAPIC_IPI_INIT},
	    {0x000cc500, VLAPIC_IPI_INIT},          {0x000c0600, VLAPIC_IPI_STARTUP},
	    {0x000c0700, VLAPIC_IPI_RESERVED_MODE},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		send(&a, 0, cases[i].low);
		if (a.last_ipi.kind != cases[i].kind) {
			printf("  ICR 0x%08x: %s, want %s\n", cases[i].low,
			       vlapic_ipi_kind_name(a.last_ipi.kind),
			       vlapic_ipi_kind_name(cases[i].kind));
			harness_current_failed = 1;
		}
	}
	CHECK_EQ(a.ipis[VLAPIC_IPI_INIT], 3);
	CHECK_EQ(a.ipis[VLAPIC_IPI_RESERVED_MODE], 2);
	CHECK_EQ(a.ipis[VLAPIC_IPI_INIT_DEASSERT], 1);
	CHECK(strcmp(vlapic_ipi_kind_name(VLAPIC_IPI_STARTUP), "SIPI") == 0);
}

TEST(ipi_illegal_vectors_set_esr)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	send(&a, 0x01000000, 0x00000003); /* fixed vector 3 to APIC 1 */
	CHECK(lapic_wr(&a, APIC_ESR, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), APIC_ESR_SEND_ILLEGAL_VECTOR);
	send(&a, 0, 0x00040005); /* fixed vector 5 to self */
	CHECK(lapic_wr(&a, APIC_ESR, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ESR),
	         APIC_ESR_SEND_ILLEGAL_VECTOR | APIC_ESR_RECEIVE_ILLEGAL_VECTOR);
	send(&a, 0, 0x000c0402); /* NMI: the vector field is ignored */
	send(&a, 0, 0x00040010); /* vector 16 is the first legal one */
	CHECK(lapic_wr(&a, APIC_ESR, 0) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ESR), 0);
}

TEST(ipi_icr_high_write_sends_nothing)
{
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(lapic_wr(&a, APIC_ICR_HIGH, 0xffffffff) == VLAPIC_OK);
	CHECK_EQ(lapic_rd(&a, APIC_ICR_HIGH), 0xff000000);
	for (unsigned k = 0; k < VLAPIC_IPI_KINDS; k++)
		CHECK_EQ(a.ipis[k], 0);
}

TEST(ipi_sent_while_software_disabled)
{
	/* §11.4.7.2: a software-disabled APIC can still send IPIs. */
	struct vlapic a;
	vlapic_init(&a, 0, 36);
	CHECK(!vlapic_sw_enabled(&a));
	send(&a, 0, 0x000c4500);
	CHECK_EQ(a.ipis[VLAPIC_IPI_INIT], 1);
}
