# lit configuration for acnn's IR tests: acnn-opt and acnnc with FileCheck.
import os
import lit.formats

config.name = "acnn"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".acnn", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.acnn_binary_dir, "tests", "lit")

# Our tools first, then LLVM's FileCheck, not and count.
config.environment["PATH"] = os.pathsep.join(
    [config.acnn_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%models", os.path.join(config.acnn_source_dir, "tests", "models")))
config.substitutions.append(("%examples", os.path.join(config.acnn_source_dir, "examples")))
config.substitutions.append(("%bench", os.path.join(config.acnn_source_dir, "bench")))
