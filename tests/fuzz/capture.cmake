tp_add_fuzz_target(capture ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_capture.c)
if(TP_FUZZ)
  # tierprof_core is built without coverage instrumentation, which leaves
  # libFuzzer blind inside it: compile the decoders under test into the fuzzer
  # itself (their objects then win over the archive's copies at link time).
  target_sources(fuzz_capture PRIVATE
    ${PROJECT_SOURCE_DIR}/core/capture/reader.c
    ${PROJECT_SOURCE_DIR}/core/capture/perf_rec.c
    ${PROJECT_SOURCE_DIR}/core/proc/maps.c)
endif()
