#include "frontends/text/Lexer.h"

#include "llvm/ADT/StringExtras.h"

namespace acnn::text {

namespace {

bool isNameStart(char c) { return llvm::isAlpha(c) || c == '_'; }
bool isNameChar(char c) { return llvm::isAlnum(c) || c == '_' || c == '.'; }

class Lexer {
public:
  explicit Lexer(llvm::StringRef source) : source(source) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    do
      tokens.push_back(next());
    while (!tokens.back().is(TokenKind::Eof) && !tokens.back().is(TokenKind::Error));
    return tokens;
  }

private:
  llvm::StringRef source;
  size_t at = 0;
  SourcePos pos;
  // Open ( and [ count; newlines inside them are not statement ends.
  unsigned depth = 0;

  char peek(size_t ahead = 0) const {
    return at + ahead < source.size() ? source[at + ahead] : '\0';
  }

  void advance() {
    if (source[at++] == '\n') {
      ++pos.line;
      pos.col = 1;
    } else {
      ++pos.col;
    }
  }

  Token make(TokenKind kind, SourcePos start, size_t begin) {
    return {kind, source.slice(begin, at), start};
  }

  Token error(const char *message, SourcePos start) { return {TokenKind::Error, message, start}; }

  Token next() {
    for (;;) {
      char c = peek();
      if (c == '#') {
        while (at < source.size() && peek() != '\n')
          advance();
      } else if (c == ' ' || c == '\t' || c == '\r' || (c == '\n' && depth > 0)) {
        advance();
      } else {
        break;
      }
    }
    SourcePos start = pos;
    size_t begin = at;
    if (at >= source.size())
      return make(TokenKind::Eof, start, begin);

    char c = peek();
    if (isNameStart(c)) {
      while (isNameChar(peek()))
        advance();
      return make(TokenKind::Name, start, begin);
    }
    if (llvm::isDigit(c) || (c == '-' && llvm::isDigit(peek(1))))
      return number(start, begin);
    if (c == '"') {
      do
        advance();
      while (at < source.size() && peek() != '"' && peek() != '\n');
      if (peek() != '"')
        return error("unterminated string", start);
      advance();
      return make(TokenKind::String, start, begin);
    }

    static constexpr std::pair<char, TokenKind> punctuation[] = {
        {'(', TokenKind::LParen},   {')', TokenKind::RParen},  {'[', TokenKind::LBracket},
        {']', TokenKind::RBracket}, {',', TokenKind::Comma},   {'=', TokenKind::Equal},
        {':', TokenKind::Colon},    {'\n', TokenKind::Newline}};
    for (auto [ch, kind] : punctuation) {
      if (c != ch)
        continue;
      if (kind == TokenKind::LParen || kind == TokenKind::LBracket)
        ++depth;
      else if ((kind == TokenKind::RParen || kind == TokenKind::RBracket) && depth > 0)
        --depth;
      advance();
      return make(kind, start, begin);
    }
    return error("unexpected character", start);
  }

  // -?digits[.digits][(e|E)[+-]digits]; an Integer unless it has a fraction or exponent.
  Token number(SourcePos start, size_t begin) {
    auto digits = [&] {
      while (llvm::isDigit(peek()))
        advance();
    };
    if (peek() == '-')
      advance();
    digits();
    bool real = false;
    if (peek() == '.') {
      real = true;
      advance();
      digits();
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (llvm::isDigit(peek(1)) ||
         ((peek(1) == '+' || peek(1) == '-') && llvm::isDigit(peek(2))))) {
      real = true;
      advance();
      advance();
      digits();
    }
    if (isNameChar(peek()))
      return error("invalid number", start);

    Token t = make(real ? TokenKind::Real : TokenKind::Integer, start, begin);
    if (real) {
      if (t.text.getAsDouble(t.real))
        return error("invalid number", start);
    } else {
      if (t.text.getAsInteger(10, t.integer))
        return error("integer out of range", start);
      t.real = double(t.integer);
    }
    return t;
  }
};

} // namespace

std::vector<Token> lex(llvm::StringRef source) { return Lexer(source).run(); }

} // namespace acnn::text
