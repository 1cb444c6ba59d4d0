// acnn-select-schedules: forms the kernels of each function (a top-level
// linalg op, or a group of acnn-group-epilogues: its consumer, scheduled by
// its conv's or matmul's loops) and gives each its schedule as data: the
// entry of a schedules file, else the record of a tuning database, else the
// generator's for the module's target.
#include "compiler/codegen/KernelKey.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/Schedule.h"
#include "compiler/codegen/ScheduleFile.h"
#include "compiler/codegen/ThreadLoops.h"
#include "compiler/codegen/TuningDatabase.h"

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
    std::optional<TuningDatabase> db;
    if (!tuningDb.empty()) {
      llvm::Expected<TuningDatabase> read = TuningDatabase::read(tuningDb);
      if (!read) {
        module.emitError() << llvm::toString(read.takeError());
        return signalPassFailure();
      }
      db = std::move(*read);
    }
    // The text the tuner recorded: the module's target, whatever the
    // `target` option makes the generator assume.
    std::string targetText = targetKey(targetOf(module));
    unsigned staleKernels = 0;
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
      // Whether `schedule` fits the kernel's loops; errors begin with `emitError`'s text.
      auto fits = [&](ScheduleAttr schedule, function_ref<InFlightDiagnostic()> emitError) {
        FailureOr<Schedule> read = fromAttr(schedule, k.loops, emitError);
        if (failed(read))
          return false;
        if (grouped && !read->splits.empty() && !groupMaySplit(*read)) {
          // acnn-group-epilogues cut the group into pieces where the
          // generated schedule splits; a group's script splits it only
          // inside its thread loop (splitDepth), once.
          emitError() << "a conv or matmul with its epilogue cannot split its loops where "
                         "its threads or cache blocks cut them, nor split them twice (its "
                         "pieces are entries of their own): give them other tiles instead";
          return false;
        }
        return true;
      };
      ScheduleAttr schedule;
      std::optional<ScheduleSource> source;
      const TuningRecord *record = nullptr;
      if (auto it = fromFile.find(names[index]); it != fromFile.end()) {
        const ScheduleEntry &e = it->second;
        auto emitEntryError = [&] {
          return k.root.emitError() << schedules << ":" << e.line << ": entry '" << e.name << "': ";
        };
        if (e.key != key) {
          emitEntryError() << "stale: it was made for \"" << e.key
                           << "\", the kernel now computes \"" << key << "\"";
          ok = false;
        } else if (!fits(e.schedule, emitEntryError)) {
          ok = false;
        }
        schedule = e.schedule;
        source = ScheduleSource::File;
        fromFile.erase(it);
      } else if (db && (record = db->lookup(key, targetText))) {
        auto emitRecordError = [&] {
          return k.root.emitError() << tuningDb << ":" << record->line << ": record \"" << key
                                    << "\" for kernel '" << names[index] << "': ";
        };
        llvm::Expected<ScheduleAttr> parsed = parseSchedule(record->schedule, ctx);
        if (!parsed) {
          emitRecordError() << llvm::toString(parsed.takeError());
          ok = false;
          continue;
        }
        schedule = *parsed;
        if (!fits(schedule, emitRecordError))
          ok = false;
        source = ScheduleSource::Database;
      } else {
        if (db && db->hasStale(key, targetText))
          ++staleKernels;
        linalg::LinalgOp epilogue = grouped ? k.root : linalg::LinalgOp();
        schedule = toAttr(generateSchedule(k.loops, *t, epilogue), ctx);
      }
      auto tag = IntegerAttr::get(i64, index);
      k.root->setAttr(kKernelAttr, tag);
      k.root->setAttr(kScheduleAttr, schedule);
      k.root->setAttr(kKernelEntryAttr, StringAttr::get(ctx, names[index]));
      k.root->setAttr(kKernelKeyAttr, StringAttr::get(ctx, key));
      if (source)
        k.root->setAttr(kScheduleSourceAttr, StringAttr::get(ctx, scheduleSourceName(*source)));
      k.root->removeAttr(kGroupEpilogueAttr);
      if (grouped) {
        k.loops->setAttr(kGroupBodyAttr, tag);
        if (k.start)
          k.start->setAttr(kGroupStartAttr, tag);
      }
    }
    if (staleKernels > 0)
      module.emitWarning() << "tuning database " << tuningDb << ": the records of " << staleKernels
                           << (staleKernels == 1 ? " kernel were" : " kernels were")
                           << " made for another target or schedule version and are ignored";
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
