/*
 * Port I/O (exit reason 30, qualification per SDM Vol. 3C §27.2.1 table
 * 27-5) and hypercalls. The platform a test guest sees: COM1 (a virtual
 * 16550), the 8259 PICs (0x20/0x21, 0xA0/0xA1: initialization and masks),
 * QEMU's fw_cfg (0x510/0x511), QEMU's isa-debug-exit at 0xf4 and the Bochs
 * shutdown port 0x8900 (both end the guest with a status); any other port is
 * logged once, reads as all ones and ignores writes.
 */
#include "arch/x86/printf.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"

static const char bochs_shutdown[] = "Shutdown";

static bool first_time_for_port(struct vcpu *v, uint16_t port)
{
	unsigned n = sizeof(v->warned_ports) / sizeof(v->warned_ports[0]);
	for (unsigned i = 0; i < n; i++) {
		if (v->warned_ports[i] == (uint64_t)port + 1)
			return false;
		if (!v->warned_ports[i]) {
			v->warned_ports[i] = (uint64_t)port + 1;
			return true;
		}
	}
	return false; /* table full: stay quiet rather than flood the log */
}

static uint32_t port_read(struct vcpu *v, uint16_t port, unsigned size)
{
	uint32_t value;
	if (vuart_handles(port))
		return vuart_read(&v->uart, port);
	if (vpic_handles(port))
		return vpic_read(&v->pic, port, size);
	if (vfwcfg_handles(port) && vfwcfg_read(&v->fwcfg, port, size, &value))
		return value;
	if (first_time_for_port(v, port))
		printf("vmx: guest %s: read of unemulated port 0x%x returns all ones\n", v->name,
		       port);
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void port_write(struct vcpu *v, uint16_t port, unsigned size, uint32_t value)
{
	if (vuart_handles(port)) {
		vuart_write(&v->uart, port, value);
		return;
	}
	if (vpic_handles(port)) {
		vpic_write(&v->pic, port, size, value);
		return;
	}
	if (vfwcfg_handles(port) && vfwcfg_write(&v->fwcfg, port, size, value))
		return;
	if (port == PORT_QEMU_DEBUG_EXIT) {
		char why[48];
		snprintf(why, sizeof(why), "exit status %u (port 0xf4)", value);
		vcpu_stop(v, value, why);
	}
	if (port == PORT_BOCHS_SHUTDOWN) {
		v->shutdown_progress = (char)value == bochs_shutdown[v->shutdown_progress]
		                           ? v->shutdown_progress + 1
		                           : 0;
		if (!bochs_shutdown[v->shutdown_progress])
			vcpu_stop(v, 0, "shutdown (port 0x8900)");
		return;
	}
	if (first_time_for_port(v, port))
		printf("vmx: guest %s: write 0x%x to unemulated port 0x%x ignored\n", v->name,
		       value, port);
}

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
		uint64_t value = port_read(v, port, size) & mask;
		/* IN to EAX zero-extends into RAX; to AL/AX it merges (SDM Vol. 3A §3.4.1.1). */
		*rax = size == 4 ? value : (*rax & ~mask) | value;
	} else {
		uint32_t mask = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
		port_write(v, port, size, (uint32_t)*rax & mask);
	}
	vcpu_skip_instruction(v);
}

void exit_vmcall(struct vcpu *v)
{
	uint64_t *rax = &v->regs.gpr[VCPU_RAX];
	uint64_t arg = v->regs.gpr[VCPU_RBX];

	switch ((uint32_t)*rax) {
	case HV_CALL_EXIT: {
		char why[48];
		snprintf(why, sizeof(why), "exit status %u (hypercall)", (uint32_t)arg);
		vcpu_stop(v, (uint32_t)arg, why);
	}
	case HV_CALL_PUTC:
		vuart_write(&v->uart, VUART_BASE, (uint8_t)arg);
		*rax = 0;
		break;
	default:
		*rax = ~0ull; /* unknown hypercall */
		break;
	}
	vcpu_skip_instruction(v);
}
