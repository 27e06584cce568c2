# libFuzzer targets for the V8 plugin's parsers. They are plugin sources, not
# part of tierprof_core: compile them into the replay and fuzz binaries.
foreach(p name log trace)
  tp_add_fuzz_target(v8_${p} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_v8_${p}.c)
  set(targets replay_v8_${p})
  if(TP_FUZZ)
    list(APPEND targets fuzz_v8_${p})
  endif()
  foreach(t ${targets})
    target_sources(${t} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/v8/v8_${p}.c)
    target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/v8)
  endforeach()
endforeach()
# The log target feeds every decoded name to the name parser too.
target_sources(replay_v8_log PRIVATE ${PROJECT_SOURCE_DIR}/plugins/v8/v8_name.c)
if(TP_FUZZ)
  target_sources(fuzz_v8_log PRIVATE ${PROJECT_SOURCE_DIR}/plugins/v8/v8_name.c)
endif()
