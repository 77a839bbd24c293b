# clang-format over the project's own sources: `format` rewrites them,
# `format-check` fails on any difference (CI runs it).
find_program(CLANG_FORMAT NAMES clang-format clang-format-14)
if(CLANG_FORMAT)
  file(GLOB_RECURSE PYJUDGE_FORMAT_SOURCES CONFIGURE_DEPENDS
    ${CMAKE_SOURCE_DIR}/runner/*.cpp ${CMAKE_SOURCE_DIR}/runner/*.h
    ${CMAKE_SOURCE_DIR}/judge/*.cpp ${CMAKE_SOURCE_DIR}/judge/*.h
    ${CMAKE_SOURCE_DIR}/tests/*.cpp ${CMAKE_SOURCE_DIR}/tests/*.h)
  add_custom_target(format
    COMMAND ${CLANG_FORMAT} -i --style=file ${PYJUDGE_FORMAT_SOURCES}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "clang-format: rewriting the sources")
  add_custom_target(format-check
    COMMAND ${CLANG_FORMAT} --dry-run -Werror --style=file ${PYJUDGE_FORMAT_SOURCES}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "clang-format: checking the sources")
endif()
