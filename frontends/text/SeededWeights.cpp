// Seeded weights: each weight's values come from its own std::mt19937_64,
// seeded from the model's seed and the weight's name, so a weight's values do
// not depend on which other weights exist or the order they are asked for.
// mt19937_64's output sequence is fixed by the C++ standard; the conversion
// to uniform floats is done here from the raw bits, because
// std::uniform_real_distribution differs between standard libraries.
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/text/WeightSource.h"

#include <cmath>
#include <random>

namespace acnn {

namespace {

// SplitMix64's finaliser: spreads nearby inputs over the whole 64-bit range.
uint64_t mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a: a hash of the name that is the same on every platform and run
// (llvm::hash_value may be seeded per process).
uint64_t hashName(llvm::StringRef name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name)
    h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

class SeededWeights : public WeightSource {
public:
  explicit SeededWeights(uint64_t seed) : seed(seed) {}

  llvm::Expected<std::vector<float>> get(llvm::StringRef name,
                                         llvm::ArrayRef<int64_t> shape) override {
    if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "weight '" + name + "': invalid shape " + formatShape(shape));
    int64_t fanIn = shape.empty() ? 1 : std::max<int64_t>(1, product(shape.drop_front()));
    double bound = 1.0 / std::sqrt(double(fanIn));
    std::mt19937_64 gen(mix(seed ^ mix(hashName(name))));
    std::vector<float> values(product(shape));
    for (float &v : values) {
      double unit = double(gen() >> 11) * 0x1.0p-53; // 53 random bits: [0, 1)
      v = float((2 * unit - 1) * bound);
    }
    return values;
  }

private:
  uint64_t seed;
};

} // namespace

std::unique_ptr<WeightSource> seededWeights(uint64_t seed) {
  return std::make_unique<SeededWeights>(seed);
}

} // namespace acnn
