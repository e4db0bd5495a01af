HOST_SUITES += vmx
vmx_SRCS := vmx/caps.c vmx/controls.c vmx/names.c vmx/vmcs_dump.c tests/unit/vmx/fixtures.c tests/unit/vmx/test_controls.c tests/unit/vmx/test_caps.c tests/unit/vmx/test_names.c tests/unit/vmx/test_fields.c tests/unit/vmx/test_dump.c
