/* vmx_adjust_controls() and vmx_choose_controls() against recorded MSRs. */
#define HARNESS_MAIN
#include "tests/unit/harness.h"
#include "tests/unit/vmx/fixtures.h"
#include "vmx/hw/controls.h"
#include "vmx/hw/vmcs_bits.h"

/* Pin-based MSR of the T9600: must-be-1 0x16, may-be-1 0x3F. */
#define PIN_CAP 0x0000003F00000016ull

TEST(adjust_forces_allowed0_bits_on)
{
	uint32_t v = 0xdead;

	CHECK_EQ(vmx_adjust_controls(PIN_CAP, 0, 0, &v), 0);
	CHECK_EQ(v, 0x16);
	CHECK_EQ(vmx_adjust_controls(PIN_CAP, VMX_PIN_NMI_EXITING, 0, &v), 0);
	CHECK_EQ(v, 0x1E);
}

TEST(adjust_masks_with_allowed1)
{
	uint32_t v = 0;

	CHECK_EQ(vmx_adjust_controls(PIN_CAP, 0xFFFFFFFFu, 0, &v), 0);
	CHECK_EQ(v, 0x3F);
	/* The preemption timer (bit 6) is not allowed: dropped silently when only wanted. */
	CHECK_EQ(
	    vmx_adjust_controls(PIN_CAP, VMX_PIN_PREEMPT_TIMER | VMX_PIN_EXT_INT_EXITING, 0, &v),
	    0);
	CHECK_EQ(v, 0x17);
}

TEST(adjust_fails_on_required_bits_not_allowed)
{
	uint32_t v = 0;

	CHECK_EQ(vmx_adjust_controls(PIN_CAP, 0, VMX_PIN_PREEMPT_TIMER, &v), -1);
	CHECK_EQ(v, VMX_PIN_PREEMPT_TIMER);
	/* Only the missing bits are reported, not the allowed ones. */
	CHECK_EQ(vmx_adjust_controls(
	             PIN_CAP, 0,
	             VMX_PIN_EXT_INT_EXITING | VMX_PIN_PREEMPT_TIMER | VMX_PIN_POSTED_INTS, &v),
	         -1);
	CHECK_EQ(v, VMX_PIN_PREEMPT_TIMER | VMX_PIN_POSTED_INTS);
}

TEST(adjust_sets_required_bits)
{
	uint32_t v = 0;

	CHECK_EQ(
	    vmx_adjust_controls(PIN_CAP, 0, VMX_PIN_EXT_INT_EXITING | VMX_PIN_VIRTUAL_NMIS, &v), 0);
	CHECK_EQ(v, 0x37);
	/* TRUE MSR allowing a default1 bit to be 0: not forced when not wanted. */
	CHECK_EQ(vmx_adjust_controls(0xF7F9FFFE04006172ull, VMX_PROC_CR3_LOAD_EXITING, 0, &v), 0);
	CHECK_EQ(v, 0x0400E172);
}

/* The request of a shadow-paging hypervisor. */
static void shadow_request(struct vmx_ctl_request req[VMX_CTL_COUNT])
{
	memset(req, 0, sizeof(req[0]) * VMX_CTL_COUNT);
	req[VMX_CTL_PIN].required = VMX_PIN_EXT_INT_EXITING | VMX_PIN_NMI_EXITING;
	req[VMX_CTL_PROC].required = VMX_PROC_HLT_EXITING | VMX_PROC_INVLPG_EXITING |
	                             VMX_PROC_CR3_LOAD_EXITING | VMX_PROC_USE_IO_BITMAPS |
	                             VMX_PROC_USE_MSR_BITMAPS;
	req[VMX_CTL_PROC2].wanted = VMX_PROC2_ENABLE_VPID;
	req[VMX_CTL_EXIT].required = VMX_EXIT_CTL_HOST_ADDR_SPACE_SIZE;
	req[VMX_CTL_EXIT].wanted = VMX_EXIT_CTL_SAVE_EFER | VMX_EXIT_CTL_LOAD_EFER;
	req[VMX_CTL_ENTRY].wanted = VMX_ENTRY_CTL_LOAD_EFER;
}

static void read_caps(void (*fixture)(struct fake_cpu *), struct vmx_caps *caps)
{
	struct fake_cpu cpu;

	fixture(&cpu);
	vmx_caps_read(caps, fake_rdmsr, &cpu);
}

TEST(choose_on_t9600)
{
	struct vmx_caps caps;
	struct vmx_ctl_request req[VMX_CTL_COUNT];
	struct vmx_controls c;

	read_caps(fake_cpu_t9600, &caps);
	shadow_request(req);
	REQUIRE(vmx_choose_controls(&caps, req, &c, NULL) == 0);
	CHECK_EQ(c.ctl[VMX_CTL_PIN], 0x1F);
	CHECK_EQ(c.ctl[VMX_CTL_PROC], 0x1601E3F2); /* no VPID: secondary not activated */
	CHECK_EQ(c.ctl[VMX_CTL_PROC2], 0);
	CHECK_EQ(c.ctl[VMX_CTL_EXIT], 0x00036FFF); /* no EFER save/load on a T9600 */
	CHECK_EQ(c.ctl[VMX_CTL_ENTRY], 0x000011FF);
}

TEST(choose_with_true_msrs_drops_unwanted_default1)
{
	struct vmx_caps caps;
	struct vmx_ctl_request req[VMX_CTL_COUNT];
	struct vmx_controls c;

	read_caps(fake_cpu_t9600_true, &caps);
	shadow_request(req);
	REQUIRE(vmx_choose_controls(&caps, req, &c, NULL) == 0);
	CHECK_EQ(c.ctl[VMX_CTL_PROC], 0x1600E3F2); /* CR3-store exiting off */
	CHECK_EQ(c.ctl[VMX_CTL_EXIT], 0x00036FFB); /* save debug controls off */
	CHECK_EQ(c.ctl[VMX_CTL_ENTRY], 0x000011FB);
}

TEST(choose_activates_secondary_exactly_when_needed)
{
	struct vmx_caps caps;
	struct vmx_ctl_request req[VMX_CTL_COUNT];
	struct vmx_controls c;

	read_caps(fake_cpu_t9600, &caps);
	shadow_request(req);
	req[VMX_CTL_PROC2].wanted = VMX_PROC2_WBINVD_EXITING;
	REQUIRE(vmx_choose_controls(&caps, req, &c, NULL) == 0);
	CHECK_EQ(c.ctl[VMX_CTL_PROC2], VMX_PROC2_WBINVD_EXITING);
	CHECK_EQ(c.ctl[VMX_CTL_PROC], 0x9601E3F2);

	/* Asking for "activate secondary" with nothing secondary: not set. */
	shadow_request(req);
	req[VMX_CTL_PROC2].wanted = 0;
	req[VMX_CTL_PROC].required |= VMX_PROC_SECONDARY_CONTROLS;
	REQUIRE(vmx_choose_controls(&caps, req, &c, NULL) == 0);
	CHECK_EQ(c.ctl[VMX_CTL_PROC] & VMX_PROC_SECONDARY_CONTROLS, 0);
}

TEST(choose_with_ept_cpu_gets_vpid)
{
	struct vmx_caps caps;
	struct vmx_ctl_request req[VMX_CTL_COUNT];
	struct vmx_controls c;

	read_caps(fake_cpu_ept, &caps);
	shadow_request(req);
	REQUIRE(vmx_choose_controls(&caps, req, &c, NULL) == 0);
	CHECK_EQ(c.ctl[VMX_CTL_PROC2], VMX_PROC2_ENABLE_VPID); /* EPT not asked: stays off */
	CHECK(c.ctl[VMX_CTL_PROC] & VMX_PROC_SECONDARY_CONTROLS);
}

TEST(choose_reports_the_failing_control)
{
	struct vmx_caps caps;
	struct vmx_ctl_request req[VMX_CTL_COUNT];
	struct vmx_controls c;
	struct vmx_ctl_failure f = {VMX_CTL_COUNT, 0};

	read_caps(fake_cpu_t9600, &caps);
	shadow_request(req);
	req[VMX_CTL_PROC2].required = VMX_PROC2_ENABLE_EPT;
	CHECK_EQ(vmx_choose_controls(&caps, req, &c, &f), -1);
	CHECK_EQ(f.ctl, VMX_CTL_PROC2);
	CHECK_EQ(f.missing, VMX_PROC2_ENABLE_EPT);

	capture_reset();
	vmx_ctl_failure_print(&caps, &f, capture_printf);
	const char *want = "vmx: control proc2: required bits 0x00000002 not allowed "
	                   "(allowed-1 0x00000041)\n";
	CHECK(strcmp(captured, want) == 0);

	shadow_request(req);
	req[VMX_CTL_ENTRY].required = VMX_ENTRY_CTL_LOAD_EFER;
	CHECK_EQ(vmx_choose_controls(&caps, req, &c, &f), -1);
	CHECK_EQ(f.ctl, VMX_CTL_ENTRY);
	CHECK_EQ(f.missing, VMX_ENTRY_CTL_LOAD_EFER);
}

TEST(choose_fails_secondary_without_secondary_controls)
{
	struct fake_cpu cpu;
	struct vmx_caps caps;
	struct vmx_ctl_request req[VMX_CTL_COUNT];
	struct vmx_controls c;
	struct vmx_ctl_failure f;

	fake_cpu_t9600(&cpu);
	fake_cpu_set(&cpu, 0x482, 0x77F9FFFE0401E172ull);
	vmx_caps_read(&caps, fake_rdmsr, &cpu);
	shadow_request(req);
	req[VMX_CTL_PROC2].required = VMX_PROC2_WBINVD_EXITING;
	CHECK_EQ(vmx_choose_controls(&caps, req, &c, &f), -1);
	CHECK_EQ(f.ctl, VMX_CTL_PROC2);
	CHECK_EQ(f.missing, VMX_PROC2_WBINVD_EXITING);
}

TEST(controls_print_line)
{
	struct vmx_caps caps;
	struct vmx_ctl_request req[VMX_CTL_COUNT];
	struct vmx_controls c;

	read_caps(fake_cpu_t9600, &caps);
	shadow_request(req);
	REQUIRE(vmx_choose_controls(&caps, req, &c, NULL) == 0);
	capture_reset();
	vmx_controls_print(&c, capture_printf);
	const char *want = "vmx: pin=0x0000001f proc=0x1601e3f2 proc2=0x00000000 "
	                   "exit=0x00036fff entry=0x000011ff\n";
	CHECK(strcmp(captured, want) == 0);
	if (strcmp(captured, want) != 0)
		printf("  got: %s", captured);
	CHECK(strcmp(vmx_ctl_name(VMX_CTL_PROC2), "proc2") == 0);
	CHECK(strcmp(vmx_ctl_name(VMX_CTL_COUNT), "unknown") == 0);
}
