# Interchange writers: protobuf encoder, pprof, speedscope, flame graph
# (tree and SVG), folded annotations, text escaping.
tp_add_unit_test(test_protobuf ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_protobuf.c)
tp_add_unit_test(test_pprof ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_pprof.c)
tp_add_unit_test(test_speedscope ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_speedscope.c)
tp_add_unit_test(test_flame ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_flame.c)
tp_add_unit_test(test_folded ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_folded.c)
tp_add_unit_test(test_escape ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_escape.c)
