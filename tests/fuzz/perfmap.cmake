tp_add_fuzz_target(perfmap ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_perfmap.c)
if(TP_FUZZ)
  # See capture.cmake: instrument the code under test for coverage.
  target_sources(fuzz_perfmap PRIVATE
    ${PROJECT_SOURCE_DIR}/core/symbol/perfmap.c
    ${PROJECT_SOURCE_DIR}/core/symbol/jitmap.c)
endif()
