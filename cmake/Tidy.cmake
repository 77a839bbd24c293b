# clang-tidy over the project's own code (runner/ and judge/) with the
# repository's .clang-tidy: `tidy` fails on any finding (CI runs it). The tests
# are left out: doctest's macros expand into code no rule here is meant for.
find_program(RUN_CLANG_TIDY NAMES run-clang-tidy run-clang-tidy-14)
if(RUN_CLANG_TIDY)
  cmake_host_system_information(RESULT PYJUDGE_TIDY_JOBS QUERY NUMBER_OF_LOGICAL_CORES)
  add_custom_target(tidy
    COMMAND ${RUN_CLANG_TIDY} -p ${CMAKE_BINARY_DIR} -quiet -j ${PYJUDGE_TIDY_JOBS}
            "${CMAKE_SOURCE_DIR}/(runner|judge)/.*\\.cpp$"
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "clang-tidy: checking runner/ and judge/"
    USES_TERMINAL
    VERBATIM)
  # The static analyzer alone (too slow for CI's budget: see .clang-tidy).
  add_custom_target(tidy-analyzer
    COMMAND ${RUN_CLANG_TIDY} -p ${CMAKE_BINARY_DIR} -quiet -j ${PYJUDGE_TIDY_JOBS}
            "-checks=-*,clang-analyzer-*" "${CMAKE_SOURCE_DIR}/(runner|judge)/.*\\.cpp$"
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "clang-tidy: the static analyzer over runner/ and judge/"
    USES_TERMINAL
    VERBATIM)
  # generated headers (version.h) must exist before clang-tidy parses the code
  foreach(t tidy tidy-analyzer)
    add_dependencies(${t} pyjudge)
    if(TARGET pyjudge-supervisor)
      add_dependencies(${t} pyjudge-supervisor)
    endif()
  endforeach()
endif()
