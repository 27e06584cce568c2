tp_add_unit_test(test_capture ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_capture.c)
# End to end through the real recorder: needs the tierprof binary built first.
tp_add_unit_test(test_capture_record ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_capture_record.c)
add_dependencies(test_capture_record tierprof)
set_tests_properties(unit.test_capture_record PROPERTIES TIMEOUT 120)
