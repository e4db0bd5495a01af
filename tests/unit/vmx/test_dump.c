/* vmcs_dump(): the right fields, names and widths, unsupported ones skipped. */
#include "tests/unit/harness.h"
#include "tests/unit/vmx/fixtures.h"
#include "vmx/hw/names.h"
#include "vmx/hw/vmcs_dump.h"

/* A fake VMCS: every field reads as its encoding times 0x10001, except the
 * "unsupported" one, which fails like VMREAD error 12. */
struct fake_vmcs {
	uint32_t unsupported;
	int reads;
};

static int fake_read(void *ctx, uint32_t enc, uint64_t *value)
{
	struct fake_vmcs *f = ctx;

	f->reads++;
	if (enc == f->unsupported)
		return 1;
	*value = (uint64_t)enc * 0x100000001ull;
	return 0;
}

static size_t count_type(enum vmcs_type t)
{
	size_t n = 0;

	for (size_t i = 0; i < vmcs_field_catalog_len; i++)
		n += vmcs_field_catalog[i].type == t;
	return n;
}

TEST(dump_host_state)
{
	struct fake_vmcs f = {VMCS_HOST_PERF_GLOBAL_CTRL, 0};

	capture_reset();
	int lines = vmcs_dump(VMCS_TYPE_HOST, fake_read, &f, capture_printf);
	CHECK_EQ(lines, count_type(VMCS_TYPE_HOST) - 1);
	CHECK_EQ(f.reads, count_type(VMCS_TYPE_HOST));
	CHECK(strstr(captured, "vmx:   HOST_CS_SEL = 0x0c02\n") != NULL);
	CHECK(strstr(captured, "vmx:   HOST_SYSENTER_CS = 0x00004c00\n") != NULL);
	CHECK(strstr(captured, "vmx:   HOST_RIP = 0x00006c1600006c16\n") != NULL);
	CHECK(strstr(captured, "HOST_PERF_GLOBAL_CTRL") == NULL);
	CHECK(strstr(captured, "GUEST_") == NULL);
}

TEST(dump_guest_state_counts)
{
	struct fake_vmcs f = {0xFFFFFFFF, 0};

	capture_reset();
	int lines = vmcs_dump(VMCS_TYPE_GUEST, fake_read, &f, capture_printf);
	CHECK_EQ(lines, count_type(VMCS_TYPE_GUEST));
	CHECK(lines > 60);
	CHECK(strstr(captured, "vmx:   GUEST_CR0 = 0x0000680000006800\n") != NULL);
	CHECK(strstr(captured, "vmx:   LINK_POINTER = 0x0000280000002800\n") != NULL);
}
