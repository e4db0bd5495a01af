/*
 * A guest access to guest-physical memory that is not its RAM. The shadow
 * never maps such a frame (the guest can never reach host memory), so the
 * access traps every time; the instruction is decoded and performed by
 * vmx/emulate.c (its other operand, if in memory, may be RAM). The local
 * APIC page is emulated by vmx/vlapic.c; anything else behaves like an
 * unbacked bus cycle on a PC: reads return all ones, writes are dropped, and
 * the first such access of each guest is logged with its address.
 */
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "vmx/emul/emulate.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"

#define AR_L  (1u << 13)
#define AR_DB (1u << 14)

struct emu_ctx {
	struct vcpu *v;
	bool logged;
};

/* Linear to guest-physical for the emulated instruction's own accesses,
 * setting the guest's A/D bits as the hardware walk would. */
static bool translate(struct vcpu *v, uint64_t la, uint32_t access, uint64_t *gpa)
{
	struct walk_result r;
	uint32_t cpl3 = (vmcs_read(VMCS_GUEST_CS_SEL) & 3) == 3 ? WALK_ACC_USER : 0;

	walk_translate(&v->shadow.paging, la, access | cpl3, shadow_read_guest, &v->mem.pool, &r);
	if (r.status != WALK_OK)
		return false;
	walk_commit_ad(&r, shadow_write_guest, &v->mem.pool);
	*gpa = r.gpa;
	return true;
}

static bool in_ram(struct vcpu *v, uint64_t gpa, unsigned size)
{
	return gpa + size <= v->mem.frames * PAGE_SIZE && gpa + size > gpa;
}

static void note_outside(struct emu_ctx *c, const char *what, uint64_t gpa)
{
	if (c->logged)
		return;
	c->logged = true;
	printf("vmx: guest %s: %s of guest-physical 0x%lx outside its RAM: reads give all ones, "
	       "writes are dropped\n",
	       c->v->name, what, (unsigned long)gpa);
}

static bool emu_fetch(void *ctx, uint64_t la, uint8_t *buf, unsigned len)
{
	struct emu_ctx *c = ctx;
	uint64_t gpa;
	for (unsigned i = 0; i < len; i++) {
		if (!translate(c->v, la + i, WALK_ACC_FETCH, &gpa) || !in_ram(c->v, gpa, 1) ||
		    !guest_mem_read(&c->v->mem, gpa, &buf[i], 1))
			return false;
	}
	return true;
}

/* The local APIC: log what the guest should know about once, never stop it. */
static void apic_note(struct vcpu *v, enum vlapic_status st, uint64_t gpa, unsigned size)
{
	if (st == VLAPIC_REFUSED && !v->apic_refused_logged) {
		v->apic_refused_logged = true;
		printf("vmx: guest %s: %u-byte access to APIC register %s (offset 0x%lx) refused: "
		       "only aligned 32-bit accesses exist\n",
		       v->name, size, vlapic_reg_name((uint32_t)(gpa & 0xfff)),
		       (unsigned long)(gpa & 0xfff));
	}
	if (st == VLAPIC_IPI_SENT && v->lapic.last_ipi.first_of_kind)
		printf("vmx: guest %s: %s IPI (vector 0x%x) with one vCPU: nothing to deliver\n",
		       v->name, vlapic_ipi_kind_name((enum vlapic_ipi_kind)v->lapic.last_ipi.kind),
		       v->lapic.last_ipi.vector);
}

static bool emu_read(void *ctx, uint64_t la, unsigned size, uint64_t *value)
{
	struct emu_ctx *c = ctx;
	uint64_t gpa;
	if (!translate(c->v, la, 0, &gpa))
		return false;
	if (vlapic_handles(&c->v->lapic, gpa)) {
		uint32_t v32 = ~0u;
		enum vlapic_status st = vlapic_mmio_read(&c->v->lapic, gpa, size, &v32);
		apic_note(c->v, st, gpa, size);
		*value = st == VLAPIC_REFUSED || st == VLAPIC_UNCLAIMED ? ~0ull : v32;
		return true;
	}
	if (!in_ram(c->v, gpa, size)) {
		note_outside(c, "read", gpa);
		*value = ~0ull;
		return true;
	}
	*value = 0;
	return guest_mem_read(&c->v->mem, gpa, value, size);
}

static bool emu_write(void *ctx, uint64_t la, unsigned size, uint64_t value)
{
	struct emu_ctx *c = ctx;
	uint64_t gpa;
	if (!translate(c->v, la, WALK_ACC_WRITE, &gpa))
		return false;
	if (vlapic_handles(&c->v->lapic, gpa)) {
		apic_note(c->v, vlapic_mmio_write(&c->v->lapic, gpa, size, (uint32_t)value), gpa,
		          size);
		return true;
	}
	if (!in_ram(c->v, gpa, size)) {
		note_outside(c, "write", gpa);
		return true;
	}
	if (!guest_mem_write(&c->v->mem, gpa, &value, size))
		return false;
	/* A write to one of the guest's page tables must reach the shadow. */
	if (pool_gfn_monitored(&c->v->mem.pool, gpa / PAGE_SIZE))
		shadow_guest_write(&c->v->shadow, gpa, size, value);
	return true;
}

static int guest_mode(struct vcpu *v)
{
	uint64_t cs_ar = vmcs_read(VMCS_GUEST_CS_AR);
	if ((v->efer & EFER_LMA) && (cs_ar & AR_L))
		return EMU_MODE_64;
	return (cs_ar & AR_DB) ? EMU_MODE_32 : 0;
}

static void load_cpu(struct vcpu *v, struct emu_cpu *cpu)
{
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

void exit_outside_ram(struct vcpu *v, uint64_t la, uint64_t gpa, uint32_t access)
{
	struct emu_ctx ctx = {.v = v, .logged = v->outside_ram_logged};
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
	if (emu_step(&cpu, &ops, &res) != EMU_OK)
		refuse(v, &cpu, &res, gpa);
	v->outside_ram_logged = ctx.logged;
	store_cpu(v, &cpu);
}
