tp_add_fuzz_target(kallsyms ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_kallsyms.c)
