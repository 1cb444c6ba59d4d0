// Register tiles of the schedule templates: RegisterTiles.h says what each
// rule gives and why.
#include "compiler/codegen/RegisterTiles.h"

#include "llvm/ADT/bit.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace acnn {

VectorTile vectorTile(int64_t extent, int64_t lanes, int64_t maxVectors) {
  maxVectors = llvm::bit_floor(static_cast<uint64_t>(maxVectors));
  auto powerOf2 = [](int64_t n) { return llvm::isPowerOf2_64(static_cast<uint64_t>(n)); };
  if (extent < lanes || (extent <= lanes * maxVectors && powerOf2(extent)))
    return {extent, 0};
  for (int64_t tile = lanes * maxVectors; tile >= lanes; tile /= 2) {
    const int64_t rest = extent % tile;
    if (tile <= extent && (rest == 0 || powerOf2(rest)))
      return {tile, rest ? extent - rest : 0};
  }
  const int64_t tile = std::min(extent, lanes * maxVectors);
  return {tile, extent % tile ? extent - extent % tile : 0};
}

VectorTile registerColumns(int64_t extent, int64_t lanes, int64_t maxVectors) {
  VectorTile v = vectorTile(extent, lanes, maxVectors);
  // Lanes are a power of two: so is any power of two of them.
  const auto tile = static_cast<int64_t>(llvm::bit_floor(static_cast<uint64_t>(v.tile)));
  if (tile == v.tile)
    return v;
  return {tile, extent - extent % tile};
}

VectorTile rowTile(int64_t extent, int64_t rows, bool divisor) {
  if (extent <= rows)
    return {extent, 0};
  for (int64_t r = rows; divisor && 2 * r > rows; --r)
    if (extent % r == 0)
      return {r, 0};
  const int64_t tiles = (extent + rows - 1) / rows, r = (extent + tiles - 1) / tiles;
  return {r, extent % r ? extent - extent % r : 0};
}

int64_t rowsFor(const ScheduleTarget &t, int64_t vectors, int64_t cap, int64_t operandRows) {
  return std::clamp<int64_t>((t.vectorRegisters - operandRows * vectors - 1) / vectors, 1, cap);
}

void addSplit(Schedule &s, int64_t dim, const VectorTile &tile) {
  if (tile.splitAt > 0)
    s.splits.push_back({dim, tile.splitAt});
}

int64_t rowsInL1(const ScheduleTarget &t, int64_t rowBytes) {
  constexpr int64_t kWay = 4096, kLine = 64;
  if (rowBytes <= 0)
    return std::numeric_limits<int64_t>::max();
  const int64_t sets = kWay / std::max(std::gcd(rowBytes, kWay), kLine);
  return sets * std::max<int64_t>(2 * (t.l1Bytes / kWay) / 3, 1);
}

RegisterTile registerTile(Schedule &s, const ScheduleTarget &t, const TemplateChoices &choices,
                          int64_t rowDim, int64_t colDim, int64_t operandRows, int64_t rowBytes) {
  const int64_t lanes = t.lanes(),
                maxRows = std::min<int64_t>(choices.rows ? choices.rows : 8, rowsInL1(t, rowBytes));
  const bool divisor = operandRows > 1;
  // The rows a tile of 2 vectors gets.
  const int64_t rows2 =
      rowTile(s.loopExtents[rowDim], rowsFor(t, 2, maxRows, operandRows), divisor).tile;
  int64_t maxVectors = 2;
  if (rows2 < rowsFor(t, 2, 14, operandRows) && s.loopExtents[colDim] % (4 * lanes) == 0 &&
      rows2 <= rowsFor(t, 4, 14, operandRows))
    maxVectors = 4;
  // Operand rows besides the accumulators (a depthwise conv's tap and input)
  // on few registers: one column keeps more accumulators (AVX2: 13 x 1
  // rather than 5 x 2).
  if (operandRows > 1 && 2 * rowsFor(t, 2, 14, operandRows) < rowsFor(t, 1, 14, operandRows))
    maxVectors = 1;
  if (choices.vectors)
    maxVectors = choices.vectors;
  VectorTile cols = registerColumns(s.loopExtents[colDim], lanes, maxVectors);
  const int64_t vectors = (cols.tile + lanes - 1) / lanes;
  VectorTile rows =
      rowTile(s.loopExtents[rowDim], rowsFor(t, vectors, maxRows, operandRows), divisor);
  addSplit(s, rowDim, rows);
  addSplit(s, colDim, cols);
  return {rows, cols, vectors};
}

} // namespace acnn
