/*
 * Segment limits and canonical addresses (SDM Vol. 3A §5.3, §3.3.7.1): with
 * seg_checks an access outside its segment ends the instruction with
 * EMU_FAULT and #GP(0) (#SS(0) for the stack segment), before any callback.
 */
#include "tests/unit/harness.h"

#include "tests/unit/emulate/fake.h"

#define VEC_SS 12
#define VEC_GP 13

static enum emu_status run(struct emu_cpu *cpu, const uint8_t *code, unsigned len,
                           struct fake_guest *g, struct emu_result *res)
{
	fake_guest_init(g, cpu->cs_base + cpu->rip, code, len);
	struct emu_ops ops = fake_guest_ops(g);
	return emu_step(cpu, &ops, res);
}

static void flat32(struct emu_cpu *cpu)
{
	fake_cpu_init(cpu, EMU_MODE_32, 0x1000);
	cpu->seg_checks = true;
	for (unsigned i = 0; i < 6; i++)
		cpu->seg_limit[i] = 0xffffffffu;
}

TEST(segment_limit_of_an_expand_up_data_segment)
{
	static const uint8_t movl_eax_ebx[] = {0x89, 0x03}; /* movl %eax, (%ebx) */
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_result res;

	flat32(&cpu);
	cpu.seg_limit[3] = 0x4016; /* DS: bytes 0..0x4016; EBX = 0x4013 */
	CHECK_EQ(run(&cpu, movl_eax_ebx, 2, &g, &res), EMU_OK);
	CHECK_EQ(g.naccess, 1);
	flat32(&cpu);
	cpu.seg_limit[3] = 0x4015; /* the last byte, 0x4016, is past the limit */
	CHECK_EQ(run(&cpu, movl_eax_ebx, 2, &g, &res), EMU_FAULT);
	CHECK_EQ(res.fault_vector, VEC_GP);
	CHECK_EQ(g.naccess, 0);
	CHECK_EQ(cpu.rip, 0x1000); /* not completed */
}

TEST(segment_limit_of_the_stack_segment_raises_ss)
{
	static const uint8_t movl_esp[] = {0x89, 0x04, 0x24}; /* movl %eax, (%esp) */
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_result res;

	flat32(&cpu);
	cpu.seg_limit[2] = 0x5000; /* SS; ESP = 0x5014 */
	CHECK_EQ(run(&cpu, movl_esp, 3, &g, &res), EMU_FAULT);
	CHECK_EQ(res.fault_vector, VEC_SS);
}

TEST(segment_expand_down_allows_only_above_the_limit)
{
	static const uint8_t movl_eax_ebx[] = {0x89, 0x03};
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_result res;

	flat32(&cpu);
	cpu.seg_expand_down = 1u << 3;
	cpu.seg_limit[3] = 0x4012; /* valid offsets 0x4013..0xffffffff */
	CHECK_EQ(run(&cpu, movl_eax_ebx, 2, &g, &res), EMU_OK);
	flat32(&cpu);
	cpu.seg_expand_down = 1u << 3;
	cpu.seg_limit[3] = 0x4013;
	CHECK_EQ(run(&cpu, movl_eax_ebx, 2, &g, &res), EMU_FAULT);
	CHECK_EQ(res.fault_vector, VEC_GP);
}

TEST(segment_string_destination_checked_per_iteration)
{
	static const uint8_t rep_stosb[] = {0xf3, 0xaa};
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_result res;

	flat32(&cpu);
	cpu.gpr[EMU_RDI] = 0xffe;
	cpu.gpr[EMU_RCX] = 4;
	cpu.seg_limit[0] = 0xfff; /* ES: the third byte crosses the limit */
	CHECK_EQ(run(&cpu, rep_stosb, 2, &g, &res), EMU_FAULT);
	CHECK_EQ(res.fault_vector, VEC_GP);
	CHECK_EQ(g.naccess, 2); /* the iterations before the fault happened */
	CHECK_EQ(cpu.gpr[EMU_RCX], 2);
	CHECK_EQ(cpu.gpr[EMU_RDI], 0x1000);
}

TEST(segment_canonical_addresses_in_64bit_mode)
{
	static const uint8_t movl_eax_rbx[] = {0x89, 0x03};
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_result res;

	fake_cpu_init(&cpu, EMU_MODE_64, 0x401000);
	cpu.seg_checks = true;
	cpu.gpr[EMU_RBX] = 0x00007ffffffffffcull; /* the last 4 bytes below the hole */
	CHECK_EQ(run(&cpu, movl_eax_rbx, 2, &g, &res), EMU_OK);
	fake_cpu_init(&cpu, EMU_MODE_64, 0x401000);
	cpu.seg_checks = true;
	cpu.gpr[EMU_RBX] = 0x00007ffffffffffeull; /* crosses into the hole */
	CHECK_EQ(run(&cpu, movl_eax_rbx, 2, &g, &res), EMU_FAULT);
	CHECK_EQ(res.fault_vector, VEC_GP);
	fake_cpu_init(&cpu, EMU_MODE_64, 0x401000);
	cpu.seg_checks = true;
	cpu.gpr[EMU_RBX] = 0xffff800000000000ull;
	CHECK_EQ(run(&cpu, movl_eax_rbx, 2, &g, &res), EMU_OK);
	fake_cpu_init(&cpu, EMU_MODE_64, 0x401000);
	cpu.seg_checks = true;
	cpu.fs_base = 0x0000800000000000ull; /* %fs:(%rbx): the base makes it non-canonical */
	static const uint8_t movl_fs[] = {0x64, 0x89, 0x03};
	cpu.gpr[EMU_RBX] = 0;
	CHECK_EQ(run(&cpu, movl_fs, 3, &g, &res), EMU_FAULT);
}

TEST(segment_checks_off_keep_the_flat_model)
{
	static const uint8_t movl_eax_ebx[] = {0x89, 0x03};
	struct emu_cpu cpu;
	struct fake_guest g;
	struct emu_result res;

	fake_cpu_init(&cpu, EMU_MODE_32, 0x1000); /* limits 0, but not checked */
	CHECK_EQ(run(&cpu, movl_eax_ebx, 2, &g, &res), EMU_OK);
}
