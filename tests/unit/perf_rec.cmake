tp_add_unit_test(test_perf_rec ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_perf_rec.c)
