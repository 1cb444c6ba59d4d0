#ifndef ACNN_CODEGEN_PASSES_TD
#define ACNN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def EmitModelMeta : Pass<"acnn-emit-model-meta", "mlir::ModuleOp"> {
  let summary = "Describe the model's inputs and outputs for the runtime";
  let description = [{
    Adds the global `acnn_<model>_meta`: the text the runtime parses when it
    binds a compiled model (libacnnrt's acnnrt.h documents the format), with
    the names and shapes of `@main`'s arguments and results, and the
    `threads` of the module's #acnn.target if it has one (the runtime's
    default thread count). Runs while the signature still has tensor types;
    `<model>` is the module's name.
    acnn-plan-memory appends the `arena` record and acnn-profile-kernels the
    `kernel` records.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def ConstantsAsBytes : Pass<"acnn-constants-as-bytes", "mlir::ModuleOp"> {
  let summary = "Store the data of constant globals as arrays of bytes";
  let description = [{
    On the LLVM-dialect module: a constant `llvm.mlir.global` whose value is
    dense (or dense_resource) data of a rank-one-or-more array type becomes a
    global of type `!llvm.array<N x i8>` holding the same bytes, with the same
    name, alignment and linkage. Uses take its address only
    (`llvm.mlir.addressof`, an opaque pointer), so they are unchanged. LLVM
    translates and emits an array of nested float arrays element by element
    (a ViT-B's 86 M weights took 6 s in AsmPrinter alone); an array of bytes
    is one block of data. Splat values are left as they are.
  }];
}

def EmitModelEntry : Pass<"acnn-emit-model-entry", "mlir::ModuleOp"> {
  let summary = "Export the model behind the runtime's calling convention";
  let description = [{
    On the LLVM-dialect module: makes the lowered `@main` internal as
    `acnn_<model>_main` and adds `void acnn_<model>_entry(void **args)`, which
    passes args[0..n) to its n arguments as bare pointers. @main's arguments
    are therefore in the order of the runtime's args[]: the inputs, the
    outputs, then the arena and last the `acnn_context *`, both appended by
    acnn-plan-memory / acnn-profile-kernels (RuntimeArguments.h). A pass that
    needs another argument from the runtime adds it to args[] and to @main
    at the same position, before the context, which stays last. With
    `shared-library`, also exports both symbols as `acnn_model_meta` and
    `acnn_model_entry`, the names the runtime looks up in a shared library.
  }];
  let options = [
    Option<"sharedLibrary", "shared-library", "bool", /*default=*/"false",
           "Also export the generic symbol names a shared library needs">
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def MarkKernels : Pass<"acnn-mark-kernels", "mlir::ModuleOp"> {
  let summary = "Name every kernel of the graph in its ops' locations";
  let description = [{
    Runs on the acnn graph, before it is lowered: every op but constants is
    one kernel for the runtime's profile. Its location becomes
    `fused<{acnn.kernel_name = "NAME"}>[loc]`, which every op lowered from it
    inherits (KernelLocation.h). NAME is `[node/]op_shapes`: the node's name
    from its NameLoc, the op's mnemonic and the shapes of its operands of rank
    two or more (else of its result), made of [A-Za-z0-9_./-] and unique.
  }];
}

def CountKernelFlops : Pass<"acnn-count-kernel-flops", "mlir::ModuleOp"> {
  let summary = "Append each kernel's floating-point operation count to its name";
  let description = [{
    On linalg on tensors, right after the acnn ops are lowered and before
    schedules rewrite the linalg ops: every kernel name from
    acnn-mark-kernels gains `_flops<N>`, N summed over the kernel's linalg
    ops as the float-valued ops of the body times the points of the
    iteration space and the trips of the loops around it (a multiply-add
    counts two).
  }];
}

def PlanMemory : Pass<"acnn-plan-memory", "mlir::ModuleOp"> {
  let summary = "Place @main's buffers in the runtime's arena";
  let description = [{
    After bufferisation: every `memref.alloc` of static size in `@main`
    becomes a `memref.view` into the arena argument (RuntimeArguments.h) at a
    64-byte aligned offset, and its deallocations go. Offsets come from the
    buffers' live ranges over the ops of @main's body (an op with regions,
    such as a loop, is one step: a buffer allocated inside it is live for all
    of it), placed greedily (ArenaPlan.h); buffers live at the same time
    never overlap. The arena's size goes into the metadata's `arena` record.
    Allocations the plan cannot follow stay heap allocations: those returned,
    yielded, passed to calls or turned into non-view memrefs, and those inside
    scf.forall / scf.parallel, whose iterations may run at once.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
                           "mlir::LLVM::LLVMDialect"];
}

def ProfileKernels : Pass<"acnn-profile-kernels", "mlir::ModuleOp"> {
  let summary = "Time every kernel of @main with the runtime's profiling hooks";
  let description = [{
    After bufferisation: brackets each kernel (acnn-mark-kernels) in `@main`'s
    body with `acnn_kernel_begin(ctx, i)` / `acnn_kernel_end(ctx, i)`, ctx
    being the context argument (RuntimeArguments.h), and appends a `kernel`
    record per kernel to the metadata, in order of first appearance. A body
    op belongs to the kernel in its location or in its nested ops' (a loop's
    body); only ops that read or write memory delimit kernels, and one that
    names no kernel counts towards the next kernel, so the brackets cover the
    whole run.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::arith::ArithDialect",
                           "mlir::LLVM::LLVMDialect"];
}

def RuntimeThreadCount : Pass<"acnn-runtime-thread-count", "mlir::ModuleOp"> {
  let summary = "Fork every parallel region of @main on the runtime's thread count";
  let description = [{
    After scf-to-openmp: @main calls `int32_t acnn_context_num_threads(
    acnn_context *)` once at its start, with the context argument
    (RuntimeArguments.h), and every `omp.parallel` in it takes that count as
    its `num_threads`. So `acnn_model_set_num_threads` (and `acnn-run
    --threads`) decide how many threads a compiled model's loops run on,
    whatever OpenMP's environment says.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::omp::OpenMPDialect",
                           "mlir::LLVM::LLVMDialect"];
}

def OutlineKernels : Pass<"acnn-outline-kernels", "mlir::ModuleOp"> {
  let summary = "Make each kernel of @main a function; identical kernels share one";
  let description = [{
    After acnn-profile-kernels and acnn-runtime-thread-count, on buffers:
    the ops between a kernel's profiling hooks move into a private function
    `@main_kernelN` (marked `acnn.kernel_function`, which the object emitter
    keeps from being inlined) that @main calls there. Values from before the
    kernel are its arguments (scalar constants and strided views are
    recomputed inside, as the bare-pointer calling convention passes only
    identity-layout memrefs); views it makes for later kernels are recomputed
    where they are used. A kernel whose function would be identical to an
    earlier one's (same ops, types, constants) calls that one instead, so
    LLVM compiles repeated blocks once. A kernel that takes or returns a
    value no function can pass stays in @main.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def TeamPerRun : Pass<"acnn-team-per-run", "mlir::ModuleOp"> {
  let summary = "Fork @main's threads once a run; its parallel loops share the team";
  let description = [{
    After acnn-runtime-thread-count and acnn-outline-kernels: the body of
    @main after its thread-count query moves into one `omp.parallel` with
    that count. Every parallel region in it, or in a kernel function it
    calls, gives way to its `omp.wsloop`, whose implicit barrier stands in
    for the join; sequential loops around such regions are run by every
    thread. Everything else between them runs in an `omp.masked` (the first
    thread), followed by an `omp.barrier` unless it only calls the
    profiling hooks; pure ops whose results later ops need are computed by
    every thread instead. When a value only one thread computes is needed by
    all (a scalar load feeding a loop bound), @main keeps a region per loop
    and the pass says so in a remark.
  }];
  let dependentDialects = ["mlir::omp::OpenMPDialect"];
}

def RollMainLoops : Pass<"acnn-roll-main-loops", "mlir::ModuleOp"> {
  let summary = "Keep the loops @main runs on one thread to move memory rolled";
  let description = [{
    After the lowering to the LLVM dialect: every back edge of @main's own
    blocks (not those of its worksharing loops) whose loop does no
    floating-point arithmetic gets a loop annotation that disables unrolling.
    These are concat copies and padding borders; unrolled in full by LLVM
    they make basic blocks so long that instruction scheduling dominates the
    compile (DenseNet-169) and they run no faster. Loops that compute (a
    serial kernel's) keep LLVM's choice.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def CopiesToLinalg : Pass<"acnn-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Turn strided memref.copy into linalg.copy";
  let description = [{
    Bufferisation copies into and out of subviews (concat, pad, slices). The
    LLVM lowering turns a copy between non-contiguous memrefs into a call to
    MLIR's `memrefCopy` runtime helper, which a self-contained model must not
    depend on; as linalg.copy it becomes plain loops. Contiguous copies stay
    memref.copy (a memcpy).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def SinkToStores : Pass<"acnn-sink-to-stores", "mlir::func::FuncOp"> {
  let summary = "Compute each stored value just before its store";
  let description = [{
    Unrolled vector code lists each op for every slice of a register tile
    before the next op: an epilogue of 28 accumulators computes 28 negations,
    then 28 exponentials, then 28 divisions, with all of them live, and
    LLVM's scheduler keeps that order and spills (EfficientNet's SiLU
    epilogues). In each block that stores, each side-effect-free op without
    regions moves down to just before the first op with effects (a store, a
    load, a loop) that needs it, so a tile's slices are computed and stored
    one after another. Ops with effects keep their order; blocks without a
    store (a reduction loop's body) are left alone.
  }];
}

def KernelLayouts : Pass<"acnn-kernel-layouts", "mlir::func::FuncOp"> {
  let summary = "Put conv and matmul operands in the layouts the schedules vectorise";
  let description = [{
    NCHW/FCHW convolutions become NHWC/HWCF ones between transposes (the
    output-channel axis contiguous, so an ow x f register tile loads whole
    vectors); constant filters are transposed at compile time. Depthwise
    convs and pooling become NHWC ones too; a grouped conv becomes one NHWC
    conv per group in an scf.forall over the groups, and over blocks of
    output rows where the groups do not share evenly among the threads (the
    module's #acnn.target's). A matmul that
    reads a constant rhs transposed (a linear layer's [n, k] weight) reads a
    transposed copy of the constant instead.
  }];
  let dependentDialects = ["acnn::AcnnDialect", "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect", "mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect"];
}

def FuseElementwise : Pass<"acnn-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse chains of element-wise generics into one loop nest";
  let description = [{
    Fuses an element-wise linalg.generic into the generic that reads it, when
    that is its only reader and both are in the function's straight-line
    body: the SE or CBAM gate's scaled map, the residual add and the
    activation after it become one pass over memory. A producer that the
    reader broadcasts (one value per row or channel) is fused only if it is
    cheap; a division, square root or transcendental function stays in a
    generic of its own, computed once per value instead of once per element.

    A fused body holds at most max-body-ops ops. Each fusion copies both
    bodies into a new op, so fusing a chain without a bound takes time
    quadratic in its length (100k Relus: 20 minutes); the largest fused
    body of the zoo's models holds 36 ops.
  }];
  let options = [
    Option<"maxBodyOps", "max-body-ops", "int64_t", /*default=*/"256",
           "The most ops a fused generic's body may hold">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def PropagateLayouts : Pass<"acnn-propagate-layouts", "mlir::func::FuncOp"> {
  let summary = "Cancel the layout transposes between kernels along conv chains";
  let description = [{
    A generic reading a transposed tensor reads the tensor itself through a
    permuted indexing map; an element-wise generic whose result is transposed
    for a convolution (or another op that needs the layout materialised)
    writes that layout directly, with its loops reordered to write it
    contiguously, and its other generic readers read it permuted. After
    acnn-kernel-layouts, a chain of NHWC convolutions and the element-wise
    kernels between them then runs NHWC end to end. Pads and concats read
    in another layout are made in it (inception, fire and DenseNet blocks
    concatenate NHWC branches).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def ScaleIntoFilter : Pass<"acnn-scale-into-filter", "mlir::func::FuncOp"> {
  let summary = "Fold a per-channel scale of an NHWC conv's input into its filter";
  let description = [{
    An element-wise generic scaling an NHWC map by one gate value per channel
    (squeeze-excite's), read by a conv alone, is replaced by the same scale of
    the conv's filter along its input channels, where the filter is the
    smaller of the two (KH x KW x F < H x W) and the batch is 1. The scaled
    map is then neither written nor read back.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

def FusePoolIntoConv : Pass<"acnn-fuse-pool-into-conv", "mlir::func::FuncOp"> {
  let summary = "Compute channel pools in the producing convolution's loop over output rows";
  let description = [{
    A pool over H and W (squeeze-excite's mean, CBAM's mean and max) of an
    NHWC convolution's result (depthwise too), or of its element-wise
    epilogue's, is computed
    block of output rows by block of output rows inside one scf.forall with
    the convolution, while each block is in cache, and the blocks' partial
    results are merged after it. Blocks fit L2 and come in a multiple of the
    threads (the module's #acnn.target's L2 and threads); only where the
    conv's filter is no bigger than its input.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Threads the blocks of rows are shared by (0: the module's #acnn.target's)">
  ];
  let dependentDialects = ["acnn::AcnnDialect", "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::scf::SCFDialect", "mlir::arith::ArithDialect"];
}

def FuseExpandIntoDepthwise : Pass<"acnn-fuse-expand-into-depthwise", "mlir::func::FuncOp"> {
  let summary = "Compute an inverted-residual block's widened map band by band in its depthwise conv's loop";
  let description = [{
    A depthwise conv reading the zero padding of a 1x1 stride-1 conv's
    result (that conv's start and element-wise epilogue included, each read
    by the next alone) becomes one scf.forall over blocks of its output rows
    and, inside, an scf.for over blocks of channels. Each step computes the
    band of the padded map that its rows and channels read (the 1x1 conv of
    the input's rows, padded with zero rows above and below, between zero
    columns, and zeros on the band's rows of padding) and the depthwise conv
    (start and epilogue) of that band, in its place in the result, and the
    pools over H and W of that result (squeeze-excite's) of the step's block
    into partial results merged after the loop. The padded map is never made
    whole. The row blocks come in a multiple of the threads, the fewest
    whose rows read by two blocks stay under 1/8 of the map; a band fits
    half of L2 (the module's #acnn.target's). Only where the padded map is
    bigger than the threads' L2s together, and where the epilogues take at
    most 8 ops an element (ReLU6's 2, not SiLU's 21).
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Threads the blocks of rows are shared by (0: the module's #acnn.target's)">
  ];
  let dependentDialects = ["acnn::AcnnDialect", "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::scf::SCFDialect", "mlir::arith::ArithDialect"];
}

def GroupEpilogues : Pass<"acnn-group-epilogues", "mlir::func::FuncOp"> {
  let summary = "Make a conv, pool or matmul, its element-wise consumer and its accumulator start one kernel";
  let description = [{
    An NHWC conv (depthwise too) or pool, a matmul or a contraction generic whose result only an
    element-wise generic reads
    (through identity maps, over exactly the conv's parallel loops) is
    grouped with that generic and with the op starting its accumulator (a
    bias broadcast or a fill read by nothing else): acnn-select-schedules
    then tiles the generic and computes the conv and the start inside each
    of its register tiles. A conv with such a start but no such reader is
    given one, a copy of its result that its readers read instead. Where the
    conv's schedule for `target` would split
    a loop (a remainder the register tile does not divide), the group is cut
    there first into groups computing the parts of the generic's result.
    An op is in one group at most: a generic reading two convs' results (a
    residual add of a block's last conv and its projection shortcut) is the
    first conv's epilogue, and the second conv gets a copy.
    The ops of a group carry acnn.group_epilogue, acnn.group_body and
    acnn.group_start with the group's number.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "The schedules' target, as acnn-select-schedules takes it (default: the module's "
           "#acnn.target)">
  ];
  let dependentDialects = ["acnn::AcnnDialect", "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def FuseIntoGroupLoops : Pass<"acnn-fuse-into-group-loops", "mlir::func::FuncOp"> {
  let summary = "Compute a grouped conv's start and epilogue inside its loop over groups";
  let description = [{
    A grouped conv is an scf.forall over its groups whose step takes its
    group's slice of the shared output as one NHWC conv's accumulator and
    inserts the result at the same place. The op starting that output (a bias
    broadcast or fill that only the loop reads) moves into the step, and with
    it the element-wise op that is the loop result's only reader (identity
    maps; everything else it reads defined before the loop), as tiles of the
    group's slice: the start writes the step's place, the conv accumulates on
    it, the epilogue overwrites the conv's tile in place, and the loop writes
    the epilogue's destination. Without such a start nothing moves (the
    loop's output then holds values the steps read). One parallel region instead of three, and
    the three ops one group for acnn-group-epilogues.
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def PadInProducer : Pass<"acnn-pad-in-producer", "mlir::func::FuncOp"> {
  let summary = "Write a padded input in place, inside a buffer whose border alone is filled";
  let description = [{
    A tensor.pad with a constant value (a conv's zeros, a pool's -inf) becomes
    a buffer with the padding value around the interior, which is written by
    the element-wise generic or transpose producing the padded value, by the
    kernels writing the slices of a buffer assembled in place (a concat, after
    acnn-concat-in-producers), or else by a linalg.copy scheduled like any
    kernel. So the feature map is not copied into a padded buffer in scalar
    loops after it is written. Only the buffer's border is filled.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::bufferization::BufferizationDialect"];
}

def ConcatInProducers : Pass<"acnn-concat-in-producers", "mlir::func::FuncOp"> {
  let summary = "Write a concat's inputs in place from the kernels producing them";
  let description = [{
    A tensor.concat becomes one buffer: an input produced by an element-wise
    generic or transpose that nothing else reads is written by it into its
    slice of the buffer; any other input is copied there by a linalg.copy,
    which is scheduled and vectorised like any kernel (a concat along NHWC
    channels otherwise bufferises to strided scalar copies). First, a concat
    whose leading inputs are an earlier concat's (DenseNet's layers each
    concatenate all the features before them) takes that concat's result in
    their place, so the copies grow linearly with the layers, not
    quadratically. Then such a chain of concats, each the one before and new
    inputs, becomes one buffer of the last one's shape: each concat writes
    only its new inputs there and is read as the buffer's leading slices,
    where its other readers all come before the next concat's writes.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::bufferization::BufferizationDialect"];
}

def BlockConstants : Pass<"acnn-block-constants", "mlir::func::FuncOp"> {
  let summary = "Store constants read a column block at a time block by block";
  let description = [{
    After the schedules are applied (on vectorised tensors): an f32 constant
    of rank two or more whose every reader is an unmasked
    vector.transfer_read along its last axis, at a column that is provably
    a multiple of its width (constants, induction variables of loops whose
    bounds and steps are, sums and products), becomes a constant of shape
    [blocks, rows..., fb] and the reads read their blocks from it. fb is the
    reads' width where they all have one, else the narrowest that is whole
    vectors of the module's #acnn.target and divides every wider one (read
    one block at a time, put side by side); fewer than the columns. A read
    narrower than fb (a register tile's remainder columns) must lie in one
    block, at a constant column or a multiple of fb. A conv's filter or a
    matmul's weights are then one contiguous stream per register tile of
    output channels instead of a row a page apart per input channel.
    Columns past the last whole block (KernelLayouts' row padding) are
    dropped unless a narrow read reads them: then the last block is partial,
    padded with zeros.
  }];
  let dependentDialects = ["acnn::AcnnDialect", "mlir::affine::AffineDialect",
                           "mlir::vector::VectorDialect"];
}

def SelectSchedules : Pass<"acnn-select-schedules", "mlir::ModuleOp"> {
  let summary = "Form the kernels and give each its schedule as an #acnn.schedule attribute";
  let description = [{
    Forms the kernels: each top-level linalg op on tensors, except that a
    group of acnn-group-epilogues is one kernel, its consumer's, scheduled by
    its conv's or matmul's loops. Tags each kernel's root op with
    `acnn.kernel` (its number), `acnn.schedule` (#acnn.schedule: every
    decision that changes its speed, not its result), `acnn.kernel_entry`
    (its name: the acnn kernel it was lowered from, `#N` for the N-th linalg
    kernel of one) and `acnn.kernel_key` (what it computes; KernelKey.h).
    The schedule is the generator's (Schedule.h) for the `target` option,
    else the module's #acnn.target, else a generic AVX2 machine, unless the
    `schedules` file has an entry of that name: then the entry's, checked
    against the kernel's key (a stale entry is an error) and loops. An entry
    that names no kernel is an error too. Without an entry, a record of the
    `tuning-db` database (TuningDatabase.h) for the kernel's key on the
    module's #acnn.target (as printed) made by this schedule version gives
    the schedule, checked against the loops; the records of other targets
    or versions are ignored, with one warning on the module saying how many
    kernels they were for. A kernel whose schedule came from the file or the
    database is tagged `acnn.schedule_source` ("file", "database").
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "avx2, avx512 or sse (default: the module's #acnn.target)">,
    Option<"schedules", "schedules", "std::string", /*default=*/"\"\"",
           "A schedules file (ScheduleFile.h) whose entries replace the generator's">,
    Option<"tuningDb", "tuning-db", "std::string", /*default=*/"\"\"",
           "A tuning database (TuningDatabase.h) whose records replace the generator's">
  ];
  let dependentDialects = ["acnn::AcnnDialect", "mlir::linalg::LinalgDialect"];
}

def NameKernelsByEntry : Pass<"acnn-name-kernels-by-entry", "mlir::ModuleOp"> {
  let summary = "Name each linalg kernel apart in the runtime's profile, by its entry name";
  let description = [{
    Runs on the kernels acnn-select-schedules formed. Renames the kernel in
    the locations of each top-level op of @main that holds a kernel root to
    that kernel's `acnn.kernel_entry`, so the runtime's profile times each
    linalg kernel apart, under the name schedules files and tuning databases
    give it, rather than each acnn op. A top-level op holding several
    kernels (a loop over groups) takes the name of the first. Ops of no
    kernel keep their names. For `acnnc tune`, which times kernel keys.
  }];
}

def KernelHarness : Pass<"acnn-kernel-harness", "mlir::ModuleOp"> {
  let summary = "Reduce @main to one kernel of each of the given keys, to time them alone";
  let description = [{
    Runs on the kernels acnn-select-schedules formed. For each key of
    `keys-file` (one kernel key a line), takes the first kernel with that key
    (its root, group body and start, or the group loop holding them) and
    rebuilds @main from those kernels only, in their order: what `acnnc tune`
    times their candidate schedules in, so that a round compiles a few
    kernels, not the whole model. Constants, empty tensors and views of them
    are copied in. Another kernel's result that a kernel reads becomes an
    argument; one it only writes into (a destination whose values its body
    does not read) becomes an empty tensor of the same shape, so the kernel
    still writes with the model's strides. Results read outside the kernels
    are the outputs. The metadata is written again for the new signature. A key no kernel has, and an
    argument or output other than a static f32 tensor, are errors naming the
    kernel.
  }];
  let options = [
    Option<"keysFile", "keys-file", "std::string", /*default=*/"\"\"",
           "The kernel keys, one a line">
  ];
  let dependentDialects = ["mlir::tensor::TensorDialect", "mlir::LLVM::LLVMDialect"];
}

def ApplySchedules : Pass<"acnn-apply-schedules", "mlir::ModuleOp"> {
  let summary = "Tile, parallelise and vectorise every kernel by its #acnn.schedule";
  let description = [{
    For every kernel acnn-select-schedules formed: checks its #acnn.schedule
    against the kernel's loops (an error names the kernel), renders it as a
    transform-dialect script and applies it with the transform interpreter.
    Then lowers vector contractions to FMAs. Warns when a kernel that was to
    be vectorised stayed scalar, or a reduction loop still loads and stores
    its accumulator. Removes the kernels' tags.
    Each kernel is scheduled in a function of its own (IsolatedKernel.h),
    called where its ops were, then inlined back; a kernel identical to one
    scheduled before (same ops, small constants and schedule; its weights
    are arguments) gets a copy of that one's result, its kernel names in
    the locations renamed. A kernel whose ops are in different blocks, or
    whose results are used before its last op, is scheduled with all of its
    function. A remark says which kernels are copies or scheduled in their
    function.
  }];
  let options = [
    Option<"printScripts", "print-scripts", "bool", /*default=*/"false",
           "Print each kernel's transform script to stdout">,
    Option<"hoist", "hoist", "bool", /*default=*/"true",
           "Hoist accumulators out of reduction loops (off only to test the check)">
  ];
  let dependentDialects = ["acnn::AcnnDialect",
    "mlir::transform::TransformDialect", "mlir::linalg::LinalgDialect",
    "mlir::vector::VectorDialect", "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect",
    "mlir::arith::ArithDialect", "mlir::affine::AffineDialect", "mlir::math::MathDialect",
    "mlir::memref::MemRefDialect", "mlir::bufferization::BufferizationDialect"];
}

def WidenPartialWrites : Pass<"acnn-widen-partial-writes", "mlir::func::FuncOp"> {
  let summary = "Give partial vector writes into tensors the tensor's rank";
  let description = [{
    Runs just before bufferisation. A `vector.transfer_write` into a static
    tensor at all-zero indices, without mask, whose vector has fewer dims than
    the tensor and covers only part of it, becomes a `vector.shape_cast` to
    leading unit dims and a write of the tensor's rank. One-Shot Bufferize
    (MLIR 22) compares the tensor's and the vector's shapes from the front,
    so at lower vector rank it takes such a write for a full overwrite and,
    when the write goes out of place, allocates its new buffer without
    copying the values the vector does not cover.
  }];
  let dependentDialects = ["mlir::vector::VectorDialect"];
}

#endif // ACNN_CODEGEN_PASSES_TD
