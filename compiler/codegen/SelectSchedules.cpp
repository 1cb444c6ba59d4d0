// acnn-select-schedules: forms the kernels of each function (a top-level
// linalg op, or a group of acnn-group-epilogues: its consumer, scheduled by
// its conv's or matmul's loops) and gives each its schedule as data: the
// generator's for the module's target, or the entry of a schedules file.
#include "compiler/codegen/KernelKey.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ScheduleFile.h"

#include "llvm/ADT/StringMap.h"

namespace acnn {

#define GEN_PASS_DEF_SELECTSCHEDULES
#include "compiler/codegen/Passes.h.inc"

using namespace mlir;

namespace {

struct Kernel {
  linalg::LinalgOp root;  // the op tagged acnn.kernel, holding the schedule
  linalg::LinalgOp loops; // the op whose loops the schedule tiles
  Operation *start = nullptr;
};

/// The kernels of `func` in order, their group's ops tagged. A group whose
/// consumer is gone leaves its ops kernels of their own.
std::vector<Kernel> formKernels(func::FuncOp func) {
  llvm::DenseSet<Attribute> groups;
  func.walk([&](linalg::GenericOp op) {
    if (Attribute group = op->getAttr(kGroupEpilogueAttr))
      groups.insert(group);
  });
  SmallVector<linalg::LinalgOp> roots;
  llvm::DenseMap<Attribute, linalg::LinalgOp> bodies;
  llvm::DenseMap<Attribute, Operation *> starts;
  func.walk([&](linalg::LinalgOp op) {
    if (op->getParentOfType<linalg::LinalgOp>())
      return;
    Attribute body = op->getAttr(kGroupBodyAttr), start = op->getAttr(kGroupStartAttr);
    if (body && groups.contains(body)) {
      bodies[body] = op;
    } else if (start && groups.contains(start)) {
      starts[start] = op;
    } else {
      op->removeAttr(kGroupBodyAttr);
      op->removeAttr(kGroupStartAttr);
      roots.push_back(op);
    }
  });
  std::vector<Kernel> kernels;
  for (linalg::LinalgOp root : roots) {
    Attribute group = root->getAttr(kGroupEpilogueAttr);
    linalg::LinalgOp body = group ? bodies.lookup(group) : linalg::LinalgOp();
    kernels.push_back(body ? Kernel{root, body, starts.lookup(group)} : Kernel{root, root});
  }
  return kernels;
}

struct SelectSchedules : impl::SelectSchedulesBase<SelectSchedules> {
  using SelectSchedulesBase::SelectSchedulesBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    FailureOr<ScheduleTarget> t = ScheduleTarget::of(module, target);
    if (failed(t))
      return signalPassFailure();
    llvm::StringMap<ScheduleEntry> fromFile;
    if (!schedules.empty()) {
      llvm::Expected<std::vector<ScheduleEntry>> entries = readScheduleFile(schedules, ctx);
      if (!entries) {
        module.emitError() << llvm::toString(entries.takeError());
        return signalPassFailure();
      }
      for (ScheduleEntry &e : *entries)
        fromFile[e.name] = e;
    }
    std::vector<Kernel> kernels;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        llvm::append_range(kernels, formKernels(func));
    std::vector<std::string> names = kernelEntryNames(llvm::to_vector(
        llvm::map_range(kernels, [](Kernel &k) { return k.root.getOperation(); })));
    bool ok = true;
    auto i64 = IntegerType::get(ctx, 64);
    for (auto [index, k] : llvm::enumerate(kernels)) {
      bool grouped = k.loops != k.root;
      std::string key = kernelKey(k.loops, grouped ? k.root : linalg::LinalgOp(), k.start);
      ScheduleAttr schedule;
      if (auto it = fromFile.find(names[index]); it != fromFile.end()) {
        const ScheduleEntry &e = it->second;
        auto emitEntryError = [&] {
          return k.root.emitError() << schedules << ":" << e.line << ": entry '" << e.name << "': ";
        };
        if (e.key != key) {
          emitEntryError() << "stale: it was made for \"" << e.key
                           << "\", the kernel now computes \"" << key << "\"";
          ok = false;
        } else if (failed(fromAttr(e.schedule, k.loops, emitEntryError))) {
          ok = false;
        } else if (grouped && !e.schedule.getSplits().empty()) {
          // acnn-group-epilogues cut the group into pieces where the
          // generated schedule splits; a group's script tiles it whole.
          emitEntryError() << "a conv or matmul with its epilogue cannot split its loops (its "
                              "pieces are entries of their own): give them other tiles instead";
          ok = false;
        }
        schedule = e.schedule;
        fromFile.erase(it);
      } else {
        linalg::LinalgOp epilogue = grouped ? k.root : linalg::LinalgOp();
        schedule = toAttr(generateSchedule(k.loops, *t, epilogue), ctx);
      }
      auto tag = IntegerAttr::get(i64, index);
      k.root->setAttr(kKernelAttr, tag);
      k.root->setAttr(kScheduleAttr, schedule);
      k.root->setAttr(kKernelEntryAttr, StringAttr::get(ctx, names[index]));
      k.root->setAttr(kKernelKeyAttr, StringAttr::get(ctx, key));
      k.root->removeAttr(kGroupEpilogueAttr);
      if (grouped) {
        k.loops->setAttr(kGroupBodyAttr, tag);
        if (k.start)
          k.start->setAttr(kGroupStartAttr, tag);
      }
    }
    for (const auto &unused : fromFile) {
      module.emitError() << schedules << ":" << unused.second.line << ": entry '"
                         << unused.first() << "' names no kernel of this model";
      ok = false;
    }
    if (!ok)
      signalPassFailure();
  }
};

} // namespace
} // namespace acnn
