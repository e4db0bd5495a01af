/*
 * The I/O bus of one guest machine: devices claim port ranges and MMIO
 * ranges, each with a name for the log; exit handlers reach devices only
 * through it. An unclaimed port or address behaves like an unbacked bus
 * cycle on a PC: reads give all ones, writes are dropped, and the first
 * access to each is logged. A device may ask the machine to stop (a status
 * written to a debug-exit port, a reset or power-off request); the exit
 * handler checks io_bus_stop_requested() after each access.
 *
 * Handlers get the offset of the access from the start of their range and
 * its size (1, 2 or 4 for ports; 1, 2, 4 or 8 for MMIO). A handler returns
 * false for an access it does not define (a wrong width, say): the bus then
 * treats it as unclaimed (logged once, all ones). Devices may also claim
 * MSRs (the local APIC's IA32_APIC_BASE): there a handler's false means the
 * access raises #GP, and an unclaimed MSR is the caller's to refuse. The
 * console is where the machine's text output goes (the serial port's
 * transmitter, a hypercall's character). Which device sits where is decided
 * by the machine assembly (vmx/vm/), never here or in a device.
 */
#ifndef VMX_IO_BUS_H
#define VMX_IO_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/io/clock.h"
#include "vmx/io/intr.h"
#include "vmx/io/log.h"
#include "vmx/io/timer.h"

#define IO_MAX_PORT_RANGES 24
#define IO_MAX_MMIO_RANGES 8
#define IO_MAX_MSR_RANGES  8
#define IO_STOP_WHY_MAX    64

typedef bool (*io_port_read_fn)(void *dev, uint16_t offset, unsigned size, uint32_t *value);
typedef bool (*io_port_write_fn)(void *dev, uint16_t offset, unsigned size, uint32_t value);
typedef bool (*io_mmio_read_fn)(void *dev, uint64_t offset, unsigned size, uint64_t *value);
typedef bool (*io_mmio_write_fn)(void *dev, uint64_t offset, unsigned size, uint64_t value);
typedef bool (*io_msr_read_fn)(void *dev, uint32_t msr, uint64_t *value);
typedef bool (*io_msr_write_fn)(void *dev, uint32_t msr, uint64_t value);

struct io_port_range {
	uint16_t base, count;
	const char *name;
	void *dev;
	io_port_read_fn read;
	io_port_write_fn write;
	uint64_t accesses;
};

struct io_mmio_range {
	uint64_t base, size;
	const char *name;
	void *dev;
	io_mmio_read_fn read;
	io_mmio_write_fn write;
	uint64_t accesses;
};

struct io_msr_range {
	uint32_t first, count;
	const char *name;
	void *dev;
	io_msr_read_fn read;
	io_msr_write_fn write;
};

struct io_console {
	void (*put)(void *ctx, uint8_t byte);
	void *ctx;
};

/* Why a device asked the machine to stop. */
enum io_stop_kind {
	IO_STOP_NONE = 0,
	IO_STOP_EXIT,     /* an exit status written to a debug port */
	IO_STOP_RESET,    /* a reset request (keyboard controller, port 0xCF9) */
	IO_STOP_POWEROFF, /* a power-off request */
	IO_STOP_LIMIT,    /* the machine's time limit passed */
};

struct io_stop {
	enum io_stop_kind kind;
	uint32_t status;
	char why[IO_STOP_WHY_MAX];
};

struct io_bus {
	struct io_port_range port[IO_MAX_PORT_RANGES];
	unsigned nports;
	struct io_mmio_range mmio[IO_MAX_MMIO_RANGES];
	unsigned nmmio;
	struct io_msr_range msr[IO_MAX_MSR_RANGES];
	unsigned nmsrs;
	struct io_console console;
	struct io_log *log;      /* unclaimed accesses are logged here, once each */
	struct io_clock clock;   /* guest time */
	struct io_intr intr;     /* the controller in front of the vCPU */
	struct io_timer *timers; /* every device timer of the machine */
	struct io_stop stop;
	uint64_t unclaimed_reads, unclaimed_writes;
};

void io_bus_init(struct io_bus *b, struct io_log *log, struct io_clock clock);

/* Claim [base, base + count) / [base, base + size). -1 if full or overlapping. */
int io_bus_add_ports(struct io_bus *b, uint16_t base, uint16_t count, const char *name, void *dev,
                     io_port_read_fn read, io_port_write_fn write);
int io_bus_add_mmio(struct io_bus *b, uint64_t base, uint64_t size, const char *name, void *dev,
                    io_mmio_read_fn read, io_mmio_write_fn write);
int io_bus_add_msrs(struct io_bus *b, uint32_t first, uint32_t count, const char *name, void *dev,
                    io_msr_read_fn read, io_msr_write_fn write);
void io_bus_add_timer(struct io_bus *b, struct io_timer *t);

/* The range holding port / address, or 0. */
const struct io_port_range *io_bus_find_port(const struct io_bus *b, uint16_t port);
const struct io_mmio_range *io_bus_find_mmio(const struct io_bus *b, uint64_t addr);

/* Guest accesses. Reads return the value in the low `size` bytes. */
uint32_t io_port_read(struct io_bus *b, uint16_t port, unsigned size);
void io_port_write(struct io_bus *b, uint16_t port, unsigned size, uint32_t value);
uint64_t io_mmio_read(struct io_bus *b, uint64_t addr, unsigned size);
void io_mmio_write(struct io_bus *b, uint64_t addr, unsigned size, uint64_t value);

/* MSRs: false when no device claims the MSR or the device refuses (#GP);
 * *claimed (may be 0) tells the two apart. */
bool io_msr_read(struct io_bus *b, uint32_t msr, uint64_t *value, bool *claimed);
bool io_msr_write(struct io_bus *b, uint32_t msr, uint64_t value, bool *claimed);

static inline void io_console_put(const struct io_bus *b, uint8_t byte)
{
	if (b->console.put)
		b->console.put(b->console.ctx, byte);
}

static inline uint64_t io_bus_now(const struct io_bus *b)
{
	return io_now(&b->clock);
}

/* Run every timer whose deadline is at or before now; the earliest deadline
 * left afterwards (IO_TIMER_OFF: none). */
uint64_t io_bus_run_timers(struct io_bus *b, uint64_t now);
uint64_t io_bus_next_deadline(const struct io_bus *b);

/* A device asks the machine to stop; the first request wins. */
void io_bus_request_stop(struct io_bus *b, enum io_stop_kind kind, uint32_t status,
                         const char *why);
static inline bool io_bus_stop_requested(const struct io_bus *b)
{
	return b->stop.kind != IO_STOP_NONE;
}

#endif
