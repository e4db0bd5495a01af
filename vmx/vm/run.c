/*
 * The guest life cycle: VMX on, then for each guest of the list a machine
 * (RAM, pool, devices), its image, its VMCS, the run, the report with the
 * pool audit, and every frame back.
 */
#include "vmx/vm/run.h"
#include "arch/x86/printf.h"
#include "boot/cmdline.h"
#include "mm/directmap.h"
#include "mm/kmem.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"
#include "vmx/load/loader.h"
#include "vmx/vm/guests.h"
#include "vmx/vm/report.h"
#include "vmx/vm/vm.h"

static struct vm vm_storage;
static struct guest_spec guests[GUEST_LIST_MAX];

static bool mem_write(void *ctx, uint64_t gpa, const void *src, uint64_t len)
{
	return guest_mem_write(ctx, gpa, src, len);
}

static bool mem_zero(void *ctx, uint64_t gpa, uint64_t len)
{
	return guest_mem_zero(ctx, gpa, len);
}

static bool load_guest(struct vm *vm, const struct guest_spec *g, struct boot_state *boot)
{
	struct load_mem mem = {&vm->mem, vm->mem.frames * PAGE_SIZE, mem_write, mem_zero};
	struct load_request req = {g->image, g->size, g->cmdline, g->modules, g->module_count};
	struct load_result res;
	char why[160];

	if (!load_image(&mem, &req, &res, why, sizeof(why))) {
		printf("vmx: guest %s: image refused: %s\n", g->name, why);
		return false;
	}
	printf("vmx: guest %s: %s kernel, entry 0x%lx, %u modules, cmdline \"%s\"\n", g->name,
	       res.name, (unsigned long)res.entry, g->module_count, g->cmdline);
	*boot = res.state;
	if (g->force_eax) {
		printf("vmx: guest %s: EAX = 0x%x instead of the boot magic (test-only hv.eax)\n",
		       g->name, g->eax);
		boot->gpr[BOOT_RAX] = g->eax;
	}
	return true;
}

static bool prepare(struct vm *vm, const struct vmx_cpu *cpu, const struct guest_spec *g)
{
	struct boot_state boot;

	if (vm_create(vm, g, cpu) || !load_guest(vm, g, &boot))
		return false;
	return vmcs_setup(&vm->vcpu, &boot, exit_dispatch) == 0;
}

/* Returns true when the guest ran and reported success. */
static bool run_one(const struct vmx_cpu *cpu, const struct guest_spec *g, bool break_state,
                    uint32_t *status)
{
	struct vm *vm = &vm_storage;
	uint64_t free_before = frame_stats(kmem_frames()).free_frames;
	bool ok = false;

	*status = 1;
	printf("vmx: guest %s: starting, %lu MiB RAM\n", g->name,
	       (unsigned long)(g->ram_bytes >> 20));
	if (prepare(vm, cpu, g)) {
		if (break_state) {
			/* Test-only (hv.vmx.break=guest-state): RFLAGS bit 1 must be 1
			 * (SDM Vol. 3C §26.3.1.4), so VM entry fails with exit reason 33. */
			printf("vmx: breaking the guest state on purpose (RFLAGS = 0)\n");
			vmcs_write(VMCS_GUEST_RFLAGS, 0);
		}
		vcpu_run(&vm->vcpu);
		console_flush(&vm->console);
		const struct vcpu_end *end = &vm->vcpu.end;
		ok = vm_report(vm) && end->stopped && end->status == 0;
		*status = end->stopped ? end->status : 1;
	}
	vm_destroy(vm);
	uint64_t free_after = frame_stats(kmem_frames()).free_frames;
	if (free_after != free_before) {
		printf("vmx: guest %s: %ld frames not returned\n", g->name,
		       (long)(free_before - free_after));
		ok = false;
	}
	return ok;
}

static struct vmx_cpu *enter_vmx(void)
{
	uint64_t region = frame_alloc(kmem_frames());
	struct vmx_cpu *cpu = vmx_on(region, region ? phys_to_virt(region) : 0);

	if (!cpu->on && region)
		frame_free(kmem_frames(), region);
	return cpu;
}

struct vmx_outcome vmx_run_guests(const struct boot_info *bi)
{
	struct vmx_outcome out = {0};
	struct vmx_cpu *cpu = enter_vmx();
	bool break_state = cmdline_has(bi->cmdline, "hv.vmx.break=guest-state");

	if (!cpu->on) {
		printf("SKIP: vmx: guests (VT-x not available: %s)\n", cpu->why_not);
		return out;
	}
	out.from_modules = bi->module_count != 0;
	uint32_t n = guest_list_build(bi, guests, GUEST_LIST_MAX);
	for (uint32_t i = 0; i < n; i++) {
		out.run++;
		if (!run_one(cpu, &guests[i], break_state, &out.last_status))
			out.failed++;
		if (break_state)
			break; /* one failed entry is the whole point */
	}
	printf("vmx: %u guests run, %u failed\n", out.run, out.failed);
	return out;
}
