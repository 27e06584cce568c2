# The HotSpot plugin's pure parsers (plugins/hotspot/hs_{printcomp,logc,name}.c),
# compiled into their tests over the real JDK 17 / JDK 25 captures
# (tests/fixtures/hotspot).
tp_add_unit_test(test_hotspot_printcomp ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_hotspot_printcomp.c
  ${PROJECT_SOURCE_DIR}/plugins/hotspot/hs_printcomp.c)
tp_add_unit_test(test_hotspot_logc ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_hotspot_logc.c
  ${PROJECT_SOURCE_DIR}/plugins/hotspot/hs_logc.c ${PROJECT_SOURCE_DIR}/plugins/hotspot/hs_xml.c
  ${PROJECT_SOURCE_DIR}/plugins/hotspot/hs_name.c)
tp_add_unit_test(test_hotspot_name ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_hotspot_name.c
  ${PROJECT_SOURCE_DIR}/plugins/hotspot/hs_name.c)
tp_add_unit_test(test_hotspot_methods ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_hotspot_methods.c
  ${PROJECT_SOURCE_DIR}/plugins/hotspot/hs_methods.c ${PROJECT_SOURCE_DIR}/plugins/hotspot/hs_name.c)
foreach(t printcomp logc name methods)
  target_include_directories(test_hotspot_${t} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/hotspot)
endforeach()
