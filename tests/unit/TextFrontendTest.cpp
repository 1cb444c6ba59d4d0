// The .acnn language: the example models parse into the expected ops, every
// op is callable, and each malformed input gives one `FILE:LINE:COL: reason`
// error. The weight sources: WeightSourceTest.cpp.
#include "frontends/text/GraphBuilder.h"
#include "frontends/text/OpTable.h"
#include "frontends/text/TextParser.h"
#include "frontends/text/WeightSource.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

using namespace acnn;
using namespace mlir;

namespace {

func::FuncOp entryOf(ModuleOp m) { return m.lookupSymbol<func::FuncOp>(kEntryName); }

// How many of each acnn op the model holds, by mnemonic.
std::map<std::string, int> opCounts(ModuleOp m) {
  std::map<std::string, int> counts;
  m.walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "acnn")
      ++counts[op->getName().stripDialect().str()];
  });
  return counts;
}

RankedTensorType f32(ArrayRef<int64_t> shape, MLIRContext &ctx) {
  return RankedTensorType::get(shape, Float32Type::get(&ctx));
}

OwningOpRef<ModuleOp> parseOk(MLIRContext &ctx, llvm::StringRef source,
                              std::unique_ptr<WeightSource> weights = nullptr) {
  auto m = parseAcnnString(ctx, source, "t.acnn", std::move(weights));
  if (!m) {
    ADD_FAILURE() << llvm::toString(m.takeError());
    return {};
  }
  return std::move(*m);
}

std::string parseError(llvm::StringRef source, std::unique_ptr<WeightSource> weights = nullptr) {
  MLIRContext ctx;
  auto m = parseAcnnString(ctx, source, "t.acnn", std::move(weights));
  if (m) {
    ADD_FAILURE() << "parsed without error:\n" << source.str();
    return "";
  }
  return llvm::toString(m.takeError());
}

std::vector<float> dataOf(Value v) {
  auto attr = cast<DenseElementsAttr>(v.getDefiningOp<ConstantOp>().getValue());
  return {attr.getValues<float>().begin(), attr.getValues<float>().end()};
}

//===----------------------------------------------------------------------===//
// Example models
//===----------------------------------------------------------------------===//

TEST(TextExamples, SeBlock) {
  MLIRContext ctx;
  auto m = parseAcnnFile(ctx, ACNN_SOURCE_DIR "/examples/se_block.acnn");
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  EXPECT_EQ((**m).getSymName(), "se_block");
  std::map<std::string, int> expected = {
      {"constant", 14},       {"conv2d", 4},  {"batch_norm", 2}, {"relu", 3},
      {"global_avg_pool", 1}, {"sigmoid", 1}, {"mul", 1},        {"add", 1}};
  EXPECT_EQ(opCounts(**m), expected);
  func::FuncOp entry = entryOf(**m);
  EXPECT_EQ(entry.getFunctionType().getResult(0), f32({1, 32, 16, 16}, ctx));
  EXPECT_EQ(entry.getResultAttrOfType<StringAttr>(0, kNameAttr).getValue(), "y");
}

TEST(TextExamples, CbamBlock) {
  MLIRContext ctx;
  auto m = parseAcnnFile(ctx, ACNN_SOURCE_DIR "/examples/cbam_block.acnn");
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  std::map<std::string, int> expected = {
      {"constant", 5},        {"conv2d", 6},     {"relu", 4},    {"global_avg_pool", 1},
      {"global_max_pool", 1}, {"add", 2},        {"sigmoid", 2}, {"mul", 2},
      {"reduce_mean", 1},     {"reduce_max", 1}, {"concat", 1}};
  EXPECT_EQ(opCounts(**m), expected);
  EXPECT_EQ(entryOf(**m).getFunctionType().getResult(0), f32({1, 32, 16, 16}, ctx));
}

TEST(TextExamples, WeightsOverrideReplacesTheSeed) {
  MLIRContext ctx;
  auto fileSeed = parseAcnnFile(ctx, ACNN_SOURCE_DIR "/examples/se_block.acnn");
  auto otherSeed = parseAcnnFile(ctx, ACNN_SOURCE_DIR "/examples/se_block.acnn", seededWeights(8));
  ASSERT_TRUE(bool(fileSeed) && bool(otherSeed));
  auto firstWeight = [](ModuleOp m) {
    ConstantOp c;
    m.walk([&](ConstantOp op) {
      if (!c)
        c = op;
    });
    return dataOf(c);
  };
  EXPECT_NE(firstWeight(**fileSeed), firstWeight(**otherSeed));
  EXPECT_EQ(firstWeight(**fileSeed), *seededWeights(7)->get("conv1.weight", {32, 32, 3, 3}));
}

//===----------------------------------------------------------------------===//
// The language
//===----------------------------------------------------------------------===//

TEST(TextLanguage, EveryOpIsCallable) {
  MLIRContext ctx;
  auto m = parseOk(ctx, R"(
weights seed 3
input x : [1, 4, 8, 8]
input t : [2, 3, 4]
param w : [4, 4, 3, 3]
param b : [4]
param lw : [5, 4]
param lb : [5]
c = conv2d(x, w, b, pads=[1, 1, 1, 1])
c = batch_norm(c, b, b, b, b, epsilon=0.001)
c = max_pool2d(c, kernel=[2, 2], strides=[2, 2], ceil_mode=false)
c = avg_pool2d(c, kernel=[2, 2], count_include_pad=true)
g = global_avg_pool(x)
g = global_max_pool(g)
n = layer_norm(t, b, b, axis=-1)
gn = group_norm(x, b, b, groups=2, epsilon=0.001)
u = relu(x)
u = sigmoid(u)
u = tanh(u)
u = silu(u)
u = hard_swish(u)
u = erf(u)
u = sqrt(u)
u = exp(u)
u = neg(u)
u = reciprocal(u)
u = gelu(u, approximate_tanh=true)
u = hard_sigmoid(u, alpha=0.1, beta=0.6)
u = clip(u, min=-1, max=1.5)
u = abs(u)
u = log(u)
u = softplus(u)
u = leaky_relu(u, alpha=0.2)
u = elu(u, alpha=1.5)
e = add(x, 1)
e = sub(e, x)
e = mul(e, 0.5)
e = div(e, 2)
e = pow(e, 2)
e = max(e, x)
e = min(e, -0.5)
e = where(u, e, 0)
param slope : [4, 1, 1]
e = prelu(e, slope)
r = reduce_mean(x, axes=[2, 3])
r = reduce_max(x, axes=[1], keepdims=false)
r = reduce_sum(x, axes=[-1])
am = argmax(x, axis=1, keepdims=false, select_last_index=true)
s = softmax(t, axis=1)
tt = transpose(t, perm=[0, 2, 1])
mm = matmul(t, tt)
l = linear(t, lw, lb)
cc = concat(x, x, x, axis=1)
p, q = split(x, axis=1, sizes=[1, 3])
sl = slice(x, starts=[0, 0, 0, 0], ends=[1, 4, 8, 8], steps=[1, 2, 1, 1])
ga = gather(x, indices=[0, 2], axis=1)
gs = gather(x, indices=1, axis=1)
rs = reshape(x, shape=[1, -1])
f = flatten(x, axis=2)
ex = expand(b, shape=[2, 4])
pd = pad(x, pads=[0, 0, 1, 0, 0, 0, 0, 1], value=-1)
param grid : [1, 3, 5, 2]
gr = grid_sample(x, grid, mode=bilinear, padding_mode=zeros, align_corners=false)
param f1 : [2, 4]
param f1b : [2]
param f2 : [4, 2]
param sw : [1, 2, 3, 3]
param sb : [1]
fc = conv2d(x, w, b, x, pads=[1, 1, 1, 1], activation=relu)
fl = linear(t, lw, lb, lb, activation=gelu)
fm = matmul(t, tt, mm, activation=silu)
se = squeeze_excite(x, f1, f1b, f2, b, activation=relu, gate=hard_sigmoid)
ca = channel_attention(x, f1, f1b, f2, b)
sa = spatial_attention(x, sw, sb, pads=[1, 1, 1, 1])
at = attention(t, t, t, mm, scale=0.5)
output c, n, u, mm, l, cc, q, sl, ga, gs, rs, f, ex, pd, gr, fc, fl, fm, se, ca, sa, at, gn, am
)");
  ASSERT_TRUE(m);
  std::map<std::string, int> counts = opCounts(*m);
  for (const text::OpSpec &spec : text::opTable())
    EXPECT_TRUE(counts.count(spec.mnemonic.str())) << spec.mnemonic.str() << " never created";

  std::vector<std::vector<int64_t>> shapes;
  for (Type t : entryOf(*m).getFunctionType().getResults()) {
    ArrayRef<int64_t> shape = cast<RankedTensorType>(t).getShape();
    shapes.emplace_back(shape.begin(), shape.end());
  }
  std::vector<std::vector<int64_t>> expected = {
      {1, 4, 3, 3}, {2, 3, 4},    {1, 4, 8, 8}, {2, 3, 3},    {2, 3, 5}, {1, 12, 8, 8},
      {1, 3, 8, 8}, {1, 2, 8, 8}, {1, 2, 8, 8}, {1, 8, 8},    {1, 256},  {4, 64},
      {2, 4},       {1, 4, 9, 9}, {1, 4, 3, 5}, {1, 4, 8, 8}, {2, 3, 5}, {2, 3, 3}, {1, 4, 8, 8},
      {1, 4, 8, 8}, {1, 4, 8, 8}, {2, 3, 4},    {1, 4, 8, 8}, {1, 8, 8}};
  EXPECT_EQ(shapes, expected);
  // argmax's indices are i64.
  EXPECT_TRUE(cast<RankedTensorType>(entryOf(*m).getFunctionType().getResults().back())
                  .getElementType()
                  .isInteger(64));
}

// Every acnn op but the constant is callable, and every ODS attribute has a
// spelling: a new op or attribute fails here until the text frontend knows it.
TEST(TextLanguage, OpTableCoversTheDialect) {
  MLIRContext ctx;
  ctx.loadDialect<AcnnDialect>();
  std::set<std::string> tabled;
  for (const text::OpSpec &spec : text::opTable())
    tabled.insert(spec.mnemonic.str());
  for (RegisteredOperationName op : ctx.getRegisteredOperations()) {
    if (op.getDialectNamespace() != "acnn" || op.getStringRef() == "acnn.constant")
      continue;
    EXPECT_TRUE(tabled.count(op.getStringRef().drop_front(5).str())) << op.getStringRef().str();
    for (StringAttr attr : op.getAttributeNames())
      // Segment sizes are structural: the operand count gives them.
      EXPECT_TRUE(attr.getValue() == "operandSegmentSizes" || text::attrKind(attr.getValue()))
          << op.getStringRef().str() << " " << attr.getValue().str();
  }
}

TEST(TextLanguage, OmittedAttributesTakeTheOdsDefaults) {
  MLIRContext ctx;
  auto m = parseOk(ctx, "weights seed 1\ninput x : [1, 2, 4, 4]\nparam w : [2, 2, 1, 1]\n"
                        "y = conv2d(x, w, strides=[2, 2])\noutput y\n");
  ASSERT_TRUE(m);
  Conv2dOp conv;
  m->walk([&](Conv2dOp op) { conv = op; });
  ASSERT_TRUE(conv);
  EXPECT_EQ(conv.getStridesAttr().asArrayRef(), (ArrayRef<int64_t>{2, 2}));
  ASSERT_TRUE(conv.getPadsAttr());
  EXPECT_EQ(conv.getPadsAttr().asArrayRef(), (ArrayRef<int64_t>{0, 0, 0, 0}));
  ASSERT_TRUE(conv.getGroupsAttr());
  EXPECT_EQ(conv.getGroups(), 1u);
}

TEST(TextLanguage, LocationsNameTheLineAndTheBoundValue) {
  MLIRContext ctx;
  auto m = parseOk(ctx, "input x : [1, 2]\n\n  y = relu(x)\noutput y\n");
  ASSERT_TRUE(m);
  ReluOp relu;
  m->walk([&](ReluOp op) { relu = op; });
  auto name = dyn_cast<NameLoc>(relu.getLoc());
  ASSERT_TRUE(name);
  EXPECT_EQ(name.getName(), "y");
  auto file = dyn_cast<FileLineColLoc>(name.getChildLoc());
  ASSERT_TRUE(file);
  EXPECT_EQ(file.getFilename(), "t.acnn");
  EXPECT_EQ(file.getLine(), 3u);
  EXPECT_EQ(file.getColumn(), 7u);
}

TEST(TextLanguage, RebindingNumbersMultiLineCallsAndDiscards) {
  MLIRContext ctx;
  auto m = parseOk(ctx, R"(# names are rebound; a number is a 0-d constant
model tiny
input x : [1, 4]
const half : [4] = 0.5
y = relu(x)
y = mul(y,
        0.125)    # a call may span lines inside its parentheses
y = add(y, half)
_, z = split(y, axis=1, sizes=[1, 3])
output = sigmoid(z)   # keywords can be names
output y, output
)");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->getSymName(), "tiny");
  MulOp mul;
  m->walk([&](MulOp op) { mul = op; });
  ASSERT_TRUE(mul);
  EXPECT_TRUE(mul.getLhs().getDefiningOp<ReluOp>());
  EXPECT_EQ(dataOf(mul.getRhs()), std::vector<float>{0.125f});
  EXPECT_EQ(cast<RankedTensorType>(mul.getRhs().getType()).getRank(), 0);
  AddOp add;
  m->walk([&](AddOp op) { add = op; });
  EXPECT_EQ(dataOf(add.getRhs()), std::vector<float>(4, 0.5f));
  FunctionType type = entryOf(*m).getFunctionType();
  ASSERT_EQ(type.getNumResults(), 2u);
  EXPECT_EQ(type.getResult(0), f32({1, 4}, ctx));
  EXPECT_EQ(type.getResult(1), f32({1, 3}, ctx));
  EXPECT_EQ(entryOf(*m).getResultAttrOfType<StringAttr>(1, kNameAttr).getValue(), "output");
}

struct ErrorCase {
  const char *statement; // from line 3, after `weights seed 1` and `input x : [1, 3, 8, 8]`
  const char *where;     // "LINE:COL"
  const char *reason;    // a part of the message
};

TEST(TextLanguage, MalformedInputGivesOneLocatedError) {
  const ErrorCase cases[] = {
      {"y = reluu(x)", "3:5", "unknown op 'reluu' (did you mean 'relu'?)"},
      {"y = relu(z)", "3:10", "undefined value 'z'"},
      {"y = relu(x\noutput y", "3:11", "expected ',' or ')'"},
      {"y = conv2d(x, x, stride=[1, 1])", "3:18",
       "conv2d has no attribute 'stride'; it takes activation, dilations, groups, pads, strides"},
      {"y = conv2d(x, x, strides=2)", "3:18",
       "attribute 'strides' of conv2d must be a list of integers"},
      {"y = gelu(x, approximate_tanh=1)", "3:13", "must be true or false"},
      {"y = relu(x, alpha=1)", "3:13", "relu has no attribute 'alpha' (it takes none)"},
      {"y = transpose(x, perm=[0, 1, 2, 3], perm=[0, 1, 2, 3])", "3:37",
       "attribute 'perm' is given twice"},
      {"y = transpose(perm=[0, 1, 2, 3], x)", "3:34", "operands must come before named attributes"},
      {"y = max_pool2d(x)", "3:5", "'acnn.max_pool2d' op requires attribute 'kernel'"},
      {"y = relu(x, x)", "3:5", "relu takes 1 operand, got 2"},
      {"y = conv2d(x)", "3:5", "conv2d takes 2 to 4 operands, got 1"},
      {"y = concat(axis=1)", "3:5", "concat takes at least 1 operand, got 0"},
      {"y = add(x, [1, 2])", "3:12", "expected an operand or NAME=VALUE, found '['"},
      {"const k : [4, 2, 3, 3] = 1\ny = conv2d(x, k)", "4:5",
       "'acnn.conv2d' input has 3 channels but weight expects 2 per group x 1 groups"},
      {"y = add(x, reduce_sum)", "3:12", "undefined value 'reduce_sum'"},
      {"y = split(x, axis=1, sizes=[1, 1])", "3:5",
       "'acnn.split' sizes add up to 2 but axis 1 has 3"},
      {"y = softmax(x, axis=5)", "3:5", "'acnn.softmax' op axis 5 is out of range for rank 4"},
      {"y = clip(x, min=1, max=0)", "3:5", "'acnn.clip' op min"},
      {"y = reshape(x)", "3:5", "reshape needs attribute 'shape'"},
      {"y = argmax(x)", "3:5", "argmax needs attribute 'axis'"},
      {"y = argmax(x, axis=4)", "3:5", "argmax axis 4 is out of range for rank 4"},
      {"i = argmax(x, axis=1)\ny = add(i, x)", "4:5", "'acnn.add' op operand #0 must be"},
      {"y = reshape(x, shape=[5, -1])", "3:5",
       "reshape cannot infer the -1 extent: 192 elements are not a multiple of 5"},
      {"y = reshape(x, shape=[1, 2])", "3:5", "'acnn.reshape' op cannot reshape [1, 3, 8, 8]"},
      {"y = gather(x, indices=[3], axis=1)", "3:5", "index 3 is out of range for extent 3"},
      {"a, b = relu(x)", "3:8", "relu gives 1 result(s) but 2 name(s) are bound"},
      {"output z", "3:8", "undefined value 'z'"},
      {"output x, x", "3:11", "'x' is already an output"},
      {"input x : [1]", "3:7", "'x' is already defined"},
      {"input y : [1, 0]", "3:15", "extents must be positive, got 0"},
      {"input y : [1, 2.5]", "3:15", "expected a positive integer extent, found '2.5'"},
      {"input y : [65536, 65536, 2]", "3:11", "has more than 2^31 elements"},
      {"input y [1]", "3:9", "expected ':' and a shape, found '['"},
      {"input y : [1] extra", "3:15", "expected end of line, found 'extra'"},
      {"weights seed 2", "3:1", "'weights' must come once, before inputs, params and ops"},
      {"model m", "3:1", "'model' must come once, before inputs, params and ops"},
      {"= relu(x)", "3:1", "expected a statement, found '='"},
      {"y = mul(x, 1x)", "3:12", "invalid number"},
      {"y = mul(x, 99999999999999999999)", "3:12", "integer out of range"},
      {"y = relu(x) @", "3:13", "unexpected character"},
      {"param w : [2]", "3:7", "no tensor named 'w'"},
  };
  for (const ErrorCase &c : cases) {
    // `param w` fails through a weight source that has nothing.
    class Empty : public WeightSource {
      llvm::Expected<std::vector<float>> get(llvm::StringRef name,
                                             llvm::ArrayRef<int64_t>) override {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "empty: no tensor named '" + name + "'");
      }
    };
    std::string source =
        std::string("weights seed 1\ninput x : [1, 3, 8, 8]\n") + c.statement + "\n";
    bool usesParam = llvm::StringRef(c.statement).starts_with("param");
    std::string error = parseError(source, usesParam ? std::make_unique<Empty>() : nullptr);
    std::string prefix = std::string("t.acnn:") + c.where + ": ";
    EXPECT_EQ(error.substr(0, prefix.size()), prefix) << c.statement << "\n -> " << error;
    EXPECT_NE(error.find(c.reason), std::string::npos) << c.statement << "\n -> " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << "not one line: " << error;
  }
}

TEST(TextLanguage, HeaderAndFileErrors) {
  EXPECT_EQ(parseError("weights \"oops\n"), "t.acnn:1:9: unterminated string");
  EXPECT_EQ(parseError("weights 7\n"),
            "t.acnn:1:9: expected 'seed N' or a \"file.safetensors\" path, found '7'");
  EXPECT_EQ(parseError("weights seed 1\ninput x : [1]\n"), "t.acnn:3:1: model 't' has no outputs");
  EXPECT_EQ(parseError("input x : [1]\nparam w : [2]\n"),
            "t.acnn:2:7: weight 'w': the model has no weight source");
  EXPECT_NE(parseError("weights \"missing.safetensors\"\n")
                .find("t.acnn:1:9: missing.safetensors: cannot open"),
            std::string::npos);

  MLIRContext ctx;
  auto m = parseAcnnFile(ctx, "/nonexistent/model.acnn");
  ASSERT_FALSE(bool(m));
  EXPECT_NE(llvm::toString(m.takeError()).find("cannot open /nonexistent/model.acnn"),
            std::string::npos);
}

} // namespace
