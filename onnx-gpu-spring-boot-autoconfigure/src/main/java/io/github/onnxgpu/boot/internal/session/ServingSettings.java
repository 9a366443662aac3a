package io.github.onnxgpu.boot.internal.session;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.batching.BatchingSettings;

/**
 * How a model serves concurrent runs: how many sessions (instances) it has, on which
 * devices, and how runs are batched.
 *
 * @param instances how many sessions serve the model
 * @param deviceIds the CUDA devices instances are placed on in turn, empty for the
 * model's {@code cuda.device-id}
 * @param batching how runs are batched
 */
public record ServingSettings(int instances, List<Integer> deviceIds, BatchingSettings batching) {

	public ServingSettings {
		deviceIds = List.copyOf(deviceIds);
	}

	/**
	 * One session, no batching.
	 * @return the settings
	 */
	public static ServingSettings single() {
		return new ServingSettings(1, List.of(), BatchingSettings.disabled());
	}

	/**
	 * How many batches run at once: as configured, else on the CPU one per core (each on
	 * a session of one intra-op thread, so batches run side by side instead of fighting
	 * over one pool), else one per instance.
	 * @param cpu whether the model runs on the CPU
	 * @param cores the cores available
	 * @return the number of batch workers
	 */
	public int workers(boolean cpu, int cores) {
		Integer configured = this.batching.workers();
		if (configured != null) {
			return configured;
		}
		return cpu ? Math.max(this.instances, cores) : this.instances;
	}

	/**
	 * The intra-op threads of each session on the CPU when none are configured: the cores
	 * shared by the runs that go on at once (instances, or batch workers), so that every
	 * core is used and none is fought over; {@code null} for ONNX Runtime's default (all
	 * cores) when one run at a time is all the starter starts.
	 * @param cores the cores available
	 * @return the threads, or {@code null}
	 */
	public @Nullable Integer cpuIntraOpThreads(int cores) {
		int concurrent = this.batching.enabled() ? workers(true, cores) : this.instances;
		return (concurrent > 1) ? Math.max(1, cores / concurrent) : null;
	}

	/**
	 * The CUDA device of an instance.
	 * @param index the instance
	 * @param configured the model's {@code cuda.device-id}
	 * @return the device
	 */
	int deviceId(int index, int configured) {
		return this.deviceIds.isEmpty() ? configured : this.deviceIds.get(index % this.deviceIds.size());
	}

}
