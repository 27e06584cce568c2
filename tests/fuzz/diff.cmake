# libFuzzer targets for the inputs of check and health: the rules file and
# the health JSON read as a baseline.
tp_add_fuzz_target(rules ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_rules.c)
tp_add_fuzz_target(health_json ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_health_json.c)
