/*
 * A guest access to guest-physical memory that is not its RAM. The shadow
 * never maps such a frame (the guest can never reach host memory), so the
 * access traps every time; the instruction is decoded and performed by the
 * emulator (vmx/emul/), whose other operand, if in memory, may be RAM. The
 * bus finds the device (the local APIC page); an address no device claims
 * behaves like an unbacked bus cycle on a PC: reads return all ones, writes
 * are dropped, and the first such access is logged.
 *
 * Every access of the emulated instruction is translated page by page, each
 * page with its own permissions, RAM check and page-table monitoring, and
 * checked against its segment's limit or for a canonical address: a write
 * that starts in RAM and crosses into the next linear page lands in the
 * frame that page maps, never in the next guest frame. A translation the
 * guest's tables refuse is the guest's #PF, delivered with its error code
 * and CR2; nothing is written before every page of the access is allowed.
 */
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/cpu/guest_access.h"
#include "vmx/emul/emulate.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"
#include "vmx/io/bus.h"

#define PAGE_SIZE_4K 0x1000ull
#define MAX_PARTS    2 /* an access of at most 8 bytes spans at most two pages */
#define AR_TYPE_CODE (1u << 3)
#define AR_TYPE_DOWN (1u << 2) /* expand-down, for a data segment */
#define AR_S         (1u << 4)

struct emu_ctx {
	struct vcpu *v;
	bool fault; /* a #PF to deliver, from a translation */
	uint32_t error;
	uint64_t cr2;
};

/* One page's part of an access: where it goes. */
struct part {
	uint64_t gpa;
	unsigned offset, size; /* bytes [offset, offset + size) of the access */
	bool ram;
};

static bool translate(struct emu_ctx *c, uint64_t la, uint32_t access, uint64_t *gpa)
{
	struct walk_result r;

	switch (vcpu_translate(c->v, la, access, &r)) {
	case WALK_OK:
		*gpa = r.gpa;
		return true;
	case WALK_FAULT:
		c->fault = true;
		c->error = r.error_code;
		c->cr2 = vcpu_in_64bit_code(c->v) ? la : (uint32_t)la;
		return false;
	default:
		return false; /* a page table outside RAM: not emulated */
	}
}

static bool in_ram(struct vcpu *v, uint64_t gpa)
{
	return pool_gfn_hpa(v->shadow.pool, gpa >> 12) != 0;
}

/* Split [la, la + size) at page boundaries and translate every page first. */
static unsigned split(struct emu_ctx *c, uint64_t la, unsigned size, uint32_t access,
                      struct part parts[MAX_PARTS])
{
	unsigned n = 0;

	for (unsigned done = 0; done < size && n < MAX_PARTS; n++) {
		uint64_t at = la + done;
		unsigned room = (unsigned)(PAGE_SIZE_4K - (at & (PAGE_SIZE_4K - 1)));
		unsigned len = size - done < room ? size - done : room;
		if (!translate(c, at, access, &parts[n].gpa))
			return 0;
		parts[n].offset = done;
		parts[n].size = len;
		parts[n].ram = in_ram(c->v, parts[n].gpa);
		done += len;
	}
	return n;
}

static bool emu_fetch(void *ctx, uint64_t la, uint8_t *buf, unsigned len)
{
	struct emu_ctx *c = ctx;
	uint64_t gpa;
	for (unsigned i = 0; i < len; i++) {
		if (!translate(c, la + i, WALK_ACC_FETCH, &gpa) ||
		    !pool_ram_read(c->v->shadow.pool, gpa, &buf[i], 1))
			return false;
	}
	return true;
}

static bool emu_read(void *ctx, uint64_t la, unsigned size, uint64_t *value)
{
	struct emu_ctx *c = ctx;
	struct part parts[MAX_PARTS];
	unsigned n = split(c, la, size, 0, parts);
	uint8_t bytes[8] = {0};

	if (!n)
		return false;
	for (unsigned i = 0; i < n; i++) {
		const struct part *p = &parts[i];
		if (p->ram) {
			pool_ram_read(c->v->shadow.pool, p->gpa, bytes + p->offset, p->size);
			continue;
		}
		uint64_t v = io_mmio_read(c->v->bus, p->gpa, p->size);
		__builtin_memcpy(bytes + p->offset, &v, p->size);
	}
	*value = 0;
	__builtin_memcpy(value, bytes, size);
	return true;
}

/* A write to one of the guest's page tables must reach the shadow. */
static void notify(struct vcpu *v, uint64_t gpa, unsigned size, const uint8_t *bytes)
{
	uint64_t value = 0;

	if (!pool_gfn_monitored(v->shadow.pool, gpa >> 12))
		return;
	__builtin_memcpy(&value, bytes, size);
	if (shadow_guest_write(&v->shadow, gpa, size, value) & POOL_GW_CLEARED)
		vcpu_flush_tlb(v);
}

static bool emu_write(void *ctx, uint64_t la, unsigned size, uint64_t value)
{
	struct emu_ctx *c = ctx;
	struct part parts[MAX_PARTS];
	unsigned n = split(c, la, size, WALK_ACC_WRITE, parts);
	uint8_t bytes[8];

	if (!n)
		return false;
	__builtin_memcpy(bytes, &value, sizeof(bytes));
	for (unsigned i = 0; i < n; i++) {
		const struct part *p = &parts[i];
		if (!p->ram) {
			uint64_t v = 0;
			__builtin_memcpy(&v, bytes + p->offset, p->size);
			io_mmio_write(c->v->bus, p->gpa, p->size, v);
			continue;
		}
		pool_ram_write(c->v->shadow.pool, p->gpa, bytes + p->offset, p->size);
		notify(c->v, p->gpa, p->size, bytes + p->offset);
	}
	return true;
}

static int guest_mode(struct vcpu *v)
{
	if (vcpu_in_64bit_code(v))
		return EMU_MODE_64;
	return (vmcs_read(VMCS_GUEST_CS_AR) & SEG_AR_DB) ? EMU_MODE_32 : 0;
}

/* The segment limits and expand-down flags, by the emulator's segment order
 * (ES, CS, SS, DS, FS, GS), which is the VMCS's too (SDM Vol. 3C App. B). */
static void load_segments(struct emu_cpu *cpu)
{
	cpu->seg_checks = true;
	for (unsigned s = 0; s < 6; s++) {
		uint32_t ar = (uint32_t)vmcs_read(VMCS_GUEST_ES_AR + 2 * s);
		cpu->seg_limit[s] = (uint32_t)vmcs_read(VMCS_GUEST_ES_LIMIT + 2 * s);
		if ((ar & AR_S) && !(ar & AR_TYPE_CODE) && (ar & AR_TYPE_DOWN))
			cpu->seg_expand_down |= (uint8_t)(1u << s);
	}
	cpu->ss_big = vmcs_read(VMCS_GUEST_SS_AR) & SEG_AR_DB;
}

static void load_cpu(struct vcpu *v, struct emu_cpu *cpu)
{
	__builtin_memset(cpu, 0, sizeof(*cpu));
	__builtin_memcpy(cpu->gpr, v->regs.gpr, sizeof(cpu->gpr));
	cpu->gpr[VCPU_RSP] = vmcs_read(VMCS_GUEST_RSP);
	cpu->rip = vmcs_read(VMCS_GUEST_RIP);
	cpu->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	cpu->mode = guest_mode(v);
	cpu->cs_base = vmcs_read(VMCS_GUEST_CS_BASE);
	cpu->ds_base = vmcs_read(VMCS_GUEST_DS_BASE);
	cpu->es_base = vmcs_read(VMCS_GUEST_ES_BASE);
	cpu->ss_base = vmcs_read(VMCS_GUEST_SS_BASE);
	cpu->fs_base = vmcs_read(VMCS_GUEST_FS_BASE);
	cpu->gs_base = vmcs_read(VMCS_GUEST_GS_BASE);
	load_segments(cpu);
}

static void store_cpu(struct vcpu *v, const struct emu_cpu *cpu)
{
	__builtin_memcpy(v->regs.gpr, cpu->gpr, sizeof(cpu->gpr));
	vmcs_write(VMCS_GUEST_RSP, cpu->gpr[VCPU_RSP]);
	vmcs_write(VMCS_GUEST_RIP, cpu->rip);
	vmcs_write(VMCS_GUEST_RFLAGS, cpu->rflags);
}

static void refuse(struct vcpu *v, const struct emu_cpu *cpu, const struct emu_result *res,
                   uint64_t gpa)
{
	printf("vmx: guest %s: cannot emulate the access to guest-physical 0x%lx outside its RAM "
	       "at rip 0x%lx: %s (%s), bytes",
	       v->name, (unsigned long)gpa, (unsigned long)cpu->rip, emu_status_name(res->status),
	       res->what);
	for (unsigned i = 0; i < res->nbytes && i < 15; i++)
		printf(" %02x", res->bytes[i]);
	printf("\n");
	vcpu_stop(v, 1, "unemulated access outside guest RAM");
}

/* The instruction faulted: deliver the guest's own exception. A REP string
 * instruction keeps the iterations done (its registers are stored). */
static bool deliver_fault(struct vcpu *v, const struct emu_ctx *c, const struct emu_result *res)
{
	if (res->status == EMU_FAULT) {
		vcpu_inject(v, res->fault_vector, true, 0);
		return true;
	}
	if (res->status == EMU_ACCESS_FAILED && c->fault) {
		v->regs.cr2 = c->cr2;
		vcpu_inject(v, VEC_PF, true, c->error);
		return true;
	}
	return false;
}

void exit_outside_ram(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access)
{
	struct emu_ctx ctx = {.v = v};
	struct emu_ops ops = {emu_fetch, emu_read, emu_write, &ctx};
	struct emu_cpu cpu;
	struct emu_result res;

	(void)la;
	if (access & WALK_ACC_FETCH) {
		printf(
		    "vmx: guest %s: instruction fetch from guest-physical 0x%lx outside its RAM\n",
		    v->name, (unsigned long)gpa);
		vcpu_stop(v, 1, "fetch outside guest RAM");
	}
	load_cpu(v, &cpu);
	if (emu_step(&cpu, &ops, &res) == EMU_OK) {
		store_cpu(v, &cpu);
		return;
	}
	if (!deliver_fault(v, &ctx, &res))
		refuse(v, &cpu, &res, gpa);
	store_cpu(v, &cpu);
}
