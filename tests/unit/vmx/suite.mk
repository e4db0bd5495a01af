HOST_SUITES += vmx
vmx_SRCS := vmx/hw/caps.c vmx/hw/controls.c vmx/hw/names.c vmx/hw/vmcs_dump.c tests/unit/vmx/fixtures.c tests/unit/vmx/test_controls.c tests/unit/vmx/test_caps.c tests/unit/vmx/test_names.c tests/unit/vmx/test_fields.c tests/unit/vmx/test_dump.c
