# libFuzzer target for the collapsed-stack parser (tierprof import --collapsed).
tp_add_fuzz_target(collapsed ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_collapsed.c)
if(TP_FUZZ)
  # See capture.cmake: instrument the code under test for coverage.
  target_sources(fuzz_collapsed PRIVATE ${PROJECT_SOURCE_DIR}/core/capture/collapsed.c)
endif()
