# JIT churn (core/analysis/churn.c): the thresholds over figures, and the real
# PyPy bundles through the pypy plugin into the report's text and JSON.
tp_add_unit_test(test_jit_churn ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_jit_churn.c)
target_compile_definitions(test_jit_churn PRIVATE TP_PYPY_PLUGIN="$<TARGET_FILE:tp_plugin_pypy>")
add_dependencies(test_jit_churn tp_plugin_pypy)
