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

def Acnn_ScheduleAttr : Acnn_Attr<"Schedule", "schedule"> {
  let summary = "How one kernel is computed: every decision that changes its speed, not its result";
  let description = [{
    The schedule of one kernel (a linalg op, or a conv/matmul grouped with its
    element-wise consumer), as acnn-select-schedules chooses it and
    acnn-apply-schedules renders it. Loops are the kernel's linalg loops
    (for a group, its conv's or matmul's), in iteration order.

    - `kind`: the template: conv, depthwise (conv), pooling, matmul,
      elementwise, reduction or parallel_only (tiled for threads, not
      vectorised).
    - `vector`: f32 lanes of a vector; `unroll`: vectors along the innermost
      vector dimension of one register tile.
    - `split`: [loop, position] cuts applied first, in order; each cuts every
      piece so far in two, so the register tile divides each piece.
    - `peel`: loops whose register tile leaves a partial last step that is
      peeled off inside the loops around it (a loop of its own there) rather
      than split off up front: the remainder reuses what the outer loops'
      step brought into cache.
    - `parallel`: loops that may go to threads, in order of preference (a
      piece takes the first with at least two register tiles), cut into
      about `chunks` steps (0: one register tile a step).
    - `cache`, `cache_order`: a cache tile per loop (0: whole) inside the
      parallel loop, and the order of its loops.
    - `tile`, `order`: the register tile per loop (0: whole) and the order of
      the tiled loops, outermost first.
    - flags: `decompose` (a 2-D conv, depthwise conv or pooling becomes 1-D before vectorising),
      `vectorize`, `hoist` (accumulators stay in registers across reduction
      loops).

    ```
    #acnn.schedule<conv, vector = 8, unroll = 2, split = [[2, 54]],
                   parallel = [1, 3, 2], tile = [1, 1, 6, 16, 1, 1, 4],
                   order = [3, 0, 1, 2, 4, 5, 6], decompose, vectorize, hoist>
    ```
    Empty lists, zero chunks and false flags are left out.
  }];
  let parameters = (ins
    StringRefParameter<"template">:$kind,
    "int64_t":$vector_width,
    "int64_t":$unroll,
    ArrayRefParameter<"int64_t", "splits as loop, position pairs">:$splits,
    ArrayRefParameter<"int64_t">:$peel,
    ArrayRefParameter<"int64_t">:$parallel_dims,
    "int64_t":$parallel_chunks,
    ArrayRefParameter<"int64_t">:$cache_tile,
    ArrayRefParameter<"int64_t">:$cache_order,
    ArrayRefParameter<"int64_t">:$tile,
    ArrayRefParameter<"int64_t">:$order,
    "bool":$decompose,
    "bool":$vectorize,
    "bool":$hoist
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

#endif // ACNN_ATTRS_TD
