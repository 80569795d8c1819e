# The fuzz harnesses, one list for both builds: the libFuzzer one (make
# fuzz, tests/fuzz/CMakeLists.txt) and the replay of their corpora and
# reproducers in make test (tests/CMakeLists.txt). Each entry:
# NAME:SOURCE[:FUZZ_FORMAT].
set(CORDON_HARNESSES
  detect:fuzz_detect.c
  jsonl:fuzz_jsonl.c
  rules:fuzz_rules.c
  audit:fuzz_audit.c
  conf:fuzz_conf.c
  policy:fuzz_policy.c
  probe:fuzz_probe.c
  jwt:fuzz_jwt.c
  input:fuzz_input.c
  access:fuzz_access.c
  nkey:fuzz_nkey.c
  text:fuzz_records.c:CORDON_FORMAT_TEXT
  jsonl_plant:fuzz_records.c:CORDON_FORMAT_JSONL
  csv:fuzz_records.c:CORDON_FORMAT_CSV
  es_bulk:fuzz_records.c:CORDON_FORMAT_ES_BULK)

# Adds target PREFIX_NAME built from the harness (and EXTRA sources); sets
# NAME in the caller.
function(cordon_harness spec prefix extra)
  string(REPLACE ":" ";" entry "${spec}")
  list(GET entry 0 name)
  set(name ${name} PARENT_SCOPE)
  list(GET entry 1 src)
  add_executable(${prefix}_${name} ${PROJECT_SOURCE_DIR}/tests/fuzz/${src} ${extra})
  list(LENGTH entry n)
  if(n GREATER 2)
    list(GET entry 2 format)
    target_compile_definitions(${prefix}_${name} PRIVATE FUZZ_FORMAT=${format})
  endif()
  target_include_directories(${prefix}_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${prefix}_${name} PRIVATE cordon_internal PkgConfig::JANSSON PkgConfig::ZLIB)
endfunction()
