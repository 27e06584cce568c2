# Perf map parser over synthetic text and the real maps of tests/fixtures/jit.
tp_add_unit_test(test_perfmap ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_perfmap.c)
