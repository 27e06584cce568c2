# Symbolization: the symbol table, ELF loading (over fixtures built in
# tests/fixtures) and /proc/kallsyms.
tp_add_unit_test(test_symtab ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_symtab.c)
tp_add_unit_test(test_elf ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_elf.c)
tp_add_unit_test(test_kallsyms ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_kallsyms.c)
# The fixtures target is defined later, in tests/fixtures; dependencies are
# resolved at generate time.
add_dependencies(test_elf tp_elf_fixtures)
