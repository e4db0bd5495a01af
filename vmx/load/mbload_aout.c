/*
 * The a.out-kludge address fields (Multiboot 0.6.96 §3.1.3, flags bit 16; Multiboot2
 * §3.1.5, the address tag): the file is loaded from offset
 * header_offset - (header_addr - load_addr) to load_addr, up to load_end_addr (0: to the
 * end of the file), then zeros up to bss_end_addr (0: no BSS). Multiboot2 lets load_addr
 * be -1: load from the start of the file.
 */
#include "vmx/load/mbload_int.h"

#define MB2_LOAD_FROM_FILE_START 0xffffffffu

bool mbl_parse_aout(struct mbload_ctx *c)
{
	const struct mbload_header *h = &c->hdr;
	uint64_t load = h->load_addr;
	if (h->version == 2 && h->load_addr == MB2_LOAD_FROM_FILE_START) {
		if (h->header_addr < h->offset)
			return MBL_REFUSE(c,
			                  "a.out kludge: header_addr 0x%x below the header's "
			                  "file offset 0x%x (load_addr -1)",
			                  h->header_addr, h->offset);
		load = h->header_addr - h->offset;
	}
	if (load > h->header_addr)
		return MBL_REFUSE(c, "a.out kludge: load_addr 0x%x above header_addr 0x%x", load,
		                  h->header_addr);
	if (h->header_addr - load > h->offset)
		return MBL_REFUSE(c,
		                  "a.out kludge: header_addr - load_addr = 0x%x but the header "
		                  "is at file offset 0x%x",
		                  h->header_addr - load, h->offset);
	uint64_t offset = h->offset - (h->header_addr - load), filesz = c->size - offset;
	if (h->load_end_addr) {
		if (h->load_end_addr <= load)
			return MBL_REFUSE(c,
			                  "a.out kludge: load_end_addr 0x%x not above load_addr "
			                  "0x%x",
			                  h->load_end_addr, load);
		filesz = h->load_end_addr - load;
		if (!mbl_in_file(c, offset, filesz))
			return MBL_REFUSE(c,
			                  "truncated: a.out kludge loads file bytes [0x%x, "
			                  "+0x%x) past the image end (0x%x)",
			                  offset, filesz, c->size);
	}
	uint64_t memsz = filesz;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < load + filesz)
			return MBL_REFUSE(c,
			                  "a.out kludge: bss_end_addr 0x%x below the end of the "
			                  "loaded bytes 0x%x",
			                  h->bss_end_addr, load + filesz);
		memsz = h->bss_end_addr - load;
	}
	if (memsz == 0)
		return MBL_REFUSE(c, "a.out kludge: nothing to load");
	c->segs[0] = (struct mbload_seg){0, offset, load, filesz, memsz};
	c->nsegs = 1;
	c->format = MBLOAD_AOUT_KLUDGE;
	c->entry = h->entry_addr;
	return true;
}
