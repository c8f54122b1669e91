# Every target of ours gets the same strict warnings, as errors (DESIGN.md rule 10).
add_library(keeper_warnings INTERFACE)
add_library(keeper::warnings ALIAS keeper_warnings)
target_compile_options(keeper_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  # GCC 12 at -O2/-O3 reports -Wrestrict and -Wnull-dereference inside
  # libstdc++'s string concatenation and nlohmann::json's lookups (GCC bugs
  # 105329, 105651): false positives in code we do not own. Debug builds, which
  # the tests use, keep both checks.
  "$<$<AND:$<CXX_COMPILER_ID:GNU>,$<NOT:$<CONFIG:Debug>>>:-Wno-restrict;-Wno-null-dereference>")

if(KEEPER_SANITIZE)
  # -g1 (line tables) is all a sanitizer report needs to name file and line;
  # full -g costs ~12% more compile time and much larger objects and links.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
                      $<$<CONFIG:Debug>:-g1>)
  add_link_options(-fsanitize=address,undefined)
endif()


if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # libstdc++ 12 gates std::expected on __cpp_concepts >= 202002L, which clang
  # (14..16) does not advertise although it compiles what <expected> needs:
  # every clang build, not only the fuzz build (a plain clang-16 Debug build
  # stopped at core/result.hpp without it).
  add_compile_options(-Wno-builtin-macro-redefined -U__cpp_concepts -D__cpp_concepts=202002L)
endif()

if(KEEPER_FUZZ)
  # The same objects serve the fuzz targets and the sanitised unit tests
  # (scripts/test builds both in one tree). Only the libraries a fuzzer can
  # reach get libFuzzer's coverage hooks (keeper_library below): on the tests
  # and the app_ libraries they only cost compile time (a third more, measured).
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# Our own library: one folder, one CMake library, one keeper:: alias.
function(keeper_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(keeper_${name} ${ARG_SOURCES})
  add_library(keeper::${name} ALIAS keeper_${name})
  target_include_directories(keeper_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_link_libraries(keeper_${name} PUBLIC ${ARG_PUBLIC} PRIVATE keeper::warnings ${ARG_PRIVATE})
  if(KEEPER_FUZZ AND NOT name MATCHES "^app_")
    target_compile_options(keeper_${name} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()
