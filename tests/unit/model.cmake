tp_add_unit_test(test_addrspace ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_addrspace.c)
tp_add_unit_test(test_hash ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_hash.c)
tp_add_unit_test(test_functions ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_functions.c)
tp_add_unit_test(test_rstacks ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_rstacks.c)
