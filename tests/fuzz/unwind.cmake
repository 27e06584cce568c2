tp_add_fuzz_target(unwind ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_unwind.c)
