tp_add_fuzz_target(jitmap ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_jitmap.c)
if(TP_FUZZ)
  # See capture.cmake: instrument the code under test for coverage.
  target_sources(fuzz_jitmap PRIVATE ${PROJECT_SOURCE_DIR}/core/symbol/jitmap.c)
endif()
