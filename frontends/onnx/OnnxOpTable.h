#ifndef ACNN_FRONTENDS_ONNX_ONNXOPTABLE_H
#define ACNN_FRONTENDS_ONNX_ONNXOPTABLE_H

// The importer's op table: per ONNX op, its converter and what the converter
// takes. The graph walk checks every node against its entry before
// converting it, `acnnc inspect --coverage` reports those checks for every
// node at once, and docs/onnx-ops.md is generated from it, so the table is
// the one statement of what acnn imports.

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace acnn {

class NodeContext;
using OpConverter = llvm::Error (*)(NodeContext &);

/// The newest opset whose operator specs the table has been checked against.
/// Opsets 22 to 25 changed the ops acnn imports only by new element types
/// (bfloat16, float8, 4- and 2-bit), which acnn does not take; their new ops
/// (Attention, Swish) have entries of their own.
inline constexpr int64_t kNewestOpset = 25;
inline constexpr unsigned kVariadic = ~0u;

/// An attribute a converter takes only at one value (the spec's default), or,
/// when `only` is empty, not at all.
struct FixedAttr {
  const char *name;
  const char *only;
};

struct OpSpec {
  OpConverter convert = nullptr;
  /// The graph walk checks these counts, so converters may index inputs
  /// below minInputs and outputs below maxOutputs freely.
  unsigned minInputs = 1, maxInputs = 1, maxOutputs = 1;
  /// Model opsets (of the op's domain's default, ai.onnx) whose version of
  /// the op the converter implements.
  int64_t since = 1, until = kNewestOpset;
  /// Bit i: input i must be known at import (a weight, a Constant, or shape
  /// arithmetic); acnn needs it at compile time.
  uint32_t knownInputs = 0;
  std::vector<FixedAttr> fixedAttrs;
  /// Further limits the converter reports as errors, for the doc.
  std::string notes;

  OpSpec &opsets(int64_t first, int64_t last = kNewestOpset);
  OpSpec &known(std::initializer_list<unsigned> inputs);
  /// Every input must be known: the op is evaluated at import only.
  OpSpec &allKnown();
  OpSpec &fixed(const char *name, const char *only = "");
  OpSpec &note(const char *text);

  bool mustBeKnown(unsigned input) const { return input < 32 && (knownInputs >> input & 1); }
};

/// Converters by op type; ops of other domains are keyed "domain.OpType".
using OpTable = llvm::StringMap<OpSpec>;

/// Adds `op` to `table` and returns its entry for the chained setters.
OpSpec &addOp(OpTable &table, llvm::StringRef op, OpConverter convert, unsigned minInputs = 1,
              unsigned maxInputs = 1, unsigned maxOutputs = 1);

/// Every converter, registered by the OnnxOps*.cpp files.
const OpTable &onnxOpTable();
void registerNNOps(OpTable &table);
void registerNormOps(OpTable &table);
void registerElementwiseOps(OpTable &table);
void registerMovementOps(OpTable &table);
void registerKnownOps(OpTable &table);
void registerScatterOps(OpTable &table);
void registerContribOps(OpTable &table);
void registerResizeOps(OpTable &table);
void registerGridSampleOps(OpTable &table);
void registerConvTransposeOps(OpTable &table);
void registerEinsum(OpTable &table);
void registerAttention(OpTable &table);

/// Writes docs/onnx-ops.md: each supported op with its opset range, the
/// inputs it needs as constants and what it does not take.
void writeOnnxOpsDoc(llvm::raw_ostream &os);

} // namespace acnn

#endif
