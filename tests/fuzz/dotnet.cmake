# libFuzzer target for the .NET plugin's parser (plugins/dotnet/dotnet_name.c):
# a plugin source, not part of tierprof_core, compiled into both binaries.
tp_add_fuzz_target(dotnet_name ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_dotnet_name.c)
set(targets replay_dotnet_name)
if(TP_FUZZ)
  list(APPEND targets fuzz_dotnet_name)
endif()
foreach(t ${targets})
  target_sources(${t} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/dotnet/dotnet_name.c)
  target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/dotnet)
endforeach()
