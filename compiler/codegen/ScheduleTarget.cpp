// ScheduleTarget: what the schedules know of the CPU, from the module's
// #acnn.target or a pass option's ISA shorthand.
#include "compiler/codegen/Schedule.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace acnn {

ScheduleTarget ScheduleTarget::fromAttr(TargetAttr attr) {
  ScheduleTarget t;
  t.vectorBits = attr.getVectorBits();
  t.vectorRegisters = attr.getVectorRegisters();
  t.l1Bytes = attr.getL1Bytes();
  t.l2Bytes = attr.getL2Bytes();
  t.l3Bytes = attr.getL3Bytes();
  t.threads = attr.getThreads();
  return t;
}

std::optional<ScheduleTarget> ScheduleTarget::parse(llvm::StringRef text) {
  ScheduleTarget t;
  if (text == "avx512")
    t.vectorBits = 512, t.vectorRegisters = 32;
  else if (text == "sse")
    t.vectorBits = 128;
  else if (text != "avx2")
    return std::nullopt;
  return t;
}

FailureOr<ScheduleTarget> ScheduleTarget::of(Operation *op, llvm::StringRef option) {
  if (!option.empty()) {
    if (std::optional<ScheduleTarget> t = parse(option))
      return *t;
    return op->emitError() << "target option '" << option << "' is not avx2, avx512 or sse";
  }
  return fromAttr(targetOf(op));
}

std::string ScheduleTarget::str() const {
  return llvm::formatv("{0}-bit vectors x {1} registers, L1 {2} KiB, L2 {3} KiB, {4} threads",
                       vectorBits, vectorRegisters, l1Bytes / 1024, l2Bytes / 1024, threads)
      .str();
}

} // namespace acnn
