// codeModelFor: x86-64 code stays in the small code model until its
// initialised data passes kSmallCodeModelDataBytes, then takes the medium
// one; other targets stay small. The globals are zero-initialised arrays, so
// a module "holding" more than 1 GiB costs no memory here.
#include "compiler/codegen/ObjectEmitter.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#include <gtest/gtest.h>

namespace {

llvm::CodeModel::Model codeModelOf(const char *triple, std::initializer_list<uint64_t> sizes) {
  llvm::LLVMContext context;
  llvm::Module module("m", context);
  module.setTargetTriple(llvm::Triple(triple));
  module.setDataLayout("e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:"
                       "64-S128");
  for (uint64_t size : sizes) {
    auto *type = llvm::ArrayType::get(llvm::Type::getInt8Ty(context), size);
    new llvm::GlobalVariable(module, type, /*isConstant=*/true, llvm::GlobalValue::PrivateLinkage,
                             llvm::ConstantAggregateZero::get(type));
  }
  return acnn::codeModelFor(module);
}

TEST(CodeModel, SmallUntilTheDataPassesTheLimit) {
  constexpr uint64_t limit = acnn::kSmallCodeModelDataBytes;
  EXPECT_EQ(codeModelOf("x86_64-unknown-linux-gnu", {512 * 1024}), llvm::CodeModel::Small);
  EXPECT_EQ(codeModelOf("x86_64-unknown-linux-gnu", {limit / 2, limit / 2}),
            llvm::CodeModel::Small);
  EXPECT_EQ(codeModelOf("x86_64-unknown-linux-gnu", {limit / 2, limit / 2 + 1}),
            llvm::CodeModel::Medium);
  EXPECT_EQ(codeModelOf("x86_64-unknown-linux-gnu", {limit * 2}), llvm::CodeModel::Medium);
}

TEST(CodeModel, OtherTargetsStaySmall) {
  EXPECT_EQ(codeModelOf("aarch64-unknown-linux-gnu", {acnn::kSmallCodeModelDataBytes * 2}),
            llvm::CodeModel::Small);
}

} // namespace
