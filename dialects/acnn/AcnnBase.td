#ifndef ACNN_BASE_TD
#define ACNN_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Acnn_Dialect : Dialect {
  let name = "acnn";
  let cppNamespace = "::acnn";
  let summary = "Dataflow graph of an attention-CNN image model";
  let description = [{
    Tensor SSA with static shapes. Feature maps are NCHW, conv weights OIHW,
    linear weights [out, in]. Weights are `acnn.constant` ops. Every op infers
    its result type from its operands and attributes, so a shape mismatch is a
    verifier error that names the op.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class Acnn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Acnn_Dialect, mnemonic, traits>;

// Everything acnn computes is a statically shaped f32 tensor.
def Acnn_Tensor : StaticShapeTensorOf<[F32]>;

// An i64 attribute read as signed: axes may be negative (counted from the end).
def Acnn_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t", "64-bit integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

#endif // ACNN_BASE_TD
