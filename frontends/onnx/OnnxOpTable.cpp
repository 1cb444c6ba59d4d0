#include "frontends/onnx/OnnxOpTable.h"

namespace acnn {

OpSpec &OpSpec::opsets(int64_t first, int64_t last) {
  since = first;
  until = last;
  return *this;
}

OpSpec &OpSpec::known(std::initializer_list<unsigned> inputs) {
  for (unsigned i : inputs)
    knownInputs |= 1u << i;
  return *this;
}

OpSpec &OpSpec::allKnown() {
  knownInputs = ~0u;
  return *this;
}

OpSpec &OpSpec::fixed(const char *name, const char *only) {
  fixedAttrs.push_back({name, only});
  return *this;
}

OpSpec &OpSpec::note(const char *text) {
  notes = text;
  return *this;
}

OpSpec &addOp(OpTable &table, llvm::StringRef op, OpConverter convert, unsigned minInputs,
              unsigned maxInputs, unsigned maxOutputs) {
  OpSpec &spec = table[op];
  spec.convert = convert;
  spec.minInputs = minInputs;
  spec.maxInputs = maxInputs;
  spec.maxOutputs = maxOutputs;
  return spec;
}

const OpTable &onnxOpTable() {
  static const OpTable table = [] {
    OpTable t;
    registerNNOps(t);
    registerNormOps(t);
    registerElementwiseOps(t);
    registerMovementOps(t);
    registerKnownOps(t);
    registerScatterOps(t);
    registerContribOps(t);
    registerResizeOps(t);
    registerGridSampleOps(t);
    registerConvTransposeOps(t);
    registerEinsum(t);
    registerAttention(t);
    return t;
  }();
  return table;
}

} // namespace acnn
