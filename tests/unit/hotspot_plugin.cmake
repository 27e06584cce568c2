# The HotSpot plugin through the host: classification of real names, ingest of
# the real LogCompilation excerpt (events with exact counts), and a capture
# around the real exit perf map (tests/unit/test_plugin_hotspot.c).
tp_add_unit_test(test_plugin_hotspot ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_plugin_hotspot.c)
target_compile_definitions(test_plugin_hotspot PRIVATE
  TP_HOTSPOT_PLUGIN="$<TARGET_FILE:tp_plugin_hotspot>")
add_dependencies(test_plugin_hotspot tp_plugin_hotspot)
