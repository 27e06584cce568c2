# The collapsed-stack parser (core/capture/collapsed.c) over the real
# async-profiler and FlameGraph files of tests/fixtures/folded, and bad input.
tp_add_unit_test(test_collapsed ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_collapsed.c)
