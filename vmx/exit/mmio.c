/*
 * A guest access to guest-physical memory that is not its RAM. The shadow
 * never maps such a frame (the guest can never reach host memory), so the
 * access traps every time; the instruction is decoded and performed by the
 * emulator (vmx/emul/), whose other operand, if in memory, may be RAM. The
 * bus finds the device (the local APIC page); an address no device claims
 * behaves like an unbacked bus cycle on a PC: reads return all ones, writes
 * are dropped, and the first such access is logged.
 */
#include "arch/x86/cr.h"
#include "arch/x86/printf.h"
#include "arch/x86/vectors.h"
#include "vmx/emul/emulate.h"
#include "vmx/exit/exit.h"
#include "vmx/hw/vmcs.h"
#include "vmx/io/bus.h"

/* Linear to guest-physical for the emulated instruction's own accesses,
 * setting the guest's A/D bits as the hardware walk would. */
static bool translate(struct vcpu *v, uint64_t la, uint32_t access, uint64_t *gpa)
{
	struct walk_result r;
	uint32_t cpl3 = (vmcs_read(VMCS_GUEST_CS_SEL) & 3) == 3 ? WALK_ACC_USER : 0;
	struct pool *pool = v->shadow.pool;

	walk_translate(&v->shadow.paging, la, access | cpl3, shadow_read_guest, pool, &r);
	if (r.status != WALK_OK)
		return false;
	walk_commit_ad(&r, shadow_write_guest, pool);
	*gpa = r.gpa;
	return true;
}

static bool in_ram(struct vcpu *v, uint64_t gpa, unsigned size)
{
	return pool_gfn_hpa(v->shadow.pool, gpa >> 12) &&
	       pool_gfn_hpa(v->shadow.pool, (gpa + size - 1) >> 12) && gpa + size > gpa;
}

static bool emu_fetch(void *ctx, uint64_t la, uint8_t *buf, unsigned len)
{
	struct vcpu *v = ctx;
	uint64_t gpa;
	for (unsigned i = 0; i < len; i++) {
		if (!translate(v, la + i, WALK_ACC_FETCH, &gpa) ||
		    !pool_ram_read(v->shadow.pool, gpa, &buf[i], 1))
			return false;
	}
	return true;
}

static bool emu_read(void *ctx, uint64_t la, unsigned size, uint64_t *value)
{
	struct vcpu *v = ctx;
	uint64_t gpa;
	if (!translate(v, la, 0, &gpa))
		return false;
	if (!in_ram(v, gpa, size)) {
		*value = io_mmio_read(v->bus, gpa, size);
		return true;
	}
	*value = 0;
	return pool_ram_read(v->shadow.pool, gpa, value, size);
}

static bool emu_write(void *ctx, uint64_t la, unsigned size, uint64_t value)
{
	struct vcpu *v = ctx;
	uint64_t gpa;
	if (!translate(v, la, WALK_ACC_WRITE, &gpa))
		return false;
	if (!in_ram(v, gpa, size)) {
		io_mmio_write(v->bus, gpa, size, value);
		return true;
	}
	if (!pool_ram_write(v->shadow.pool, gpa, &value, size))
		return false;
	/* A write to one of the guest's page tables must reach the shadow. */
	if (pool_gfn_monitored(v->shadow.pool, gpa >> 12))
		shadow_guest_write(&v->shadow, gpa, size, value);
	return true;
}

static int guest_mode(struct vcpu *v)
{
	if (vcpu_in_64bit_code(v))
		return EMU_MODE_64;
	return (vmcs_read(VMCS_GUEST_CS_AR) & SEG_AR_DB) ? EMU_MODE_32 : 0;
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
	struct emu_ops ops = {emu_fetch, emu_read, emu_write, v};
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
	store_cpu(v, &cpu);
}
