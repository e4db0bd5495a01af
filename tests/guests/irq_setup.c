/* Common start of the irq guests. */
#include "tests/guests/irq_setup.h"

#include "tests/guests/cpu.h"
#include "tests/guests/env.h"
#include "tests/guests/irq_apic.h"
#include "tests/guests/irq_pic.h"
#include "tests/guests/irq_pit.h"
#include "tests/guests/irq_time.h"
#include "tests/guests/irq_vectors.h"
#include "tests/guests/report.h"

#define BOCHS_E9_PORT     0xe9
#define TSC_MIN_KHZ       1000u
#define TSC_AGREE_PERMIL  5u
#define TSC_SLACK_MAX_PPM 100000u /* a run known to 10 % at least */

void irq_platform_init(void)
{
	irq_disable();
	irq_vectors_init();
	apic_virtual_wire();
	/* Firmware may have left channel 0 running: stop its edges first, so that ICW1, which
	 * clears the IRR, leaves no stale IRQ0 request behind. */
	pit_stop();
	pic_init();
}

/* Two runs agree when they differ by no more than their uncertainties allow, plus a
 * margin: a channel 2 that counts erratically shows up as runs that disagree. */
static bool runs_agree(const struct tsc_calibration *cal, unsigned a, unsigned b)
{
	uint32_t permille = (cal->slack_ppm[a] + cal->slack_ppm[b]) / 1000 + TSC_AGREE_PERMIL;
	return cal->khz[a] && cal->khz[b] && rate_within(cal->khz[a], cal->khz[b], permille);
}

bool irq_setup_tsc(void)
{
	struct tsc_calibration cal;
	uint32_t khz = irq_tsc_calibrate(&cal), agree = 0;
	for (unsigned i = 0; i < cal.runs; i++)
		if (i != cal.kept && runs_agree(&cal, i, cal.kept))
			agree++;
	report_info("tsc %u kHz", khz);
	return report(khz >= TSC_MIN_KHZ && agree && cal.slack_ppm[cal.kept] <= TSC_SLACK_MAX_PPM,
	              "tsc: calibrated against PIT channel 2 (50 ms runs), another run agrees",
	              "kept %u kHz (+-%u ppm), %u of %u other runs agree; first runs %u (+-%u) "
	              "%u (+-%u) kHz",
	              khz, cal.slack_ppm[cal.kept], agree, cal.runs - 1, cal.khz[0],
	              cal.slack_ppm[0], cal.khz[1], cal.slack_ppm[1]);
}

/* A rate test that failed under QEMU TCG: its timers are host timers, which a loaded host
 * serves late enough to lose periods. SKIP there (the caller retried first), never
 * elsewhere. */
bool irq_rate_skip(const char *name, bool ok)
{
	if (ok || !env_is_tcg())
		return false;
	report_skip(name, SKIP_TCG_RATE);
	return true;
}

bool irq_env_bochs(void)
{
	return env.kind == ENV_BARE && inb(BOCHS_E9_PORT) == BOCHS_E9_PORT;
}
