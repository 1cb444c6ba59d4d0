#ifndef ACNN_FRONTENDS_TEXT_OPTABLE_H
#define ACNN_FRONTENDS_TEXT_OPTABLE_H

// How a parsed call `name(operands..., attr=value...)` becomes an acnn op: one
// table maps each op mnemonic to its operand count and builder, and one table
// maps each ODS attribute name to the kind of literal it takes.

#include "frontends/text/Lexer.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

#include <optional>
#include <string>

namespace acnn::text {

/// A literal value as written: a number, `true`/`false`, a word (`relu`), or a
/// list of integers.
struct Literal {
  enum Kind { Integer, Real, Bool, Word, IntList } kind = Integer;
  int64_t integer = 0;
  double real = 0; // also set for an Integer
  bool boolean = false;
  std::string word;
  llvm::SmallVector<int64_t> list;
};

struct AttrArg {
  std::string name;
  Literal value;
  SourcePos pos;
};

/// What an attribute accepts; the parser converts literals by name.
enum class AttrKind { Int, Float, Bool, IntList, Indices, Word };
std::optional<AttrKind> attrKind(llvm::StringRef name);

/// A call being turned into an op; `fail` records the error to report.
struct OpCall {
  mlir::OpBuilder &builder;
  llvm::StringRef op;
  SourcePos pos;
  mlir::Location loc;
  llvm::SmallVector<mlir::Value> operands;
  llvm::SmallVector<AttrArg> attrs;

  struct Error {
    SourcePos pos;
    std::string message;
  };
  std::optional<Error> error;

  mlir::LogicalResult fail(SourcePos at, const llvm::Twine &message) {
    error = Error{at, message.str()};
    return mlir::failure();
  }
};

/// One row of the op table.
struct OpSpec {
  llvm::StringRef mnemonic;
  unsigned minOperands, maxOperands;
  /// The attribute names the op takes.
  llvm::ArrayRef<llvm::StringRef> (*attributeNames)();
  /// Creates the op from the call's operands and its converted attributes.
  mlir::FailureOr<mlir::Operation *> (*build)(OpCall &, mlir::DictionaryAttr);
};

/// Every callable op, in ODS order.
llvm::ArrayRef<OpSpec> opTable();

/// Creates and verifies the op `call.op`; on failure `call.error` says why.
mlir::FailureOr<mlir::Operation *> createOp(OpCall &call);

} // namespace acnn::text

#endif
