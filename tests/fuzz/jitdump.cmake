tp_add_fuzz_target(jitdump ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_jitdump.c)
if(TP_FUZZ)
  # See capture.cmake: instrument the code under test for coverage.
  target_sources(fuzz_jitdump PRIVATE
    ${PROJECT_SOURCE_DIR}/core/symbol/jitdump.c
    ${PROJECT_SOURCE_DIR}/core/symbol/jitmap.c)
endif()
