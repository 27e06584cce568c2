tp_add_fuzz_target(plugin_descriptor ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_plugin_descriptor.c)
if(TP_FUZZ)
  # See capture.cmake: instrument the validator under test for coverage.
  target_sources(fuzz_plugin_descriptor PRIVATE ${PROJECT_SOURCE_DIR}/core/plugin/descriptor.c)
endif()
