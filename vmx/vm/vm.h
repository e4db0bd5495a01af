/*
 * One guest machine: its RAM and shadow page pool, its vCPU, and the PC
 * devices on its bus. vmx/vm/vm.c is the machine assembly: the one place
 * that says which device sits at which port, MMIO range, MSR and interrupt
 * line.
 */
#ifndef VMX_VM_VM_H
#define VMX_VM_VM_H

#include <stdint.h>

#include "vmx/cpu/vcpu.h"
#include "vmx/dev/debug_exit.h"
#include "vmx/dev/fwcfg.h"
#include "vmx/dev/i8259.h"
#include "vmx/dev/lapic.h"
#include "vmx/dev/ns16550.h"
#include "vmx/dev/pit.h"
#include "vmx/dev/rtc.h"
#include "vmx/io/bus.h"
#include "vmx/io/log.h"
#include "vmx/vm/console.h"
#include "vmx/vm/guests.h"
#include "vmx/vm/ram.h"

struct vm {
	const char *name;
	struct guest_mem mem;
	struct vcpu vcpu;
	struct io_log log;
	struct io_bus bus;
	uint64_t start_tsc; /* guest time 0 */
	struct console console;
	struct i8259 pic;
	struct vlapic lapic;
	struct pit pit;
	struct rtc rtc;
	struct ns16550 com1;
	struct vfwcfg fwcfg;
	struct debug_exit debug_exit;
	struct io_timer limit;      /* the run-time limit */
	struct io_timer input_poll; /* the host's serial input to the guest's COM1 */
	uint64_t timeout_s;
	uint64_t input_bytes;
	int held_input; /* a byte COM1 could not take yet, or -1 */
};

/* RAM and pool for the guest, the devices on the bus, the vCPU's links to
 * both. 0, or -1 (printed; vm_destroy() still releases what was taken). */
int vm_create(struct vm *vm, const struct guest_spec *g, const struct vmx_cpu *cpu);
/* Every frame back: VMCS, bitmaps, RAM, pool. */
void vm_destroy(struct vm *vm);
/* The devices' end-of-guest report lines. */
void vm_print_devices(struct vm *vm);

#endif
