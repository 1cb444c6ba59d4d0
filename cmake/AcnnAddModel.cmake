# acnn_add_model(<target> <model> [NAME <c-name>] [OPTIONS <acnnc compile options>...]
#                [DEPENDS <files>...])
#
# Compiles <model> (.onnx, .acnn or .mlir; relative to the current source
# directory) with `acnnc compile` at build time into a static library target
# <target>. Linking it gives the program the model, libacnnrt and the OpenMP
# runtime, and puts the generated header <c-name>.h on its include path; the
# header declares `acnn_<c-name>_load(acnn_model **)`. <c-name> defaults to
# <target>. OPTIONS go to acnnc as they are (e.g. --threads 4, --cpu x86-64-v3,
# --input-shape input=1x3x320x320, --weights w.safetensors); files they name
# belong in DEPENDS so that editing them recompiles the model.
#
# Needs the targets acnn::acnnc and acnn::acnnrt and the variable
# ACNN_OPENMP_LIBRARY (LLVM's libomp), which find_package(acnn) and acnn's own
# build define.
function(acnn_add_model target model)
  cmake_parse_arguments(PARSE_ARGV 2 ARG "" "NAME" "OPTIONS;DEPENDS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "acnn_add_model(${target}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME ${target})
  endif()
  if(NOT ARG_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "acnn_add_model(${target}): NAME '${ARG_NAME}' is not a C identifier")
  endif()
  get_filename_component(model ${model} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}.acnn)
  set(object ${dir}/${ARG_NAME}.o)
  add_custom_command(
    OUTPUT ${object} ${dir}/${ARG_NAME}.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND acnn::acnnc compile ${model} -o ${object} --name ${ARG_NAME} -q ${ARG_OPTIONS}
    DEPENDS acnn::acnnc ${model} ${ARG_DEPENDS}
    COMMENT "Compiling ${model} with acnnc"
    VERBATIM)
  add_library(${target} STATIC ${object})
  set_source_files_properties(${object} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${target} PUBLIC ${dir})
  get_filename_component(ompdir ${ACNN_OPENMP_LIBRARY} DIRECTORY)
  target_link_libraries(${target} PUBLIC acnn::acnnrt ${ACNN_OPENMP_LIBRARY} m)
  # libomp lives in LLVM's directory, not on the loader's path.
  target_link_options(${target} INTERFACE "LINKER:-rpath,${ompdir}")
endfunction()
