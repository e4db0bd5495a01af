# The direct UEFI entry (boot/efi/): `make efi` builds $(BUILD)/hv.efi, a PE32+
# UEFI application made with gnu-efi (Debian package gnu-efi) that carries
# $(BUILD)/hv.elf inside. Included by the top-level Makefile after the kernel
# rules (it uses BUILD, KCC, LD, OBJCOPY, WARNINGS, OPT_$(BUILD_TYPE), Q).
#
# Also declares the host suite "efiload": include this file before the
# host-suite rules are generated.

EFI_INC ?= /usr/include/efi
EFI_LIB ?= /usr/lib
EFI_CRT0 := $(EFI_LIB)/crt0-efi-x86_64.o
EFI_LDS := $(EFI_LIB)/elf_x86_64_efi.lds
EFI_OUT := $(BUILD)/efi

# The loader's own sources, plus the common boot-information code compiled
# again with the loader's flags (-fpic): the UEFI map is converted by
# boot/efimap.c, the one converter, not by a copy.
EFI_PURE_C := boot/efi/elf_image.c boot/efi/exit_boot.c boot/efi/file_path.c \
	boot/efi/identity_map.c boot/efi/load_options.c
EFI_C := $(sort $(wildcard boot/efi/*.c)) boot/bootinfo.c boot/efimap.c boot/msgfmt.c \
	boot/cmdline.c arch/x86/serial.c
EFI_S := boot/efi/handoff.S boot/efi/kernel_blob.S
EFI_OBJ := $(patsubst %,$(EFI_OUT)/%.o,$(EFI_C) $(EFI_S))

# The usual gnu-efi recipe. GNU_EFI_USE_MS_ABI: firmware calls use the
# ms_abi attribute (EFIAPI) directly, no uefi_call_wrapper; efi_main itself is
# called by gnu-efi's crt0 with the System V convention. The gnu-efi headers
# come in with -isystem, as the compiler's own do: they are not held to our
# warning flags (they trip -Wstrict-prototypes); our code is.
EFI_CFLAGS := -std=c11 -ffreestanding -nostdinc -isystem $(shell $(KCC) -print-file-name=include) \
	-isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -DGNU_EFI_USE_MS_ABI \
	-fpic -fshort-wchar -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-avx \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	$(call check_flag,-fcf-protection=none) $(WARNINGS) $(OPT_$(BUILD_TYPE)) -I. -MMD -MP
EFI_LDFLAGS := -nostdlib -znocombreloc -T $(EFI_LDS) -shared -Bsymbolic -L$(EFI_LIB) \
	-z noexecstack
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j .reloc

.PHONY: efi
efi: $(BUILD)/hv.efi

$(EFI_OUT)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  EFICC   $<")
	$(Q)$(KCC) $(EFI_CFLAGS) -c $< -o $@

$(EFI_OUT)/boot/efi/handoff.S.o: boot/efi/handoff.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  EFIAS   $<")
	$(Q)$(KCC) -fpic -c $< -o $@

# The kernel without debug information, and hv_efi_entry from its symbols.
$(EFI_OUT)/hv.elf: $(BUILD)/hv.elf
	@mkdir -p $(dir $@)
	$(Q)$(OBJCOPY) --strip-debug $< $@

$(EFI_OUT)/boot/efi/kernel_blob.S.o: boot/efi/kernel_blob.S $(EFI_OUT)/hv.elf
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  EFIAS   $< ($(BUILD)/hv.elf inside)")
	$(Q)entry=$$(nm $(EFI_OUT)/hv.elf | awk '/ hv_efi_entry$$/ { print $$1 }'); \
	[ -n "$$entry" ] || { echo "efi: no hv_efi_entry in $(BUILD)/hv.elf" >&2; exit 1; }; \
	$(KCC) -fpic -DHV_KERNEL_ELF='"$(EFI_OUT)/hv.elf"' -DHV_EFI_ENTRY=0x$$entry -c $< -o $@

# Link as a shared object at 0 with gnu-efi's crt0 and linker script; crt0's
# _relocate applies the R_X86_64_RELATIVE relocations at run time, the only
# kind it handles, so refuse anything else here.
$(EFI_OUT)/hv.so: $(EFI_OBJ)
	@$(if $(Q),echo "  EFILD   $@")
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_CRT0) $(EFI_OBJ) -lefi -lgnuefi -o $@
	$(Q)if readelf -rW $@ | awk '/^[0-9a-f]+ / && $$3 != "R_X86_64_RELATIVE"' | grep .; then \
		echo "efi: $@ has relocations crt0 cannot apply" >&2; rm -f $@; exit 1; fi

$(BUILD)/hv.efi: $(EFI_OUT)/hv.so
	@$(if $(Q),echo "  EFI     $@")
	$(Q)$(OBJCOPY) $(EFI_SECTIONS) --target=efi-app-x86_64 --subsystem=10 $< $@

# Host tests of the loader's pure parts (no firmware needed).
HOST_SUITES += efiload
efiload_SRCS := $(EFI_PURE_C) boot/bootinfo.c boot/efimap.c boot/msgfmt.c \
	$(sort $(wildcard tests/unit/efiload/*.c))

-include $(EFI_OBJ:.o=.d)
