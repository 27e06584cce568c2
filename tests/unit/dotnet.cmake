# The .NET plugin: its name/perfinfo parser (plugins/dotnet/dotnet_name.c)
# over the real CoreCLR perf maps and jitdump of tests/fixtures/jit, and the
# plugin through the host over captures built around the same real maps.
tp_add_unit_test(test_dotnet_name ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_dotnet_name.c
  ${PROJECT_SOURCE_DIR}/plugins/dotnet/dotnet_name.c)
target_include_directories(test_dotnet_name PRIVATE ${PROJECT_SOURCE_DIR}/plugins/dotnet)
tp_add_unit_test(test_plugin_dotnet ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_plugin_dotnet.c)
target_compile_definitions(test_plugin_dotnet PRIVATE
  TP_DOTNET_PLUGIN="$<TARGET_FILE:tp_plugin_dotnet>")
add_dependencies(test_plugin_dotnet tp_plugin_dotnet)
