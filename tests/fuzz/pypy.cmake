# libFuzzer targets for the PyPy plugin's parsers (plugins/pypy): the PYPYLOG
# parser, the bundle + startup-hook file parsers, and the vmprof parser.
# Plugin sources, not part of tierprof_core: compiled into the replay and
# fuzz binaries.
foreach(t pypy_log pypy_bundle pypy_vmprof)
  tp_add_fuzz_target(${t} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${t}.c)
  set(targets replay_${t})
  if(TP_FUZZ)
    list(APPEND targets fuzz_${t})
  endif()
  foreach(b ${targets})
    target_sources(${b} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/pypy/pypy_log.c
      ${PROJECT_SOURCE_DIR}/plugins/pypy/pypy_vmprof.c
      ${PROJECT_SOURCE_DIR}/plugins/pypy/pypy_hook.c)
    target_include_directories(${b} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/pypy)
  endforeach()
endforeach()
