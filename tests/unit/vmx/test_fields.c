/*
 * VMCS field encodings: every constant of vmx/vmcs_fields.h is checked
 * against the appendix-B group it is declared under (the section comments
 * "--- B.x.y <width> <type> fields ---" of the header, read at run time),
 * and against the catalog in vmx/names.c. Also the bit accessors of
 * vmx/vmcs_bits.h, vmx/result.h and the exit-stack layout of vmx/vcpu_regs.h.
 */
#include "tests/unit/harness.h"
#include "vmx/hw/names.h"
#include "vmx/hw/result.h"
#include "vmx/cpu/vcpu_regs.h"
#include "vmx/hw/vmcs_fields.h"

struct section {
	int valid;
	enum vmcs_width width;
	enum vmcs_type type;
};

static struct section parse_section(const char *line)
{
	struct section s = {0, VMCS_WIDTH_16, VMCS_TYPE_CONTROL};
	int has_width = 1, has_type = 1;

	if (strstr(line, "16-bit"))
		s.width = VMCS_WIDTH_16;
	else if (strstr(line, "64-bit"))
		s.width = VMCS_WIDTH_64;
	else if (strstr(line, "32-bit"))
		s.width = VMCS_WIDTH_32;
	else if (strstr(line, "natural-width"))
		s.width = VMCS_WIDTH_NATURAL;
	else
		has_width = 0;
	if (strstr(line, "control"))
		s.type = VMCS_TYPE_CONTROL;
	else if (strstr(line, "read-only"))
		s.type = VMCS_TYPE_EXIT_INFO;
	else if (strstr(line, "guest-state"))
		s.type = VMCS_TYPE_GUEST;
	else if (strstr(line, "host-state"))
		s.type = VMCS_TYPE_HOST;
	else
		has_type = 0;
	s.valid = has_width && has_type;
	return s;
}

static FILE *open_header(void)
{
	FILE *f = fopen("vmx/hw/vmcs_fields.h", "r");
	char path[512];
	const char *tail = "tests/unit/vmx/test_fields.c";
	size_t n = strlen(__FILE__), t = strlen(tail);

	if (f || n < t || n - t + 20 >= sizeof(path))
		return f;
	memcpy(path, __FILE__, n - t);
	strcpy(path + (n - t), "vmx/hw/vmcs_fields.h");
	return fopen(path, "r");
}

static int check_one(const char *name, uint32_t enc, struct section s, int line_no)
{
	int ok = 1;

	if (vmcs_field_width(enc) != s.width || vmcs_field_type(enc) != s.type) {
		printf("  line %d: VMCS_%s 0x%04x is width %d type %d, declared %d/%d\n", line_no,
		       name, enc, vmcs_field_width(enc), vmcs_field_type(enc), s.width, s.type);
		ok = 0;
	}
	if (enc & (VMCS_ENC_RESERVED_MASK | VMCS_ENC_HIGH)) {
		printf("  line %d: VMCS_%s 0x%04x has reserved or high bits\n", line_no, name, enc);
		ok = 0;
	}
	if (strcmp(vmcs_field_name(enc), name) != 0) {
		printf("  line %d: catalog calls 0x%04x \"%s\", header VMCS_%s\n", line_no, enc,
		       vmcs_field_name(enc), name);
		ok = 0;
	}
	return ok;
}

TEST(header_fields_match_declared_groups)
{
	FILE *f = open_header();
	char line[256];
	struct section cur = {0, VMCS_WIDTH_16, VMCS_TYPE_CONTROL};
	int line_no = 0, fields = 0, sections = 0;

	REQUIRE(f != NULL); /* run the suite from the repository root */
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		unsigned int value;

		line_no++;
		if (strncmp(line, "/* --- B.", 9) == 0) {
			cur = parse_section(line);
			CHECK(cur.valid);
			sections++;
			continue;
		}
		if (!cur.valid || sscanf(line, "#define VMCS_%127s 0x%xu", name, &value) != 2)
			continue;
		fields++;
		CHECK(check_one(name, value, cur, line_no));
	}
	fclose(f);
	CHECK_EQ(sections, 15);
	CHECK_EQ((size_t)fields, vmcs_field_catalog_len);
	CHECK(fields > 140);
}

TEST(catalog_is_consistent)
{
	for (size_t i = 0; i < vmcs_field_catalog_len; i++) {
		const struct vmcs_field_desc *d = &vmcs_field_catalog[i];

		CHECK(d->name && d->name[0]);
		CHECK_EQ(vmcs_field_width(d->encoding), d->width);
		CHECK_EQ(vmcs_field_type(d->encoding), d->type);
		CHECK_EQ(vmcs_field_encode(d->width, d->type, vmcs_field_index(d->encoding)),
		         d->encoding);
		for (size_t j = i + 1; j < vmcs_field_catalog_len; j++) {
			CHECK(vmcs_field_catalog[j].encoding != d->encoding);
			CHECK(strcmp(vmcs_field_catalog[j].name, d->name) != 0);
		}
	}
}

TEST(encoding_accessors)
{
	CHECK_EQ(vmcs_field_width(VMCS_GUEST_CS_SEL), VMCS_WIDTH_16);
	CHECK_EQ(vmcs_field_type(VMCS_GUEST_CS_SEL), VMCS_TYPE_GUEST);
	CHECK_EQ(vmcs_field_index(VMCS_GUEST_CS_SEL), 1);
	CHECK_EQ(vmcs_field_width(VMCS_LINK_POINTER), VMCS_WIDTH_64);
	CHECK_EQ(vmcs_field_width(VMCS_EXIT_REASON), VMCS_WIDTH_32);
	CHECK_EQ(vmcs_field_type(VMCS_EXIT_REASON), VMCS_TYPE_EXIT_INFO);
	CHECK_EQ(vmcs_field_width(VMCS_HOST_RIP), VMCS_WIDTH_NATURAL);
	CHECK_EQ(vmcs_field_type(VMCS_HOST_RIP), VMCS_TYPE_HOST);
	CHECK_EQ(vmcs_field_index(VMCS_HOST_RIP), 11);
	CHECK_EQ(VMCS_HIGH(VMCS_GUEST_EFER), 0x2807);
	CHECK(vmcs_field_is_high(VMCS_HIGH(VMCS_GUEST_EFER)));
	CHECK(!vmcs_field_is_high(VMCS_GUEST_EFER));
	CHECK_EQ(vmcs_field_encode(VMCS_WIDTH_32, VMCS_TYPE_GUEST, 0x13),
	         VMCS_GUEST_ACTIVITY_STATE);
}

TEST(interruption_info)
{
	uint32_t pf = vmx_intr_info_make(14, VMX_INTR_TYPE_HW_EXCEPTION, true);
	uint32_t ud = vmx_intr_info_make(6, VMX_INTR_TYPE_HW_EXCEPTION, false);
	uint32_t bp = vmx_intr_info_make(3, VMX_INTR_TYPE_SW_EXCEPTION, false);

	CHECK_EQ(pf, 0x80000B0E);
	CHECK_EQ(ud, 0x80000306);
	CHECK_EQ(bp, 0x80000603);
	CHECK_EQ(vmx_intr_info_vector(pf), 14);
	CHECK_EQ(vmx_intr_info_type(pf), VMX_INTR_TYPE_HW_EXCEPTION);
	CHECK(vmx_intr_info_has_errcode(pf));
	CHECK(!vmx_intr_info_has_errcode(ud));
	CHECK(vmx_intr_info_valid(pf));
	CHECK(!vmx_intr_info_valid(0x0000030E));
	/* An external interrupt exit with NMI-unblocking bit: vector 0x20, type 0. */
	CHECK_EQ(vmx_intr_info_type(0x80001020), VMX_INTR_TYPE_EXT_INT);
	CHECK_EQ(vmx_intr_info_vector(0x80001020), 0x20);
	CHECK_EQ(vmx_intr_info_type(0x80000202), VMX_INTR_TYPE_NMI);
}

TEST(exit_reason_field)
{
	CHECK_EQ(vmx_exit_reason_basic(0x80000021), 33);
	CHECK(vmx_exit_reason_is_entry_failure(0x80000021));
	CHECK_EQ(vmx_exit_reason_basic(0x1C), 28);
	CHECK(!vmx_exit_reason_is_entry_failure(0x1C));
	CHECK_EQ(vmx_exit_reason_basic(VMX_EXIT_REASON_PENDING_MTF | 0x0A), 10);
}

TEST(cr_access_qualification)
{
	/* mov %rbx, %cr3 */
	CHECK_EQ(vmx_qual_cr_num(0x303), 3);
	CHECK_EQ(vmx_qual_cr_access(0x303), VMX_CR_ACCESS_MOV_TO_CR);
	CHECK_EQ(vmx_qual_cr_gpr(0x303), VCPU_RBX);
	/* mov %cr3, %r14 */
	CHECK_EQ(vmx_qual_cr_access(0xE13), VMX_CR_ACCESS_MOV_FROM_CR);
	CHECK_EQ(vmx_qual_cr_gpr(0xE13), VCPU_R14);
	/* clts */
	CHECK_EQ(vmx_qual_cr_access(0x20), VMX_CR_ACCESS_CLTS);
	/* lmsw %ax with 0x0011 */
	uint64_t lmsw = (0x11ull << 16) | (3ull << 4);
	CHECK_EQ(vmx_qual_cr_access(lmsw), VMX_CR_ACCESS_LMSW);
	CHECK_EQ(vmx_qual_cr_lmsw_data(lmsw), 0x11);
	CHECK_EQ(vmx_qual_cr_num(lmsw), 0);
	CHECK(!(lmsw & VMX_QUAL_CR_LMSW_MEMORY));
}

TEST(io_qualification)
{
	/* outb %al, %dx with DX = 0x3F8 */
	uint64_t out = 0x3F8ull << 16;
	/* inl $0x71, %eax */
	uint64_t in = (0x71ull << 16) | VMX_QUAL_IO_IMMEDIATE | VMX_QUAL_IO_IN | 3;
	/* rep outsw, DX = 0x3F8 */
	uint64_t outs = (0x3F8ull << 16) | VMX_QUAL_IO_REP | VMX_QUAL_IO_STRING | 1;

	CHECK_EQ(vmx_qual_io_size(out), 1);
	CHECK(!vmx_qual_io_is_in(out));
	CHECK_EQ(vmx_qual_io_port(out), 0x3F8);
	CHECK_EQ(vmx_qual_io_size(in), 4);
	CHECK(vmx_qual_io_is_in(in));
	CHECK_EQ(vmx_qual_io_port(in), 0x71);
	CHECK(!vmx_qual_io_is_string(in));
	CHECK_EQ(vmx_qual_io_size(outs), 2);
	CHECK(vmx_qual_io_is_string(outs));
	CHECK(vmx_qual_io_is_rep(outs));
}

TEST(access_rights)
{
	CHECK_EQ(VMX_AR_CODE32, 0xC09B);
	CHECK_EQ(VMX_AR_DATA32, 0xC093);
	CHECK_EQ(vmx_ar_dpl(VMX_AR_DATA32 | (3u << 5)), 3);
	CHECK_EQ(VMX_AR_CODE32 & VMX_AR_RESERVED_MASK, 0);
	CHECK_EQ(VMX_AR_UNUSABLE & VMX_AR_RESERVED_MASK, 0);
	CHECK_EQ(vmx_exception_bit(14), 0x4000);
}

TEST(result_from_rflags)
{
	CHECK_EQ(vmx_result_from_rflags(0x2), VMX_OK);
	CHECK_EQ(vmx_result_from_rflags(0x3), VMX_FAIL_INVALID);
	CHECK_EQ(vmx_result_from_rflags(0x42), VMX_FAIL_VALID);
	CHECK_EQ(vmx_result_from_rflags(0x43), VMX_FAIL_INVALID); /* CF wins */
	CHECK_EQ(vmx_result_from_rflags(0x246 & ~0x40ull), VMX_OK);
	CHECK(strcmp(vmx_result_name(VMX_FAIL_VALID), "VMfailValid") == 0);
}

static void fake_handler(struct vcpu_regs *regs)
{
	(void)regs;
}

TEST(exit_stack_layout)
{
	static uint64_t stack[512];
	struct vcpu_regs regs;
	char *base = (char *)stack + 3; /* unaligned on purpose */
	size_t size = sizeof(stack) - 8;

	uint64_t host_rsp = vcpu_exit_stack_init(base, size, &regs, fake_handler);
	CHECK_EQ(host_rsp % 16, 0);
	CHECK(host_rsp >= (uintptr_t)base);
	CHECK(host_rsp + VCPU_EXIT_STACK_RESERVED <= (uintptr_t)base + size);
	CHECK(host_rsp + VCPU_EXIT_STACK_RESERVED + 16 > (uintptr_t)base + size);
	CHECK(*(struct vcpu_regs **)(uintptr_t)(host_rsp + VCPU_EXIT_STACK_REGS_SLOT) == &regs);
	CHECK(*(vcpu_regs_exit_fn *)(uintptr_t)(host_rsp + VCPU_EXIT_STACK_HANDLER_SLOT) ==
	      fake_handler);
	CHECK(VCPU_EXIT_STACK_HANDLER_SLOT + 8 <= VCPU_EXIT_STACK_RESERVED);
	CHECK_EQ(sizeof(struct vcpu_regs), VCPU_REGS_SIZE);
	CHECK_EQ(VCPU_OFF_GPR(VCPU_R15), VCPU_OFF_R15);
}
