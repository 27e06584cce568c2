# The V8 plugin's pure parsers (plugins/v8/v8_{name,log,trace}.c), compiled
# into their tests: names over the real Node 20 perf maps and symbol table,
# logs over the Node 20/12/8 captures and the v8-deopt-viewer conformance
# logs, trace text over the Node 20 and Crankshaft captures (tests/fixtures/v8).
foreach(p name log trace)
  tp_add_unit_test(test_v8_${p} ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_v8_${p}.c
    ${PROJECT_SOURCE_DIR}/plugins/v8/v8_${p}.c)
  target_include_directories(test_v8_${p} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/v8)
endforeach()
# The log test checks the names it decodes with the name parser.
target_sources(test_v8_log PRIVATE ${PROJECT_SOURCE_DIR}/plugins/v8/v8_name.c)
