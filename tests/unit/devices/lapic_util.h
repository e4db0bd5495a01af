/* Register access helpers for the local APIC tests: aligned 32-bit
 * accesses at the default base that are expected to be accepted. */
#ifndef TESTS_UNIT_DEVICES_LAPIC_UTIL_H
#define TESTS_UNIT_DEVICES_LAPIC_UTIL_H

#include "vmx/dev/lapic.h"

#define BASE VLAPIC_DEFAULT_BASE

static inline uint32_t lapic_rd(struct vlapic *a, uint32_t off)
{
	uint32_t v = 0xdeadbeef;
	enum vlapic_status s = vlapic_mmio_read(a, BASE + off, 4, &v);
	CHECK(s == VLAPIC_OK);
	return v;
}

static inline enum vlapic_status lapic_wr(struct vlapic *a, uint32_t off, uint32_t v)
{
	return vlapic_mmio_write(a, BASE + off, 4, v);
}

/* Software-enable the APIC with the usual spurious vector. */
static inline void lapic_sw_enable(struct vlapic *a)
{
	CHECK(lapic_wr(a, APIC_SVR, 0x1ff) == VLAPIC_OK);
}

#endif
