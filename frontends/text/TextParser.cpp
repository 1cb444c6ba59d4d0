#include "frontends/text/TextParser.h"
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/text/GraphBuilder.h"
#include "frontends/text/Lexer.h"
#include "frontends/text/OpTable.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace acnn {

namespace {

using text::Literal;
using text::SourcePos;
using text::Token;
using text::TokenKind;

class Parser {
public:
  Parser(MLIRContext &ctx, llvm::StringRef source, llvm::StringRef bufferName,
         std::unique_ptr<WeightSource> weightsOverride)
      : ctx(ctx), bufferName(bufferName), tokens(text::lex(source)),
        weights(std::move(weightsOverride)), weightsOverridden(weights != nullptr) {}

  llvm::Expected<OwningOpRef<ModuleOp>> parse();

private:
  MLIRContext &ctx;
  llvm::StringRef bufferName;
  std::vector<Token> tokens;
  size_t at = 0;

  // The header (`model`, `weights`) configures the graph builder, which is
  // created by the first statement after it.
  std::string modelName;
  std::unique_ptr<WeightSource> weights;
  bool weightsOverridden;
  bool weightsGiven = false;
  std::unique_ptr<GraphBuilder> graph;

  llvm::StringMap<Value> values; // each name's current binding
  llvm::StringSet<> outputNames;
  std::string error;

  // Tokens.
  const Token &cur() const { return tokens[at]; }
  const Token &lookahead() const { return tokens[std::min(at + 1, tokens.size() - 1)]; }
  const Token &take() {
    const Token &t = tokens[at];
    if (!t.is(TokenKind::Eof) && !t.is(TokenKind::Error))
      ++at;
    return t;
  }
  bool takeIf(TokenKind kind) {
    if (!cur().is(kind))
      return false;
    take();
    return true;
  }
  bool atKeyword(llvm::StringRef word) const {
    return cur().is(TokenKind::Name) && cur().text == word;
  }

  // Errors: the first one wins, as `FILE:LINE:COL: message`.
  LogicalResult fail(SourcePos pos, const llvm::Twine &message);
  LogicalResult failExpected(const llvm::Twine &what);
  LogicalResult expect(TokenKind kind, const llvm::Twine &what);
  FailureOr<const Token *> expectName(const llvm::Twine &what);

  // Statements.
  LogicalResult parseStatement();
  LogicalResult parseModel();
  LogicalResult parseWeights();
  LogicalResult parseInput();
  LogicalResult parseParam();
  LogicalResult parseConst();
  LogicalResult parseOutput();
  LogicalResult parseAssignment();
  LogicalResult parseArgument(text::OpCall &call);
  FailureOr<Literal> parseLiteral();
  FailureOr<llvm::SmallVector<int64_t>> parseIntList(bool positive);
  FailureOr<llvm::SmallVector<int64_t>> parseShape();
  FailureOr<const Token *> parseDeclaredName(llvm::StringRef keyword);

  GraphBuilder &builder();
  Location fileLoc(SourcePos pos) {
    return FileLineColLoc::get(&ctx, bufferName, pos.line, pos.col);
  }
  FailureOr<Value> lookup(const Token &name);
};

LogicalResult Parser::fail(SourcePos pos, const llvm::Twine &message) {
  if (error.empty())
    error = (bufferName + ":" + llvm::Twine(pos.line) + ":" + llvm::Twine(pos.col) + ": " + message)
                .str();
  return failure();
}

LogicalResult Parser::failExpected(const llvm::Twine &what) {
  const Token &t = cur();
  if (t.is(TokenKind::Error))
    return fail(t.pos, t.text);
  // A token on a later line means the statement ended early (say, a missing
  // ')'): point just past the last token of the statement instead.
  if (at > 0 && !tokens[at - 1].is(TokenKind::Newline) && t.pos.line > tokens[at - 1].pos.line) {
    const Token &last = tokens[at - 1];
    return fail({last.pos.line, last.endCol()}, "expected " + what);
  }
  std::string found = t.is(TokenKind::Newline) ? "end of line"
                      : t.is(TokenKind::Eof)   ? "end of file"
                                               : "'" + t.text.str() + "'";
  return fail(t.pos, "expected " + what + ", found " + found);
}

LogicalResult Parser::expect(TokenKind kind, const llvm::Twine &what) {
  return takeIf(kind) ? success() : failExpected(what);
}

FailureOr<const Token *> Parser::expectName(const llvm::Twine &what) {
  if (!cur().is(TokenKind::Name))
    return failExpected(what);
  return &take();
}

GraphBuilder &Parser::builder() {
  if (!graph) {
    std::string name = modelName.empty() ? llvm::sys::path::stem(bufferName).str() : modelName;
    graph = std::make_unique<GraphBuilder>(ctx, name, std::move(weights));
  }
  return *graph;
}

FailureOr<Value> Parser::lookup(const Token &name) {
  auto it = values.find(name.text);
  if (it == values.end())
    return fail(name.pos, "undefined value '" + name.text + "'");
  return it->second;
}

llvm::Expected<OwningOpRef<ModuleOp>> Parser::parse() {
  auto reportError = [&] { return llvm::createStringError(llvm::inconvertibleErrorCode(), error); };
  while (!cur().is(TokenKind::Eof)) {
    if (takeIf(TokenKind::Newline))
      continue;
    if (mlir::failed(parseStatement()))
      return reportError();
    if (!cur().is(TokenKind::Newline) && !cur().is(TokenKind::Eof)) {
      (void)failExpected("end of line");
      return reportError();
    }
  }
  llvm::Expected<OwningOpRef<ModuleOp>> module = builder().finish();
  if (!module) {
    (void)fail(cur().pos, llvm::toString(module.takeError()));
    return reportError();
  }
  return module;
}

LogicalResult Parser::parseStatement() {
  using Handler = LogicalResult (Parser::*)();
  // A keyword followed by '=' or ',' is a name being bound, not a statement.
  Handler handler = nullptr;
  if (cur().is(TokenKind::Name) && !lookahead().is(TokenKind::Equal) &&
      !lookahead().is(TokenKind::Comma))
    handler = llvm::StringSwitch<Handler>(cur().text)
                  .Case("model", &Parser::parseModel)
                  .Case("weights", &Parser::parseWeights)
                  .Case("input", &Parser::parseInput)
                  .Case("param", &Parser::parseParam)
                  .Case("const", &Parser::parseConst)
                  .Case("output", &Parser::parseOutput)
                  .Default(nullptr);
  if (handler)
    return (this->*handler)();
  if (cur().is(TokenKind::Name))
    return parseAssignment();
  return failExpected("a statement");
}

// model NAME
LogicalResult Parser::parseModel() {
  const Token &keyword = take();
  if (graph || !modelName.empty())
    return fail(keyword.pos, "'model' must come once, before inputs, params and ops");
  FailureOr<const Token *> name = expectName("a model name");
  if (mlir::failed(name))
    return failure();
  modelName = (*name)->text.str();
  return success();
}

// weights seed N | weights "PATH"
LogicalResult Parser::parseWeights() {
  const Token &keyword = take();
  if (graph || weightsGiven)
    return fail(keyword.pos, "'weights' must come once, before inputs, params and ops");
  weightsGiven = true;
  if (atKeyword("seed")) {
    take();
    const Token &seed = cur();
    if (!seed.is(TokenKind::Integer) || seed.integer < 0)
      return failExpected("a non-negative integer seed");
    take();
    if (!weightsOverridden)
      weights = seededWeights(uint64_t(seed.integer));
    return success();
  }
  if (!cur().is(TokenKind::String))
    return failExpected("'seed N' or a \"file.safetensors\" path");
  const Token &file = take();
  if (weightsOverridden)
    return success();
  llvm::SmallString<256> path(file.stringValue());
  if (llvm::sys::path::is_relative(path)) {
    path = llvm::sys::path::parent_path(bufferName);
    llvm::sys::path::append(path, file.stringValue());
  }
  llvm::Expected<std::unique_ptr<WeightSource>> source = openSafetensors(path);
  if (!source)
    return fail(file.pos, llvm::toString(source.takeError()));
  weights = std::move(*source);
  return success();
}

// The NAME of `input NAME : SHAPE` and the like, which must be new.
FailureOr<const Token *> Parser::parseDeclaredName(llvm::StringRef keyword) {
  take();
  FailureOr<const Token *> name = expectName("a name after '" + keyword + "'");
  if (mlir::failed(name))
    return failure();
  if (values.count((*name)->text))
    return fail((*name)->pos, "'" + (*name)->text + "' is already defined");
  if (mlir::failed(expect(TokenKind::Colon, "':' and a shape")))
    return failure();
  return name;
}

// input NAME : SHAPE
LogicalResult Parser::parseInput() {
  FailureOr<const Token *> name = parseDeclaredName("input");
  if (mlir::failed(name))
    return failure();
  FailureOr<llvm::SmallVector<int64_t>> shape = parseShape();
  if (mlir::failed(shape))
    return failure();
  values[(*name)->text] = builder().addInput((*name)->text, *shape);
  return success();
}

// param NAME : SHAPE   (NAME is the weight's name in the weight source)
LogicalResult Parser::parseParam() {
  FailureOr<const Token *> name = parseDeclaredName("param");
  if (mlir::failed(name))
    return failure();
  FailureOr<llvm::SmallVector<int64_t>> shape = parseShape();
  if (mlir::failed(shape))
    return failure();
  llvm::Expected<Value> value = builder().param((*name)->text, *shape);
  if (!value)
    return fail((*name)->pos, llvm::toString(value.takeError()));
  values[(*name)->text] = *value;
  return success();
}

// const NAME : SHAPE = NUMBER   (a tensor filled with NUMBER, not a weight)
LogicalResult Parser::parseConst() {
  FailureOr<const Token *> name = parseDeclaredName("const");
  if (mlir::failed(name))
    return failure();
  FailureOr<llvm::SmallVector<int64_t>> shape = parseShape();
  if (mlir::failed(shape) || mlir::failed(expect(TokenKind::Equal, "'=' and a fill value")))
    return failure();
  const Token &fill = cur();
  if (!fill.is(TokenKind::Integer) && !fill.is(TokenKind::Real))
    return failExpected("a number");
  take();
  std::vector<float> data(product(*shape), float(fill.real));
  values[(*name)->text] = builder().constant(*shape, data, fileLoc((*name)->pos));
  return success();
}

// output NAME {, NAME}
LogicalResult Parser::parseOutput() {
  take();
  do {
    FailureOr<const Token *> name = expectName("the name of a value");
    if (mlir::failed(name))
      return failure();
    FailureOr<Value> value = lookup(**name);
    if (mlir::failed(value))
      return failure();
    if (!outputNames.insert((*name)->text).second)
      return fail((*name)->pos, "'" + (*name)->text + "' is already an output");
    builder().addOutput((*name)->text, *value);
  } while (takeIf(TokenKind::Comma));
  return success();
}

// NAME {, NAME} = OP ( [ARG {, ARG}] )
LogicalResult Parser::parseAssignment() {
  llvm::SmallVector<const Token *> targets;
  do {
    FailureOr<const Token *> name = expectName("a name to bind");
    if (mlir::failed(name))
      return failure();
    targets.push_back(*name);
  } while (takeIf(TokenKind::Comma));
  if (mlir::failed(expect(TokenKind::Equal, "'='")))
    return failure();
  FailureOr<const Token *> op = expectName("an op name");
  if (mlir::failed(op) || mlir::failed(expect(TokenKind::LParen, "'('")))
    return failure();

  // The op's location is its line, named for the value it defines.
  Location loc = NameLoc::get(StringAttr::get(&ctx, targets.front()->text), fileLoc((*op)->pos));
  text::OpCall call{builder().builder(), (*op)->text, (*op)->pos, loc, {}, {}, std::nullopt};
  if (!cur().is(TokenKind::RParen)) {
    do {
      if (mlir::failed(parseArgument(call)))
        return failure();
    } while (takeIf(TokenKind::Comma));
  }
  if (mlir::failed(expect(TokenKind::RParen, "',' or ')'")))
    return failure();

  FailureOr<Operation *> created = text::createOp(call);
  if (mlir::failed(created))
    return fail(call.error->pos, call.error->message);
  ResultRange results = (*created)->getResults();
  if (results.size() != targets.size())
    return fail((*op)->pos, call.op + " gives " + llvm::Twine(results.size()) + " result(s) but " +
                                llvm::Twine(targets.size()) + " name(s) are bound");
  for (auto [target, result] : llvm::zip_equal(targets, results))
    if (target->text != "_") // `_` discards a result
      values[target->text] = result;
  return success();
}

// An operand (a name, or a number as a 0-d constant), or NAME = LITERAL.
LogicalResult Parser::parseArgument(text::OpCall &call) {
  const Token &t = cur();
  if (t.is(TokenKind::Name) && lookahead().is(TokenKind::Equal)) {
    take();
    take();
    FailureOr<Literal> value = parseLiteral();
    if (mlir::failed(value))
      return failure();
    call.attrs.push_back({t.text.str(), std::move(*value), t.pos});
    return success();
  }
  if (!call.attrs.empty() &&
      (t.is(TokenKind::Name) || t.is(TokenKind::Integer) || t.is(TokenKind::Real)))
    return fail(t.pos, "operands must come before named attributes");
  if (t.is(TokenKind::Name)) {
    FailureOr<Value> value = lookup(take());
    if (mlir::failed(value))
      return failure();
    call.operands.push_back(*value);
    return success();
  }
  if (t.is(TokenKind::Integer) || t.is(TokenKind::Real)) {
    take();
    call.operands.push_back(builder().scalar(float(t.real), fileLoc(t.pos)));
    return success();
  }
  return failExpected("an operand or NAME=VALUE");
}

// NUMBER | true | false | NAME | [INT, ...]
FailureOr<Literal> Parser::parseLiteral() {
  const Token &t = cur();
  Literal lit;
  if (t.is(TokenKind::Integer) || t.is(TokenKind::Real)) {
    take();
    lit.kind = t.is(TokenKind::Integer) ? Literal::Integer : Literal::Real;
    lit.integer = t.integer;
    lit.real = t.real;
    return lit;
  }
  if (atKeyword("true") || atKeyword("false")) {
    lit.kind = Literal::Bool;
    lit.boolean = take().text == "true";
    return lit;
  }
  if (t.is(TokenKind::Name)) {
    lit.kind = Literal::Word;
    lit.word = take().text.str();
    return lit;
  }
  if (t.is(TokenKind::LBracket)) {
    FailureOr<llvm::SmallVector<int64_t>> list = parseIntList(/*positive=*/false);
    if (mlir::failed(list))
      return failure();
    lit.kind = Literal::IntList;
    lit.list = std::move(*list);
    return lit;
  }
  return failExpected("a number, true, false, a name or a list");
}

// [INT, ...]; a shape when `positive`.
FailureOr<llvm::SmallVector<int64_t>> Parser::parseIntList(bool positive) {
  if (mlir::failed(expect(TokenKind::LBracket, "'['")))
    return failure();
  llvm::SmallVector<int64_t> list;
  if (takeIf(TokenKind::RBracket))
    return list;
  do {
    const Token &t = cur();
    if (!t.is(TokenKind::Integer))
      return failExpected(positive ? "a positive integer extent" : "an integer");
    if (positive && t.integer <= 0)
      return fail(t.pos, "extents must be positive, got " + llvm::Twine(t.integer));
    list.push_back(take().integer);
  } while (takeIf(TokenKind::Comma));
  if (mlir::failed(expect(TokenKind::RBracket, "',' or ']'")))
    return failure();
  return list;
}

// [EXTENT, ...] of a tensor small enough to materialise: a typo cannot ask
// for terabytes of weights.
FailureOr<llvm::SmallVector<int64_t>> Parser::parseShape() {
  SourcePos pos = cur().pos;
  FailureOr<llvm::SmallVector<int64_t>> shape = parseIntList(/*positive=*/true);
  if (mlir::failed(shape))
    return failure();
  int64_t elements = 1;
  for (int64_t d : *shape)
    if (llvm::MulOverflow(elements, d, elements) || elements > kMaxTensorElements)
      return fail(pos, "a tensor of shape " + formatShape(*shape) + " has more than 2^31 elements");
  return shape;
}

} // namespace

llvm::Expected<OwningOpRef<ModuleOp>>
parseAcnnString(MLIRContext &ctx, llvm::StringRef source, llvm::StringRef bufferName,
                std::unique_ptr<WeightSource> weightsOverride) {
  return Parser(ctx, source, bufferName, std::move(weightsOverride)).parse();
}

llvm::Expected<OwningOpRef<ModuleOp>> parseAcnnFile(MLIRContext &ctx, llvm::StringRef path,
                                                    std::unique_ptr<WeightSource> weightsOverride) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "cannot open %s: %s", path.str().c_str(),
                                   buffer.getError().message().c_str());
  return parseAcnnString(ctx, (*buffer)->getBuffer(), path, std::move(weightsOverride));
}

} // namespace acnn
