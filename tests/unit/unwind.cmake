tp_add_unit_test(test_unwind ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_unwind.c)
# A library without frame pointers, built from source (tests/accuracy).
target_link_libraries(test_unwind PRIVATE acc_libnofp ${CMAKE_DL_LIBS})
