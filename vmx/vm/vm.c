/*
 * The machine assembly (see vmx/vm/vm.h): a PC as the guest sees it.
 *   ports 0x20-0x21, 0xa0-0xa1   8259A master and slave; ELCR at 0x4d0-0x4d1
 *   ports 0x40-0x43, 0x61, IRQ0  8254 PIT and system control port B
 *   ports 0x70-0x71, IRQ8        MC146818 RTC and CMOS
 *   ports 0x3f8-0x3ff, IRQ4      COM1, a 16550A; its output is the guest's console,
 *                                its input what is typed on the host's serial line
 *   ports 0x510-0x511            QEMU fw_cfg (signature, CPU count, RAM size)
 *   port 0xf4, port 0x8900       isa-debug-exit, Bochs shutdown: end the machine
 *   0xfee00000, MSR 0x1b         the local APIC page and IA32_APIC_BASE; in front of
 *                                the CPU, with the 8259 pair on its LINT0
 * COM2 and everything else is absent (unclaimed: all ones). Guest time is the
 * host TSC since vm_create(), in nanoseconds; the machine is stopped at its
 * time limit.
 */
#include "vmx/vm/vm.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/cmos.h"
#include "arch/x86/printf.h"
#include "arch/x86/serial.h"
#include "arch/x86/tsc.h"
#include "mm/directmap.h"
#include "mm/kmem.h"
#include "vmx/hw/insn.h"

#define DEFAULT_MAXPHYADDR 36
#define PIC_MASTER_BASE    0x20
#define PIC_SLAVE_BASE     0xa0
#define ELCR_BASE          0x4d0
#define PIT_BASE           0x40
#define PORT_B             0x61
#define PIT_IRQ            0
#define RTC_BASE           0x70
#define RTC_IRQ            8
#define COM1_BASE          0x3f8
#define COM1_IRQ           4
#define FWCFG_BASE         0x510
#define APIC_PAGE          0xfee00000ull
#define INPUT_POLL_NS      10000000ull /* the host's serial line is looked at every 10 ms */

static uint64_t guest_clock(void *ctx)
{
	struct vm *vm = ctx;
	return tsc_ticks_to_ns(rdtsc() - vm->start_tsc);
}

static uint8_t host_maxphyaddr(void)
{
	if (cpuid(0x80000000, 0).eax < 0x80000008)
		return DEFAULT_MAXPHYADDR;
	return (uint8_t)(cpuid(0x80000008, 0).eax & 0xff);
}

static bool host_gbpages(void)
{
	return cpuid(0x80000000, 0).eax >= 0x80000001 &&
	       (cpuid(0x80000001, 0).edx & CPUID80000001_EDX_PDPE1GB);
}

static void limit_reached(void *dev, uint64_t now)
{
	struct vm *vm = dev;
	char why[48];

	(void)now;
	snprintf(why, sizeof(why), "%lu s of guest time, hv.timeout", (unsigned long)vm->timeout_s);
	io_bus_request_stop(&vm->bus, IO_STOP_LIMIT, 1, why);
}

/* What is typed on the host's serial line goes to the guest's COM1, as far
 * as its receiver takes it (a byte it cannot take yet waits). */
static void poll_input(void *dev, uint64_t now)
{
	struct vm *vm = dev;

	for (;;) {
		int c = vm->held_input >= 0 ? vm->held_input : serial_getc_nonblock();
		if (c < 0)
			break;
		if (!ns16550_receive(&vm->com1, (uint8_t)c)) {
			vm->held_input = c;
			break;
		}
		vm->held_input = -1;
		vm->input_bytes++;
	}
	console_flush_idle(&vm->console);
	io_timer_arm(&vm->input_poll, now + INPUT_POLL_NS);
}

static void init_devices(struct vm *vm, const struct guest_spec *g)
{
	struct io_bus *b = &vm->bus;
	uint64_t ram = vm->mem.frames * PAGE_SIZE;

	i8259_init(&vm->pic);
	pit_init(&vm->pit, &b->clock, (struct io_irq){&vm->pic.irq_chip, PIT_IRQ});
	rtc_init(&vm->rtc, &b->clock, (struct io_irq){&vm->pic.irq_chip, RTC_IRQ},
	         host_rtc_unix_time(), ram);
	ns16550_init(&vm->com1, (struct io_irq){&vm->pic.irq_chip, COM1_IRQ}, b->clock, console_put,
	             &vm->console);
	vfwcfg_init(&vm->fwcfg, ram);
	vlapic_init(&vm->lapic, 0, host_maxphyaddr());
	vlapic_attach(&vm->lapic, &vm->log, &b->clock);
	vlapic_connect_extint(&vm->lapic, (struct io_intr){&i8259_intr_ops, &vm->pic});
	if (g->apic_off)
		vlapic_write_base_msr(&vm->lapic,
		                      vlapic_read_base_msr(&vm->lapic) & ~VLAPIC_BASE_ENABLE);
	vlapic_bios_handoff(&vm->lapic);
	debug_exit_init(&vm->debug_exit, b);
	b->intr = (struct io_intr){&vlapic_intr_ops, &vm->lapic};
}

static int add_ports(struct vm *vm)
{
	struct io_bus *b = &vm->bus;
	int rc = 0;

	rc |= io_bus_add_ports(b, PIC_MASTER_BASE, 2, "pic master", &vm->pic, i8259_master_read,
	                       i8259_master_write);
	rc |= io_bus_add_ports(b, PIC_SLAVE_BASE, 2, "pic slave", &vm->pic, i8259_slave_read,
	                       i8259_slave_write);
	rc |=
	    io_bus_add_ports(b, ELCR_BASE, 2, "elcr", &vm->pic, i8259_elcr_read, i8259_elcr_write);
	rc |= io_bus_add_ports(b, PIT_BASE, 4, "pit", &vm->pit, pit_port_read, pit_port_write);
	rc |= io_bus_add_ports(b, PORT_B, 1, "port 0x61", &vm->pit, pit_port61_read,
	                       pit_port61_write);
	rc |= io_bus_add_ports(b, RTC_BASE, 2, "rtc", &vm->rtc, rtc_port_read, rtc_port_write);
	rc |= io_bus_add_ports(b, COM1_BASE, 8, "com1", &vm->com1, ns16550_port_read,
	                       ns16550_port_write);
	rc |= io_bus_add_ports(b, FWCFG_BASE, 2, "fw_cfg", &vm->fwcfg, fwcfg_port_read,
	                       fwcfg_port_write);
	rc |= io_bus_add_ports(b, DEBUG_EXIT_PORT, 1, "debug-exit", &vm->debug_exit, 0,
	                       debug_exit_write);
	rc |= io_bus_add_ports(b, BOCHS_SHUTDOWN_PORT, 1, "bochs-shutdown", &vm->debug_exit, 0,
	                       bochs_shutdown_write);
	rc |= io_bus_add_mmio(b, APIC_PAGE, VLAPIC_PAGE_SIZE, "lapic", &vm->lapic, vlapic_bus_read,
	                      vlapic_bus_write);
	rc |= io_bus_add_msrs(b, MSR_IA32_APIC_BASE, 1, "lapic", &vm->lapic, vlapic_msr_read,
	                      vlapic_msr_write);
	return rc ? -1 : 0;
}

static void add_timers(struct vm *vm)
{
	struct io_bus *b = &vm->bus;

	io_bus_add_timer(b, &vm->pit.timer);
	io_bus_add_timer(b, &vm->rtc.timer);
	io_bus_add_timer(b, ns16550_timer(&vm->com1));
	io_bus_add_timer(b, vlapic_timer(&vm->lapic));
	io_timer_init(&vm->limit, "time limit", limit_reached, vm);
	io_timer_arm(&vm->limit, vm->timeout_s * IO_NS_PER_SEC);
	io_bus_add_timer(b, &vm->limit);
	io_timer_init(&vm->input_poll, "serial input", poll_input, vm);
	io_timer_arm(&vm->input_poll, INPUT_POLL_NS);
	io_bus_add_timer(b, &vm->input_poll);
}

static int add_devices(struct vm *vm, const struct guest_spec *g)
{
	init_devices(vm, g);
	if (add_ports(vm))
		return -1;
	add_timers(vm);
	return 0;
}

static int make_vcpu(struct vm *vm, const struct vmx_cpu *cpu)
{
	struct vcpu *v = &vm->vcpu;

	v->name = vm->name;
	v->cpu = cpu;
	v->bus = &vm->bus;
	v->time_zero_tsc = vm->start_tsc;
	shadow_init(&v->shadow, &vm->mem.pool, host_maxphyaddr());
	v->shadow.gbpages = host_gbpages(); /* what the CPUID model shows */
	v->vmcs_phys = frame_alloc(kmem_frames());
	if (!v->vmcs_phys) {
		printf("vmx: no free frame for the VMCS\n");
		return -1;
	}
	__builtin_memset(phys_to_virt(v->vmcs_phys), 0, PAGE_SIZE);
	*(uint32_t *)phys_to_virt(v->vmcs_phys) = cpu->revision;
	return 0;
}

int vm_create(struct vm *vm, const struct guest_spec *g, const struct vmx_cpu *cpu)
{
	char prefix[IO_LOG_PREFIX_MAX];

	__builtin_memset(vm, 0, sizeof(*vm));
	vm->name = g->name;
	vm->timeout_s = g->timeout_s;
	vm->held_input = -1;
	vm->console.raw = g->console_raw;
	vm->start_tsc = rdtsc();
	snprintf(prefix, sizeof(prefix), "vmx: guest %s: ", g->name);
	io_log_init(&vm->log, vprintf, prefix);
	io_bus_init(&vm->bus, &vm->log, (struct io_clock){guest_clock, vm});
	vm->bus.console = (struct io_console){console_put, &vm->console};
	if (guest_mem_create(&vm->mem, g->ram_bytes))
		return -1;
	if (add_devices(vm, g)) {
		printf("vmx: guest %s: the devices do not fit on the bus\n", g->name);
		return -1;
	}
	return make_vcpu(vm, cpu);
}

void vm_destroy(struct vm *vm)
{
	struct vcpu *v = &vm->vcpu;

	if (v->vmcs_phys) {
		vmx_vmclear(v->vmcs_phys);
		frame_free(kmem_frames(), v->vmcs_phys);
	}
	if (v->io_bitmap_phys)
		frame_free_run(kmem_frames(), v->io_bitmap_phys, 2);
	if (v->msr_bitmap_phys)
		frame_free(kmem_frames(), v->msr_bitmap_phys);
	if (v->msr_area_phys)
		frame_free(kmem_frames(), v->msr_area_phys);
	guest_mem_destroy(&vm->mem);
}

void vm_print_devices(struct vm *vm)
{
	i8259_print(&vm->pic, &vm->log);
	vlapic_print(&vm->lapic, &vm->log);
	pit_print(&vm->pit, &vm->log);
	rtc_print(&vm->rtc, &vm->log);
	ns16550_print(&vm->com1, &vm->log);
	if (vm->input_bytes)
		printf("vmx: guest %s: %lu bytes of serial input\n", vm->name,
		       (unsigned long)vm->input_bytes);
}
