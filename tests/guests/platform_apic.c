/* The local APIC's xAPIC register page at 0xFEE00000 (SDM Vol. 3A chapter 11), reached
 * with paging off through aligned 32-bit loads and stores only (§11.4.1). No interrupt is
 * ever taken: IF stays 0 and every LVT entry used is masked. */
#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/platform.h"
#include "tests/guests/report.h"

#define APIC_PAGE 0xfee00000u

/* Register offsets (§11.4.1 table 11-1). */
#define APIC_ID            0x020
#define APIC_VERSION       0x030
#define APIC_TPR           0x080
#define APIC_PPR           0x0a0
#define APIC_EOI           0x0b0
#define APIC_SVR           0x0f0
#define APIC_ISR           0x100
#define APIC_ICR_LOW       0x300
#define APIC_ICR_HIGH      0x310
#define APIC_LVT_TIMER     0x320
#define APIC_LVT_THERMAL   0x330
#define APIC_LVT_PERF      0x340
#define APIC_LVT_LINT0     0x350
#define APIC_LVT_LINT1     0x360
#define APIC_LVT_ERROR     0x370
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE  0x3e0
#define APIC_REG_STRIDE    0x10
#define APIC_ISR_REGS      8

#define APIC_ID_SHIFT               24
#define APIC_VERSION_MASK           0xffu
#define APIC_MAX_LVT_SHIFT          16
#define APIC_MAX_LVT_MASK           0xffu
#define APIC_VERSION_INTEGRATED_MIN 0x10u /* 0x1X: integrated APIC (§11.4.8) */
#define APIC_VERSION_INTEGRATED_MAX 0x15u
#define APIC_SVR_ENABLE             (1u << 8)
#define APIC_SPURIOUS_VECTOR        0xffu
#define APIC_LVT_MASKED             (1u << 16)
#define APIC_LVT_PERIODIC           (1u << 17)
#define APIC_ICR_BUSY               (1u << 12) /* delivery status: send pending */
#define APIC_ICR_DM_INIT            (5u << 8)
#define APIC_ICR_DM_STARTUP         (6u << 8)
#define APIC_ICR_ASSERT             (1u << 14)
#define APIC_DIVIDE_BY_1            0x0bu
#define APIC_DIVIDE_BY_128          0x0au

/* An APIC ID no CPU has on a one-CPU machine: INIT and SIPI to it reach nobody. */
#define ABSENT_APIC_ID 1u
#define SIPI_VECTOR    0x08u /* start-up at 0x8000, were there a CPU */
#define ICR_POLL_LIMIT 1000u
#define TIMER_COUNT    0x80000000u
#define TEST_VECTOR_LO 0x40u

static uint32_t apic_read(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(APIC_PAGE + off);
}

static void apic_write(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(APIC_PAGE + off) = v;
}

static bool apic_reads_back(uint32_t off, uint32_t v)
{
	apic_write(off, v);
	return apic_read(off) == v;
}

static void test_id_version(void)
{
	uint32_t id = apic_read(APIC_ID) >> APIC_ID_SHIFT;
	uint32_t cpuid_id = cpuid_reg(1, 0, CPUID_EBX) >> APIC_ID_SHIFT;
	report(id == cpuid_id, "apic: ID register (0x20) is CPUID.1:EBX's initial APIC ID",
	       "ID %u, CPUID %u", id, cpuid_id);
	uint32_t ver = apic_read(APIC_VERSION);
	uint32_t number = ver & APIC_VERSION_MASK;
	uint32_t max_lvt = (ver >> APIC_MAX_LVT_SHIFT) & APIC_MAX_LVT_MASK;
	report(number >= APIC_VERSION_INTEGRATED_MIN && number <= APIC_VERSION_INTEGRATED_MAX &&
	           max_lvt >= 3 && max_lvt <= 6,
	       "apic: version register (0x30): integrated APIC, max LVT entry 3..6",
	       "version register 0x%x", ver);
}

/* §11.8.3.1: with no interrupt in service the PPR equals the TPR. */
static void test_tpr(void)
{
	bool ok = true;
	uint32_t bad = 0, ppr = 0;
	static const uint32_t values[] = {0x00, 0x35, 0xff, 0x80, 0x00};
	for (unsigned i = 0; i < sizeof(values) / sizeof(values[0]) && ok; i++) {
		ok = apic_reads_back(APIC_TPR, values[i]);
		ppr = apic_read(APIC_PPR);
		ok = ok && ppr == values[i];
		bad = values[i];
	}
	report(ok, "apic: TPR (0x80) bits 0-7 read back, PPR (0xa0) follows the TPR",
	       "wrote 0x%x: TPR 0x%x PPR 0x%x", bad, apic_read(APIC_TPR), ppr);
}

static bool isr_empty(void)
{
	for (uint32_t i = 0; i < APIC_ISR_REGS; i++)
		if (apic_read(APIC_ISR + i * APIC_REG_STRIDE))
			return false;
	return true;
}

static void test_svr_eoi(void)
{
	bool sw_on = apic_reads_back(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	report(sw_on, "apic: SVR (0xf0) software enable (bit 8) and vector read back", "SVR 0x%x",
	       apic_read(APIC_SVR));
	bool before = isr_empty();
	apic_write(APIC_EOI, 0);
	report(before && isr_empty() && apic_read(APIC_PPR) == apic_read(APIC_TPR),
	       "apic: EOI (0xb0) with nothing in service: ISR stays empty",
	       "ISR empty before %d after %d, PPR 0x%x", before, isr_empty(), apic_read(APIC_PPR));
}

/* §11.4.7.1: every LVT entry is masked at power-up. Firmware then puts the APIC in
 * virtual-wire mode (MP spec 1.4 §3.6.2.2): LINT0 ExtINT, LINT1 NMI. hvx86 hands the guest
 * over in that state too, so that an 8259 guest needs no APIC code. */
#define LVT_DELIVERY_MODE(v) (((v) >> 8) & 7u)
#define LVT_MODE_NMI         4u
#define LVT_MODE_EXTINT      7u

static bool lint_is_virtual_wire(uint32_t reg, uint32_t mode)
{
	uint32_t v = apic_read(reg);
	return (v & APIC_LVT_MASKED) || LVT_DELIVERY_MODE(v) == mode;
}

static void test_lvt_at_entry(void)
{
	static const uint32_t lvts[] = {APIC_LVT_TIMER, APIC_LVT_THERMAL, APIC_LVT_PERF,
	                                APIC_LVT_ERROR};
	uint32_t unmasked = 0;
	for (unsigned i = 0; i < sizeof(lvts) / sizeof(lvts[0]) && !unmasked; i++)
		if (!(apic_read(lvts[i]) & APIC_LVT_MASKED))
			unmasked = lvts[i];
	if (!unmasked && !lint_is_virtual_wire(APIC_LVT_LINT0, LVT_MODE_EXTINT))
		unmasked = APIC_LVT_LINT0;
	if (!unmasked && !lint_is_virtual_wire(APIC_LVT_LINT1, LVT_MODE_NMI))
		unmasked = APIC_LVT_LINT1;
	report(
	    !unmasked,
	    "apic: LVT timer, thermal, perf, error masked at entry; LINT0/1 masked or virtual wire",
	    "LVT 0x%x reads 0x%x", unmasked, unmasked ? apic_read(unmasked) : 0);
	report_info("apic: at entry SVR 0x%x LVT timer 0x%x LINT0 0x%x LINT1 0x%x error 0x%x",
	            apic_read(APIC_SVR), apic_read(APIC_LVT_TIMER), apic_read(APIC_LVT_LINT0),
	            apic_read(APIC_LVT_LINT1), apic_read(APIC_LVT_ERROR));
}

static void test_lvt_write(void)
{
	uint32_t t1 = APIC_LVT_MASKED | TEST_VECTOR_LO;
	uint32_t t2 = APIC_LVT_MASKED | APIC_LVT_PERIODIC | (TEST_VECTOR_LO + 1);
	uint32_t e = APIC_LVT_MASKED | (TEST_VECTOR_LO + 2);
	bool ok = apic_reads_back(APIC_LVT_TIMER, t1) && apic_reads_back(APIC_LVT_TIMER, t2) &&
	          apic_reads_back(APIC_LVT_TIMER, t1) && apic_reads_back(APIC_LVT_ERROR, e);
	report(ok, "apic: LVT timer and error read back vector, mask and timer mode",
	       "LVT timer 0x%x error 0x%x", apic_read(APIC_LVT_TIMER), apic_read(APIC_LVT_ERROR));
}

/* ICR (§11.6.1): the send is complete when the delivery status reads idle. */
static bool icr_send(uint32_t low, uint32_t *seen)
{
	apic_write(APIC_ICR_HIGH, ABSENT_APIC_ID << APIC_ID_SHIFT);
	apic_write(APIC_ICR_LOW, low);
	uint32_t v = apic_read(APIC_ICR_LOW);
	for (uint32_t i = 0; i < ICR_POLL_LIMIT && (v & APIC_ICR_BUSY); i++)
		v = apic_read(APIC_ICR_LOW);
	*seen = v;
	return !(v & APIC_ICR_BUSY);
}

static void test_icr(void)
{
	uint32_t init = APIC_ICR_DM_INIT | APIC_ICR_ASSERT, low = 0;
	bool idle = icr_send(init, &low);
	uint32_t high = apic_read(APIC_ICR_HIGH);
	report(idle && (low & ~APIC_ICR_BUSY) == init && high == ABSENT_APIC_ID << APIC_ID_SHIFT,
	       "apic: ICR INIT to absent APIC ID 1 completes, ICR low/high read back",
	       "ICR low 0x%x high 0x%x", low, high);
	uint32_t sipi = APIC_ICR_DM_STARTUP | APIC_ICR_ASSERT | SIPI_VECTOR;
	idle = icr_send(sipi, &low);
	report(idle && (low & ~APIC_ICR_BUSY) == sipi,
	       "apic: ICR SIPI to absent APIC ID 1 completes, delivery status idle", "ICR low 0x%x",
	       low);
}

/* §11.5.4: one-shot mode counts the current count down from the initial count and stops
 * at 0; an initial count of 0 stops the timer. No timing is measured. */
static void test_timer(void)
{
	bool div = apic_reads_back(APIC_TIMER_DIVIDE, APIC_DIVIDE_BY_1) &&
	           apic_reads_back(APIC_TIMER_DIVIDE, APIC_DIVIDE_BY_128);
	report(div, "apic: timer divide configuration (0x3e0) reads back", "0x%x",
	       apic_read(APIC_TIMER_DIVIDE));

	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | TEST_VECTOR_LO);
	apic_write(APIC_TIMER_INITIAL, TIMER_COUNT);
	uint32_t initial = apic_read(APIC_TIMER_INITIAL);
	uint32_t c1 = apic_read(APIC_TIMER_CURRENT);
	uint32_t c2 = apic_read(APIC_TIMER_CURRENT);
	report(initial == TIMER_COUNT && c1 != 0 && c1 <= TIMER_COUNT && c2 <= c1,
	       "apic: one-shot timer: current count nonzero, not above the initial, not rising",
	       "initial 0x%x, current 0x%x then 0x%x", initial, c1, c2);

	apic_write(APIC_TIMER_INITIAL, 0);
	uint32_t stopped = apic_read(APIC_TIMER_CURRENT);
	report(stopped == 0 && apic_read(APIC_TIMER_INITIAL) == 0,
	       "apic: timer initial count 0 stops it (current count 0)", "current 0x%x", stopped);
}

/* §11.4.7.2: while software-disabled every LVT mask bit is set and cannot be cleared. */
static void test_sw_disable(void)
{
	const char *name = "apic: software disable (SVR bit 8 = 0) masks every LVT, keeps them "
	                   "masked";
	apic_write(APIC_SVR, APIC_SPURIOUS_VECTOR);
	uint32_t svr = apic_read(APIC_SVR);
	uint32_t timer = apic_read(APIC_LVT_TIMER), lint0 = apic_read(APIC_LVT_LINT0);
	apic_write(APIC_LVT_ERROR, TEST_VECTOR_LO);
	uint32_t error = apic_read(APIC_LVT_ERROR);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	if (env_is_tcg() && !(error & APIC_LVT_MASKED)) {
		report_skip(name, SKIP_QEMU_APIC_SW_DISABLE);
		apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED | TEST_VECTOR_LO);
		return;
	}
	report((svr & APIC_SVR_ENABLE) == 0 && (timer & APIC_LVT_MASKED) &&
	           (lint0 & APIC_LVT_MASKED) && (error & APIC_LVT_MASKED),
	       name, "SVR 0x%x LVT timer 0x%x LINT0 0x%x error (unmasked write) 0x%x", svr, timer,
	       lint0, error);
}

void platform_apic_tests(void)
{
	test_lvt_at_entry();
	test_id_version();
	test_tpr();
	test_svr_eoi();
	test_lvt_write();
	test_icr();
	test_timer();
	test_sw_disable();
}
