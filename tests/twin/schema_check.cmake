# Fails when `twin schema` (generated from the parameter tables) differs from
# the shipped scenarios/scenario.schema.json.
# Usage: cmake -DTWIN=<twin program> -DSCHEMA=<shipped schema> -P schema_check.cmake
execute_process(COMMAND ${TWIN} schema OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "`twin schema` exited with ${rc}")
endif()
file(READ ${SCHEMA} shipped)
if(NOT "${generated}" STREQUAL "${shipped}")
  message(FATAL_ERROR "${SCHEMA} differs from `twin schema`: the parameter tables changed. "
                      "Regenerate it: twin schema > scenarios/scenario.schema.json")
endif()
message(STATUS "scenario.schema.json is `twin schema`'s output")
