/*
 * The machine assembly (see vmx/vm/vm.h): a PC as the guest sees it.
 *   ports 0x20-0x21, 0xa0-0xa1   8259A master and slave; ELCR at 0x4d0-0x4d1
 *   ports 0x3f8-0x3ff, IRQ4      COM1, a 16550A; its output is the guest's console
 *   ports 0x510-0x511            QEMU fw_cfg (signature, CPU count, RAM size)
 *   port 0xf4, port 0x8900       isa-debug-exit, Bochs shutdown: end the machine
 *   0xfee00000, MSR 0x1b         the local APIC page and IA32_APIC_BASE
 * Guest time is the host TSC since vm_create(), in nanoseconds.
 */
#include "vmx/vm/vm.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "arch/x86/tsc.h"
#include "mm/directmap.h"
#include "mm/kmem.h"
#include "vmx/hw/insn.h"

#define DEFAULT_MAXPHYADDR 36
#define COM1_BASE          0x3f8
#define COM1_IRQ           4
#define FWCFG_BASE         VFWCFG_PORT_SELECTOR

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

static int add_devices(struct vm *vm)
{
	struct io_bus *b = &vm->bus;
	struct io_irq com1_irq = {&vm->pic.irq_chip, COM1_IRQ};
	int rc = 0;

	i8259_init(&vm->pic);
	ns16550_init(&vm->com1, com1_irq, b->clock, console_put, &vm->console);
	vfwcfg_init(&vm->fwcfg, vm->mem.frames * PAGE_SIZE);
	vlapic_init(&vm->lapic, 0, host_maxphyaddr());
	vlapic_attach(&vm->lapic, &vm->log, &b->clock);
	debug_exit_init(&vm->debug_exit, b);
	rc |= io_bus_add_ports(b, I8259_MASTER_BASE, I8259_PORTS, "pic master", &vm->pic,
	                       i8259_master_read, i8259_master_write);
	rc |= io_bus_add_ports(b, I8259_SLAVE_BASE, I8259_PORTS, "pic slave", &vm->pic,
	                       i8259_slave_read, i8259_slave_write);
	rc |= io_bus_add_ports(b, I8259_ELCR_BASE, I8259_PORTS, "elcr", &vm->pic, i8259_elcr_read,
	                       i8259_elcr_write);
	rc |= io_bus_add_ports(b, COM1_BASE, NS16550_PORTS, "com1", &vm->com1, ns16550_port_read,
	                       ns16550_port_write);
	io_bus_add_timer(b, ns16550_timer(&vm->com1));
	rc |= io_bus_add_ports(b, FWCFG_BASE, 2, "fw_cfg", &vm->fwcfg, fwcfg_port_read,
	                       fwcfg_port_write);
	rc |= io_bus_add_ports(b, DEBUG_EXIT_PORT, 1, "debug-exit", &vm->debug_exit, 0,
	                       debug_exit_write);
	rc |= io_bus_add_ports(b, BOCHS_SHUTDOWN_PORT, 1, "bochs-shutdown", &vm->debug_exit, 0,
	                       bochs_shutdown_write);
	rc |= io_bus_add_mmio(b, VLAPIC_DEFAULT_BASE, VLAPIC_PAGE_SIZE, "lapic", &vm->lapic,
	                      vlapic_bus_read, vlapic_bus_write);
	rc |= io_bus_add_msrs(b, MSR_IA32_APIC_BASE, 1, "lapic", &vm->lapic, vlapic_msr_read,
	                      vlapic_msr_write);
	return rc ? -1 : 0;
}

static int make_vcpu(struct vm *vm, const struct vmx_cpu *cpu)
{
	struct vcpu *v = &vm->vcpu;

	v->name = vm->name;
	v->cpu = cpu;
	v->bus = &vm->bus;
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

int vm_create(struct vm *vm, const char *name, uint64_t ram_bytes, const struct vmx_cpu *cpu)
{
	char prefix[IO_LOG_PREFIX_MAX];

	__builtin_memset(vm, 0, sizeof(*vm));
	vm->name = name;
	vm->start_tsc = rdtsc();
	snprintf(prefix, sizeof(prefix), "vmx: guest %s: ", name);
	io_log_init(&vm->log, vprintf, prefix);
	io_bus_init(&vm->bus, &vm->log, (struct io_clock){guest_clock, vm});
	vm->bus.console = (struct io_console){console_put, &vm->console};
	if (guest_mem_create(&vm->mem, ram_bytes))
		return -1;
	if (add_devices(vm)) {
		printf("vmx: guest %s: the devices do not fit on the bus\n", name);
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
}
