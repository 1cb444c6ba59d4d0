#ifndef ACNN_COMPILER_CODEGEN_SCHEDULEKERNELACTION_H
#define ACNN_COMPILER_CODEGEN_SCHEDULEKERNELACTION_H

// acnn-apply-schedules runs each kernel's script as this MLIR action, so a
// driver's action handler sees the kernels go by (acnnc's progress line counts
// them) without the pass knowing who listens.

#include "mlir/IR/Action.h"

namespace acnn {

class ScheduleKernelAction : public mlir::tracing::ActionImpl<ScheduleKernelAction> {
public:
  static constexpr llvm::StringLiteral tag = "acnn-schedule-kernel";
  /// A loop nest `name` of the graph's kernel `index` (0-based) of the
  /// `total` the function being scheduled has.
  ScheduleKernelAction(llvm::ArrayRef<mlir::IRUnit> units, int64_t index, int64_t total,
                       llvm::StringRef name)
      : ActionImpl(units), index(index), total(total), name(name) {}
  void print(llvm::raw_ostream &os) const override {
    os << tag << " " << (index + 1) << "/" << total << " '" << name << "'";
  }
  int64_t index, total;
  llvm::StringRef name;
};

} // namespace acnn

MLIR_DECLARE_EXPLICIT_TYPE_ID(acnn::ScheduleKernelAction)

#endif
