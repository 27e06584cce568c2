# The PyPy plugin's parsers (plugins/pypy/pypy_{log,hook,vmprof}.c), compiled into
# their tests: PYPYLOG over real PyPy 7.3 captures and PyPy's own test logs,
# the startup hook's file, the bundle and vmprof profiles over real runs
# (tests/fixtures/pypy).
foreach(p log hook vmprof)
  tp_add_unit_test(test_pypy_${p} ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_pypy_${p}.c
    ${PROJECT_SOURCE_DIR}/plugins/pypy/pypy_${p}.c)
  target_include_directories(test_pypy_${p} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/pypy)
endforeach()

# The built-in plugin through the host: classification, hints, ingest of a
# real bundle (code ranges, invalidation loop, figures).
tp_add_unit_test(test_plugin_pypy ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_plugin_pypy.c)
target_compile_definitions(test_plugin_pypy PRIVATE TP_PYPY_PLUGIN="$<TARGET_FILE:tp_plugin_pypy>")
add_dependencies(test_plugin_pypy tp_plugin_pypy)

# vmprof profile -> runtime stacks (libpypy, and callers of JIT code) through
# a fake host, over the steady.py profile.
tp_add_unit_test(test_pypy_vmprof_ingest ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_pypy_vmprof_ingest.c
  ${PROJECT_SOURCE_DIR}/plugins/pypy/pypy_vmprof_ingest.c ${PROJECT_SOURCE_DIR}/plugins/pypy/pypy_vmprof.c
  ${PROJECT_SOURCE_DIR}/plugins/pypy/pypy_name.c)
target_include_directories(test_pypy_vmprof_ingest PRIVATE ${PROJECT_SOURCE_DIR}/plugins/pypy)
