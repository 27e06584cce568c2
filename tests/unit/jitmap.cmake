# Time-aware JIT code table: rules, a brute-force oracle, real address reuse.
tp_add_unit_test(test_jitmap ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_jitmap.c)
