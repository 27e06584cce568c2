tp_add_fuzz_target(elf ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_elf.c)
