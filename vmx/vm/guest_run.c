/*
 * The guest life cycle: RAM and pool, image, VMCS, launch, and after the
 * guest stopped: its statistics, the pool audit, and every frame back.
 */
#include "vmx/vm/guest_run.h"
#include "arch/x86/cpu.h"
#include "arch/x86/printf.h"
#include "boot/cmdline.h"
#include "mm/directmap.h"
#include "mm/kmem.h"
#include "vmx/cpu/exit_stub.h"
#include "vmx/vm/guest_list.h"
#include "vmx/load/mbload.h"
#include "vmx/hw/insn.h"
#include "vmx/hw/names.h"
#include "vmx/cpu/vcpu.h"
#include "vmx/hw/vmcs.h"

#define DEFAULT_MAXPHYADDR 36

static struct vcpu vcpu_storage;
static struct guest_spec guests[GUEST_LIST_MAX];

static uint8_t host_maxphyaddr(void)
{
	if (cpuid(0x80000000, 0).eax < 0x80000008)
		return DEFAULT_MAXPHYADDR;
	return (uint8_t)(cpuid(0x80000008, 0).eax & 0xff);
}

static void print_exit_counts(struct vcpu *v)
{
	printf("vmx: guest %s: %lu exits:", v->name, (unsigned long)v->exit_total);
	for (unsigned r = 0; r < VCPU_EXIT_REASONS; r++)
		if (v->exits[r])
			printf(" %s=%lu", vmx_exit_reason_name(r), (unsigned long)v->exits[r]);
	printf("\n");
}

static void print_shadow_stats(struct vcpu *v)
{
	const struct shadow_stats *s = &v->shadow.stats;
	printf("shadow: syncs=%lu fixed=%lu reflected=%lu emulated=%lu not_ram=%lu "
	       "dirty_faults=%lu cr3_loads=%lu recent_root_hits=%lu root_builds=%lu "
	       "invlpg=%lu guest_writes=%lu roots_dropped=%lu\n",
	       (unsigned long)s->syncs, (unsigned long)s->fixed, (unsigned long)s->reflected,
	       (unsigned long)s->emulated, (unsigned long)s->not_ram,
	       (unsigned long)s->dirty_faults, (unsigned long)s->cr3_loads,
	       (unsigned long)s->root_recent_hits, (unsigned long)s->root_builds,
	       (unsigned long)s->invlpgs, (unsigned long)s->guest_writes,
	       (unsigned long)s->roots_dropped);
}

static bool audit_pool(struct vcpu *v)
{
	char why[160];
	if (pool_audit(&v->mem.pool, why, sizeof(why)) == 0) {
		printf("pool: audit ok\n");
		return true;
	}
	printf("pool: audit FAILED: %s\n", why);
	return false;
}

static void report_launch_failure(uint64_t rflags)
{
	if (rflags & 0x40) { /* ZF: VMfailValid, the error number is in the VMCS */
		uint32_t err = vmx_insn_error();
		printf("vmx: VMLAUNCH failed: VM-instruction error %u (%s)\n", err,
		       vmx_insn_error_name(err));
		vmcs_dump_controls(); /* errors 7 and 8 are about controls and host state */
	} else {
		printf("vmx: VMLAUNCH failed: VMfailInvalid (no current VMCS)\n");
	}
	vmcs_dump_guest();
}

static bool mem_write(void *ctx, uint64_t gpa, const void *src, uint64_t len)
{
	return guest_mem_write(ctx, gpa, src, len);
}

static bool mem_zero(void *ctx, uint64_t gpa, uint64_t len)
{
	return guest_mem_zero(ctx, gpa, len);
}

static bool load_image(struct vcpu *v, const struct guest_spec *g, struct guest_entry *entry)
{
	struct load_mem mem = {&v->mem, v->mem.frames * PAGE_SIZE, mem_write, mem_zero};
	struct mbload_request req = {g->image, g->size, g->cmdline, g->modules, g->module_count};
	struct mbload_result res;
	char why[160];

	if (!mbload(&mem, &req, &res, why, sizeof(why))) {
		printf("vmx: guest %s: image refused: %s\n", g->name, why);
		return false;
	}
	printf("vmx: guest %s: %s %s kernel, entry 0x%x, %u modules, cmdline \"%s\"\n", g->name,
	       mbload_version_name(&res), mbload_format_name(&res), res.entry, g->module_count,
	       g->cmdline);
	*entry = (struct guest_entry){.rip = res.entry, .rax = res.eax, .rbx = res.ebx};
	if (g->force_eax) {
		printf("vmx: guest %s: EAX = 0x%x instead of the boot magic (test-only hv.eax)\n",
		       g->name, g->eax);
		entry->rax = g->eax;
	}
	return true;
}

static bool prepare(struct vcpu *v, const struct guest_spec *g)
{
	struct guest_entry entry;

	if (guest_mem_create(&v->mem, g->ram_bytes) || !load_image(v, g, &entry))
		return false;
	shadow_init(&v->shadow, &v->mem.pool, host_maxphyaddr());
	vpic_init(&v->pic);
	vfwcfg_init(&v->fwcfg, g->ram_bytes);
	vlapic_init(&v->lapic, 0, host_maxphyaddr());
	v->vmcs_phys = frame_alloc(kmem_frames());
	if (!v->vmcs_phys)
		return false;
	__builtin_memset(phys_to_virt(v->vmcs_phys), 0, PAGE_SIZE);
	*(uint32_t *)phys_to_virt(v->vmcs_phys) = v->cpu->revision;
	return vmcs_setup(v, &entry) == 0;
}

static void release(struct vcpu *v)
{
	if (v->vmcs_phys) {
		vmx_vmclear(v->vmcs_phys);
		frame_free(kmem_frames(), v->vmcs_phys);
	}
	if (v->io_bitmap_phys)
		frame_free_run(kmem_frames(), v->io_bitmap_phys, 2);
	if (v->msr_bitmap_phys)
		frame_free(kmem_frames(), v->msr_bitmap_phys);
	guest_mem_destroy(&v->mem);
}

/* Returns true when the guest ran and reported success. */
static bool run_one(struct vmx_cpu *cpu, const struct guest_spec *g, bool break_state,
                    uint32_t *status)
{
	struct vcpu *v = &vcpu_storage;
	uint64_t free_before = frame_stats(kmem_frames()).free_frames;
	bool ok = false;

	__builtin_memset(v, 0, sizeof(*v));
	v->cpu = cpu;
	v->name = g->name;
	*status = 1;
	printf("vmx: guest %s: starting, %lu MiB RAM\n", g->name,
	       (unsigned long)(g->ram_bytes >> 20));
	if (prepare(v, g)) {
		if (break_state) {
			/* Test-only (hv.vmx.break=guest-state): RFLAGS bit 1 must be 1
			 * (SDM Vol. 3C §26.3.1.4), so VM entry fails with exit reason 33. */
			printf("vmx: breaking the guest state on purpose (RFLAGS = 0)\n");
			vmcs_write(VMCS_GUEST_RFLAGS, 0);
		}
		uint64_t rflags = vmx_launch(&v->regs);
		if (rflags)
			report_launch_failure(rflags);
		printf("vmx: guest %s: %s, status %u\n", v->name,
		       v->stopped ? v->result : "did not run", v->status);
		print_exit_counts(v);
		vpic_print(&v->pic, printf);
		vlapic_print(&v->lapic, printf);
		print_shadow_stats(v);
		pool_stats_print(&v->mem.pool, printf);
		ok = audit_pool(v) && v->stopped && v->status == 0;
		*status = v->stopped ? v->status : 1;
	}
	release(v);
	uint64_t free_after = frame_stats(kmem_frames()).free_frames;
	if (free_after != free_before) {
		printf("vmx: guest %s: %ld frames not returned\n", g->name,
		       (long)(free_before - free_after));
		ok = false;
	}
	return ok;
}

struct vmx_outcome vmx_run_guests(const struct boot_info *bi)
{
	struct vmx_outcome out = {0};
	struct vmx_cpu *cpu = vmx_on();
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
