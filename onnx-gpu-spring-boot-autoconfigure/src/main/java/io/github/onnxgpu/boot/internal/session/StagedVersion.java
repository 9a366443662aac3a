package io.github.onnxgpu.boot.internal.session;

import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.warmup.WarmupPlan;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.model.ModelStatus;

/**
 * What a reload built, checked and warmed beside the running version, handed to the
 * running model to swap in ({@link ManagedModel#adopt}): its open sessions, now the
 * running model's to close, and what runs, bindings and the endpoint read about it.
 *
 * @param sessions the sessions, in instance order
 * @param inputs the inputs
 * @param outputs the outputs
 * @param outputShapes the output shapes its warmup recorded
 * @param warmupPlan its warmup plan
 * @param tuningReport what its tuning found and chose
 * @param status its status after its warmup
 * @param warmupResult its warmup's result
 * @param version its checksum, when and from where it was loaded
 */
record StagedVersion(List<LoadedSession> sessions, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs,
		OutputShapes outputShapes, WarmupPlan warmupPlan, TuningReport tuningReport, ModelStatus status,
		@Nullable WarmupResult warmupResult, ModelVersion version) {

}
