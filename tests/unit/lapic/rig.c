/* The lapic suite's machine (see rig.h), and main(). */
#define HARNESS_MAIN
#include "tests/unit/harness.h"

#include <stdarg.h>

#include "tests/unit/lapic/rig.h"

struct rig rig;
static size_t log_len;

static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	return rig.now;
}

static int pic_pending(void *ctrl)
{
	(void)ctrl;
	return rig.pic_vector;
}

/* An 8259 INTA with nothing requested answers IR7 of the master (0x0f with
 * the BIOS's base 0x08). */
static int pic_ack(void *ctrl)
{
	int v = rig.pic_vector;
	(void)ctrl;
	rig.pic_acks++;
	rig.pic_vector = IO_INTR_NONE;
	return v == IO_INTR_NONE ? 0x0f : v;
}

static const struct io_intr_ops fake_pic_ops = {.pending = pic_pending, .ack = pic_ack};

static int capture_vprintf(const char *fmt, va_list ap)
{
	int n = vsnprintf(rig.log + log_len, sizeof(rig.log) - log_len, fmt, ap);
	if (n > 0)
		log_len += (size_t)n;
	if (log_len >= sizeof(rig.log))
		log_len = sizeof(rig.log) - 1;
	return n;
}

struct vlapic *rig_reset(void)
{
	memset(&rig, 0, sizeof(rig));
	rig.now = T0;
	rig.clock = (struct io_clock){fake_now, 0};
	rig.pic_vector = IO_INTR_NONE;
	vlapic_init(&rig.apic, 0, 36);
	vlapic_attach(&rig.apic, 0, &rig.clock);
	vlapic_connect_extint(&rig.apic, (struct io_intr){&fake_pic_ops, 0});
	rig.intr = (struct io_intr){&vlapic_intr_ops, &rig.apic};
	return &rig.apic;
}

struct vlapic *rig_enabled(void)
{
	rig_reset();
	wr(APIC_SVR, 0x1ff);
	return &rig.apic;
}

void rig_at(uint64_t ns)
{
	if (ns < rig.now) {
		printf("  guest time may not go back (%llu < %llu)\n", (unsigned long long)ns,
		       (unsigned long long)rig.now);
		harness_current_failed = 1;
		return;
	}
	rig.now = ns;
}

int pending(void)
{
	return io_intr_pending(&rig.intr);
}

int ack(void)
{
	return io_intr_ack(&rig.intr);
}

void eoi(void)
{
	wr(APIC_EOI, 0);
}

unsigned take_all(void)
{
	unsigned n = 0;
	int v;

	while ((v = vlapic_deliverable(&rig.apic)) >= 0 && n < 1000) {
		CHECK_EQ(ack(), v);
		rig.taken[v]++;
		rig.last_taken_ns[v] = rig.now;
		eoi();
		n++;
	}
	return n;
}

void run_until(uint64_t until, uint64_t late)
{
	struct io_timer *t = vlapic_timer(&rig.apic);

	while (io_timer_armed(t) && t->deadline + late <= until) {
		uint64_t deadline = t->deadline;
		if (deadline + late > rig.now)
			rig.now = deadline + late;
		io_timer_disarm(t);
		t->fire(t->dev, rig.now);
		rig.fires++;
		take_all();
		if (io_timer_armed(t) && t->deadline <= rig.now) {
			printf("  timer re-armed at %llu, not after now %llu\n",
			       (unsigned long long)t->deadline, (unsigned long long)rig.now);
			harness_current_failed = 1;
			return;
		}
		if (rig.fires > 10000000) {
			printf("  timer runaway\n");
			harness_current_failed = 1;
			return;
		}
	}
	if (until > rig.now)
		rig.now = until;
}

bool reg_has(uint32_t set, uint8_t v)
{
	return (rd(set + (uint32_t)(v / 32) * 16) >> (v % 32)) & 1;
}

unsigned reg_count(uint32_t set)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < 8; i++)
		n += (unsigned)__builtin_popcount(rd(set + i * 16));
	return n;
}

void print_capture(void)
{
	struct io_log log;

	log_len = 0;
	rig.log[0] = '\0';
	io_log_init(&log, capture_vprintf, "vmx: guest: ");
	vlapic_print(&rig.apic, &log);
}

uint32_t lapic_rd(struct vlapic *a, uint32_t off)
{
	uint32_t v = 0xdeadbeef;
	enum vlapic_status s = vlapic_mmio_read(a, BASE + off, 4, &v);
	if (s != VLAPIC_OK) {
		printf("  read of 0x%03x: %s\n", off, vlapic_status_name(s));
		harness_current_failed = 1;
	}
	return v;
}

enum vlapic_status lapic_wr(struct vlapic *a, uint32_t off, uint32_t v)
{
	return vlapic_mmio_write(a, BASE + off, 4, v);
}

void lapic_sw_enable(struct vlapic *a)
{
	CHECK(lapic_wr(a, APIC_SVR, 0x1ff) == VLAPIC_OK);
}

uint32_t rd(uint32_t off)
{
	return lapic_rd(&rig.apic, off);
}

void wr(uint32_t off, uint32_t v)
{
	enum vlapic_status s = lapic_wr(&rig.apic, off, v);
	if (s != VLAPIC_OK && s != VLAPIC_IPI_SENT) {
		printf("  write of 0x%08x to 0x%03x: %s\n", v, off, vlapic_status_name(s));
		harness_current_failed = 1;
	}
}

void send_ipi(uint32_t high, uint32_t low)
{
	wr(APIC_ICR_HIGH, high);
	CHECK(lapic_wr(&rig.apic, APIC_ICR_LOW, low) == VLAPIC_IPI_SENT);
}
