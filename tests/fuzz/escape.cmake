tp_add_fuzz_target(escape ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_escape.c)
if(TP_FUZZ)
  # See capture.cmake: instrument the code under test for coverage.
  target_sources(fuzz_escape PRIVATE ${PROJECT_SOURCE_DIR}/core/output/escape.c)
endif()
