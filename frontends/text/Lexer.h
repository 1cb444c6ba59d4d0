#ifndef ACNN_FRONTENDS_TEXT_LEXER_H
#define ACNN_FRONTENDS_TEXT_LEXER_H

// Tokens of the .acnn language. Names may contain dots and digits after the
// first character (`layer1.0.conv1.weight`), so PyTorch weight names are
// names as they are.

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <vector>

namespace acnn::text {

/// 1-based line and column (in bytes) of a token's first character.
struct SourcePos {
  unsigned line = 1, col = 1;
};

enum class TokenKind {
  Name,
  Integer,
  Real,
  String,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Equal,
  Colon,
  Newline,
  Eof,
  Error,
};

struct Token {
  TokenKind kind;
  /// The spelling (a string with its quotes); for an Error token, the message.
  llvm::StringRef text;
  SourcePos pos;
  /// The value of an Integer (also in `real`) or a Real.
  int64_t integer = 0;
  double real = 0;

  bool is(TokenKind k) const { return kind == k; }
  /// The column just past the token.
  unsigned endCol() const { return pos.col + text.size(); }
  /// A string's contents, without the quotes.
  llvm::StringRef stringValue() const { return text.drop_front().drop_back(); }
};

/// Splits `source` into tokens ending with Eof, or with an Error token at the
/// first bad character. Comments (`#` to the end of the line) are dropped, and
/// so are newlines inside () and [], so a long call may span lines.
std::vector<Token> lex(llvm::StringRef source);

} // namespace acnn::text

#endif
