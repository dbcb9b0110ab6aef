# Writes OUT (a header) with the project version and the git commit of SOURCE_DIR, when it is a
# checkout ("unknown" otherwise). Run at every build (add_custom_target in CMakeLists.txt);
# configure_file leaves the header untouched when nothing changed, so nothing recompiles.
execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE FOOTLOOSE_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE git_failed ERROR_QUIET)
if(git_failed OR FOOTLOOSE_GIT_COMMIT STREQUAL "")
  set(FOOTLOOSE_GIT_COMMIT "unknown")
else()
  execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT dirty STREQUAL "")
    set(FOOTLOOSE_GIT_COMMIT "${FOOTLOOSE_GIT_COMMIT}-modified")
  endif()
endif()
configure_file("${SOURCE_DIR}/src/build_info.hpp.in" "${OUT}" @ONLY)
