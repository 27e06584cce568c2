# Comparing runs: the statistics (known values), the diff of hand-built
# profiles, the check rules parser (malformed input) and the health JSON.
tp_add_unit_test(test_significance ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_significance.c)
tp_add_unit_test(test_diff ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_diff.c)
tp_add_unit_test(test_rules ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_rules.c)
