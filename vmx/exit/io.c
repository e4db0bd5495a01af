/*
 * Port I/O exits (reason 30, qualification per SDM Vol. 3C §27.2.1 table
 * 27-5). Every port exits; the guest machine's bus finds the device.
 */
#include "arch/x86/printf.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"
#include "vmx/io/bus.h"

void exit_io(struct vcpu *v, uint64_t qual)
{
	uint16_t port = vmx_qual_io_port(qual);
	unsigned size = vmx_qual_io_size(qual);
	uint64_t *rax = &v->regs.gpr[VCPU_RAX];

	if (vmx_qual_io_is_string(qual)) {
		printf("vmx: guest %s: string I/O on port 0x%x not supported\n", v->name, port);
		vcpu_stop(v, 1, "string port I/O");
	}
	if (vmx_qual_io_is_in(qual)) {
		uint64_t mask = size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
		uint64_t value = io_port_read(v->bus, port, size) & mask;
		/* IN to EAX zero-extends into RAX; to AL/AX it merges (SDM Vol. 3A §3.4.1.1). */
		*rax = size == 4 ? value : (*rax & ~mask) | value;
	} else {
		uint32_t mask = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
		io_port_write(v->bus, port, size, (uint32_t)*rax & mask);
	}
	vcpu_skip_instruction(v);
}
