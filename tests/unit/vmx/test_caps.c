/* Capability MSRs: IA32_VMX_BASIC fields, TRUE-MSR selection, reading only
 * existing MSRs, CR0/CR4 fixed bits, IA32_FEATURE_CONTROL decisions. */
#include "tests/unit/harness.h"
#include "tests/unit/vmx/fixtures.h"
#include "vmx/hw/caps.h"
#include "vmx/hw/msr_vmx.h"
#include "vmx/hw/vmcs_bits.h"

TEST(basic_fields_of_recorded_t9600)
{
	uint64_t basic = 0x005A08000000000Dull;

	CHECK_EQ(vmx_basic_revision(basic), 0xD);
	CHECK_EQ(vmx_basic_region_size(basic), 0x800);
	CHECK_EQ(vmx_basic_memtype(basic), VMX_MEMTYPE_WB);
	CHECK(vmx_basic_ins_outs_info(basic));
	CHECK(!vmx_basic_true_ctls(basic));
	CHECK(!vmx_basic_phys_32bit(basic));
	CHECK(basic & VMX_BASIC_DUAL_MONITOR);
}

TEST(basic_fields_of_a_composed_value)
{
	/* bit 31 set on purpose: it is not part of the revision id. */
	uint64_t basic =
	    0x92345678ull | (0x1000ull << 32) | (6ull << 50) | (1ull << 48) | (1ull << 55);

	CHECK_EQ(vmx_basic_revision(basic), 0x12345678);
	CHECK_EQ(vmx_basic_region_size(basic), 0x1000);
	CHECK_EQ(vmx_basic_memtype(basic), 6);
	CHECK(vmx_basic_phys_32bit(basic));
	CHECK(!vmx_basic_ins_outs_info(basic));
	CHECK(vmx_basic_true_ctls(basic));
	/* The widest region size field value: bits 44:32 all ones. */
	CHECK_EQ(vmx_basic_region_size(0x1FFFull << 32 | 0x7ull << 45), 0x1FFF);
	CHECK_EQ(vmx_basic_memtype(0xFull << 50 | 1ull << 54 | 1ull << 49), 0xF);
}

TEST(ctl_allowed_halves)
{
	CHECK_EQ(vmx_ctl_allowed0(0xF7F9FFFE0401E172ull), 0x0401E172);
	CHECK_EQ(vmx_ctl_allowed1(0xF7F9FFFE0401E172ull), 0xF7F9FFFE);
}

TEST(misc_fields)
{
	/* T9600: 4 CR3 targets, 512 MSRs, HLT/shutdown/wait-for-SIPI activity states. */
	uint64_t misc = 0x403C0;

	CHECK_EQ(vmx_misc_cr3_targets(misc), 4);
	CHECK_EQ(vmx_misc_max_msr_list(misc), 512);
	CHECK(misc & VMX_MISC_ACTIVITY_HLT);
	CHECK(!(misc & VMX_MISC_STORE_LMA));
	CHECK_EQ(vmx_misc_max_msr_list(3ull << 25), 2048);
	CHECK_EQ(vmx_vmcs_enum_max_index(0x2C), 0x16);
}

TEST(true_msr_selection_follows_basic_bit_55)
{
	uint64_t plain = 0x005A08000000000Dull;
	uint64_t with_true = plain | VMX_BASIC_TRUE_CTLS;

	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PIN, plain), 0x481);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PROC, plain), 0x482);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_EXIT, plain), 0x483);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_ENTRY, plain), 0x484);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PROC2, plain), 0x48B);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PIN, with_true), 0x48D);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PROC, with_true), 0x48E);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_EXIT, with_true), 0x48F);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_ENTRY, with_true), 0x490);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_PROC2, with_true), 0x48B);
	CHECK_EQ(vmx_ctl_cap_msr(VMX_CTL_COUNT, with_true), 0);
}

TEST(read_t9600_without_true_msrs)
{
	struct fake_cpu cpu;
	struct vmx_caps caps;

	fake_cpu_t9600(&cpu);
	vmx_caps_read(&caps, fake_rdmsr, &cpu);
	CHECK_EQ(cpu.bad_reads, 0);
	CHECK(!caps.true_ctls);
	CHECK_EQ(caps.ctl[VMX_CTL_PROC], 0xF7F9FFFE0401E172ull);
	CHECK_EQ(caps.ctl[VMX_CTL_PROC2], 0x0000004100000000ull);
	CHECK_EQ(caps.cr4_fixed1, 0x467FF);
	CHECK(!fake_cpu_was_read(&cpu, MSR_IA32_VMX_TRUE_PROCBASED_CTLS));
	/* No EPT/VPID allowed: the EPT_VPID_CAP MSR does not exist. */
	CHECK(!fake_cpu_was_read(&cpu, MSR_IA32_VMX_EPT_VPID_CAP));
	CHECK_EQ(caps.ept_vpid, 0);
	CHECK(!vmx_caps_allows(&caps, VMX_CTL_PROC2, VMX_PROC2_ENABLE_EPT));
	CHECK(!vmx_caps_allows(&caps, VMX_CTL_PROC2, VMX_PROC2_ENABLE_VPID));
	CHECK(vmx_caps_allows(&caps, VMX_CTL_PROC2, VMX_PROC2_WBINVD_EXITING));
}

TEST(read_true_msrs_when_basic_says_so)
{
	struct fake_cpu cpu;
	struct vmx_caps caps;

	fake_cpu_t9600_true(&cpu);
	vmx_caps_read(&caps, fake_rdmsr, &cpu);
	CHECK_EQ(cpu.bad_reads, 0);
	CHECK(caps.true_ctls);
	CHECK_EQ(caps.ctl[VMX_CTL_PROC], 0xF7F9FFFE04006172ull);
	CHECK_EQ(caps.ctl[VMX_CTL_EXIT], 0x0003FFFF00036DFBull);
	CHECK_EQ(caps.ctl[VMX_CTL_ENTRY], 0x00003FFF000011FBull);
	CHECK(!fake_cpu_was_read(&cpu, MSR_IA32_VMX_PROCBASED_CTLS));
}

TEST(no_secondary_msr_read_without_activate_secondary)
{
	struct fake_cpu cpu;
	struct vmx_caps caps;

	fake_cpu_t9600(&cpu);
	fake_cpu_set(&cpu, MSR_IA32_VMX_PROCBASED_CTLS, 0x77F9FFFE0401E172ull); /* bit 63 clear */
	fake_cpu_remove(&cpu, MSR_IA32_VMX_PROCBASED_CTLS2);
	vmx_caps_read(&caps, fake_rdmsr, &cpu);
	CHECK_EQ(cpu.bad_reads, 0);
	CHECK_EQ(caps.ctl[VMX_CTL_PROC2], 0);
	CHECK(!vmx_caps_allows(&caps, VMX_CTL_PROC2, VMX_PROC2_WBINVD_EXITING));
}

TEST(ept_vpid_cap_read_when_ept_or_vpid_allowed)
{
	struct fake_cpu cpu;
	struct vmx_caps caps;

	fake_cpu_ept(&cpu);
	vmx_caps_read(&caps, fake_rdmsr, &cpu);
	CHECK_EQ(cpu.bad_reads, 0);
	CHECK_EQ(caps.ept_vpid, 0x00000F0106114141ull);
	CHECK(caps.ept_vpid & VMX_VPID_CAP_INVVPID);
	CHECK(caps.ept_vpid & VMX_VPID_CAP_INVVPID_SINGLE);
	CHECK(vmx_caps_allows(&caps, VMX_CTL_PROC2,
	                      VMX_PROC2_ENABLE_EPT | VMX_PROC2_ENABLE_VPID |
	                          VMX_PROC2_UNRESTRICTED_GUEST));
}

TEST(cr0_fixed_bits_t9600)
{
	struct fake_cpu cpu;
	struct vmx_caps caps;

	fake_cpu_t9600(&cpu);
	vmx_caps_read(&caps, fake_rdmsr, &cpu);
	/* An unpaged protected-mode guest (PE|ET) runs with PG and NE forced on. */
	CHECK_EQ(vmx_caps_guest_cr0(&caps, 0x11, false), 0x80000031);
	CHECK_EQ(vmx_caps_guest_cr0(&caps, 0, false), 0x80000021);
	/* Unrestricted guest leaves PE and PG to the guest, NE stays forced. */
	CHECK_EQ(vmx_caps_guest_cr0(&caps, 0x10, true), 0x30);
	CHECK_EQ(vmx_caps_guest_cr0(&caps, 0x80000011, true), 0x80000031);
	/* Bits above 31 are not allowed by FIXED1. */
	CHECK_EQ(vmx_caps_guest_cr0(&caps, 1ull << 40, false), 0x80000021);
	CHECK(vmx_cr_is_allowed(0x80000031, caps.cr0_fixed0, caps.cr0_fixed1));
	CHECK(!vmx_cr_is_allowed(0x00000031, caps.cr0_fixed0, caps.cr0_fixed1));
	CHECK(!vmx_cr_is_allowed(0x80000031 | 1ull << 32, caps.cr0_fixed0, caps.cr0_fixed1));
	CHECK_EQ(vmx_cr_forced_bits(caps.cr0_fixed0, caps.cr0_fixed1), 0xFFFFFFFF80000021ull);
}

TEST(cr4_fixed_bits_t9600)
{
	struct fake_cpu cpu;
	struct vmx_caps caps;

	fake_cpu_t9600(&cpu);
	vmx_caps_read(&caps, fake_rdmsr, &cpu);
	CHECK_EQ(vmx_caps_guest_cr4(&caps, 0), 0x2000);               /* VMXE forced */
	CHECK_EQ(vmx_caps_guest_cr4(&caps, 0x20 | 0x10), 0x2030);     /* PAE|PSE kept */
	CHECK_EQ(vmx_caps_guest_cr4(&caps, 0x400000 | 0x20), 0x2020); /* PKE not allowed */
	CHECK(vmx_cr_is_allowed(0x2020, caps.cr4_fixed0, caps.cr4_fixed1));
	CHECK(!vmx_cr_is_allowed(0x0020, caps.cr4_fixed0, caps.cr4_fixed1));
	CHECK(!vmx_cr_is_allowed(0x2020 | 0x400000, caps.cr4_fixed0, caps.cr4_fixed1));
	CHECK_EQ(vmx_cr_apply_fixed(0xF0, 0x01, 0x3F), 0x31);
}

TEST(feature_control_decisions)
{
	uint64_t w;

	CHECK_EQ(vmx_feature_control_decide(0x5, &w), VMX_FC_READY);
	CHECK_EQ(w, 0x5);
	CHECK_EQ(vmx_feature_control_decide(0x0, &w), VMX_FC_WRITE_AND_LOCK);
	CHECK_EQ(w, 0x5);
	CHECK_EQ(vmx_feature_control_decide(0x100000, &w), VMX_FC_WRITE_AND_LOCK);
	CHECK_EQ(w, 0x100005); /* other bits kept */
	CHECK_EQ(vmx_feature_control_decide(0x1, &w), VMX_FC_LOCKED_OFF);
	CHECK_EQ(vmx_feature_control_decide(0x3, &w), VMX_FC_LOCKED_OFF); /* only inside SMX */
	CHECK_EQ(vmx_feature_control_decide(0x7, &w), VMX_FC_READY);
	CHECK(feature_control_locked(0x1));
	CHECK(!feature_control_vmxon_allowed(0x4));
}

TEST(caps_print_line)
{
	struct fake_cpu cpu;
	struct vmx_caps caps;

	fake_cpu_t9600(&cpu);
	vmx_caps_read(&caps, fake_rdmsr, &cpu);
	capture_reset();
	vmx_caps_print(&caps, capture_printf);
	const char *want = "vmx: revision=0xd vmcs_size=2048 memtype=6 true_ctls=no ept=no "
	                   "vpid=no unrestricted=no\n";
	CHECK(strcmp(captured, want) == 0);
	if (strcmp(captured, want) != 0)
		printf("  got: %s", captured);

	fake_cpu_ept(&cpu);
	vmx_caps_read(&caps, fake_rdmsr, &cpu);
	capture_reset();
	vmx_caps_print(&caps, capture_printf);
	CHECK(strstr(captured, "true_ctls=yes ept=yes vpid=yes unrestricted=yes\n") != NULL);
}
