tp_add_unit_test(test_maps ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_maps.c)
