#ifndef ACNN_ATTRS_TD
#define ACNN_ATTRS_TD

include "dialects/acnn/AcnnBase.td"

class Acnn_Attr<string name, string attrMnemonic> : AttrDef<Acnn_Dialect, name> {
  let mnemonic = attrMnemonic;
}

def Acnn_TargetAttr : Acnn_Attr<"Target", "target"> {
  let summary = "The machine a model is compiled for";
  let description = [{
    Everything the codegen passes know about the CPU, set once by the driver
    (from `--cpu` and `--threads`) as the module's `acnn.target` attribute:
    the LLVM CPU name, its vector ISA and width, the vector registers a
    register tile may use, the data cache sizes in bytes, and the threads the
    parallel loops are cut for (the artifact's default thread count). No pass
    probes the host itself.

    ```
    #acnn.target<cpu = "znver3", isa = "avx2", vector_bits = 256,
                 vector_registers = 16, l1_bytes = 32768, l2_bytes = 524288,
                 l3_bytes = 33554432, threads = 2>
    ```
  }];
  let parameters = (ins
    StringRefParameter<"LLVM CPU name">:$cpu,
    StringRefParameter<"vector ISA: sse, avx2 or avx512">:$isa,
    "int64_t":$vector_bits,
    "int64_t":$vector_registers,
    "int64_t":$l1_bytes,
    "int64_t":$l2_bytes,
    "int64_t":$l3_bytes,
    "int64_t":$threads
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // ACNN_ATTRS_TD
