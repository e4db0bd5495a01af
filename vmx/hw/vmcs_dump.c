/* VMCS field dump through a read callback (see vmx/vmcs_dump.h). */
#include "vmx/hw/vmcs_dump.h"

#include "vmx/hw/names.h"

static void print_field(const struct vmcs_field_desc *d, uint64_t v, vmx_printf_fn pf)
{
	switch (d->width) {
	case VMCS_WIDTH_16:
		pf("vmx:   %s = 0x%04x\n", d->name, (unsigned)(v & 0xFFFF));
		break;
	case VMCS_WIDTH_32:
		pf("vmx:   %s = 0x%08x\n", d->name, (unsigned)(v & 0xFFFFFFFF));
		break;
	default:
		pf("vmx:   %s = 0x%016llx\n", d->name, (unsigned long long)v);
		break;
	}
}

int vmcs_dump(enum vmcs_type type, vmcs_read_fn read, void *ctx, vmx_printf_fn pf)
{
	int lines = 0;

	for (size_t i = 0; i < vmcs_field_catalog_len; i++) {
		const struct vmcs_field_desc *d = &vmcs_field_catalog[i];
		uint64_t v;

		if (d->type != type || read(ctx, d->encoding, &v) != 0)
			continue;
		print_field(d, v, pf);
		lines++;
	}
	return lines;
}
