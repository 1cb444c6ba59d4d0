#ifndef ACNN_COMPILER_CODEGEN_TARGETDESCRIPTION_H
#define ACNN_COMPILER_CODEGEN_TARGETDESCRIPTION_H

// The #acnn.target a model is compiled for, made once by the driver from the
// LLVM target machine of `--cpu`. The only place that looks at the host:
// every pass reads the module's attribute instead.

#include "dialects/acnn/AcnnAttrs.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

namespace acnn {

/// The CPUs this process may run on (fewer than the machine's in a container
/// or under taskset).
int64_t availableCpus();

/// `machine`'s CPU: its vector ISA and registers, its data caches (read off
/// this machine when `host`, else the CPU family's usual sizes) and
/// `threads` (0: availableCpus()).
TargetAttr describeTarget(mlir::MLIRContext *ctx, llvm::TargetMachine &machine, bool host,
                          int64_t threads);

/// `target` with the vectors of `isa` ("sse", "avx2", "avx512"): schedules
/// for another ISA than the code's (to test AVX-512 schedules on an AVX2
/// machine). An error names an unknown ISA.
llvm::Expected<TargetAttr> withIsa(TargetAttr target, llvm::StringRef isa);

} // namespace acnn

#endif
