package io.github.onnxgpu.boot.internal.session;

import ai.onnxruntime.OrtProvider;
import org.jspecify.annotations.Nullable;

/**
 * One instance's provider, device and counts.
 *
 * @param index the instance's position
 * @param provider the provider that runs it
 * @param deviceId its CUDA device, {@code null} on the CPU
 * @param runs the runs it served through {@link ManagedModel#call}
 * @param inFlight the runs on it now
 */
public record InstanceState(int index, OrtProvider provider, @Nullable Integer deviceId, long runs, int inFlight) {

}
