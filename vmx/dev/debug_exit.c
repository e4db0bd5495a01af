/* The test machine's exit ports (see vmx/dev/debug_exit.h). */
#include "vmx/dev/debug_exit.h"

static const char shutdown_word[] = "Shutdown";

void debug_exit_init(struct debug_exit *d, struct io_bus *bus)
{
	*d = (struct debug_exit){.bus = bus};
}

bool debug_exit_write(void *dev, uint16_t offset, unsigned size, uint32_t value)
{
	struct debug_exit *d = dev;

	(void)offset;
	(void)size;
	io_bus_request_stop(d->bus, IO_STOP_EXIT, value, "port 0xf4");
	return true;
}

bool bochs_shutdown_write(void *dev, uint16_t offset, unsigned size, uint32_t value)
{
	struct debug_exit *d = dev;

	(void)offset;
	(void)size;
	d->shutdown_progress =
	    (char)value == shutdown_word[d->shutdown_progress] ? d->shutdown_progress + 1 : 0;
	if (!shutdown_word[d->shutdown_progress]) {
		d->shutdown_progress = 0;
		io_bus_request_stop(d->bus, IO_STOP_POWEROFF, 0, "port 0x8900");
	}
	return true;
}
