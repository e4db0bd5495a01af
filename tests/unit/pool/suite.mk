HOST_SUITES += pool
pool_SRCS := pool/access.c pool/alloc.c pool/audit.c pool/cache.c pool/entry.c pool/extent.c pool/flush.c pool/fmt.c pool/init.c pool/kind.c pool/monitor.c pool/page.c pool/ram.c pool/ref.c pool/stats.c pool/user.c pool/write.c tests/unit/pool/env.c tests/unit/pool/basic_test.c tests/unit/pool/exhaust_test.c tests/unit/pool/monitor_test.c tests/unit/pool/flush_test.c
