#include "dialects/acnn/AcnnAttrs.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

#define GET_ATTRDEF_CLASSES
#include "dialects/acnn/AcnnAttrs.cpp.inc"

namespace acnn {

void AcnnDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/acnn/AcnnAttrs.cpp.inc"
      >();
}

TargetAttr targetOf(Operation *op) {
  auto module = isa<ModuleOp>(op) ? cast<ModuleOp>(op) : op->getParentOfType<ModuleOp>();
  if (module)
    if (auto target = module->getAttrOfType<TargetAttr>(kTargetAttr))
      return target;
  return TargetAttr::get(op->getContext(), "x86-64-v3", "avx2", 256, 16, 32 * 1024, 512 * 1024,
                         32 * 1024 * 1024, 2);
}

LogicalResult TargetAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                                 StringRef cpu, StringRef isa, int64_t vectorBits,
                                 int64_t vectorRegisters, int64_t l1Bytes, int64_t l2Bytes,
                                 int64_t l3Bytes, int64_t threads) {
  int64_t bits = llvm::StringSwitch<int64_t>(isa).Case("sse", 128).Case("avx2", 256)
                     .Case("avx512", 512).Default(0);
  if (bits == 0)
    return emitError() << "target ISA '" << isa << "' is not sse, avx2 or avx512";
  if (vectorBits != bits)
    return emitError() << "target ISA " << isa << " has " << bits << "-bit vectors, not "
                       << vectorBits;
  if (vectorRegisters != 16 && vectorRegisters != 32)
    return emitError() << "target has " << vectorRegisters
                       << " vector registers; x86-64 has 16 (32 with AVX-512)";
  if (l1Bytes < 1024 || l2Bytes < l1Bytes || (l3Bytes != 0 && l3Bytes < l2Bytes))
    return emitError() << "target caches must grow: L1 " << l1Bytes << " (at least 1024), L2 "
                       << l2Bytes << ", L3 " << l3Bytes << " bytes (0: none)";
  if (threads < 1 || threads > 1024)
    return emitError() << "target threads " << threads << " is not in [1, 1024]";
  return success();
}

} // namespace acnn

//===----------------------------------------------------------------------===//
// ScheduleAttr
//===----------------------------------------------------------------------===//

namespace acnn {

namespace {

constexpr llvm::StringLiteral kScheduleKinds[] = {"conv",      "depthwise",   "pooling",
                                                  "matmul",    "elementwise", "reduction",
                                                  "parallel_only"};

void printList(AsmPrinter &printer, ArrayRef<int64_t> values) {
  printer << '[';
  llvm::interleaveComma(values, printer);
  printer << ']';
}

ParseResult parseList(AsmParser &parser, SmallVectorImpl<int64_t> &values) {
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
    return parser.parseInteger(values.emplace_back());
  });
}

bool isPermutation(ArrayRef<int64_t> order) {
  llvm::SmallBitVector seen(order.size());
  for (int64_t d : order) {
    if (d < 0 || d >= static_cast<int64_t>(order.size()) || seen.test(d))
      return false;
    seen.set(d);
  }
  return true;
}

} // namespace

void ScheduleAttr::print(AsmPrinter &printer) const {
  printer << '<';
  printer.printKeywordOrString(getKind());
  printer << ", vector = " << getVectorWidth() << ", unroll = " << getUnroll();
  if (!getSplits().empty()) {
    printer << ", split = [";
    for (size_t i = 0; i + 1 < getSplits().size(); i += 2)
      printer << (i ? ", [" : "[") << getSplits()[i] << ", " << getSplits()[i + 1] << ']';
    printer << ']';
  }
  auto list = [&](StringRef key, ArrayRef<int64_t> values) {
    if (values.empty())
      return;
    printer << ", " << key << " = ";
    printList(printer, values);
  };
  list("peel", getPeel());
  list("parallel", getParallelDims());
  if (getParallelChunks())
    printer << ", chunks = " << getParallelChunks();
  list("cache", getCacheTile());
  list("cache_order", getCacheOrder());
  list("tile", getTile());
  list("order", getOrder());
  for (auto [flag, name] : {std::pair(getDecompose(), "decompose"),
                            std::pair(getVectorize(), "vectorize"), std::pair(getHoist(), "hoist")})
    if (flag)
      printer << ", " << name;
  printer << '>';
}

Attribute ScheduleAttr::parse(AsmParser &parser, Type) {
  std::string kind;
  int64_t vectorWidth = 0, unroll = 1, chunks = 0;
  SmallVector<int64_t> splits, peel, parallel, cache, cacheOrder, tile, order;
  bool decompose = false, vectorize = false, hoist = false;
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeywordOrString(&kind))
    return {};
  llvm::StringSet<> seen;
  while (succeeded(parser.parseOptionalComma())) {
    llvm::SMLoc keyLoc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key))
      return {};
    if (!seen.insert(key).second) {
      parser.emitError(keyLoc) << "schedule field '" << key << "' given twice";
      return {};
    }
    if (key == "decompose" || key == "vectorize" || key == "hoist") {
      (key == "decompose" ? decompose : key == "vectorize" ? vectorize : hoist) = true;
      continue;
    }
    if (parser.parseEqual())
      return {};
    ParseResult parsed = failure();
    if (key == "vector")
      parsed = parser.parseInteger(vectorWidth);
    else if (key == "unroll")
      parsed = parser.parseInteger(unroll);
    else if (key == "chunks")
      parsed = parser.parseInteger(chunks);
    else if (key == "split")
      parsed = parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
        SmallVector<int64_t> pair;
        llvm::SMLoc pairLoc = parser.getCurrentLocation();
        if (parseList(parser, pair))
          return failure();
        if (pair.size() != 2)
          return parser.emitError(pairLoc) << "a split is [loop, position]";
        splits.append(pair);
        return success();
      });
    else if (key == "peel")
      parsed = parseList(parser, peel);
    else if (key == "parallel")
      parsed = parseList(parser, parallel);
    else if (key == "cache")
      parsed = parseList(parser, cache);
    else if (key == "cache_order")
      parsed = parseList(parser, cacheOrder);
    else if (key == "tile")
      parsed = parseList(parser, tile);
    else if (key == "order")
      parsed = parseList(parser, order);
    else {
      parser.emitError(keyLoc)
          << "unknown schedule field '" << key
          << "' (vector, unroll, split, peel, parallel, chunks, cache, cache_order, tile, order, "
             "decompose, vectorize, hoist)";
      return {};
    }
    if (failed(parsed))
      return {};
  }
  if (parser.parseGreater())
    return {};
  if (!seen.contains("vector")) {
    parser.emitError(loc) << "a schedule needs its vector width (vector = N)";
    return {};
  }
  return parser.getChecked<ScheduleAttr>(loc, parser.getContext(), kind, vectorWidth, unroll,
                                         splits, peel, parallel, chunks, cache, cacheOrder, tile,
                                         order, decompose, vectorize, hoist);
}

LogicalResult ScheduleAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                                   StringRef kind, int64_t vectorWidth, int64_t unroll,
                                   ArrayRef<int64_t> splits, ArrayRef<int64_t> peel,
                                   ArrayRef<int64_t> parallelDims, int64_t parallelChunks,
                                   ArrayRef<int64_t> cacheTile, ArrayRef<int64_t> cacheOrder,
                                   ArrayRef<int64_t> tile, ArrayRef<int64_t> order, bool decompose,
                                   bool vectorize, bool hoist) {
  if (!llvm::is_contained(kScheduleKinds, kind))
    return emitError() << "unknown schedule kind '" << kind
                       << "' (conv, depthwise, pooling, matmul, elementwise, reduction, "
                          "parallel_only)";
  if (vectorWidth != 4 && vectorWidth != 8 && vectorWidth != 16)
    return emitError() << "schedule vector width " << vectorWidth << " is not 4, 8 or 16 lanes";
  // Up to a whole 1024-element row a step (a LayerNorm's reduction) in
  // 4-lane vectors.
  if (unroll < 1 || unroll > 256)
    return emitError() << "schedule unroll " << unroll << " is not in [1, 256]";
  if (splits.size() % 2)
    return emitError() << "schedule splits are [loop, position] pairs";
  for (size_t i = 0; i < splits.size(); i += 2)
    if (splits[i] < 0 || splits[i + 1] < 1)
      return emitError() << "schedule split [" << splits[i] << ", " << splits[i + 1]
                         << "] needs a loop >= 0 and a position >= 1";
  llvm::SmallDenseSet<int64_t> peeled;
  for (int64_t d : peel)
    if (d < 0 || !peeled.insert(d).second)
      return emitError() << "schedule peeled loops must be distinct loops >= 0";
  if (!peel.empty() && !vectorize)
    return emitError() << "schedule peel needs vectorize (it peels register tiles)";
  llvm::SmallDenseSet<int64_t> parallel;
  for (int64_t d : parallelDims)
    if (d < 0 || !parallel.insert(d).second)
      return emitError() << "schedule parallel loops must be distinct loops >= 0";
  if (parallelChunks < 0)
    return emitError() << "schedule chunks " << parallelChunks << " is negative";
  for (ArrayRef<int64_t> sizes : {cacheTile, tile})
    if (llvm::any_of(sizes, [](int64_t s) { return s < 0; }))
      return emitError() << "schedule tile sizes must be >= 0 (0: the whole loop)";
  if (cacheOrder.size() != cacheTile.size() || !isPermutation(cacheOrder))
    return emitError() << "schedule cache_order must order the " << cacheTile.size()
                       << " loops of the cache tile";
  if (!order.empty() && (order.size() != tile.size() || !isPermutation(order)))
    return emitError() << "schedule order must order the " << tile.size()
                       << " loops of the register tile";
  if (!vectorize && (decompose || hoist))
    return emitError() << "schedule decompose and hoist need vectorize";
  if (decompose && kind != "conv" && kind != "depthwise" && kind != "pooling")
    return emitError() << "only a conv, depthwise or pooling schedule can decompose";
  if (vectorize && kind == "parallel_only")
    return emitError() << "a parallel_only schedule does not vectorize";
  return success();
}

} // namespace acnn
