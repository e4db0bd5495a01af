/*
 * The I/O bus (see vmx/io/bus.h): a short list of port and MMIO ranges,
 * searched in order (a machine has a dozen), and the unclaimed-access rule.
 */
#include "vmx/io/bus.h"

#define ONCE_TAG_PORT_READ  (1ull << 62)
#define ONCE_TAG_PORT_WRITE (2ull << 62)
#define ONCE_TAG_MMIO       (3ull << 62)

void io_bus_init(struct io_bus *b, struct io_log *log, struct io_clock clock)
{
	__builtin_memset(b, 0, sizeof(*b));
	b->log = log;
	b->clock = clock;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int io_bus_add_ports(struct io_bus *b, uint16_t base, uint16_t count, const char *name, void *dev,
                     io_port_read_fn read, io_port_write_fn write)
{
	if (b->nports == IO_MAX_PORT_RANGES || !count || (uint32_t)base + count > 0x10000u)
		return -1;
	for (unsigned i = 0; i < b->nports; i++)
		if (ranges_overlap(base, count, b->port[i].base, b->port[i].count))
			return -1;
	b->port[b->nports++] = (struct io_port_range){base, count, name, dev, read, write, 0};
	return 0;
}

int io_bus_add_mmio(struct io_bus *b, uint64_t base, uint64_t size, const char *name, void *dev,
                    io_mmio_read_fn read, io_mmio_write_fn write)
{
	if (b->nmmio == IO_MAX_MMIO_RANGES || !size || base + size < base)
		return -1;
	for (unsigned i = 0; i < b->nmmio; i++)
		if (ranges_overlap(base, size, b->mmio[i].base, b->mmio[i].size))
			return -1;
	b->mmio[b->nmmio++] = (struct io_mmio_range){base, size, name, dev, read, write, 0};
	return 0;
}

int io_bus_add_msrs(struct io_bus *b, uint32_t first, uint32_t count, const char *name, void *dev,
                    io_msr_read_fn read, io_msr_write_fn write)
{
	if (b->nmsrs == IO_MAX_MSR_RANGES || !count || first + count < first)
		return -1;
	for (unsigned i = 0; i < b->nmsrs; i++)
		if (ranges_overlap(first, count, b->msr[i].first, b->msr[i].count))
			return -1;
	b->msr[b->nmsrs++] = (struct io_msr_range){first, count, name, dev, read, write};
	return 0;
}

void io_bus_add_timer(struct io_bus *b, struct io_timer *t)
{
	t->next = b->timers;
	b->timers = t;
}

const struct io_port_range *io_bus_find_port(const struct io_bus *b, uint16_t port)
{
	for (unsigned i = 0; i < b->nports; i++)
		if (port >= b->port[i].base && port - b->port[i].base < b->port[i].count)
			return &b->port[i];
	return 0;
}

const struct io_mmio_range *io_bus_find_mmio(const struct io_bus *b, uint64_t addr)
{
	for (unsigned i = 0; i < b->nmmio; i++)
		if (addr >= b->mmio[i].base && addr - b->mmio[i].base < b->mmio[i].size)
			return &b->mmio[i];
	return 0;
}

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

uint32_t io_port_read(struct io_bus *b, uint16_t port, unsigned size)
{
	struct io_port_range *r = (struct io_port_range *)io_bus_find_port(b, port);
	uint32_t value = 0;

	if (r && r->read && r->read(r->dev, (uint16_t)(port - r->base), size, &value)) {
		r->accesses++;
		return value & (uint32_t)size_mask(size);
	}
	b->unclaimed_reads++;
	io_log_once(b->log, io_bus_now(b), ONCE_TAG_PORT_READ | port,
	            "read of unemulated port 0x%x returns all ones\n", port);
	return (uint32_t)size_mask(size);
}

void io_port_write(struct io_bus *b, uint16_t port, unsigned size, uint32_t value)
{
	struct io_port_range *r = (struct io_port_range *)io_bus_find_port(b, port);

	value &= (uint32_t)size_mask(size);
	if (r && r->write && r->write(r->dev, (uint16_t)(port - r->base), size, value)) {
		r->accesses++;
		return;
	}
	b->unclaimed_writes++;
	io_log_once(b->log, io_bus_now(b), ONCE_TAG_PORT_WRITE | port,
	            "write 0x%x to unemulated port 0x%x ignored\n", value, port);
}

uint64_t io_mmio_read(struct io_bus *b, uint64_t addr, unsigned size)
{
	struct io_mmio_range *r = (struct io_mmio_range *)io_bus_find_mmio(b, addr);
	uint64_t value = 0;

	if (r && r->read && r->read(r->dev, addr - r->base, size, &value)) {
		r->accesses++;
		return value & size_mask(size);
	}
	b->unclaimed_reads++;
	io_log_once(b->log, io_bus_now(b), ONCE_TAG_MMIO,
	            "read of guest-physical 0x%lx outside its RAM: reads give all ones, writes "
	            "are dropped\n",
	            (unsigned long)addr);
	return size_mask(size);
}

void io_mmio_write(struct io_bus *b, uint64_t addr, unsigned size, uint64_t value)
{
	struct io_mmio_range *r = (struct io_mmio_range *)io_bus_find_mmio(b, addr);

	value &= size_mask(size);
	if (r && r->write && r->write(r->dev, addr - r->base, size, value)) {
		r->accesses++;
		return;
	}
	b->unclaimed_writes++;
	io_log_once(b->log, io_bus_now(b), ONCE_TAG_MMIO,
	            "write of guest-physical 0x%lx outside its RAM: reads give all ones, writes "
	            "are dropped\n",
	            (unsigned long)addr);
}

static const struct io_msr_range *find_msr(const struct io_bus *b, uint32_t msr)
{
	for (unsigned i = 0; i < b->nmsrs; i++)
		if (msr >= b->msr[i].first && msr - b->msr[i].first < b->msr[i].count)
			return &b->msr[i];
	return 0;
}

bool io_msr_read(struct io_bus *b, uint32_t msr, uint64_t *value, bool *claimed)
{
	const struct io_msr_range *r = find_msr(b, msr);

	if (claimed)
		*claimed = r != 0;
	*value = 0;
	return r && r->read && r->read(r->dev, msr, value);
}

bool io_msr_write(struct io_bus *b, uint32_t msr, uint64_t value, bool *claimed)
{
	const struct io_msr_range *r = find_msr(b, msr);

	if (claimed)
		*claimed = r != 0;
	return r && r->write && r->write(r->dev, msr, value);
}

uint64_t io_bus_next_deadline(const struct io_bus *b)
{
	uint64_t next = IO_TIMER_OFF;

	for (const struct io_timer *t = b->timers; t; t = t->next)
		if (t->deadline < next)
			next = t->deadline;
	return next;
}

uint64_t io_bus_run_timers(struct io_bus *b, uint64_t now)
{
	for (struct io_timer *t = b->timers; t; t = t->next) {
		if (t->deadline > now)
			continue;
		io_timer_disarm(t); /* fire() re-arms a periodic timer */
		t->fire(t->dev, now);
	}
	return io_bus_next_deadline(b);
}

void io_bus_request_stop(struct io_bus *b, enum io_stop_kind kind, uint32_t status, const char *why)
{
	if (b->stop.kind != IO_STOP_NONE)
		return;
	b->stop.kind = kind;
	b->stop.status = status;
	unsigned i = 0;
	for (; why && why[i] && i < IO_STOP_WHY_MAX - 1; i++)
		b->stop.why[i] = why[i];
	b->stop.why[i] = '\0';
}
