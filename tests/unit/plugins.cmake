# Plugin host: descriptor rules, loader and host services against the fake
# plugins of tests/plugins, and the SDK example plugin (plugins/example).
add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/plugins ${CMAKE_CURRENT_BINARY_DIR}/plugins)

tp_add_unit_test(test_plugin_descriptor ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_plugin_descriptor.c)

tp_add_unit_test(test_plugin_loader ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_plugin_loader.c)
target_compile_definitions(test_plugin_loader PRIVATE TP_FAKE_PLUGIN_DIR="${TP_FAKE_PLUGIN_DIR}")
add_dependencies(test_plugin_loader ${TP_FAKE_PLUGIN_TARGETS})

tp_add_unit_test(test_plugin_example ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_plugin_example.c)
target_compile_definitions(test_plugin_example PRIVATE
  TP_EXAMPLE_PLUGIN="$<TARGET_FILE:tp_plugin_toyvm>" TP_TOYVM="$<TARGET_FILE:toyvm>")
add_dependencies(test_plugin_example tp_plugin_toyvm toyvm)

# The built-in V8 plugin: classification, hints, ingest of a real log.
tp_add_unit_test(test_plugin_v8 ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_plugin_v8.c)
target_compile_definitions(test_plugin_v8 PRIVATE TP_V8_PLUGIN="$<TARGET_FILE:tp_plugin_v8>")
add_dependencies(test_plugin_v8 tp_plugin_v8)

# ABI 1.3 refine: host calls and the core's refiner over fake plugins.
tp_add_unit_test(test_plugin_refine ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_plugin_refine.c)
target_compile_definitions(test_plugin_refine PRIVATE TP_FAKE_PLUGIN_DIR="${TP_FAKE_PLUGIN_DIR}")
add_dependencies(test_plugin_refine ${TP_FAKE_PLUGIN_TARGETS})
