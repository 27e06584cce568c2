# Jitdump parser over synthetic dumps and the real ones of tests/fixtures/jit.
tp_add_unit_test(test_jitdump ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_jitdump.c)
