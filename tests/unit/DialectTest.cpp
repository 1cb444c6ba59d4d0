// The C++ builder API: ops infer their types, finish() verifies, names survive.
#include "frontends/text/GraphBuilder.h"

#include <gtest/gtest.h>

using namespace acnn;
using namespace mlir;

namespace {

class ListWeights : public WeightSource {
public:
  llvm::Expected<std::vector<float>> get(llvm::StringRef name,
                                         llvm::ArrayRef<int64_t> shape) override {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return std::vector<float>(n, 0.5f);
  }
};

TEST(GraphBuilder, InfersShapesAndNamesInputsAndOutputs) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "tiny", std::make_unique<ListWeights>());
  Value x = g.addInput("image", {1, 3, 8, 8});
  auto w = g.param("conv.weight", {4, 3, 3, 3});
  ASSERT_TRUE(bool(w));
  Value c = Conv2dOp::create(g.builder(), g.loc("conv"), x, *w, nullptr,
                             /*strides=*/{2, 2}, /*pads=*/{1, 1, 1, 1}, /*dilations=*/{1, 1},
                             /*groups=*/1);
  EXPECT_EQ(cast<RankedTensorType>(c.getType()).getShape(), (ArrayRef<int64_t>{1, 4, 4, 4}));
  g.addOutput("logits", ReluOp::create(g.builder(), g.loc("relu"), c));
  auto model = g.finish();
  ASSERT_TRUE(bool(model)) << llvm::toString(model.takeError());
  auto entry = (**model).lookupSymbol<func::FuncOp>(kEntryName);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry.getArgAttrOfType<StringAttr>(0, kNameAttr).getValue(), "image");
  EXPECT_EQ(entry.getResultAttrOfType<StringAttr>(0, kNameAttr).getValue(), "logits");
  EXPECT_EQ(entry.getFunctionType().getResult(0),
            RankedTensorType::get({1, 4, 4, 4}, Float32Type::get(&ctx)));
}

TEST(GraphBuilder, ParamWithoutWeightSourceIsAnError) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "tiny");
  auto w = g.param("fc.weight", {2, 2});
  ASSERT_FALSE(bool(w));
  EXPECT_NE(llvm::toString(w.takeError()).find("fc.weight"), std::string::npos);
}

TEST(GraphBuilder, ModelWithoutOutputsIsAnError) {
  MLIRContext ctx;
  GraphBuilder g(ctx, "empty");
  g.addInput("x", {1});
  auto model = g.finish();
  ASSERT_FALSE(bool(model));
  EXPECT_NE(llvm::toString(model.takeError()).find("no outputs"), std::string::npos);
}

} // namespace
