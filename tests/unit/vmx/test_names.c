/* Name tables: coverage of every number in range, exact known names, "unknown" outside. */
#include "tests/unit/harness.h"
#include "vmx/hw/names.h"

static int is_real_name(const char *s)
{
	return s && s[0] != '\0' && strcmp(s, "unknown") != 0;
}

TEST(every_exit_reason_has_a_name)
{
	for (uint32_t r = 0; r < VMX_EXIT_REASON_COUNT; r++) {
		if (!is_real_name(vmx_exit_reason_name(r))) {
			printf("  reason %u has no name\n", r);
			CHECK(0);
		}
	}
	CHECK(VMX_EXIT_REASON_COUNT >= 70);
}

TEST(exit_reason_names_are_unique)
{
	for (uint32_t a = 0; a < VMX_EXIT_REASON_COUNT; a++)
		for (uint32_t b = a + 1; b < VMX_EXIT_REASON_COUNT; b++)
			CHECK(strcmp(vmx_exit_reason_name(a), vmx_exit_reason_name(b)) != 0);
}

TEST(exit_reason_known_names)
{
	CHECK(strcmp(vmx_exit_reason_name(0), "EXCEPTION_NMI") == 0);
	CHECK(strcmp(vmx_exit_reason_name(1), "EXTERNAL_INTERRUPT") == 0);
	CHECK(strcmp(vmx_exit_reason_name(2), "TRIPLE_FAULT") == 0);
	CHECK(strcmp(vmx_exit_reason_name(10), "CPUID") == 0);
	CHECK(strcmp(vmx_exit_reason_name(12), "HLT") == 0);
	CHECK(strcmp(vmx_exit_reason_name(14), "INVLPG") == 0);
	CHECK(strcmp(vmx_exit_reason_name(18), "VMCALL") == 0);
	CHECK(strcmp(vmx_exit_reason_name(28), "CR_ACCESS") == 0);
	CHECK(strcmp(vmx_exit_reason_name(30), "IO_INSTRUCTION") == 0);
	CHECK(strcmp(vmx_exit_reason_name(31), "RDMSR") == 0);
	CHECK(strcmp(vmx_exit_reason_name(32), "WRMSR") == 0);
	CHECK(strcmp(vmx_exit_reason_name(33), "ENTRY_FAIL_GUEST_STATE") == 0);
	CHECK(strcmp(vmx_exit_reason_name(34), "ENTRY_FAIL_MSR_LOADING") == 0);
	CHECK(strcmp(vmx_exit_reason_name(41), "ENTRY_FAIL_MACHINE_CHECK") == 0);
	CHECK(strcmp(vmx_exit_reason_name(48), "EPT_VIOLATION") == 0);
	CHECK(strcmp(vmx_exit_reason_name(49), "EPT_MISCONFIG") == 0);
	CHECK(strcmp(vmx_exit_reason_name(52), "PREEMPTION_TIMER") == 0);
	CHECK(strcmp(vmx_exit_reason_name(55), "XSETBV") == 0);
	CHECK(strcmp(vmx_exit_reason_name(69), "LOADIWKEY") == 0);
	CHECK(strcmp(vmx_exit_reason_name(VMX_EXIT_TDCALL), "TDCALL") == 0);
}

TEST(exit_reason_out_of_range_is_unknown)
{
	CHECK(strcmp(vmx_exit_reason_name(VMX_EXIT_REASON_COUNT), "unknown") == 0);
	CHECK(strcmp(vmx_exit_reason_name(0xFFFF), "unknown") == 0);
	CHECK(strcmp(vmx_exit_reason_name(0x80000021u), "unknown") == 0); /* not masked */
}

TEST(every_insn_error_has_a_meaning)
{
	for (uint32_t e = 1; e <= 28; e++) {
		if (!is_real_name(vmx_insn_error_name(e))) {
			printf("  error %u has no meaning\n", e);
			CHECK(0);
		}
	}
	CHECK_EQ(VMX_ERR_COUNT, 29);
}

TEST(insn_error_known_meanings)
{
	CHECK(strcmp(vmx_insn_error_name(7), "VM entry with invalid control field(s)") == 0);
	CHECK(strcmp(vmx_insn_error_name(8), "VM entry with invalid host-state field(s)") == 0);
	CHECK(strcmp(vmx_insn_error_name(4), "VMLAUNCH with non-clear VMCS") == 0);
	CHECK(strcmp(vmx_insn_error_name(5), "VMRESUME with non-launched VMCS") == 0);
	CHECK(strcmp(vmx_insn_error_name(11), "VMPTRLD with incorrect VMCS revision identifier") ==
	      0);
	CHECK(strcmp(vmx_insn_error_name(12),
	             "VMREAD/VMWRITE from/to unsupported VMCS component") == 0);
	CHECK(strcmp(vmx_insn_error_name(26), "VM entry with events blocked by MOV SS") == 0);
	CHECK(strcmp(vmx_insn_error_name(28), "invalid operand to INVEPT/INVVPID") == 0);
	CHECK(strstr(vmx_insn_error_name(14), "reserved") != NULL);
	CHECK(strstr(vmx_insn_error_name(21), "reserved") != NULL);
	CHECK(strstr(vmx_insn_error_name(27), "reserved") != NULL);
}

TEST(insn_error_out_of_range_is_unknown)
{
	CHECK(strcmp(vmx_insn_error_name(29), "unknown") == 0);
	CHECK(strcmp(vmx_insn_error_name(1000), "unknown") == 0);
	CHECK(strcmp(vmx_insn_error_name(0xFFFFFFFFu), "unknown") == 0);
}

TEST(entry_failure_meanings)
{
	const char *m33 = vmx_entry_failure_meaning(33);
	const char *m34 = vmx_entry_failure_meaning(34);
	const char *m41 = vmx_entry_failure_meaning(41);

	REQUIRE(m33 && m34 && m41);
	CHECK(strcmp(m33, "VM-entry failure due to invalid guest state") == 0);
	CHECK(strcmp(m34, "VM-entry failure due to MSR loading") == 0);
	CHECK(strcmp(m41, "VM-entry failure due to machine-check event") == 0);
	CHECK(vmx_entry_failure_meaning(0) == NULL);
	CHECK(vmx_entry_failure_meaning(28) == NULL);
	CHECK(vmx_entry_failure_meaning(35) == NULL);
}

TEST(field_names)
{
	CHECK(strcmp(vmcs_field_name(VMCS_GUEST_CR0), "GUEST_CR0") == 0);
	CHECK(strcmp(vmcs_field_name(0x6800), "GUEST_CR0") == 0);
	CHECK(strcmp(vmcs_field_name(VMCS_LINK_POINTER), "LINK_POINTER") == 0);
	CHECK(strcmp(vmcs_field_name(VMCS_HOST_RIP), "HOST_RIP") == 0);
	CHECK(strcmp(vmcs_field_name(VMCS_HIGH(VMCS_LINK_POINTER)), "unknown") == 0);
	CHECK(strcmp(vmcs_field_name(0xFFFF), "unknown") == 0);
}
