tp_add_fuzz_target(maps ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_maps.c)
if(TP_FUZZ)
  # See capture.cmake: instrument the parser under test for coverage.
  target_sources(fuzz_maps PRIVATE ${PROJECT_SOURCE_DIR}/core/proc/maps.c)
endif()
